"""The check log written by a process of its own, for every worker of ``nitka serve``.

A server logs every check before it answers (Directive 2016/680 Art. 25).
Written from a thread of the answering process (``nitka.screen.recorder``),
the log's Python work (rows, the audit chain's hashes, the driver) holds the
interpreter lock a third of the time at a thousand requests a second, and the
checks wait for it. Written from several workers on SQLite, the workers also
queue for the one write lock, and SQLite's busy handler lets a waiting writer
sleep for milliseconds at a time. So ``nitka serve`` starts one writer
process: workers hand it each request's checks as plain values over a Unix
socket, it writes whatever has arrived in one transaction (a group commit)
and tells each worker its log ids. A request is still answered only after
its checks are committed, and a request that cannot be logged still fails
alone, with the error it would have had in process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import pickle
import selectors
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, event

from nitka.errors import FieldError
from nitka.screen.audit import AuditError, Check, CheckContext, LoggedHit
from nitka.screen.recorder import (
    MAX_GROUP,
    CheckLogError,
    LoggedRequest,
    Request,
    write_logged,
)

URL_VARIABLE = "NITKA_LOG_WRITER_URL"
"""How the writer gets the store's address (not on its command line, where ``ps`` shows it)."""
START_SECONDS = 60.0
PARENT_CHECK_SECONDS = 1.0
CHECKPOINT_SECONDS = 0.5
LINGER_SECONDS = 0.003
_LENGTH = struct.Struct("!I")
_log = logging.getLogger(__name__)

Reply = tuple[int, list[int] | None, tuple[str, str, str] | None]
"""A request's sequence number, and its log ids or its error (kind, message, field)."""


def frame(payload: object) -> bytes:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def unframe(buffer: bytearray) -> Iterator[Any]:
    """The whole messages at the start of the buffer, taken out of it.

    Pickles are safe here because both ends are this server's own processes:
    the socket lies in a folder that only the server's user can open
    (``tempfile.mkdtemp``).
    """
    while len(buffer) >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer)
        end = _LENGTH.size + length
        if len(buffer) < end:
            return
        message = pickle.loads(buffer[_LENGTH.size : end])
        del buffer[:end]
        yield message


# What crosses the socket: plain tuples, which pickle some five times faster
# than the named tuples and dataclasses they are made from.
Wire = tuple[
    tuple[str, str, str, str],
    bool,
    list[tuple[Any, list[tuple[str, tuple[str, ...], tuple[str, ...], float]], str | None]],
]


def to_wire(request: Request) -> Wire:
    """The request's context and checks, as ``LoggedRequest`` keeps them, in plain tuples."""
    context = request.context
    return (
        (context.user, context.purpose, context.channel, context.origin),
        request.audited,
        [
            (
                answer.query,
                [
                    (hit.entry.id, hit.entry.lists, hit.entry.records, hit.score)
                    for hit in (answer.result.hits if answer.result is not None else ())
                ],
                str(answer.error) if answer.error is not None else None,
            )
            for answer in request.answers
        ],
    )


def from_wire(wire: Wire) -> LoggedRequest:
    (user, purpose, channel, origin), audited, checks = wire
    context = CheckContext(user, purpose, channel, origin)
    return LoggedRequest(
        context,
        tuple(
            Check(context, query, tuple(LoggedHit(*hit) for hit in hits), error)
            for query, hits, error in checks
        ),
        audited,
    )


# The writer process.


class GroupWriter:
    """Writes groups of requests on one connection, kept for the writer's life."""

    def __init__(self, engine: Engine, checkpointer: Checkpointer | None = None) -> None:
        self.engine = engine
        self.checkpointer = checkpointer
        self._conn: Connection | None = None

    def write(self, group: Sequence[tuple[int, LoggedRequest]]) -> list[Reply]:
        """Write the requests in one transaction; if that fails, one by one, so that
        only the request at fault fails."""
        try:
            written = self._write([request for _, request in group])
        except Exception as error:
            if len(group) == 1:
                return [(group[0][0], None, _describe(error))]
            return [reply for one in group for reply in self.write([one])]
        return [(seq, log_ids, None) for (seq, _), log_ids in zip(group, written, strict=True)]

    def _write(self, requests: list[LoggedRequest]) -> list[list[int]]:
        if self._conn is None:
            self._conn = self.engine.connect()
        try:
            with self._conn.begin():
                written = write_logged(self._conn, requests)
        except Exception:
            # Rolled back; a connection the database dropped is replaced.
            if self._conn.invalidated or self._conn.closed:
                self._conn = None
            raise
        if self.checkpointer is not None:
            # Written is written: a checkpoint that fails is tried again later.
            with contextlib.suppress(Exception):
                self.checkpointer.catch_up(self._conn)
        return written

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _describe(error: Exception) -> tuple[str, str, str]:
    """What the worker is told: a field error as it is; of anything else, only that
    the log failed (the database's own message, with its SQL and values, is
    for the operator's log, not for the client)."""
    if isinstance(error, FieldError):
        return type(error).__name__, error.message, error.field
    _log.error("the check log could not be written: %s", error)
    return type(error).__name__, "", ""


def serve_writer(writer: GroupWriter, listener: socket.socket, parent: int) -> None:
    """Answer workers on ``listener`` until the parent process is gone.

    Requests that arrive within ``LINGER_SECONDS`` of the first one waiting
    are written together: a transaction costs about as much for one request
    as for ten, and its pages go to the write-ahead log once.
    """
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    buffers: dict[socket.socket, bytearray] = {}
    waiting: list[tuple[socket.socket, int, LoggedRequest]] = []
    due = 0.0
    while os.getppid() == parent:
        timeout = max(0.0, due - time.monotonic()) if waiting else PARENT_CHECK_SECONDS
        for key, _ in selector.select(timeout=timeout):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            if sock is listener:
                worker, _ = listener.accept()
                selector.register(worker, selectors.EVENT_READ)
                buffers[worker] = bytearray()
                continue
            data = sock.recv(1 << 20)
            if not data:
                selector.unregister(sock)
                del buffers[sock]
                sock.close()
                continue
            buffer = buffers[sock]
            buffer += data
            if not waiting:
                due = time.monotonic() + LINGER_SECONDS
            waiting += [(sock, seq, from_wire(wire)) for seq, wire in unframe(buffer)]
        if waiting and (len(waiting) >= MAX_GROUP or time.monotonic() >= due):
            _write_and_reply(writer, waiting[:MAX_GROUP])
            del waiting[:MAX_GROUP]
            due = time.monotonic()


def _write_and_reply(
    writer: GroupWriter, group: list[tuple[socket.socket, int, LoggedRequest]]
) -> None:
    replies = writer.write([(seq, request) for _, seq, request in group])
    by_worker: dict[socket.socket, list[bytes]] = {}
    for (sock, _, _), reply in zip(group, replies, strict=True):
        by_worker.setdefault(sock, []).append(frame(reply))
    for sock, frames in by_worker.items():
        # A worker that has gone away no longer waits for its answers.
        with contextlib.suppress(OSError):
            sock.sendall(b"".join(frames))


class Checkpointer:
    """Keeps a SQLite store's write-ahead log short without stopping the writer.

    The store checkpoints its log once it holds 256 MiB (``nitka.store.db``),
    which suits an ingest. A writer committing a few rows hundreds of times a
    second would then keep a log of hundreds of megabytes, which every reader
    (the workers' document lookups) searches, and stop for a quarter of a
    second, every request waiting for its log, while it copies the log back.
    Here the writer's commits leave the log alone. A thread copies what has
    been committed every ``every`` seconds, beside the commits; then the
    writer, between two groups, copies the little committed meanwhile, so
    that its next transaction finds the log all copied and starts it afresh
    (SQLite rewinds the log only then).
    """

    def __init__(self, engine: Engine, every: float = CHECKPOINT_SECONDS) -> None:
        self.engine = engine
        self.every = every
        self._copied = threading.Event()
        event.listen(engine, "connect", _no_checkpoint_on_commit)
        threading.Thread(target=self._run, name="nitka-checkpoint", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            with contextlib.suppress(Exception), self.engine.connect() as conn:
                _checkpoint(conn)
                self._copied.set()

    def catch_up(self, conn: Connection) -> None:
        """Between groups: copy what was committed since the thread's last copy."""
        if self._copied.is_set():
            self._copied.clear()
            _checkpoint(conn)


def _no_checkpoint_on_commit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _checkpoint(conn: Connection) -> None:
    # On the driver's connection: SQLite runs a checkpoint outside any
    # transaction, and SQLAlchemy's connection then stays as it was.
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA wal_checkpoint(PASSIVE)")


def main() -> None:
    """``python -m nitka.screen.log_writer SOCKET``: the store's URL in ``URL_VARIABLE``."""
    from nitka.store.db import make_engine

    path = sys.argv[1]
    parent = os.getppid()
    engine = make_engine(os.environ[URL_VARIABLE])
    checkpointer = Checkpointer(engine) if engine.dialect.name == "sqlite" else None
    writer = GroupWriter(engine, checkpointer)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    Path(path + ".tmp").unlink(missing_ok=True)  # left by a writer that died starting
    listener.bind(path + ".tmp")
    listener.listen(64)
    # Renamed once listening, so that the path's existence means ready.
    Path(path + ".tmp").rename(path)
    try:
        serve_writer(writer, listener, parent)
    except KeyboardInterrupt:
        pass
    finally:
        writer.close()
        engine.dispose()


# The workers' side.


class LogWriter:
    """The writer process, started by the serving process before it forks its workers.

    If it dies (killed, out of memory), checks are refused with a 503 until
    ``watch`` has started a new one on the same socket, within a second or
    two; the workers connect to it again by themselves.
    """

    def __init__(self, engine: Engine) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="nitka-log-"))
        self.path = self.folder / "writer.sock"
        self._env = {**os.environ, URL_VARIABLE: engine.url.render_as_string(hide_password=False)}
        self._stopped = threading.Event()
        try:
            self.process = self._spawn()
        except RuntimeError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    @classmethod
    def start(cls, engine: Engine) -> LogWriter:
        return cls(engine)

    def _spawn(self) -> subprocess.Popen[bytes]:
        """Start a writer and wait until it listens on ``path``."""
        self.path.unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "nitka.screen.log_writer", str(self.path)], env=self._env
        )
        deadline = time.monotonic() + START_SECONDS
        while not self.path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                _end(process)
                raise RuntimeError("the check log writer did not start")
            time.sleep(0.02)
        return process

    def watch(self) -> None:
        """Start a new writer whenever the running one has stopped (in a thread of the
        serving process, started after it forked its workers)."""

        def run() -> None:
            while not self._stopped.wait(PARENT_CHECK_SECONDS):
                if self.process.poll() is None:
                    continue
                sys.stderr.write(
                    f"nitka: the check log writer stopped ({self.process.returncode}); "
                    "starting a new one\n"
                )
                with contextlib.suppress(RuntimeError):
                    self.process = self._spawn()

        threading.Thread(target=run, name="nitka-log-writer-watch", daemon=True).start()

    def recorder(self) -> RemoteRecorder:
        return RemoteRecorder(self.path)

    def stop(self) -> None:
        self._stopped.set()
        _end(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Channel(asyncio.Protocol):
    """One worker's connection to the writer: requests out, replies matched by number."""

    def __init__(self) -> None:
        self.transport: asyncio.WriteTransport | None = None
        self.buffer = bytearray()
        self.waiting: dict[int, asyncio.Future[list[int]]] = {}
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio's classes, only alike.
        self.transport = cast(asyncio.WriteTransport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        for seq, log_ids, error in unframe(self.buffer):
            future = self.waiting.pop(seq, None)
            if future is None or future.done():
                continue
            if error is None:
                future.set_result(log_ids)
            else:
                future.set_exception(_rebuilt(*error))

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(CheckLogError("the check log writer stopped"))
        self.waiting.clear()


def _rebuilt(kind: str, message: str, field_name: str) -> Exception:
    """The error the request would have had in process."""
    if kind == AuditError.__name__:
        return AuditError(message, field=field_name)
    if field_name:
        return FieldError(message, field=field_name)
    return CheckLogError("the check log could not be written")


@dataclass
class RemoteRecorder:
    """Logs a worker's requests through the writer process (same use as ``Recorder``)."""

    path: Path
    _numbers: Iterator[int] = field(default_factory=itertools.count)
    _connecting: asyncio.Task[_Channel] | None = None
    _owner: tuple[int, asyncio.AbstractEventLoop] | None = None

    async def write(self, request: Request) -> None:
        """Return once the request is logged; raise what stopped its logging."""
        channel = await self._connected()
        seq = next(self._numbers)
        future: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        channel.waiting[seq] = future
        assert channel.transport is not None
        channel.transport.write(frame((seq, to_wire(request))))
        request.set_log_ids(await future)

    async def close(self) -> None:
        """Close this event loop's connection (a server's ends with its process)."""
        connecting, self._connecting = self._connecting, None
        if connecting is None or _unusable(connecting) or not connecting.done():
            return
        transport = connecting.result().transport
        if transport is not None:
            transport.close()
            await asyncio.sleep(0)  # the loop closes the socket on its next turn

    async def _connected(self) -> _Channel:
        """This process's and this event loop's connection (a forked worker opens its own;
        requests that arrive while it opens wait for the same one)."""
        loop = asyncio.get_running_loop()
        owner = (os.getpid(), loop)
        connecting = self._connecting
        if connecting is None or self._owner != owner or _unusable(connecting):
            self._owner = owner
            connecting = self._connecting = loop.create_task(self._connect(loop))
        return await connecting

    async def _connect(self, loop: asyncio.AbstractEventLoop) -> _Channel:
        try:
            _, channel = await loop.create_unix_connection(_Channel, str(self.path))
        except OSError as error:
            _log.error("the check log writer cannot be reached: %s", error)
            raise CheckLogError("the check log writer cannot be reached") from error
        return channel


def _unusable(connecting: asyncio.Task[_Channel]) -> bool:
    if not connecting.done():
        return False
    return connecting.cancelled() or connecting.exception() is not None or connecting.result().lost


if __name__ == "__main__":
    main()
