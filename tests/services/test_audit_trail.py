"""The auditor's questions as services (``nitka.services.audit_trail``): only an
auditor reads the trail, every question about an entity or a user is on record,
and every refusal is too; the CLI, the API and the audit page all come here."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.services import audit_trail, entities
from nitka.services.guard import NotFoundError, RefusedError, transaction
from tests.analysis.ring import RECRUITER, RELATIVE
from tests.services.people import (
    ADMINISTRATOR,
    ANALYST,
    AUDITOR,
    INVESTIGATOR,
    SUPERVISOR,
    last_record,
    records,
    ring_with_accounts,
)

OPERATOR = Actor.operator("root", origin="cli@host")


@pytest.fixture
def looked(engine: Engine) -> Engine:
    """The ring, and the investigator's look at the recruiter, then at the relative
    (outside the investigator's cases: a refused look)."""
    ring_with_accounts(engine)
    with transaction(engine) as conn:
        entities.show(conn, INVESTIGATOR, RECRUITER)
    with pytest.raises(NotFoundError), transaction(engine) as conn:
        entities.show(conn, INVESTIGATOR, RELATIVE)
    return engine


def test_the_auditor_asks_who_saw_an_entity_and_the_question_is_recorded(looked: Engine) -> None:
    with transaction(looked) as conn:
        found = audit_trail.entity_history(conn, AUDITOR, RECRUITER)
    assert [(r.actor, r.action, r.outcome) for r in found] == [("investigator.in", "view", "done")]
    asked = last_record(looked)
    assert (asked["actor"], asked["action"], asked["outcome"]) == ("auditor.a", "view", "done")
    assert asked["subject"] == {"audit": "who-saw", "entity": RECRUITER}
    assert asked["result_size"] == 1 and asked["purpose"] == "workstation"
    assert asked["entities"] == [], "the question shows the auditor no case data"


def test_what_a_user_did_pages_by_record_id(looked: Engine) -> None:
    with transaction(looked) as conn:
        did = audit_trail.user_history(conn, AUDITOR, INVESTIGATOR.name)
        after_first = audit_trail.user_history(conn, AUDITOR, INVESTIGATOR.name, after=did[0].id)
        one = audit_trail.user_history(conn, AUDITOR, INVESTIGATOR.name, limit=1)
    assert [r.outcome for r in did] == ["done", "refused"]
    assert after_first == did[1:] and one == did[:1]
    assert last_record(looked)["subject"] == {"audit": "by-user", "user": INVESTIGATOR.name}


def test_the_audit_page_browses_newest_first_and_verifies_on_request(looked: Engine) -> None:
    with transaction(looked) as conn:
        latest = audit_trail.browse(conn, AUDITOR)
        refused = audit_trail.browse(conn, AUDITOR, user=INVESTIGATOR.name, check=True)
        views = audit_trail.browse(conn, AUDITOR, action="view", limit=2)
    assert latest.verification is None
    assert [r.id for r in latest.records] == sorted((r.id for r in latest.records), reverse=True)
    assert refused.verification is not None and refused.verification.intact
    assert [r.outcome for r in refused.records] == ["refused", "done"]
    assert len(views.records) == 2 and all(r.action == "view" for r in views.records)
    assert views.records[0].actor == "auditor.a", "the page's own questions are on record"
    assert last_record(looked)["subject"] == {"audit": "workstation", "action": "view"}


@pytest.mark.parametrize("actor", [INVESTIGATOR, ANALYST, SUPERVISOR, ADMINISTRATOR])
def test_no_other_role_reads_the_trail_and_each_refusal_is_recorded(
    looked: Engine, actor: Actor
) -> None:
    before = len(records(looked))
    asks = (
        lambda conn: audit_trail.verify_trail(conn, actor),
        lambda conn: audit_trail.entity_history(conn, actor, RECRUITER),
        lambda conn: audit_trail.user_history(conn, actor, INVESTIGATOR.name),
        lambda conn: audit_trail.browse(conn, actor, entity=RECRUITER),
    )
    for ask in asks:
        with pytest.raises(RefusedError) as raised, transaction(looked) as conn:
            ask(conn)
        assert raised.value.field == "role" and "may not do this" in str(raised.value)
        refusal = last_record(looked)
        assert (refusal["actor"], refusal["outcome"]) == (actor.name, "refused")
        assert refusal["subject"]["audit"] in ("verify", "who-saw", "by-user", "workstation")
    assert len(records(looked)) == before + len(asks)
    with transaction(looked) as conn:
        assert audit_trail.verify_trail(conn, AUDITOR).intact


def test_a_verification_adds_nothing_to_the_chain_it_checks(looked: Engine) -> None:
    before = records(looked)
    with transaction(looked) as conn:
        found = audit_trail.verify_trail(conn, AUDITOR)
    assert found.intact and found.records == len(before)
    assert records(looked) == before


def test_a_development_operator_reads_the_trail(looked: Engine) -> None:
    with transaction(looked) as conn:
        found = audit_trail.entity_history(conn, OPERATOR, RECRUITER)
    assert [r.actor for r in found] == ["investigator.in"]
    assert last_record(looked)["actor"] == "root"
