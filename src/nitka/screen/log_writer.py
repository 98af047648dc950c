"""The check log's writer: one process that writes every worker's checks, many to a commit.

A server logs every check before it answers (Directive 2016/680 Art. 25).
Written from each worker, the log's Python work (rows, the audit chain's
hashes, the driver) would hold the worker's interpreter lock while checks
wait, and on SQLite the workers would queue for the one write lock. So
``nitka serve`` starts this process beside its workers: they hand it each
request's checks (``nitka.screen.log_wire``) over a Unix socket
(``nitka.screen.log_client``), it writes whatever has arrived in one
transaction (a group commit) and tells each worker its log ids. A request
is still answered only after its checks are committed, and a request that
cannot be logged still fails alone, with the error it would have had in
process.

``WriterProcess`` is the serving process's handle on it: started before the
workers, replaced by the process manager's loop if it stops
(``replace_if_stopped``), ended with the server; it ends by itself, too,
once the process that started it is gone.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine

from nitka.screen.log_checkpoint import Checkpointer
from nitka.screen.log_wire import Reply, error_to_wire, frame, from_wire, unframe
from nitka.screen.recorder import MAX_GROUP, LoggedRequest, write_logged

URL_VARIABLE = "NITKA_LOG_WRITER_URL"
"""How the writer gets the store's address (not on its command line, where ``ps`` shows it)."""
START_SECONDS = 60.0
PARENT_CHECK_SECONDS = 1.0
LINGER_SECONDS = 0.003


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
                return [(group[0][0], None, error_to_wire(error))]
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


class WriterProcess:
    """The writer process of a server, on a socket in a private folder.

    If it dies (killed, out of memory), checks are refused with a 503 until
    ``replace_if_stopped`` has started a new one on the same socket; the
    workers connect to it again by themselves.
    """

    def __init__(self, engine: Engine) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="nitka-log-"))
        self.path = self.folder / "writer.sock"
        self._env = {**os.environ, URL_VARIABLE: engine.url.render_as_string(hide_password=False)}
        try:
            self.process = self._spawn()
        except RuntimeError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

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

    def replace_if_stopped(self) -> bool:
        """Start a new writer if the running one has stopped; whether it had."""
        if self.process.poll() is None:
            return False
        os.write(
            2,
            f"nitka: the check log writer stopped ({self.process.returncode}); "
            "starting a new one\n".encode(),
        )
        with contextlib.suppress(RuntimeError):
            self.process = self._spawn()
        return True

    def stop(self) -> None:
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


if __name__ == "__main__":
    main()
