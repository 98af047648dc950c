"""Signing in through an agency's identity provider: ``/session/oidc/...``.

``GET /session/oidc`` lists the configured providers. ``GET
/session/oidc/{provider}`` sends the browser to the provider and keeps the
sign-in's state, nonce and PKCE verifier in a short-lived cookie signed with
the secret key (``SameSite=Lax``: the provider's redirect back is a
cross-site navigation, which a Strict cookie would not survive). ``GET
/session/oidc/{provider}/callback`` checks the state, exchanges the code,
verifies the ID token (``nitka.access.oidc``), finds the account the
identity is bound to (``nitka.access.identities``) and opens a session as a
password sign-in does. Every attempt is an audit record.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import asdict
from typing import Any

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape
from sqlalchemy import Connection, Engine

from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.identities import account_for_identity
from nitka.access.oidc import OidcError, Pending, begin, finish
from nitka.settings import OidcProvider, Settings
from nitka.web.auth import origin_of
from nitka.web.deps import EngineDep, SettingsDep
from nitka.web.session import start_session, too_many_attempts, too_many_error
from nitka.web.ui.guard import safe_next

router = APIRouter()
PENDING_COOKIE = "nitka_oidc"
PENDING_SECONDS = 600
"""Time to sign in at the provider: ten minutes."""
COOKIE_PATH = "/session/oidc"


@router.get("/session/oidc")
def providers(request: Request, settings: SettingsDep) -> list[dict[str, str]]:
    """The identity providers users may sign in with (for the sign-in page)."""
    return [
        {"name": name, "label": provider.label or name, "path": f"{COOKIE_PATH}/{name}"}
        for name, provider in sorted(settings.oidc_providers.items())
    ]


@router.get("/session/oidc/{provider}", response_class=RedirectResponse, status_code=302)
def start(
    provider: str,
    request: Request,
    settings: SettingsDep,
    next: str | None = Query(
        None, max_length=2000, description="A workstation page to open after signing in."
    ),
) -> Response:
    """Send the browser to the provider's sign-in."""
    configured = _provider(settings, provider)
    try:
        url, pending = begin(provider, configured, _redirect_uri(request, settings, provider))
    except OidcError as error:
        raise HTTPException(
            status_code=502, detail={"field": error.field, "error": str(error)}
        ) from None
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        PENDING_COOKIE,
        _sign(
            settings,
            {
                **asdict(pending),
                "expires": time.time() + PENDING_SECONDS,
                "next": safe_next(next) if next else None,
            },
        ),
        max_age=PENDING_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        secure=settings.mode == "production",
        samesite="lax",
    )
    return response


@router.get("/session/oidc/{provider}/callback")
def callback(
    provider: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    response: Response,
    code: str = Query("", max_length=2048),
    state: str = Query("", max_length=512),
    error: str = Query("", max_length=256),
) -> Any:
    """The provider sends the browser back here; opens the session."""
    configured = _provider(settings, provider)
    if too_many_attempts(request, engine, f"{provider}:?"):
        raise too_many_error()
    response.delete_cookie(PENDING_COOKIE, path=COOKIE_PATH)
    try:
        if error:
            raise OidcError(f"the provider refused the sign-in: {error}", field="error")
        pending, target = _pending(settings, request.cookies.get(PENDING_COOKIE, ""), provider)
        claims = finish(configured, pending, code, state)
    except OidcError as failed:
        _record(request, engine, f"{provider}:?", Outcome.REFUSED, f"oidc {provider}: {failed}")
        raise HTTPException(
            status_code=401, detail={"field": failed.field, "error": str(failed)}
        ) from None
    subject = str(claims["sub"])
    with engine.begin() as conn:
        account = account_for_identity(conn, provider, subject)
        if account is not None:
            _record(request, engine, account.name, Outcome.DONE, f"oidc {provider}", conn=conn)
            if target is None:
                return start_session(conn, account, response, settings)
            onward = _onward(target)
            onward.delete_cookie(PENDING_COOKIE, path=COOKIE_PATH)
            start_session(conn, account, onward, settings)
            return onward
    _record(
        request, engine, f"{provider}:{subject}", Outcome.REFUSED, f"oidc {provider}: not bound"
    )
    raise HTTPException(
        status_code=403,
        detail={
            "field": "sub",
            "error": f"the identity {subject!r} at {provider!r} is bound to no account here",
        },
    )


def _provider(settings: Settings, name: str) -> OidcProvider:
    configured = settings.oidc_providers.get(name)
    if configured is None:
        raise HTTPException(
            status_code=404, detail={"field": "provider", "error": f"no provider {name!r}"}
        )
    return configured


def _redirect_uri(request: Request, settings: Settings, provider: str) -> str:
    base = settings.public_url.rstrip("/") if settings.public_url else str(request.base_url)[:-1]
    return f"{base}{COOKIE_PATH}/{provider}/callback"


def _sign(settings: Settings, data: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps(data)).decode("ascii")
    return f"{payload}.{_mac(settings, payload)}"


def _onward(target: str) -> HTMLResponse:
    """A page that goes on to the workstation. Not a redirect: the browser came here
    from the provider's site, and would not send the new session's SameSite=Strict
    cookie along a redirect chain that began there; a navigation this page starts
    is the site's own."""
    where = escape(target)
    page = (
        f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={where}">'
        f'<title>Nitka</title><p><a href="{where}">Nitka</a></p>'
    )
    return HTMLResponse(page)


def _pending(settings: Settings, cookie: str, provider: str) -> tuple[Pending, str | None]:
    """The sign-in started here, from its signed cookie, and the page to open after it;
    refuses a forged or old one."""
    payload, _, mac = cookie.rpartition(".")
    if not payload or not hmac.compare_digest(mac, _mac(settings, payload)):
        raise OidcError("no sign-in was started here, or it was tampered with", field="state")
    data = orjson.loads(base64.urlsafe_b64decode(payload))
    if data.pop("expires", 0) < time.time():
        raise OidcError("the sign-in took too long: start again", field="state")
    target = data.pop("next", None)
    pending = Pending(**data)
    if pending.provider != provider:
        raise OidcError("the sign-in was started with another provider", field="provider")
    return pending, target


def _mac(settings: Settings, payload: str) -> str:
    key = hashlib.sha256(b"nitka-oidc:" + settings.secret_key.encode("utf-8")).digest()
    return hmac.new(key, payload.encode("ascii"), hashlib.sha256).hexdigest()


def _record(
    request: Request,
    engine: Engine,
    actor: str,
    outcome: Outcome,
    how: str,
    *,
    conn: Connection | None = None,
) -> None:
    event = AuditEvent(
        actor=actor, action=Action.SIGN_IN, origin=origin_of(request), subject={"how": how},
        outcome=outcome,
    )  # fmt: skip
    if conn is not None:
        append(conn, event)
        return
    with engine.begin() as own:
        append(own, event)
