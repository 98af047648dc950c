"""Signing in with a password for the browser: ``POST /session`` and ``DELETE /session``.

A session is a short-lived token (``SESSION_HOURS``) kept in a cookie that
scripts cannot read (HttpOnly), that is sent only to this site
(SameSite=Strict) and, in production, only over HTTPS (Secure). A request
authenticated by the cookie that changes anything (any method but GET and
HEAD) must also carry the session's CSRF token in ``X-CSRF-Token``: a page
of another site can make the browser send the cookie, but cannot read the
token. Sign-in attempts are limited per client address; every attempt is an
audit record (``nitka.access.accounts.sign_in``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from nitka.access.accounts import (
    Account,
    Role,
    SignInError,
    create_token,
    revoke_token,
    sign_in,
    token_id,
)
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.throttle import attempts_in_window
from nitka.settings import Settings
from nitka.web.auth import SESSION_COOKIE, csrf_token, forget, origin_of, requires
from nitka.web.deps import EngineDep, SettingsDep

SESSION_HOURS = 8
"""A working day: then the officer signs in again."""
SIGN_INS_PER_MINUTE = 10
"""Per client address, over all server processes: enough for typing mistakes, not for guessing."""

router = APIRouter()


class SignIn(BaseModel):
    name: str = Field(..., max_length=255)
    password: str = Field(..., max_length=1024)
    code: str | None = Field(
        None, max_length=16, description="The TOTP code, if the account has one."
    )


@router.post("/session")
def open_session(
    body: SignIn, request: Request, settings: SettingsDep, engine: EngineDep, response: Response
) -> dict[str, Any]:
    """Sign in with name, password (and code): sets the session cookie.

    A plain function, so FastAPI runs it in its thread pool: an argon2 check
    takes tens of milliseconds, which the checks on the event loop need not wait.
    """
    origin = origin_of(request)
    if too_many_attempts(request, engine, body.name):
        raise too_many_error()
    with engine.begin() as conn:
        try:
            account = sign_in(conn, body.name, body.password, origin=origin, code=body.code)
        except SignInError as error:
            refused = str(error)
        else:
            refused = ""
            opened = start_session(conn, account, response, settings)
    if refused:
        raise HTTPException(status_code=401, detail={"field": "password", "error": refused})
    return opened


def start_session(
    conn: Connection, account: Account, response: Response, settings: Settings
) -> dict[str, Any]:
    """Make the session's token and set its cookie; however the user signed in."""
    token = create_token(conn, account.name, label="web session", hours=SESSION_HOURS)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        secure=settings.mode == "production",
        samesite="strict",
    )
    return {
        "account": account.name,
        "role": account.role.value,
        "csrf_token": csrf_token(settings, token),
    }


def too_many_attempts(request: Request, engine: Engine, name: str) -> bool:
    """Count this sign-in attempt; if the address made too many, record the refusal."""
    origin = origin_of(request)
    with engine.begin() as conn:
        if attempts_in_window(conn, origin) <= SIGN_INS_PER_MINUTE:
            return False
        event = AuditEvent(
            actor=name or "-",
            action=Action.SIGN_IN,
            origin=origin,
            subject={"how": "too many attempts"},
            outcome=Outcome.REFUSED,
        )
        append(conn, event)
    return True


def too_many_error() -> HTTPException:
    return HTTPException(
        status_code=429,
        detail={"field": "name", "error": "too many sign-in attempts: wait a minute"},
    )


@router.delete("/session")
def close_session(
    request: Request,
    engine: EngineDep,
    response: Response,
    account: Account = Depends(requires(frozenset(Role))),
) -> dict[str, Any]:
    """Sign out: the session's token is revoked and the cookie cleared."""
    token = request.cookies.get(SESSION_COOKIE, "")
    with engine.begin() as conn:
        revoked = bool(token) and revoke_token(conn, token_id(token))
    forget(token)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"account": account.name, "signed_out": revoked}
