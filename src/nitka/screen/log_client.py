"""A worker's side of the check log's writer (``nitka.screen.log_writer``).

Each worker process keeps one connection to the writer for its threads and
one for its event loop. Threads that answer requests send their requests'
checks on theirs and wait, each for its own reply (matched by sequence
number), which one reader thread hands out. Coroutines (the API's
``/screen``) send on the event loop's connection and await their replies,
which a task of that loop reads: no thread hand-over on the way back. A
writer that is gone fails every waiting request, and every request until it
is back, with ``CheckLogError``: the check is then not answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import socket
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from nitka.screen.log_wire import WireError, error_from_wire, frame, to_wire, unframe
from nitka.screen.recorder import CheckLogError, Request

REPLY_SECONDS = 30.0
"""How long a request waits for its log at most (a writer that hangs, not dies)."""
_log = logging.getLogger(__name__)


def _settle(
    future: Future[list[int]] | asyncio.Future[list[int]],
    log_ids: list[int] | None,
    error: WireError | None,
) -> None:
    """Hand a request its reply: its log ids, or what stopped its logging."""
    if error is None:
        assert log_ids is not None
        future.set_result(log_ids)
    else:
        future.set_exception(error_from_wire(error))


class _Channel:
    """One connection: requests out, replies matched by number by a reader thread."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.lock = threading.Lock()
        """Guards ``waiting`` and ``lost`` (held only briefly: the reader needs it)."""
        self.sending = threading.Lock()
        """One request on the socket at a time (a send may wait for the writer to read)."""
        self.numbers = itertools.count()
        self.waiting: dict[int, Future[list[int]]] = {}
        self.lost = False
        threading.Thread(target=self._read, name="nitka-log-client", daemon=True).start()

    def send(self, request: Request) -> Future[list[int]]:
        future: Future[list[int]] = Future()
        data = to_wire(request)
        with self.lock:
            if self.lost:
                raise CheckLogError("the check log writer stopped")
            seq = next(self.numbers)
            self.waiting[seq] = future
        try:
            with self.sending:
                self.sock.sendall(frame((seq, data)))
        except OSError:
            with self.lock:
                self._lose()
        # A writer that went away meanwhile has failed the future already.
        return future

    def _read(self) -> None:
        buffer = bytearray()
        while True:
            try:
                data = self.sock.recv(1 << 20)
            except OSError:
                data = b""
            if not data:
                with self.lock:
                    self._lose()
                return
            buffer += data
            for seq, log_ids, error in unframe(buffer):
                with self.lock:
                    future = self.waiting.pop(seq, None)
                if future is not None:
                    _settle(future, log_ids, error)

    def _lose(self) -> None:
        """Fail every waiting request (the caller holds ``lock``)."""
        if self.lost:
            return
        self.lost = True
        for future in self.waiting.values():
            future.set_exception(CheckLogError("the check log writer stopped"))
        self.waiting.clear()
        with contextlib.suppress(OSError):
            self.sock.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)


class _LoopChannel:
    """One connection used from one event loop: requests written by the coroutines
    that answer them, replies read by a task of the same loop."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.loop = asyncio.get_running_loop()
        self.numbers = itertools.count()
        self.waiting: dict[int, asyncio.Future[list[int]]] = {}
        self.lost = False
        self.reading = self.loop.create_task(self._read(reader), name="nitka-log-client")

    async def send(self, request: Request) -> list[int]:
        if self.lost:
            raise CheckLogError("the check log writer stopped")
        seq = next(self.numbers)
        future: asyncio.Future[list[int]] = self.loop.create_future()
        self.waiting[seq] = future
        try:
            self.writer.write(frame((seq, to_wire(request))))
            await self.writer.drain()  # waits only while the writer is behind
        except OSError:
            self._lose()
        try:
            async with asyncio.timeout(REPLY_SECONDS):
                return await future
        except TimeoutError:
            raise CheckLogError("the check log writer does not answer") from None
        finally:
            self.waiting.pop(seq, None)

    async def _read(self, reader: asyncio.StreamReader) -> None:
        buffer = bytearray()
        while True:
            try:
                data = await reader.read(1 << 20)
            except OSError:
                data = b""
            if not data:
                self._lose()
                return
            buffer += data
            for seq, log_ids, error in unframe(buffer):
                future = self.waiting.pop(seq, None)
                if future is not None and not future.done():
                    _settle(future, log_ids, error)

    def _lose(self) -> None:
        """Fail every waiting request."""
        if self.lost:
            return
        self.lost = True
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(CheckLogError("the check log writer stopped"))
        self.waiting.clear()
        self.writer.close()


class RemoteRecorder:
    """Logs a worker's requests through the writer process (same use as ``Recorder``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._channel: _Channel | None = None
        self._pid = -1
        self._loop_channel: _LoopChannel | None = None
        self._opening: asyncio.Task[_LoopChannel] | None = None

    def write(self, request: Request) -> None:
        """Return once the request is logged; raise what stopped its logging."""
        future = self._connected().send(request)
        try:
            log_ids = future.result(timeout=REPLY_SECONDS)
        except FutureTimeout:
            raise CheckLogError("the check log writer does not answer") from None
        request.set_log_ids(log_ids)

    async def write_async(self, request: Request) -> None:
        """``write`` for a coroutine of this process's event loop."""
        channel = await self._loop_connected()
        request.set_log_ids(await channel.send(request))

    async def _loop_connected(self) -> _LoopChannel:
        """The running loop's connection, opened on first use in this process (once,
        however many coroutines ask for it meanwhile)."""
        channel = self._loop_channel
        loop = asyncio.get_running_loop()
        if channel is not None and not channel.lost and channel.loop is loop:
            return channel
        opening = self._opening
        if opening is None or opening.get_loop() is not loop or opening.done():
            opening = self._opening = loop.create_task(self._open_loop_channel())
        return await asyncio.shield(opening)

    async def _open_loop_channel(self) -> _LoopChannel:
        try:
            reader, writer = await asyncio.open_unix_connection(str(self.path))
        except OSError as error:
            _log.error("the check log writer cannot be reached: %s", error)
            raise CheckLogError("the check log writer cannot be reached") from error
        channel = self._loop_channel = _LoopChannel(reader, writer)
        return channel

    async def aclose(self) -> None:
        """Close the running loop's connection (a server's ends with its process)."""
        channel, self._loop_channel = self._loop_channel, None
        if channel is not None:
            channel.reading.cancel()
            channel.writer.close()
            with contextlib.suppress(OSError):
                await channel.writer.wait_closed()

    def close(self) -> None:
        """Close this process's connection (a server's ends with its process)."""
        with self._lock:
            channel, self._channel = self._channel, None
        if channel is not None:
            channel.close()

    def _connected(self) -> _Channel:
        """This process's connection (a forked worker opens its own: the parent's
        reader thread is not in the child)."""
        with self._lock:
            channel = self._channel
            if channel is None or channel.lost or self._pid != os.getpid():
                self._pid = os.getpid()
                channel = self._channel = _Channel(self._connect())
            return channel

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(self.path))
        except OSError as error:
            sock.close()
            _log.error("the check log writer cannot be reached: %s", error)
            raise CheckLogError("the check log writer cannot be reached") from error
        return sock
