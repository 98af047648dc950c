"""The check log's writer process: workers' requests logged together, none lost or mixed up."""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from nitka.access.audit import AuditError, by_actor, verify
from nitka.screen.audit import CheckContext
from nitka.screen.log_client import RemoteRecorder
from nitka.screen.log_wire import frame, unframe
from nitka.screen.log_writer import WriterProcess
from nitka.screen.recorder import CheckLogError, Request
from nitka.screen.service import Screener
from nitka.store.tables import check_log, owner_notice
from tests.helpers import WATCH_LISTS

LISTED = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
UNKNOWN = {"schema": "Person", "properties": {"name": ["Ivanna Zhyvotovska"]}}


def _context(n: int, channel: str = "test") -> CheckContext:
    return CheckContext(user=f"officer.{n}", purpose=f"crossing {n}", channel=channel)


@pytest.fixture
def writer(listed: Engine) -> Iterator[WriterProcess]:
    started = WriterProcess(listed)
    yield started
    started.stop()


def test_messages_split_anywhere_come_out_whole() -> None:
    messages = [(n, {"name": "Олександр" * n}) for n in range(5)]
    stream = b"".join(frame(message) for message in messages)
    buffer = bytearray()
    found = []
    for start in range(0, len(stream), 7):
        buffer += stream[start : start + 7]
        found += list(unframe(buffer))
    assert found == messages and not buffer


def test_two_workers_requests_are_logged_with_their_own_ids(
    listed: Engine, writer: WriterProcess
) -> None:
    """Two workers (each its own connection, each with many threads) write through one
    writer."""
    screener = Screener(listed, WATCH_LISTS)
    results: dict[int, list[list[int | None]]] = {}

    def worker(number: int) -> None:
        recorder = RemoteRecorder(writer.path)

        def one(n: int) -> list[int | None]:
            request = Request(_context(n), screener.answer([LISTED, UNKNOWN]))
            recorder.write(request)
            return [answer.log_id for answer in request.answers]

        try:
            with ThreadPoolExecutor(8) as pool:
                results[number] = list(pool.map(one, (number * 100 + n for n in range(30))))
        finally:
            recorder.close()

    threads = [threading.Thread(target=worker, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [i for ids in results.values() for request in ids for i in request]
    assert None not in flat and len(set(flat)) == 120
    with listed.connect() as conn:
        users = dict(conn.execute(select(check_log.c.id, check_log.c.user)).all())
        notices = conn.execute(select(func.count()).select_from(owner_notice)).scalar_one()
        assert verify(conn).intact
        (audit,) = by_actor(conn, "officer.207")
        assert audit.purpose == "crossing 207"
    assert len(users) == 120 and notices == 60
    for number, ids in results.items():
        for n, request in enumerate(ids):
            assert {users[i] for i in request if i is not None} == {f"officer.{number * 100 + n}"}


def test_a_request_that_cannot_be_logged_fails_alone_with_its_own_error(
    listed: Engine, writer: WriterProcess
) -> None:
    screener = Screener(listed, WATCH_LISTS)
    recorder = RemoteRecorder(writer.path)
    requests = [
        Request(context, screener.answer([LISTED]))
        for context in (_context(1), _context(2, channel=""), _context(3))
    ]
    try:
        with ThreadPoolExecutor(3) as pool:
            futures = [pool.submit(recorder.write, r) for r in requests]
        first, second, third = [f.exception() for f in futures]
    finally:
        recorder.close()
    assert first is None and third is None
    assert isinstance(second, AuditError) and second.field == "origin"
    assert requests[1].answers[0].log_id is None
    with listed.connect() as conn:
        users = conn.execute(select(check_log.c.user).order_by(check_log.c.id)).scalars().all()
        assert verify(conn).intact
    assert users == ["officer.1", "officer.3"]


def test_with_the_writer_gone_a_request_fails_instead_of_waiting(
    listed: Engine, writer: WriterProcess
) -> None:
    screener = Screener(listed, WATCH_LISTS)
    recorder = RemoteRecorder(writer.path)
    writer.stop()
    request = Request(_context(1), screener.answer([UNKNOWN]))
    with pytest.raises(CheckLogError, match="cannot be reached"):
        recorder.write(request)
    assert request.answers[0].log_id is None
    with listed.connect() as conn:
        assert conn.execute(select(func.count()).select_from(check_log)).scalar_one() == 0


def test_the_writer_stops_when_the_serving_process_dies(listed: Engine, tmp_path: Path) -> None:
    """Killed outright, a server leaves no writer behind holding the store."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from nitka.screen.log_writer import WriterProcess
        from nitka.store.db import make_engine
        writer = WriterProcess(make_engine({listed.url.render_as_string(False)!r}))
        print(writer.process.pid, flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    assert parent.stdout is not None
    writer_pid = int(parent.stdout.readline())
    assert Path(f"/proc/{writer_pid}").exists()
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while _running(writer_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(writer_pid)


def _running(pid: int) -> bool:
    """Alive and not a zombie (its parent gone, init reaps it)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_writer_that_dies_is_replaced_and_workers_connect_to_the_new_one(
    listed: Engine, writer: WriterProcess
) -> None:
    """Meanwhile a request fails with ``CheckLogError`` (the API's 503), unlogged."""
    screener = Screener(listed, WATCH_LISTS)
    recorder = RemoteRecorder(writer.path)
    try:
        before = Request(_context(1), screener.answer([LISTED]))
        recorder.write(before)
        old = writer.process.pid
        os.kill(old, signal.SIGKILL)
        writer.process.wait()
        refused = Request(_context(2), screener.answer([LISTED]))
        with pytest.raises(CheckLogError):
            recorder.write(refused)
        assert refused.answers[0].log_id is None
        assert writer.replace_if_stopped() and writer.process.pid != old
        assert not writer.replace_if_stopped(), "a running writer is left alone"
        after = Request(_context(3), screener.answer([LISTED]))
        recorder.write(after)
    finally:
        recorder.close()
    with listed.connect() as conn:
        users = conn.execute(select(check_log.c.user).order_by(check_log.c.id)).scalars().all()
        assert verify(conn).intact
    assert users == ["officer.1", "officer.3"]
    assert after.answers[0].log_id is not None


def test_coroutines_on_one_event_loop_are_logged_with_their_own_ids(
    listed: Engine, writer: WriterProcess
) -> None:
    """The API's coroutines await their logs on the event loop's own connection; a
    request that cannot be logged fails alone, and the others keep their ids."""
    screener = Screener(listed, WATCH_LISTS)
    recorder = RemoteRecorder(writer.path)
    requests = [Request(_context(n), screener.answer([LISTED, UNKNOWN])) for n in range(40)]
    bad = Request(_context(99, channel=""), screener.answer([LISTED]))

    async def all_of_them() -> list[BaseException | None]:
        written = [recorder.write_async(r) for r in [*requests, bad]]
        try:
            return list(await asyncio.gather(*written, return_exceptions=True))
        finally:
            await recorder.aclose()

    outcomes = asyncio.run(all_of_them())
    assert outcomes[:-1] == [None] * 40
    assert isinstance(outcomes[-1], AuditError) and outcomes[-1].field == "origin"
    with listed.connect() as conn:
        users = dict(conn.execute(select(check_log.c.id, check_log.c.user)).all())
        assert verify(conn).intact
    assert len(users) == 80
    for n, request in enumerate(requests):
        assert {users[a.log_id] for a in request.answers if a.log_id} == {f"officer.{n}"}
        assert all(a.log_id is not None for a in request.answers)


def test_with_the_writer_gone_a_coroutine_fails_instead_of_waiting(
    listed: Engine, writer: WriterProcess
) -> None:
    screener = Screener(listed, WATCH_LISTS)
    recorder = RemoteRecorder(writer.path)

    async def logged(request: Request) -> None:
        try:
            await recorder.write_async(request)
        finally:
            await recorder.aclose()

    asyncio.run(logged(Request(_context(1), screener.answer([LISTED]))))
    writer.stop()
    refused = Request(_context(2), screener.answer([UNKNOWN]))
    with pytest.raises(CheckLogError):
        asyncio.run(logged(refused))
    assert refused.answers[0].log_id is None
    with listed.connect() as conn:
        users = conn.execute(select(check_log.c.user)).scalars().all()
    assert users == ["officer.1"]
