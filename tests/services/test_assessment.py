"""The assessment's services on both databases: criteria of a case for its members,
overrides, ratings with evidence, scores and comparisons; refusals audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_case, add_member
from nitka.effects import ChangeKind, after_write
from nitka.errors import FieldError
from nitka.services import assessment
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.store.writer import load_canonical_map, write_statements
from tests.assess.cases import BROTHERS, LANTERN, both
from tests.services.people import last_record

ANALYST = Actor("analyst.a", Role.ANALYST, "u", Proof.SESSION, "api@10.0.0.1", "case work")
INVESTIGATOR = Actor("investigator.i", Role.INVESTIGATOR, "u", Proof.SESSION, "api@10.0.0.2", "")
OUTSIDER = Actor("analyst.out", Role.ANALYST, "u", Proof.SESSION, "api@10.0.0.3", "")
AUDITOR = Actor("auditor.z", Role.AUDITOR, "u", Proof.SESSION, "api@10.0.0.4", "")


@pytest.fixture
def store(engine: Engine) -> Engine:
    with engine.begin() as conn:
        written = write_statements(conn, both(), load_canonical_map(conn))
        after_write(conn, ChangeKind.STATEMENTS, sorted(written), datasets=["demo_thb_cases"])
        for case in (LANTERN, BROTHERS):
            add_case(conn, case, by="supervisor", title=case)
        for actor in (ANALYST, INVESTIGATOR, OUTSIDER, AUDITOR):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role, unit_id="u")
        for case in (LANTERN, BROTHERS):
            add_member(conn, case, ANALYST.name, by="supervisor")
            add_member(conn, case, INVESTIGATOR.name, by="supervisor")
    return engine


def _states(found: assessment.CaseCriteria) -> dict[str, str]:
    return {c.code: c.state.value for c in found.checklists}


def test_criteria_of_the_worked_cases(store: Engine) -> None:
    with transaction(store) as conn:
        lantern = assessment.case_criteria(conn, INVESTIGATOR, LANTERN)
        brothers = assessment.case_criteria(conn, INVESTIGATOR, BROTHERS)
    assert _states(lantern) == {"untoc.2a": "met", "untoc.3.2": "met", "protocol.3": "met"}
    assert _states(brothers) == {
        "untoc.2a": "not_met",
        "untoc.3.2": "unknown",
        "protocol.3": "not_met",
    }
    record = last_record(store)
    assert record["actor"] == INVESTIGATOR.name and "lantern-group" not in record["entities"]
    assert "brothers-p1" in record["entities"]


def test_an_analyst_sees_the_victims_withheld_and_the_protocol_unknown(store: Engine) -> None:
    """Need-to-know: victims' details are for investigators; an analyst's criteria are
    computed from what they may see, and say how much was withheld."""
    with transaction(store) as conn:
        found = assessment.case_criteria(conn, ANALYST, LANTERN)
    assert found.withheld == 2
    assert _states(found)["protocol.3"] == "met"  # the means are coded on the events
    means = found.checklists[2].parts[1]
    assert means.why.startswith("events record")  # not the child, whom they may not see


def test_a_non_member_is_refused_and_the_refusal_is_audited(store: Engine) -> None:
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment.case_criteria(conn, OUTSIDER, LANTERN)
    record = last_record(store)
    assert record["outcome"] == "refused" and record["actor"] == OUTSIDER.name
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment.override_criterion(conn, OUTSIDER, LANTERN, "untoc.2a", "not_met", "no")
    assert last_record(store)["outcome"] == "refused"
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment.case_criteria(conn, AUDITOR, LANTERN)
    assert "reads no case data" in last_record(store)["subject"]["refused"]


def test_an_override_with_its_reason_is_shown_beside_the_computed_state(store: Engine) -> None:
    with transaction(store) as conn:
        assessment.override_criterion(
            conn,
            ANALYST,
            BROTHERS,
            "untoc.2a.benefit",
            "met",
            "the brothers kept the takings (witness statement)",
        )
    assert last_record(store)["subject"]["criterion"] == "untoc.2a.benefit"
    with transaction(store) as conn:
        found = assessment.case_criteria(conn, ANALYST, BROTHERS).as_dict(only=["untoc"])
    benefit = next(p for p in found["checklists"][0]["parts"] if p["code"] == "untoc.2a.benefit")
    assert (benefit["state"], benefit["computed"]) == ("met", "unknown")
    assert benefit["override"]["by"] == ANALYST.name
    with transaction(store) as conn:
        assessment.override_criterion(
            conn, ANALYST, BROTHERS, "untoc.2a.benefit", "computed", "taken back"
        )
        again = assessment.case_criteria(conn, ANALYST, BROTHERS).checklists[0].parts[-1]
    assert again.override is None and again.state.value == "unknown"
    for criterion, state, reason, field in [
        ("untoc.9", "met", "r", "criterion"),
        ("untoc.2a", "maybe", "r", "state"),
        ("untoc.2a", "met", " ", "reason"),
    ]:
        with pytest.raises(FieldError) as caught, transaction(store) as conn:
            assessment.override_criterion(conn, ANALYST, BROTHERS, criterion, state, reason)
        assert caught.value.field == field


def _statement_id(engine: Engine, entity: str, prop: str) -> str:
    from sqlalchemy import select

    from nitka.store.tables import statement

    with engine.connect() as conn:
        query = select(statement.c.id).where(
            statement.c.entity_id == entity, statement.c.prop == prop
        )
        return str(conn.execute(query).scalar_one())


def test_ratings_with_evidence_score_and_compare(store: Engine) -> None:
    payment = _statement_id(store, "lantern-pay1", "amount")
    with transaction(store) as conn:
        assessment.rate(
            conn,
            ANALYST,
            "lantern-group",
            "money_laundering",
            "medium",
            evidence=[payment],
            reason="shares paid to the leader abroad",
        )
        assessment.rate(conn, ANALYST, "lantern-group", "violence", "high")
        assessment.rate(conn, ANALYST, "lantern-group", "violence", "low")  # newest counts
    assert last_record(store)["entities"] == ["lantern-group"]
    with transaction(store) as conn:
        found = assessment.assess_group(conn, ANALYST, "lantern-group", "socta").as_dict()
    laundering = found["ratings"]["money_laundering"]
    assert laundering["evidence"][0]["grading"] == "B2" and not laundering["without_evidence"]
    assert found["ratings"]["violence"]["without_evidence"]
    assert found["ratings"]["violence"]["level"] == "low"
    assert found["score"]["total"] == 7 * 2 + 3 * 1
    suggested = {s["attribute"]: s["level"] for s in found["suggestions"]}
    assert suggested == {"size": "low", "international": "medium"}  # 4 members; md, pl, ua
    with transaction(store) as conn:
        compared = assessment.compare_profiles(conn, ANALYST, ["sleipnir", "socta"])
    assert [g for g, _ in compared.rankings["socta"]] == ["lantern-group"]


def test_rating_refusals(store: Engine) -> None:
    with pytest.raises(NotFoundError), transaction(store) as conn:
        assessment.rate(conn, OUTSIDER, "lantern-group", "violence", "high")
    assert last_record(store)["outcome"] == "refused"
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment.rate(conn, AUDITOR, "lantern-group", "violence", "high")
    assert last_record(store)["outcome"] == "refused"
    victim_name = _statement_id(store, "lantern-v1", "name")
    with pytest.raises(NotFoundError) as caught, transaction(store) as conn:
        assessment.rate(conn, ANALYST, "lantern-group", "violence", "high", evidence=[victim_name])
    assert caught.value.field == "evidence"
    for attribute, level, field in [("charm", "high", "attribute"), ("violence", "huge", "level")]:
        with pytest.raises(FieldError) as bad, transaction(store) as conn:
            assessment.rate(conn, ANALYST, "lantern-group", attribute, level)
        assert bad.value.field == field
    with pytest.raises(FieldError) as not_group, transaction(store) as conn:
        assessment.rate(conn, ANALYST, "lantern-p1", "violence", "high")
    assert not_group.value.field == "group"
