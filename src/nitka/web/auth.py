"""Who is asking: the API token on every request, and what their role allows.

Every route takes ``Authorization: Bearer <token>`` (``ApiKey <token>`` too,
as yente's clients send it). A missing, forged, expired or revoked token is
a 401, and a role that may not do what is asked a 403; both are recorded in
the audit trail with the caller's address. A token that checks out is
remembered for ``TOKEN_CACHE_SECONDS``, so that a busy screening service
does not look it up for each check; a revoked token stops working within
that time. A token may carry a default purpose (``nitka token create
--purpose``), which a request's own ``X-Nitka-Purpose`` overrides: a client
that cannot send the header (yente's) still has every check logged with one.

The dependency ``requires`` is a coroutine: a token taken within that time
is answered on the event loop, with no database and no thread; any other
(a new token, a session cookie, a refusal to record) is decided in
FastAPI's thread pool, since it reads or writes the store.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from nitka.access.accounts import Account, Role, TokenHolder, token_holder, token_id
from nitka.access.actor import Actor, Proof
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.visibility import Viewer
from nitka.settings import Settings
from nitka.web.deps import EngineDep, SettingsDep

TOKEN_CACHE_SECONDS = 5.0
SCHEMES = ("bearer", "apikey")
SESSION_COOKIE = "nitka_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ANY_ROLE = frozenset(Role)
"""For routes whose service decides what the caller's role may do (``nitka.services``)."""

_cache: dict[str, tuple[TokenHolder, float]] = {}
_viewers: dict[str, tuple[Viewer, float]] = {}


def origin_of(request: Request) -> str:
    return f"api@{request.client.host}" if request.client else "api"


def requires(
    roles: frozenset[Role],
) -> Callable[[Request, Engine, Settings], Coroutine[Any, Any, Account]]:
    """A dependency: the caller's account, if its role is one of ``roles``."""

    async def dependency(request: Request, engine: EngineDep, settings: SettingsDep) -> Account:
        holder = remembered_holder(request.headers.get("authorization", ""))
        if holder is None:
            holder = await run_in_threadpool(authenticate, request, engine, settings)
        request.state.token_purpose = holder.purpose
        account = holder.account
        if account.role not in roles:
            why = "role " + account.role.value
            await run_in_threadpool(_refuse, request, engine, account.name, why, Action.CHECK)
            raise HTTPException(
                status_code=403,
                detail={"field": "role", "error": f"a {account.role.value} may not do this"},
            )
        return account

    return dependency


SIGNED_IN = requires(ANY_ROLE)
"""A dependency: the caller's account, whatever its role."""


def actor_of(request: Request, account: Account) -> Actor:
    """The service layer's actor for a request: the account its token or session
    proved, where the request came from, and the purpose it states (or its
    token's default purpose)."""
    by_session = not request.headers.get("authorization") and SESSION_COOKIE in request.cookies
    return Actor.of(
        account,
        proof=Proof.SESSION if by_session else Proof.TOKEN,
        origin=origin_of(request),
        purpose=stated_purpose(request, request.headers.get("x-nitka-purpose")),
    )


def stated_purpose(request: Request, *stated: str | None) -> str:
    """The first purpose the request states (body field, header), else the default
    purpose of the token it was authenticated with (``requires`` notes it)."""
    for purpose in stated:
        if purpose and purpose.strip():
            return purpose
    return str(getattr(request.state, "token_purpose", "") or "")


async def acting(request: Request, account: Annotated[Account, Depends(SIGNED_IN)]) -> Actor:
    """A dependency: who acts, signed in with any role; the service checks the role."""
    return actor_of(request, account)


ActorDep = Annotated[Actor, Depends(acting)]


def authenticate(request: Request, engine: Engine, settings: Settings) -> TokenHolder:
    """The account of the request's token or session, with the token's default
    purpose; refusals recorded (reads and writes the store: call it from a thread,
    not the event loop)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if not scheme and SESSION_COOKIE in request.cookies:
        token = _session_token(request, engine, settings)
    elif scheme.lower() not in SCHEMES or not token:
        _refuse(request, engine, "-", "no token", Action.SIGN_IN)
        raise _unauthorised("an API token is required: Authorization: Bearer <token>")
    known = _remembered(token)
    if known is not None:
        return known
    key = hashlib.sha256(token.encode("utf-8")).hexdigest()
    with engine.connect() as conn:
        holder = token_holder(conn, token)
    if holder is None:
        _cache.pop(key, None)
        _refuse(request, engine, "-", "invalid, expired or revoked token", Action.SIGN_IN)
        raise _unauthorised("the token is not valid, or has expired or been revoked")
    _cache[key] = (holder, time.monotonic() + TOKEN_CACHE_SECONDS)
    return holder


def remembered_holder(authorization: str) -> TokenHolder | None:
    """Who an ``Authorization`` header's token speaks for if this process took the
    token within ``TOKEN_CACHE_SECONDS``; None otherwise (then ``authenticate``
    decides, and records a refusal). Reads no database and writes no record."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() not in SCHEMES or not token:
        return None
    return _remembered(token)


def _remembered(token: str) -> TokenHolder | None:
    cached = _cache.get(hashlib.sha256(token.encode("utf-8")).hexdigest())
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    return None


def viewer_of(engine: Engine, account: Account) -> Viewer:
    """What the account may see, remembered like its token: the screening routes
    ask for every check, and a case membership or list share changed takes
    effect within ``TOKEN_CACHE_SECONDS``."""
    cached = _viewers.get(account.name)
    if cached is not None and cached[1] > time.monotonic() and cached[0].role == account.role:
        return cached[0]
    with engine.connect() as conn:
        viewer = Viewer.of(conn, account)
    _viewers[account.name] = (viewer, time.monotonic() + TOKEN_CACHE_SECONDS)
    return viewer


def forget(token: str) -> None:
    """Drop a token from this process's cache (a sign-out takes effect here at once)."""
    _cache.pop(hashlib.sha256(token.encode("utf-8")).hexdigest(), None)


def csrf_token(settings: Settings, session_token: str) -> str:
    """The CSRF token of a session: derived from it with the secret key."""
    key = settings.secret_key.encode("utf-8")
    return hmac.new(key, token_id(session_token).encode("ascii"), hashlib.sha256).hexdigest()


def _session_token(request: Request, engine: Engine, settings: Settings) -> str:
    """The session cookie's token; a request that changes anything must also carry
    the session's CSRF token (``nitka.web.session``)."""
    token = request.cookies[SESSION_COOKIE]
    if request.method not in SAFE_METHODS:
        given = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(given, csrf_token(settings, token)):
            _refuse(request, engine, "-", "missing or wrong CSRF token", Action.SIGN_IN)
            raise HTTPException(
                status_code=403,
                detail={"field": "x-csrf-token", "error": "a missing or wrong CSRF token"},
            )
    return token


def _refuse(request: Request, engine: Engine, actor: str, why: str, action: Action) -> None:
    event = AuditEvent(
        actor=actor,
        action=action,
        origin=origin_of(request),
        subject={"method": request.method, "path": request.url.path, "refused": why},
        outcome=Outcome.REFUSED,
    )
    with engine.begin() as conn:
        append(conn, event)


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(
        status_code=401,
        detail={"field": "authorization", "error": message},
        headers={"WWW-Authenticate": "Bearer"},
    )
