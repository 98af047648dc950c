"""The legal criteria computed from case facts: every criterion met, not met and
unknown, on the two worked cases and small variants of them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from followthemoney import EntityProxy

from nitka.assess.criteria import Criterion, State, settle
from nitka.assess.facts import CaseFacts
from nitka.assess.overrides import Override
from nitka.assess.protocol import protocol
from nitka.assess.untoc import untoc
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import PoliceStatement
from tests.assess.cases import (
    BROTHERS,
    LANTERN,
    OTHER,
    SUSPECT,
    VICTIM,
    brothers,
    lantern,
    statements,
)
from tests.helpers import make_entity

Entities = list[tuple[EntityProxy, DataSubjectCategory]]


def facts_of(entities: Entities, case: str = "c") -> CaseFacts:
    grouped: dict[str, tuple[str, str, list[PoliceStatement]]] = {}
    for stmt in statements(case, entities):
        grouped.setdefault(stmt.entity_id, (stmt.entity_id, stmt.schema, []))[2].append(stmt)
    return CaseFacts.of(case, grouped.values())


def states(entities: Entities, overrides: dict[str, Override] | None = None) -> dict[str, State]:
    facts = facts_of(entities)
    found: dict[str, State] = {}

    def walk(item: Criterion) -> None:
        found[item.code] = item.state
        for part in item.parts:
            walk(part)

    for checklist in (*untoc(facts), protocol(facts)):
        walk(settle(checklist, overrides or {}))
    return found


def test_lantern_meets_every_untoc_criterion_and_the_protocol() -> None:
    found = states(lantern())
    assert {code: s for code, s in found.items() if s is not State.MET} == {
        "untoc.3.2.d": State.NOT_MET  # the victims are Ukrainians exploited in Poland: (a) holds
    }
    assert found["untoc.2a"] is found["untoc.3.2"] is found["protocol.3"] is State.MET


def test_brothers_do_not_meet_untoc_and_the_reasons_say_why() -> None:
    facts = facts_of(brothers(), BROTHERS)
    group, transnational = (settle(c, {}) for c in untoc(facts))
    assert group.state is State.NOT_MET
    assert "untoc.2a.persons" in group.why and "untoc.2a.serious" in group.why
    persons = next(p for p in group.parts if p.code == "untoc.2a.persons")
    assert "fewer than three" in persons.why and len(persons.evidence) == 2
    assert transnational.state is State.UNKNOWN
    assert settle(protocol(facts), {}).state is State.NOT_MET


def _with(entities: Entities, *extra: tuple[EntityProxy, DataSubjectCategory]) -> Entities:
    return [*entities, *extra]


def _without(entities: Entities, *ids: str) -> Entities:
    return [(e, c) for e, c in entities if e.id not in ids and not str(e.id).startswith(ids)]


def _event(*keywords: str, **props: object) -> tuple[EntityProxy, DataSubjectCategory]:
    values = {"name": "event", "keywords": list(keywords), **props}
    return make_entity("Event", f"x-{abs(hash(keywords))}", **values), OTHER


ADULT = (make_entity("Person", "adult", name="Adult victim", keywords="age:30-40"), VICTIM)
GROUP_UA = (make_entity("Organization", "g", name="G", topics="crime", country="ua"), OTHER)
CASES: dict[tuple[str, State], Callable[[], Entities]] = {
    ("untoc.3.2.d", State.MET): lambda: _with(
        _without(lantern(), "lantern-v2"),
        (
            make_entity("Person", "md-victim", name="V", nationality="md", keywords="age:20-25"),
            VICTIM,
        ),
    ),
    ("untoc.2a.period", State.NOT_MET): lambda: [
        GROUP_UA,
        *[
            (
                make_entity(
                    "Membership",
                    f"m{i}",
                    member=f"p{i}",
                    organization="g",
                    startDate=f"2024-01-0{i}",
                ),
                OTHER,
            )
            for i in (1, 5)
        ],
    ],
    ("untoc.2a.concert", State.NOT_MET): lambda: [
        (make_entity("Person", "p1", name="A"), SUSPECT),
        (make_entity("Person", "p2", name="B"), SUSPECT),
        _event("act:recruitment", involved="p1", country="ua"),
    ],
    ("untoc.3.2.b", State.NOT_MET): lambda: [GROUP_UA, _event("act:recruitment", country="ua")],
    ("untoc.3.2.c", State.NOT_MET): lambda: [
        GROUP_UA,
        _event("act:recruitment", country="ua", organizer="g"),
    ],
    ("untoc.3.2", State.NOT_MET): lambda: [  # a local group, local victims
        GROUP_UA,
        (make_entity("Person", "v", name="V", nationality="ua"), VICTIM),
        _event("act:recruitment", country="ua", organizer="g", involved="v"),
    ],
    ("protocol.3.act", State.NOT_MET): lambda: [_event("exploitation:sexual")],
    ("protocol.3.purpose", State.NOT_MET): lambda: [_event("act:recruitment")],
    ("protocol.3.consent", State.NOT_MET): lambda: [
        ADULT,
        _event("act:recruitment", "exploitation:sexual", "consent:given", involved="adult"),
    ],
    ("protocol.3.consent", State.UNKNOWN): lambda: [
        (make_entity("Person", "v", name="V"), VICTIM),
        _event("act:recruitment", "consent:given", involved="v"),
    ],
    ("protocol.3.consent", State.MET): lambda: [
        ADULT,
        _event("act:recruitment", "means:threat", "consent:given", involved="adult"),
    ],
    ("protocol.3.means", State.MET): lambda: [  # a child by birth date: no means needed
        (make_entity("Person", "kid", name="K", birthDate="2010-05-01"), VICTIM),
        _event("act:recruitment", involved="kid", date="2024-05-01"),
    ],
    ("protocol.3.means", State.UNKNOWN): lambda: [  # an adult by birth date, one unknown age
        (make_entity("Person", "old", name="O", birthDate="1990-05-01"), VICTIM),
        (make_entity("Person", "v", name="V"), VICTIM),
        _event("act:recruitment", involved=["old", "v"], date="2024-05-01"),
    ],
    ("untoc.2a.benefit", State.MET): lambda: [
        (make_entity("Person", "p1", name="A"), SUSPECT),
        (make_entity("Payment", "pay", payer="p1", beneficiary="x", amount="10"), OTHER),
    ],
}


@pytest.mark.parametrize(("code", "state"), sorted(CASES), ids=lambda v: str(v))
def test_a_criterion_in_a_variant(code: str, state: State) -> None:
    assert states(CASES[(code, state)]())[code] is state


def test_every_criterion_reaches_every_state() -> None:
    """Each criterion is met, not met and unknown in the worked cases, the variants,
    an empty case, or (the benefit, which data cannot deny) by an override."""
    seen: dict[str, set[State]] = {}
    variants = [lantern(), brothers(), [], *(build() for build in CASES.values())]
    for entities in variants:
        for code, state in states(entities).items():
            seen.setdefault(code, set()).add(state)
    override = Override(1, "c", "untoc.2a.benefit", "not_met", "the payments were gifts", "a", "t")
    assert states([], {"untoc.2a.benefit": override})["untoc.2a.benefit"] is State.NOT_MET
    seen["untoc.2a.benefit"].add(State.NOT_MET)
    assert {code: sorted(found) for code, found in seen.items() if found != set(State)} == {}


def test_empty_case_is_unknown_not_not_met() -> None:
    found = states([])
    assert found["untoc.2a"] is found["untoc.3.2"] is found["protocol.3"] is State.UNKNOWN


def test_an_override_is_shown_beside_the_computed_state_and_decides_the_whole() -> None:
    override = Override(
        1,
        "c",
        "untoc.2a.persons",
        "met",
        "a third member known from a witness, not yet in the store",
        "analyst.a",
        "2026-01-01",
    )
    facts = facts_of(brothers())
    group = settle(untoc(facts)[0], {"untoc.2a.persons": override})
    persons = next(p for p in group.parts if p.code == "untoc.2a.persons")
    assert persons.state is State.MET and persons.computed is State.NOT_MET
    shown = persons.as_dict()
    assert shown["override"]["reason"].startswith("a third member")
    assert shown["computed"] == "not_met"
    assert group.state is State.NOT_MET  # the structure and the penalty still fall short
    assert "untoc.2a.persons" not in group.why


def test_evidence_names_statements_of_the_case() -> None:
    facts = facts_of(lantern(), LANTERN)
    ids = {s for e in facts.entities.values() for s in e.statement_ids}
    for checklist in (*untoc(facts), protocol(facts)):
        for part in settle(checklist, {}).parts:
            assert set(part.evidence) <= ids | set(facts.entities), part.code
            if part.state is State.MET:
                assert part.evidence or part.code == "protocol.3.consent", part.code
