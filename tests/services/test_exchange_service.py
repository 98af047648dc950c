"""The exchange's service functions called directly: which roles may take each step,
a message outside the actor's sight answered as none, and an audit record for
every step taken or refused, under the actor's name, origin and purpose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Connection, Engine

from nitka.access.actor import Actor
from nitka.access.audit import AuditRecord, by_actor
from nitka.exchange.kinds import Kind, Status
from nitka.exchange.messages import load_message
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import NotFoundError, RefusedError, transaction
from tests.services.exchange_world import (
    ACCOUNTS,
    CASE,
    DRAFT_SECRET,
    INCOMING_SECRET,
    SUSPECT,
    THEM,
    VICTIM,
    VICTIM_NAME,
    World,
    actor,
    incoming,
    make_world,
)

READING = ("analyst.in", "investigator.in", "liaison.desk", "supervisor.in")
NO_CASE_DATA = ("auditor.a", "admin.one")


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return make_world(engine, tmp_path)


def _records(engine: Engine, name: str) -> list[AuditRecord]:
    with engine.connect() as conn:
        return by_actor(conn, name)


def _subject(record: AuditRecord) -> dict[str, Any]:
    found: dict[str, Any] = orjson.loads(record.subject)
    return found


def _new_draft(world: World, who: str) -> Draft:
    return Draft(kind=Kind.SPONTANEOUS, receiver=THEM, subject=f"from {who}", case=CASE)


@pytest.mark.parametrize("name", list(ACCOUNTS))
def test_who_may_draft(world: World, name: str) -> None:
    who = actor(name)
    if name in NO_CASE_DATA:
        refused = pytest.raises(RefusedError, match="reads no case data")
        with refused, transaction(world.engine) as conn:
            service.draft(conn, who, world.settings, _new_draft(world, name))
        [record] = _records(world.engine, name)
        assert record.outcome == "refused" and record.purpose == "exchange test"
        return
    with transaction(world.engine) as conn:
        made = service.draft(conn, who, world.settings, _new_draft(world, name))
    record = _records(world.engine, name)[-1]
    assert record.outcome == "done" and record.origin == "test"
    assert _subject(record) == {"message draft": made.id, "to": THEM}


@pytest.mark.parametrize("name", ["analyst.in", "liaison.desk", "investigator.in", "auditor.a"])
def test_only_a_supervisor_approves_and_decides(world: World, name: str) -> None:
    with pytest.raises(RefusedError), transaction(world.engine) as conn:
        service.approve(conn, actor(name), world.settings, world.draft_id)
    with pytest.raises(RefusedError), transaction(world.engine) as conn:
        service.decide(conn, actor(name), world.draft_id, cleared=True, reasoning="fine")
    assert [r.outcome for r in _records(world.engine, name)][-2:] == ["refused", "refused"]
    with world.engine.connect() as conn:
        found = load_message(conn, world.draft_id)
    assert found is not None and found.status is Status.DRAFT


def test_approval_and_sending_are_on_record_with_what_left(world: World) -> None:
    with transaction(world.engine) as conn:
        service.approve(conn, actor("supervisor.two"), world.settings, world.draft_id, "ok")
    # An analyst who did not write it may not send it; its author may.
    not_theirs = pytest.raises(RefusedError, match="only its author")
    with not_theirs as refused, transaction(world.engine) as conn:
        service.send(conn, actor("analyst.in"), world.keys, world.draft_id)
    assert refused.value.field == "sender"
    with transaction(world.engine) as conn:
        sent = service.send(conn, actor("investigator.in"), world.keys, world.draft_id)
    assert sent.status is Status.SENT
    [approval] = _records(world.engine, "supervisor.two")
    assert _subject(approval) == {"message approve": world.draft_id}
    disclosure = _records(world.engine, "investigator.in")[-1]
    assert disclosure.action == "disclosure" and disclosure.outcome == "done"
    assert disclosure.entities == sorted([SUSPECT, VICTIM])
    assert disclosure.result_size == len(sent.body["statements"]) > 2
    assert _subject(disclosure)["to"] == THEM
    assert [r.outcome for r in _records(world.engine, "analyst.in")] == ["refused"]


def test_the_author_may_not_approve_their_own_message(world: World) -> None:
    """Four eyes is a refusal (403 over HTTP), on record, and the draft stays a draft."""
    with transaction(world.engine) as conn:
        own = service.draft(conn, actor("supervisor.in"), world.settings, _new_draft(world, "s"))
    with pytest.raises(RefusedError) as refused, transaction(world.engine) as conn:
        service.approve(conn, actor("supervisor.in"), world.settings, own.id)
    assert refused.value.field == "approver"
    with pytest.raises(RefusedError) as refused, transaction(world.engine) as conn:
        service.decide(conn, actor("supervisor.in"), own.id, cleared=True, reasoning="mine")
    assert refused.value.field == "decider"
    records = _records(world.engine, "supervisor.in")[-2:]
    assert [r.outcome for r in records] == ["refused", "refused"]
    assert _subject(records[0]) == {
        "message approve": own.id,
        "refused": "the author may not approve their own message",
    }
    with world.engine.connect() as conn:
        found = load_message(conn, own.id)
    assert found is not None and found.status is Status.DRAFT


@pytest.mark.parametrize("step", ["show", "take_up", "close", "answer", "send"])
def test_a_message_outside_the_actors_cases_is_not_there(world: World, step: str) -> None:
    """An investigator outside case c1 is told "no message" for a message of c1 just as
    for one that does not exist; each attempt is a refusal on record, and nothing of
    the message is in it."""
    who = actor("investigator.out")
    calls: dict[str, Callable[[Connection, str], object]] = {
        "show": lambda conn, m: service.show_message(conn, who, m),
        "take_up": lambda conn, m: service.take_up(conn, who, m),
        "close": lambda conn, m: service.close(conn, who, m),
        "answer": lambda conn, m: service.answer(conn, who, world.settings, m, text="x"),
        "send": lambda conn, m: service.send(conn, who, world.keys, m),
    }
    target = world.incoming_id if step in ("take_up", "answer") else world.draft_id
    answers = []
    for message_id in (target, "no-such-message"):
        with pytest.raises(NotFoundError) as missing, transaction(world.engine) as conn:
            calls[step](conn, message_id)
        answers.append(str(missing.value).replace(message_id, "ID"))
    assert answers[0] == answers[1] == "no message 'ID'"
    records = _records(world.engine, "investigator.out")
    assert [r.outcome for r in records] == ["refused", "refused"]
    text = "".join(r.subject for r in records)
    assert INCOMING_SECRET not in text and DRAFT_SECRET not in text
    with world.engine.connect() as conn:
        for message_id in (world.draft_id, world.incoming_id):
            found = load_message(conn, message_id)
            assert found is not None and found.status in (Status.DRAFT, Status.RECEIVED)


def test_a_member_sees_the_body_but_only_the_statements_its_role_may_read(world: World) -> None:
    with transaction(world.engine) as conn:
        analyst = service.show_message(conn, actor("analyst.in"), world.draft_id)
        investigator = service.show_message(conn, actor("investigator.in"), world.draft_id)
    assert analyst.body["text"] == DRAFT_SECRET
    names = {s["value"] for s in investigator.body["statements"] if s["prop"] == "name"}
    assert VICTIM_NAME in names
    assert VICTIM_NAME not in orjson.dumps(analyst.as_dict()).decode()
    [seen] = _records(world.engine, "analyst.in")
    assert seen.action == "view" and seen.entities == [SUSPECT]


def test_lists_show_only_what_the_actor_sees(world: World) -> None:
    with transaction(world.engine) as conn:
        outside = service.list_messages(conn, actor("investigator.out"))
        member = service.list_messages(conn, actor("analyst.in"))
        incoming_only = service.list_messages(conn, actor("liaison.desk"), direction="in")
        due = service.list_messages(conn, actor("liaison.desk"), due_within=24 * 3)
        not_yet = service.list_messages(conn, actor("liaison.desk"), due_within=24)
        due_outside = service.list_messages(conn, actor("investigator.out"), due_within=24 * 3)
        late = service.list_messages(conn, actor("analyst.in"), overdue=True)
    assert outside == [] and due_outside == [] and not_yet == [] and late == []
    assert {m.id for m in member} == {world.draft_id, world.incoming_id}
    assert [m.id for m in incoming_only] == [world.incoming_id]
    assert [m.id for m in due] == [world.incoming_id]
    with pytest.raises(RefusedError), transaction(world.engine) as conn:
        service.list_messages(conn, actor("auditor.a"), overdue=True)
    assert [r.outcome for r in _records(world.engine, "auditor.a")] == ["refused"]


def test_an_author_without_the_case_still_sees_their_own_draft(world: World) -> None:
    request = Draft(kind=Kind.SPONTANEOUS, receiver=THEM, subject="no case")
    with transaction(world.engine) as conn:
        made = service.draft(conn, actor("investigator.out"), world.settings, request)
        shown = service.show_message(conn, actor("investigator.out"), made.id)
    assert shown.item.id == made.id
    with pytest.raises(NotFoundError), transaction(world.engine) as conn:
        service.show_message(conn, actor("analyst.in"), made.id)


def test_statistics_are_for_the_exchange_desk(world: World) -> None:
    with transaction(world.engine) as conn:
        figures = service.statistics(conn, actor("liaison.desk"))
    assert figures["requests"]["received"]["total"] == 1
    for name in ("analyst.in", "admin.one"):
        with pytest.raises(RefusedError), transaction(world.engine) as conn:
            service.statistics(conn, actor(name))
        assert [r.outcome for r in _records(world.engine, name)] == ["refused"]


def test_taking_up_and_closing_are_on_record(world: World) -> None:
    with transaction(world.engine) as conn:
        taken = service.take_up(conn, actor("analyst.in"), world.incoming_id)
        closed = service.close(conn, actor("analyst.in"), world.incoming_id, "done")
    assert taken.status is Status.IN_PROGRESS and closed.status is Status.CLOSED
    subjects = [_subject(r) for r in _records(world.engine, "analyst.in")]
    assert subjects == [
        {"message take up": world.incoming_id},
        {"message close": world.incoming_id},
    ]


def test_a_correction_of_an_entity_the_actor_may_not_see_finds_no_entity(world: World) -> None:
    with transaction(world.engine) as conn:
        service.approve(conn, actor("supervisor.two"), world.settings, world.draft_id)
        service.send(conn, actor("investigator.in"), world.keys, world.draft_id)
    no_entity = pytest.raises(NotFoundError, match="no entity 'p-suspect'")
    with no_entity, transaction(world.engine) as conn:
        service.change_sent(conn, actor("investigator.out"), world.settings,
                            Kind.RETRACTION, [SUSPECT], "wrong person")  # fmt: skip
    assert [r.outcome for r in _records(world.engine, "investigator.out")] == ["refused"]
    with transaction(world.engine) as conn:
        made = service.change_sent(conn, actor("investigator.in"), world.settings,
                                   Kind.RETRACTION, [SUSPECT], "wrong person")  # fmt: skip
    assert [m.receiver for m in made] == [THEM]


def test_partners_are_registered_by_an_administrator(world: World) -> None:
    other = world.partner_keys.signing_public
    for name in ("liaison.desk", "supervisor.in"):
        with pytest.raises(RefusedError), transaction(world.engine) as conn:
            service.add_partner(conn, actor(name), "md-igp", "https://md.example", other,
                                name="Moldovan police", country="MD")  # fmt: skip
    with transaction(world.engine) as conn:
        made = service.add_partner(conn, actor("admin.one"), "md-igp", "https://md.example",
                                   other, name="Moldovan police", country="MD")  # fmt: skip
        listed = service.list_partners(conn, actor("analyst.in"))
    assert made.agency_id == "md-igp" and [p.agency_id for p in listed] == ["bg-thb", "md-igp"]
    subjects = [_subject(r) for r in _records(world.engine, "admin.one")]
    assert subjects[-1] == {"partner add": "md-igp", "address": "https://md.example"}
    with pytest.raises(RefusedError), transaction(world.engine) as conn:
        service.list_partners(conn, actor("auditor.a"))
    # A local operator (development mode, or a store being set up) may.
    with transaction(world.engine) as conn:
        identity = service.identity(conn, Actor.operator("root", origin="cli"), world.settings)
    assert identity["signing_key"] == world.keys.signing_public


def test_a_forged_envelope_is_refused_on_record_and_leaves_nothing(world: World) -> None:
    body = {"kind": "spontaneous", "reference": "BG-2", "subject": "x", "statements": []}
    forged = incoming(world.keys, world.keys, "in-forged", body)  # signed with our key
    forgery = pytest.raises(service.EnvelopeRefusedError)
    with forgery as refused, transaction(world.engine) as conn:
        service.receive(conn, "api@10.0.0.9", forged, world.keys, world.settings)
    assert refused.value.status == 401 and refused.value.field == "signature"
    with world.engine.connect() as conn:
        assert load_message(conn, "in-forged") is None
    [record] = _records(world.engine, f"partner:{THEM}")[-1:]
    assert record.outcome == "refused" and record.origin == "api@10.0.0.9"
