"""Group commit of the check log: many requests to a transaction, none lost or mixed up."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from nitka.access.audit import AuditError, by_actor, verify
from nitka.screen.audit import CheckContext
from nitka.screen.recorder import Request, record
from nitka.screen.service import Screener
from nitka.store.tables import audit_log, check_log, owner_notice
from tests.helpers import WATCH_LISTS

LISTED = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
UNKNOWN = {"schema": "Person", "properties": {"name": ["Ivanna Zhyvotovska"]}}


def _context(n: int, channel: str = "test") -> CheckContext:
    return CheckContext(user=f"officer.{n}", purpose=f"crossing {n}", channel=channel)


def test_requests_written_together_keep_their_own_log_ids_and_audit_records(
    listed: Engine,
) -> None:
    screener = Screener(listed, WATCH_LISTS)
    requests = [
        Request(_context(n), screener.answer([LISTED if n % 2 else UNKNOWN, UNKNOWN]))
        for n in range(6)
    ]
    with listed.begin() as conn:
        record(conn, requests)
    ids = [answer.log_id for request in requests for answer in request.answers]
    assert None not in ids and len(set(ids)) == len(ids)
    with listed.connect() as conn:
        logged = dict(conn.execute(select(check_log.c.id, check_log.c.user)).all())
        notices = conn.execute(select(func.count()).select_from(owner_notice)).scalar_one()
        assert verify(conn).intact
        for n, request in enumerate(requests):
            assert {logged[a.log_id] for a in request.answers} == {f"officer.{n}"}
            (audit,) = by_actor(conn, f"officer.{n}")
            assert audit.purpose == f"crossing {n}"
            assert '"check_log":' + str([a.log_id for a in request.answers]).replace(" ", "") in (
                audit.subject.replace(" ", "")
            )
            assert bool(audit.entities) == bool(n % 2)
    assert notices == 3


def test_concurrent_requests_are_all_logged_before_they_are_answered(listed: Engine) -> None:
    screener = Screener(listed, WATCH_LISTS)

    def one(n: int) -> list[int | None]:
        answers = screener.screen_logged([LISTED, UNKNOWN], _context(n))
        return [answer.log_id for answer in answers]

    # Forty requests from sixteen threads, as the API's thread pool sends them.
    with ThreadPoolExecutor(16) as pool:
        log_ids = list(pool.map(one, range(40)))
    flat = [i for ids in log_ids for i in ids]
    assert None not in flat and len(set(flat)) == 80
    with listed.connect() as conn:
        assert conn.execute(select(func.count()).select_from(check_log)).scalar_one() == 80
        assert verify(conn).intact
        users = dict(conn.execute(select(check_log.c.id, check_log.c.user)).all())
    for n, ids in enumerate(log_ids):
        assert {users[i] for i in ids} == {f"officer.{n}"}


def test_a_request_that_cannot_be_logged_fails_alone(listed: Engine) -> None:
    """An audit record needs where the request came from; the others are still logged."""
    screener = Screener(listed, WATCH_LISTS)

    contexts = [_context(1), _context(2, channel=""), _context(3)]
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(screener.screen_logged, [LISTED], c) for c in contexts]
    first, second, third = futures
    error = second.exception()
    assert isinstance(error, AuditError) and error.field == "origin"
    with listed.connect() as conn:
        users = conn.execute(select(check_log.c.user).order_by(check_log.c.id)).scalars().all()
        actors = conn.execute(select(audit_log.c.actor)).scalars().all()
    assert users == ["officer.1", "officer.3"]
    assert "officer.2" not in actors
    assert all(answer.log_id is not None for answer in first.result())
    assert all(answer.log_id is not None for answer in third.result())


@pytest.mark.parametrize("count", [1, 3])
def test_audit_records_appended_together_form_one_chain(listed: Engine, count: int) -> None:
    screener = Screener(listed, WATCH_LISTS)
    for _ in range(2):
        with listed.begin() as conn:
            record(conn, [Request(_context(n), screener.answer([UNKNOWN])) for n in range(count)])
    with listed.connect() as conn:
        result = verify(conn)
    assert result.intact and result.records >= 2 * count
