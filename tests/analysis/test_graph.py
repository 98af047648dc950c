"""The link chart's graph: neighbours, links as edges, phones as nodes, paths,
and need-to-know on every node and edge; on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.analysis.graph import PHONE, Graph, expand
from nitka.analysis.paths import shortest_path
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from tests.analysis.ring import (
    CALL_DATES,
    CARDS,
    ORGANISER,
    ORGANISER_ACCOUNT,
    ORGANISER_PHONE,
    PASSPORT,
    RECRUITER,
    RECRUITER_PHONE,
    RELATIVE,
    VICTIM_NAMES,
    VICTIMS,
    store_ring,
    viewer,
)
from tests.helpers import make_entity, store_entities

INVESTIGATOR = viewer(Role.INVESTIGATOR, "c1")
ANALYST = viewer(Role.ANALYST, "c1")


@pytest.fixture
def ring(engine: Engine) -> Engine:
    store_ring(engine)
    return engine


def _edge(graph: Graph, one: str, other: str) -> dict[str, object]:
    found = [e.as_dict() for e in graph.edges.values() if {e.source, e.target} == {one, other}]
    assert len(found) == 1, (one, other, list(graph.edges))
    return found[0]


def test_a_person_has_their_phone_passport_and_address_as_neighbours(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [RECRUITER])
    assert {RECRUITER, PHONE + RECRUITER_PHONE, PASSPORT, "addr-odesa"} <= set(graph.nodes)
    assert graph.nodes[RECRUITER].label == "Олександр Петренко"
    assert graph.nodes[RECRUITER].category == "suspect"
    assert _edge(graph, PASSPORT, RECRUITER)["label"] == "holder"
    assert _edge(graph, RECRUITER, PHONE + RECRUITER_PHONE)["label"] == "phone"


def test_calls_between_the_numbers_of_known_people_join_the_people(ring: Engine) -> None:
    """Issue 21: the people behind the numbers, the numbers kept on the edge and the chart."""
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [PHONE + RECRUITER_PHONE])
    call = _edge(graph, RECRUITER, ORGANISER)
    assert call["schema"] == "Call"
    assert call["count"] == 3
    assert call["first"] == CALL_DATES[0]
    assert str(call["last"]) >= CALL_DATES[-1]
    assert call["source"] == RECRUITER
    assert call["numbers"] == [f"{RECRUITER_PHONE} → {ORGANISER_PHONE}"]
    assert graph.nodes[ORGANISER].label == "Ihor Melnyk"
    # Each number stays on the chart, tied to its person (once, not once per way found).
    assert _edge(graph, RECRUITER, PHONE + RECRUITER_PHONE)["label"] == "phone"
    assert _edge(graph, RECRUITER, PHONE + RECRUITER_PHONE)["count"] == 1
    assert _edge(graph, ORGANISER, PHONE + ORGANISER_PHONE)["label"] == "phone"
    assert not any(e.schema == "Call" and PHONE in e.source for e in graph.edges.values())


def test_calls_stay_between_numbers_whose_person_is_unknown_shared_or_hidden(
    ring: Engine,
) -> None:
    unknown, shared, victims_phone = "+380930000001", "+380930000002", "+380930000003"
    suspect = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
    victim = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    store_entities(
        ring,
        [
            make_entity("Person", "p-one", name="Taras One", phone=shared),
            make_entity("Person", "p-two", name="Taras Two", phone=shared),
        ],
        suspect,
    )
    store_entities(
        ring, [make_entity("Person", "p-hidden", name="Nadia Hidden", phone=victims_phone)], victim
    )
    calls = [
        make_entity("Call", f"call-x{n}", callerNumber=RECRUITER_PHONE, receiverNumber=number,
                    startDate=f"2024-05-0{n + 1}")
        for n, number in enumerate((unknown, shared, victims_phone))
    ]  # fmt: skip
    store_entities(ring, calls, Provenance("cdr", case="c1"))
    with ring.connect() as conn:
        investigator = expand(conn, INVESTIGATOR, [PHONE + RECRUITER_PHONE])
        analyst = expand(conn, ANALYST, [PHONE + RECRUITER_PHONE])
    for number in (unknown, shared):
        call = _edge(investigator, RECRUITER, PHONE + number)
        assert call["numbers"] == [f"{RECRUITER_PHONE} → {number}"]
    # The investigator may see the victim's number; the analyst sees only the number.
    assert _edge(investigator, RECRUITER, "p-hidden")["schema"] == "Call"
    assert _edge(analyst, RECRUITER, PHONE + victims_phone)["schema"] == "Call"
    dumped = orjson.dumps(analyst.as_dict()).decode()
    assert "Nadia Hidden" not in dumped and "p-hidden" not in dumped


def test_payments_into_one_account_carry_their_amounts(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [ORGANISER_ACCOUNT])
    for card in CARDS:
        payment = _edge(graph, card, ORGANISER_ACCOUNT)
        assert payment["schema"] == "Payment"
        assert (payment["amount"], payment["currency"], payment["count"]) == (500.0, "EUR", 1)
        assert payment["source"] == card
    assert _edge(graph, ORGANISER, ORGANISER_ACCOUNT)["schema"] == "Ownership"


def test_an_investigator_sees_the_victims_behind_the_cards(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, list(CARDS))
    for victim, name in zip(VICTIMS, VICTIM_NAMES, strict=True):
        assert graph.nodes[victim].label == name
        assert graph.nodes[victim].category == "victim"


def test_an_analyst_sees_no_victim_on_the_chart(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, ANALYST, [*CARDS, ORGANISER_ACCOUNT])
    dumped = orjson.dumps(graph.as_dict()).decode()
    for victim, name in zip(VICTIMS, VICTIM_NAMES, strict=True):
        assert name not in dumped
        assert victim not in dumped
    # The payments themselves are no victim data: they stay.
    assert _edge(graph, CARDS[0], ORGANISER_ACCOUNT)["count"] == 1


def test_another_case_and_a_non_member_see_nothing_of_it(ring: Engine) -> None:
    with ring.connect() as conn:
        member = expand(conn, INVESTIGATOR, [RECRUITER])
        outsider = expand(conn, viewer(Role.INVESTIGATOR, "c2"), [RECRUITER, ORGANISER_ACCOUNT])
        auditor = expand(conn, viewer(Role.AUDITOR, "c1", "c2"), [RECRUITER])
    assert RELATIVE not in member.nodes
    assert not any(e.schema == "Family" for e in member.edges.values())
    assert RECRUITER not in outsider.nodes
    assert ORGANISER_ACCOUNT not in outsider.nodes
    assert not auditor.nodes and not auditor.edges


def test_a_member_of_both_cases_sees_the_family_tie(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, viewer(Role.INVESTIGATOR, "c1", "c2"), [RECRUITER])
    family = _edge(graph, RECRUITER, RELATIVE)
    assert family["schema"] == "Family"
    assert graph.nodes[RELATIVE].label == "Petro Petrenko"


def test_the_shortest_path_goes_through_the_callers_and_the_account_owner(ring: Engine) -> None:
    with ring.connect() as conn:
        path = shortest_path(conn, INVESTIGATOR, RECRUITER, ORGANISER_ACCOUNT)
    assert path is not None
    # The recruiter called the organiser (from number to number), who owns the account.
    assert set(path.nodes) == {RECRUITER, ORGANISER, ORGANISER_ACCOUNT}
    assert len(path.edges) == 2
    assert {e.schema for e in path.edges.values()} == {"Call", "Ownership"}


def test_no_path_through_what_the_viewer_may_not_see(ring: Engine) -> None:
    with ring.connect() as conn:
        both = shortest_path(conn, viewer(Role.INVESTIGATOR, "c1", "c2"), RELATIVE, ORGANISER)
        one = shortest_path(conn, INVESTIGATOR, RELATIVE, ORGANISER)
        none = shortest_path(conn, INVESTIGATOR, RECRUITER, "p-nobody")
    assert both is not None and RELATIVE in both.nodes
    assert one is None
    assert none is None


def test_a_merged_entity_keeps_the_links_of_both(ring: Engine) -> None:
    with ring.begin() as conn:
        merged = merge(conn, RECRUITER, ORGANISER, "analyst", "same person, two names")
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [merged])
    assert merged in graph.nodes
    assert _edge(graph, PASSPORT, merged)["label"] == "holder"
    assert _edge(graph, merged, ORGANISER_ACCOUNT)["schema"] == "Ownership"
    assert PHONE + ORGANISER_PHONE in graph.nodes
    assert RECRUITER not in graph.nodes and ORGANISER not in graph.nodes
