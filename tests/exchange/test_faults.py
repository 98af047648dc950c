"""Faults, as the exchange will meet them: a receiver that is down, killed in the
middle of a stream and restarted; duplicated, replayed, tampered, forged and
misaddressed deliveries. Zero lost, zero doubled, every refusal logged."""

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from nitka.access.accounts import find_account
from nitka.access.audit import iter_records
from nitka.access.visibility import Viewer
from nitka.exchange.delivery import pending
from nitka.exchange.envelope import check_receipt, wrap
from nitka.exchange.keys import InstanceKeys, load_or_create
from nitka.exchange.kinds import Kind
from nitka.exchange.receive import Accepted, accept_batch
from nitka.exchange.workflow import Draft, approve, draft, send
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.tables import message, outbox, statement
from tests.exchange.agencies import KYIV, SOFIA, Agency, make_agency, make_partners, wait_for


@pytest.fixture
def agencies(
    engine: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> Iterator[tuple[Agency, Agency]]:
    sofia_engine = make_engine(second_database_url)
    kyiv = make_agency(KYIV, engine, database_url, tmp_path, "2026-THB-017")
    sofia = make_agency(SOFIA, sofia_engine, second_database_url, tmp_path, "BG-THB-88")
    make_partners(kyiv, sofia)
    yield kyiv, sofia
    sofia_engine.dispose()


def _body(reference: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "spontaneous",
        "reference": reference,
        "subject": "A recruiter's new number",
        "priority": "normal",
        "statements": [
            {
                "entity_id": "p-1",
                "schema": "Person",
                "prop": "phone",
                "value": "+380501234567",
                "reliability": "B",
                "credibility": "2",
                "category": "suspect",
                "handling": "H1",
            }
        ],
    }
    body.update(changes)
    return body


def _envelope(keys: InstanceKeys, message_id: str, body: dict[str, Any], **header: str) -> Any:
    fields = {"sender": KYIV, "receiver": SOFIA, **header}
    return wrap(
        keys,
        message_id=message_id,
        sender=fields["sender"],
        receiver=fields["receiver"],
        sent_at="2026-11-23T10:00:00+00:00",
        body=body,
    )


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_bad_deliveries_are_refused_and_a_message_is_taken_in_once(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    kyiv, sofia = agencies
    kyiv_keys, sofia_keys = load_or_create(kyiv.keys_dir), load_or_create(sofia.keys_dir)
    inbox = f"{sofia.url}/exchange/inbox"
    good = _envelope(kyiv_keys, "m-1", _body("UA-1"))
    with sofia.running(tmp_path):
        first = httpx.post(inbox, json=good)
        assert first.status_code == 200, first.text
        check_receipt(first.json(), sofia_keys.signing_public, "m-1", SOFIA)
        assert first.json()["duplicate"] is False
        stored = _count(sofia.engine, statement)
        # The same envelope again (a retry, or a replay): acknowledged, not applied.
        for _ in range(3):
            again = httpx.post(inbox, json=good)
            assert again.status_code == 200 and again.json()["duplicate"] is True
        assert _count(sofia.engine, message) == 1 and _count(sofia.engine, statement) == stored

        unknown = {"entity_id": "p-1", "schema": "Person", "prop": "wingspan", "value": "2 m"}
        wingspan = _body("UA-5", statements=[unknown])
        wrong_hash = {"name": "a.txt", "content": "aGVsbG8=", "sha256": "0" * 64}
        mismatch = _body("UA-6", attachments=[wrong_hash])
        undated = _body("UA-7", deadline="by Friday")
        long_id = _body("UA-8", statements=[{**unknown, "prop": "name", "entity_id": "x" * 300}])
        tampered = {**good, "body": good["body"][:-8] + ("A" * 8)}
        forger = InstanceKeys(load_or_create(tmp_path / "forger").signing, kyiv_keys.encryption)
        refusals = {
            "tampered": (tampered, 401, "signature"),
            "forged": (_envelope(forger, "m-2", _body("UA-2")), 401, "signature"),
            "misaddressed": (
                _envelope(kyiv_keys, "m-3", _body("UA-3"), receiver="md-police"),
                400,
                "receiver",
            ),
            "stranger": (_envelope(forger, "m-4", _body("X-4"), sender="xx-police"), 401, "sender"),
            "bad statement": (_envelope(kyiv_keys, "m-5", wingspan), 400, "statements[0].prop"),
            "bad attachment": (_envelope(kyiv_keys, "m-6", mismatch), 400, "attachments[0]"),
            "bad deadline": (_envelope(kyiv_keys, "m-7", undated), 400, "deadline"),
            "long id": (_envelope(kyiv_keys, "m-8", long_id), 400, "statements[0].entity_id"),
        }
        for name, (envelope, status, field) in refusals.items():
            answer = httpx.post(inbox, json=envelope)
            assert answer.status_code == status, (name, answer.text)
            assert answer.json()["detail"]["field"] == field, name
    # Nothing of a refused message was kept.
    assert _count(sofia.engine, message) == 1 and _count(sofia.engine, statement) == stored
    with sofia.engine.connect() as conn:
        refused = [r for r in iter_records(conn) if r.outcome == "refused"]
    assert len(refused) == len(refusals), "every refusal is in the audit trail"


def _queue(kyiv: Agency, count: int) -> list[str]:
    """Draft, approve and send ``count`` messages in Kyiv's store, in one transaction."""
    keys = load_or_create(kyiv.keys_dir)
    settings = Settings(agency_id=KYIV, keys_dir=str(kyiv.keys_dir))
    ids = []
    with kyiv.engine.begin() as conn:
        officer = find_account(conn, "ua.officer")
        chief = find_account(conn, "ua.supervisor")
        assert officer is not None and chief is not None
        viewer = Viewer.of(conn, officer)
        for number in range(count):
            request = Draft(Kind.SPONTANEOUS, SOFIA, f"Sighting {number}", case="2026-THB-017")
            made = draft(conn, officer, viewer, settings, request)
            approve(conn, chief, made.id, settings)
            send(conn, officer, made.id, keys)
            ids.append(made.id)
    return ids


def _received(sofia: Agency) -> list[str]:
    with sofia.engine.connect() as conn:
        return list(conn.execute(select(message.c.id).where(message.c.direction == "in")).scalars())


def _undelivered(kyiv: Agency) -> int:
    return pending(kyiv.engine)


def test_a_receiver_down_killed_and_restarted_loses_and_doubles_nothing(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    kyiv, sofia = agencies
    with kyiv.running(tmp_path):
        # Sofia is down: the message waits in Kyiv's outbox, retried.
        first = _queue(kyiv, 1)
        wait_for(lambda: _last_error(kyiv, first[0]))
        assert _undelivered(kyiv) == 1
        with sofia.running(tmp_path) as service:
            wait_for(lambda: _undelivered(kyiv) == 0)
            assert _received(sofia) == first
            # Killed in the middle of a stream of messages.
            stream = _queue(kyiv, 600)
            wait_for(lambda: len(_received(sofia)) >= 2, seconds=60)
            os.kill(service.pid, signal.SIGKILL)
        left = _undelivered(kyiv)
        with sofia.running(tmp_path):
            wait_for(lambda: _undelivered(kyiv) == 0, seconds=120)
    received = _received(sofia)
    assert sorted(received) == sorted(first + stream), "none lost"
    assert len(received) == len(set(received)), "none doubled"
    assert left > 0, "the receiver was killed with messages still to deliver"


def _last_error(agency: Agency, message_id: str) -> str | None:
    with agency.engine.connect() as conn:
        found = conn.execute(
            select(outbox.c.last_error).where(outbox.c.message_id == message_id)
        ).scalar()
    return str(found) if found else None


def test_deliveries_out_of_order_end_as_if_in_order(agencies: tuple[Agency, Agency]) -> None:
    """A correction that overtakes what it corrects, and an answer before its request's
    receipt: the end state is the one of the right order."""
    kyiv, sofia = agencies
    kyiv_keys, sofia_keys = load_or_create(kyiv.keys_dir), load_or_create(sofia.keys_dir)
    settings = Settings(agency_id=SOFIA, keys_dir=str(sofia.keys_dir))

    def phone(entity_id: str, value: str) -> dict[str, str]:
        return {"entity_id": entity_id, "schema": "Person", "prop": "phone", "value": value}

    original = _body(
        "UA-10", statements=[phone("p-1", "+380501111111"), phone("p-2", "+380502222222")]
    )
    correction = _body(
        "UA-11",
        kind="correction",
        statements=[phone("p-1", "+380503333333")],
        targets={"messages": ["m-10"], "entities": ["p-1"]},
    )
    wires = [_envelope(kyiv_keys, "m-11", correction), _envelope(kyiv_keys, "m-10", original)]
    with sofia.engine.begin() as conn:
        results = accept_batch(conn, wires, sofia_keys, settings)
    assert [r.message_id for r in results if isinstance(r, Accepted)] == ["m-11", "m-10"]
    with sofia.engine.connect() as conn:
        rows = conn.execute(
            select(statement.c.entity_id, statement.c.value).where(statement.c.prop == "phone")
        )
        phones = {(entity_id, value) for entity_id, value in rows}
    assert phones == {("p-1", "+380503333333"), ("p-2", "+380502222222")}
