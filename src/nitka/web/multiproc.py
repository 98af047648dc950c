"""prometheus-client's multiprocess mode for ``nitka serve --workers N``.

Each worker counts its requests and checks in its own memory; Prometheus asks
one of them. With several workers, each writes its counts to files in
``PROMETHEUS_MULTIPROC_DIR`` and the one asked adds them up
(``nitka.web.metrics``). prometheus-client reads the variable when it is first
imported, so ``prepare`` runs before anything imports it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare(workers: int) -> Path | None:
    """For more than one worker: the folder of the counts (the operator's, or a new
    one), emptied of a previous run's files, and named in the environment the workers
    inherit. None for one worker, which keeps its counts in memory."""
    given = os.environ.get(ENV, "")
    if workers <= 1 and not given:
        return None
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="nitka-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):
        old.unlink()
    os.environ[ENV] = str(folder)
    return folder


def worker_stopped(pid: int) -> None:
    """Let a stopped worker's live gauges go (gunicorn's ``child_exit``); its counts stay."""
    if not os.environ.get(ENV):
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
