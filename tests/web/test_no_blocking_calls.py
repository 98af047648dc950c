"""No database call on the event loop: a coroutine route or dependency that waited
for the store would stall every other request of its worker.

Two checks. Statically, every coroutine that FastAPI calls for a route of
``nitka.web`` (the endpoint and each dependency) may use the store, the
screener or a connection only as arguments handed to ``run_in_threadpool``.
At run time, every route is called (with a valid token and with a signed-in
page session) while a SQLAlchemy hook fails any statement that runs on the
thread of a running event loop.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine, event
from starlette.routing import BaseRoute

from nitka.access.accounts import add_account
from nitka.settings import Settings
from nitka.web.app import create_app
from tests.helpers import WATCH_LISTS
from tests.web.serving import PURPOSE, in_process, users_with_tokens
from tests.web.workstation import csrf_of, form_token

STORE_NAMES = {"engine", "screener", "conn", "connection"}
STORE_CALLS = {"connect", "begin", "execute", "exec_driver_sql", "scalar", "scalars"}
EXEMPT_MODULES = {"nitka.web.deps"}
"""The dependencies that hand the store over: they only read an attribute."""
HANDING_OVER = {"run_in_threadpool", "screen_request", "_checker"}
"""Calls whose arguments are used off the event loop: FastAPI's thread pool, the
screening service, which runs a request's checks in the screener's check thread,
and the token check of ``/screen`` (``nitka.web.auth.requires``: a coroutine checked
here as every route's dependency is, which reads the store only in the pool)."""


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every route, also those of included routers (which FastAPI keeps as the
    router they came from)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)


def _coroutines(app: FastAPI) -> Iterator[tuple[str, Callable[..., Any]]]:
    for route in api_routes(app.routes):
        stack = [route.dependant]
        while stack:
            dependant = stack.pop()
            stack.extend(dependant.dependencies)
            call = dependant.call
            if call is None or not inspect.iscoroutinefunction(call):
                continue
            if call.__module__.startswith("nitka.web") and call.__module__ not in EXEMPT_MODULES:
                yield route.path, call


def _called(call: ast.Call) -> str:
    """The name a call calls: ``f(...)`` and ``module.f(...)`` both give ``f``."""
    return str(getattr(call.func, "id", "") or getattr(call.func, "attr", ""))


def _store_uses(function: Callable[..., Any]) -> list[str]:
    """Uses of the store in the function's own code outside the calls that hand it
    over (``HANDING_OVER``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    handed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in HANDING_OVER:
            handed.update(id(n) for arg in node.args for n in ast.walk(arg))
    found = []
    for node in ast.walk(tree):
        if id(node) in handed:
            continue
        if isinstance(node, ast.Name) and node.id in STORE_NAMES:
            found.append(node.id)
        if isinstance(node, ast.Attribute) and node.attr in STORE_CALLS | STORE_NAMES:
            found.append("." + node.attr)
    return found


@pytest.fixture
def app(listed: Engine) -> FastAPI:
    return create_app(listed, WATCH_LISTS, Settings())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_coroutine_route_or_dependency_uses_the_store(app: FastAPI) -> None:
    checked = list(_coroutines(app))
    assert len(checked) > 20, "the routes' coroutine dependencies were found"
    misuse = {
        f"{path}: {function.__qualname__}": uses
        for path, function in checked
        if (uses := _store_uses(function))
    }
    assert not misuse


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_static_check_finds_a_blocking_call(app: FastAPI) -> None:
    async def blocking(engine: Engine) -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    async def handed_over(engine: Engine) -> None:
        await asyncio.sleep(0)
        run_in_threadpool = asyncio.to_thread  # the check looks at the name only
        await run_in_threadpool(engine.dispose)

    assert _store_uses(blocking)
    assert not _store_uses(handed_over)


def _example_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_route_runs_a_statement_on_the_event_loop(app: FastAPI, listed: Engine) -> None:
    on_loop: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        on_loop.append(statement.split("\n")[0][:80])

    headers = users_with_tokens(listed)["officer.k"]
    with listed.begin() as conn:
        add_account(conn, "page.user", "investigator", password="correct horse battery staple")
    event.listen(listed, "before_cursor_execute", watch)
    try:
        with in_process(app) as client:
            query = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
            assert client.post("/screen", json=query, headers=headers).status_code == 200
            match = {"queries": {"q": query}}
            assert client.post("/match/default", json=match, headers=headers).status_code == 200
            called = 0
            for route in api_routes(app.routes):
                for method in route.methods or ():
                    client.request(method, _example_path(route.path), headers=headers, json={})
                    called += 1
            # And the pages, signed in with a session.
            page = client.get("/ui/sign-in")
            signed = client.post(
                "/ui/sign-in",
                data={
                    "name": "page.user",
                    "password": "correct horse battery staple",
                    "form_token": form_token(page.text),
                    "next": "/ui/screen",
                },
            )
            assert signed.status_code == 200, signed.text[:300]
            csrf = {"X-CSRF-Token": csrf_of(signed.text), **PURPOSE}
            for route in api_routes(app.routes):
                if route.path.startswith("/ui"):
                    for method in route.methods or ():
                        client.request(method, _example_path(route.path), headers=csrf)
                        called += 1
    finally:
        event.remove(listed, "before_cursor_execute", watch)
    assert called > 40
    assert not on_loop
