"""Who is looking at a page: the session cookie, checked as the API checks it.

A page asked for without a session sends the browser to the sign-in page
(and back afterwards); a session that no longer holds is refused in the
audit trail like a bad API token, and also leads to the sign-in page; a
role that may not see a page is refused in the audit trail too, and gets a
page that says so (403). Every page request also settles the language of
the answer.

Routes take who is looking as an ``Actor`` (``ReaderDep``, ``AuditorDep``,
``SignedInDep``) and hand it to the service, which checks again and writes
the audit record; the role sets are the services' (``nitka.services.guard``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from nitka.access.accounts import Account, Role
from nitka.access.actor import Actor, Proof
from nitka.access.audit import Action
from nitka.access.visibility import READERS
from nitka.services.guard import ADMINISTRATORS, AUDITORS, refuse, transaction
from nitka.settings import Settings
from nitka.web.auth import SAFE_METHODS, SESSION_COOKIE, authenticate, csrf_token
from nitka.web.deps import EngineDep, SettingsDep
from nitka.web.ui import i18n

SIGN_IN_PATH = "/ui/sign-in"
PURPOSE = "workstation"
"""The purpose of the workstation's audit records (its pages carry none of their own)."""


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
            why = f"a {account.role.value} may not see this page"
            await run_in_threadpool(_record_refusal, request, engine, account, why)
            raise PageForbiddenError(account, why)
        return account

    return dependency


def actor_of_page(request: Request, account: Account) -> Actor:
    """The service layer's actor for a page: the session's account, the request's
    address, and ``workstation`` as the purpose unless the request states one."""
    host = request.client.host if request.client else ""
    return Actor.of(
        account,
        proof=Proof.SESSION,
        origin=f"workstation@{host}" if host else "workstation",
        purpose=request.headers.get("x-nitka-purpose", "") or PURPOSE,
    )


def page_actor(
    roles: frozenset[Role] = frozenset(Role),
) -> Callable[[Request, Account], Coroutine[Any, Any, Actor]]:
    """A page dependency: who is looking, as the services take it (``page_user``)."""
    signed_in = Depends(page_user(roles))

    # Not ``Annotated``: the annotation would be read as a string, without ``roles``.
    async def dependency(request: Request, account: Account = signed_in) -> Actor:
        return actor_of_page(request, account)

    return dependency


def _record_refusal(request: Request, engine: Engine, account: Account, why: str) -> None:
    """The refusal of a page, in the audit trail (the forbidden page says it is)."""
    action = Action.VIEW if request.method in SAFE_METHODS else Action.CHANGE
    subject = {"method": request.method, "page": request.url.path}
    with transaction(engine) as conn:
        refuse(conn, actor_of_page(request, account), action, subject, why, "role")


SignedInDep = Annotated[Actor, Depends(page_actor())]
"""Who is looking at a page any signed-in role may see."""
ReaderDep = Annotated[Actor, Depends(page_actor(READERS))]
"""Who is looking at a page of case data (the roles that read it)."""
AuditorDep = Annotated[Actor, Depends(page_actor(AUDITORS))]
"""Who is looking at the audit trail."""
AdministratorDep = Annotated[Actor, Depends(page_actor(ADMINISTRATORS))]
"""Who is looking at an administrator's page (settings, never case data)."""


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/ui/"
    return target
