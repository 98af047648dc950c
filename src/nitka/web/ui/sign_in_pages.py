"""Signing in and out in the browser.

The form posts name, password and (where the account has one) a TOTP code;
the same checks as ``POST /session`` apply (lock-out, rate limit per
address, audit record of every attempt). The form carries a one-time token
that must match a cookie set with the form (double submit), so that
another site cannot sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nitka.access.accounts import Account, SignInError, revoke_token, sign_in, token_id
from nitka.settings import Settings
from nitka.web.auth import SESSION_COOKIE, forget, origin_of
from nitka.web.deps import EngineDep, SettingsDep
from nitka.web.session import start_session, too_many_attempts
from nitka.web.ui import i18n
from nitka.web.ui.guard import page_user, safe_next, settle_language
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import render

FORM_COOKIE = "nitka_sign_in"
FORM_MINUTES = 10

router = APIRouter(include_in_schema=False)


@router.get("/ui/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    settle_language(request)
    return _form(request, settings, safe_next(next))


@router.post("/ui/sign-in", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    settings: SettingsDep,
    engine: EngineDep,
    name: str = Form("", max_length=255),
    password: str = Form("", max_length=1024),
    code: str = Form("", max_length=16),
    form_token: str = Form("", max_length=64),
    next: str = Form("/ui/", max_length=2000),
) -> Response:
    settle_language(request)
    target = safe_next(next)
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, form_token):
        return _form(
            request, settings, target, _("The sign-in form has expired: please try again."), 400
        )
    if too_many_attempts(request, engine, name):
        return _form(request, settings, target, _("Too many sign-in attempts: wait a minute."), 429)
    redirect = RedirectResponse(target, status_code=303)
    with engine.begin() as conn:
        try:
            account = sign_in(conn, name, password, origin=origin_of(request), code=code or None)
        except SignInError:
            signed_in = False
        else:
            start_session(conn, account, redirect, settings)
            signed_in = True
    if not signed_in:
        message = _("The name, password or code is not right, or the account is locked.")
        return _form(request, settings, target, message, 401)
    redirect.delete_cookie(FORM_COOKIE, path="/ui/sign-in")
    redirect.set_cookie(i18n.LANGUAGE_COOKIE, i18n.current(), path="/", samesite="strict")
    return redirect


@router.post("/ui/sign-out")
def sign_out(
    request: Request, engine: EngineDep, account: Account = Depends(page_user())
) -> Response:
    """Revoke the session's token; htmx follows ``HX-Redirect`` to the sign-in page."""
    token = request.cookies.get(SESSION_COOKIE, "")
    with engine.begin() as conn:
        revoke_token(conn, token_id(token))
    forget(token)
    response = Response(status_code=204, headers={"HX-Redirect": "/ui/sign-in"})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _form(
    request: Request, settings: Settings, target: str, error: str = "", status: int = 200
) -> Response:
    form_token = secrets.token_urlsafe(24)
    response = render(
        request,
        "sign_in.html",
        {
            "form_token": form_token,
            "next": target,
            "error": error,
            "providers": list(settings.oidc_providers),
        },
        status_code=status,
    )
    response.set_cookie(
        FORM_COOKIE,
        form_token,
        max_age=FORM_MINUTES * 60,
        path="/ui/sign-in",
        httponly=True,
        secure=settings.mode == "production",
        samesite="strict",
    )
    return response
