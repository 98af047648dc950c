"""``nitka serve``: the app in gunicorn's worker processes, uvicorn's event loop in each.

A check is CPU work in Python, so one process answers on one core. Loading
the watch lists of a country takes minutes and gigabytes; loading them once
per worker would double both. So the app, its lists loaded, is built once
in gunicorn's master process (``preload_app``), Python's cycle collector is
told to leave the loaded objects alone (``gc.freeze``), and gunicorn forks
its workers (``uvicorn_worker.UvicornWorker``): they share the index's
memory pages until they change them, and gunicorn replaces a worker that
dies. Each follows the store's change sequence (``nitka.effects``), so an
erasure, a merge or a withdrawal reaches all of them.

Beside the workers, the master starts the check log's writer
(``nitka.screen.log_writer``); gunicorn's master loop replaces it when it
stops (it is the master's child, so its end wakes the loop).
"""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any

from fastapi import FastAPI
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from nitka.analysis.gazetteer import gazetteer
from nitka.screen.log_client import RemoteRecorder
from nitka.screen.log_writer import WriterProcess
from nitka.web import logs, multiproc

WORKER_CLASS = "uvicorn_worker.UvicornWorker"
PARENT_CHECK_SECONDS = 1.0
STOP_SECONDS = 10
"""How long a worker has to finish its requests when the server stops."""


def serve(app: FastAPI, *, host: str, port: int, workers: int = 1) -> None:
    """Serve ``app`` (its screener already loaded) from ``workers`` processes, the
    check log written by a process of its own."""
    level = app.state.settings.log_level
    logs.configure(level)
    gazetteer()  # the map's places, read once here for every worker (cached on disk)
    screener = app.state.screener
    writer = WriterProcess(screener.engine)
    screener.recorder = RemoteRecorder(writer.path)
    try:
        _Server(app, writer, host=host, port=port, workers=workers, log_level=level).run()
    finally:
        writer.stop()


class _Server(BaseApplication):  # type: ignore[misc]
    """gunicorn, configured in code rather than by a file or its command line."""

    def __init__(
        self,
        app: FastAPI,
        writer: WriterProcess,
        *,
        host: str,
        port: int,
        workers: int,
        log_level: str,
    ) -> None:
        self.application = app
        self.writer = writer
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.options: dict[str, Any] = {
            "bind": bind,
            "workers": workers,
            "worker_class": WORKER_CLASS,
            "preload_app": True,
            "keepalive": 5,
            "graceful_timeout": STOP_SECONDS,
            "loglevel": log_level,
            "logconfig_dict": logs.gunicorn_config(log_level),
            "accesslog": None,
            "proc_name": "nitka-serve",
            "control_socket_disable": True,
            "pre_fork": _pre_fork,
            "post_fork": _post_fork,
            "child_exit": _child_exit,
        }
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> FastAPI:
        return self.application

    def run(self) -> None:
        _Arbiter(self, self.writer).run()


class _Arbiter(Arbiter):  # type: ignore[misc]
    """gunicorn's master loop, which also replaces the check log's writer."""

    def __init__(self, app: _Server, writer: WriterProcess) -> None:
        self.writer = writer
        super().__init__(app)

    def handle_chld(self) -> None:
        # The writer first: gunicorn then reaps any other child that ended.
        self.writer.replace_if_stopped()
        super().handle_chld()

    # gunicorn names SIGCHLD "cld" or "chld", whichever ``signal`` lists first.
    handle_cld = handle_chld


_frozen = False


def _pre_fork(_server: Arbiter, _worker: Any) -> None:
    """Before the first fork: the loaded index is left out of the cycle collector's
    passes, which would otherwise touch (and so copy) every shared page."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def _post_fork(_server: Arbiter, worker: Any) -> None:
    """In a new worker: its own database connections, and an end with its master."""
    app: FastAPI = worker.app.wsgi()
    # The master's pooled connections must not be used from two processes.
    app.state.screener.engine.dispose(close=False)
    if app.state.reads.replica is not None:
        app.state.reads.replica.dispose(close=False)
    master = worker.ppid
    threading.Thread(target=_exit_with, args=(master,), daemon=True).start()


def _child_exit(_server: Arbiter, worker: Any) -> None:
    multiproc.worker_stopped(worker.pid)


def _exit_with(master: int) -> None:
    """A worker whose master was killed outright stops, rather than serving on alone."""
    while os.getppid() == master:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)
