"""Serving from several worker processes that share one loaded screening index.

A check is CPU work in Python, so one process answers on one core. Loading
the watch lists of a country takes minutes and gigabytes; loading them once
per worker would double both. Instead the lists are loaded once, Python's
cycle collector is told to leave the loaded objects alone (``gc.freeze``),
and the process forks: the workers share the index's memory pages until they
change them (a list update does, a little). All workers accept connections
from one listening socket. Each takes in list changes through the store
(``nitka.screen.changes``), so a withdrawal reaches all of them.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from nitka.screen.log_writer import LogWriter

PARENT_CHECK_SECONDS = 1.0


def serve(app: FastAPI, *, host: str, port: int, workers: int = 1) -> None:
    """Serve ``app`` (its screener already loaded) from ``workers`` processes, the
    check log written by a process of its own (``nitka.screen.log_writer``)."""
    if workers > 1 and not hasattr(os, "fork"):
        raise RuntimeError("several workers need os.fork, which this system lacks")
    if not hasattr(socket, "AF_UNIX"):
        # No local sockets (some Windows builds): the log is written by a thread.
        _serve(app, host, port, workers, forked=lambda: None)
        return
    screener = app.state.screener
    writer = LogWriter.start(screener.engine)
    screener.recorder = writer.recorder()
    try:
        # The writer is watched from the serving process only, once its workers
        # are forked (a thread does not survive a fork, and should not be in one).
        _serve(app, host, port, workers, forked=writer.watch)
    finally:
        writer.stop()


def _serve(app: FastAPI, host: str, port: int, workers: int, forked: Callable[[], None]) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    if workers <= 1:
        forked()
        uvicorn.Server(config).run()
        return
    listener = _listen(host, port)
    gc.collect()
    gc.freeze()
    parent = os.getpid()
    children: list[int] = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            _run_child(app, config, listener, parent)
        children.append(pid)
    forked()
    # uvicorn hands a SIGTERM it caught back to the handler it found: make that
    # one unwind, so the workers are stopped before this process ends.
    signal.signal(signal.SIGTERM, _unwind)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        for pid in children:
            _stop(pid)


def _unwind(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _run_child(app: FastAPI, config: uvicorn.Config, listener: socket.socket, parent: int) -> None:
    """A worker: its own database connections, the shared socket; never returns."""
    code = 0
    try:
        # The parent's pooled connections must not be used from two processes.
        app.state.screener.engine.dispose(close=False)
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
        uvicorn.Server(config).run(sockets=[listener])
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (killed outright) stops, rather than serving on alone."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
