"""A running ``nitka serve`` with the small trafficking ring of the analysis
tests, a case, and users who sign in with passwords, as a browser would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import Engine

from nitka.access.accounts import add_account
from nitka.access.cases import add_case, add_member
from tests.analysis.ring import store_ring
from tests.helpers import store_watch_lists
from tests.web.serving import Service, serving

PASSWORD = "correct horse battery staple"
USERS = {
    # name: (role, member of case c1)
    "analyst.in": ("analyst", True),
    "investigator.in": ("investigator", True),
    "investigator.out": ("investigator", False),
    "supervisor.in": ("supervisor", True),
    "auditor.a": ("auditor", False),
}


def store_workspace(engine: Engine, tmp_path: Path) -> None:
    store_ring(engine)
    store_watch_lists(engine, tmp_path)
    with engine.begin() as conn:
        add_case(conn, "c1", by="admin", title="Recruitment ring, Odesa")
        add_case(conn, "c2", by="admin")
        for name, (role, member) in USERS.items():
            add_account(conn, name, role, password=PASSWORD)
            if member:
                add_member(conn, "c1", name, by="admin")


@contextmanager
def workstation(
    engine: Engine, database_url: str, tmp_path: Path, env: dict[str, str] | None = None
) -> Iterator[Service]:
    store_workspace(engine, tmp_path)
    with serving(engine, database_url, tmp_path, env=env) as service:
        yield service


def form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def csrf_of(page: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page)
    assert found, page[:500]
    return found.group(1)


@contextmanager
def signed_in(base: str, name: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A client signed in through the form, sending the CSRF token on every request."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        yield _sign_in(client, name, password)


def _sign_in(client: httpx.Client, name: str, password: str) -> httpx.Client:
    token = form_token(client.get("/ui/sign-in").text)
    answer = client.post(
        "/ui/sign-in",
        data={"name": name, "password": password, "form_token": token, "next": "/ui/"},
    )
    assert answer.status_code == 303, answer.text[:500]
    client.headers["X-CSRF-Token"] = csrf_of(client.get("/ui/cases").text)
    return client
