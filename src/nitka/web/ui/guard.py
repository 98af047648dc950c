"""Who is looking at a page: the session cookie, checked as the API checks it.

A page asked for without a session sends the browser to the sign-in page
(and back afterwards); a session that no longer holds is refused in the
audit trail like a bad API token, and also leads to the sign-in page; a
role that may not see a page gets a page that says so (403). Every page
request also settles the language of the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from nitka.access.accounts import Account, Role
from nitka.settings import Settings
from nitka.web.auth import SESSION_COOKIE, authenticate, csrf_token
from nitka.web.deps import EngineDep, SettingsDep
from nitka.web.ui import i18n

SIGN_IN_PATH = "/ui/sign-in"


class SignInRequiredError(Exception):
    """Raised by a page dependency: the app answers with a redirect to sign in."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbiddenError(Exception):
    """Raised by a page dependency: the app answers with the 403 page."""

    def __init__(self, account: Account, reason: str) -> None:
        super().__init__(reason)
        self.account = account
        self.reason = reason


def settle_language(request: Request) -> None:
    chosen = request.query_params.get("lang") or request.cookies.get(i18n.LANGUAGE_COOKIE)
    i18n.use(i18n.negotiate(chosen, request.headers.get("accept-language", "")))


def sign_in_url(request: Request) -> str:
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN_PATH}?next={quote(wanted, safe='')}"


def page_user(
    roles: frozenset[Role] = frozenset(Role),
) -> Callable[[Request, Engine, Settings], Coroutine[Any, Any, Account]]:
    """A page dependency: the signed-in account, if its role is one of ``roles``."""

    async def dependency(request: Request, engine: EngineDep, settings: SettingsDep) -> Account:
        settle_language(request)
        if SESSION_COOKIE not in request.cookies:
            raise SignInRequiredError(sign_in_url(request))
        try:
            # The session is looked up (and a refusal recorded) in a thread.
            holder = await run_in_threadpool(authenticate, request, engine, settings)
        except HTTPException as refused:
            if refused.status_code == 401:
                raise SignInRequiredError(sign_in_url(request)) from None
            raise
        account = holder.account
        request.state.csrf_token = csrf_token(settings, request.cookies[SESSION_COOKIE])
        if account.role not in roles:
            raise PageForbiddenError(account, f"a {account.role.value} may not see this page")
        return account

    return dependency


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/ui/"
    return target
