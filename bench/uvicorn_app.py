"""Nitka's app for uvicorn's own process manager (``uvicorn --workers N --factory``),
which ``screening_speed --uvicorn-workers`` measures beside gunicorn.

uvicorn starts each worker as a new interpreter (``spawn``), so each builds
the app, and its watch-list index, itself; the check log is written by each
worker's own group-commit thread (``nitka.screen.recorder.Recorder``), as
there is no master process to start a writer beside them.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from bench.screening_store import LISTS
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.web.app import create_app


def app() -> FastAPI:
    return create_app(make_engine(os.environ["NITKA_DATABASE_URL"]), LISTS, Settings())
