"""Rendering pages: one Jinja2 environment, autoescaped, with gettext and the
context every page needs (who is signed in, the CSRF token, the language)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from nitka.access.accounts import Account
from nitka.web.ui import i18n, labels, model_labels
from nitka.web.ui.audit_words import subject_lines

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
LANGUAGE_KEPT = 365 * 24 * 3600
"""Seconds a chosen language is remembered in the browser."""


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["role_label"] = lambda code: labels.label(labels.ROLES, code)
    env.globals["category_label"] = lambda code: labels.label(labels.CATEGORIES, code)
    env.globals["handling_label"] = lambda code: labels.label(labels.HANDLING, code)
    env.globals["status_label"] = lambda code: labels.label(labels.STATUSES, code)
    env.globals["action_label"] = lambda code: labels.label(labels.ACTIONS, code)
    env.globals["outcome_label"] = lambda code: labels.label(labels.OUTCOMES, code)
    env.globals["subject_lines"] = subject_lines
    env.globals["kind_label"] = model_labels.schema_label
    env.filters["number"] = lambda value: format_decimal(value, locale=i18n.current())
    return env


ENVIRONMENT = _environment()


def asset_version() -> str:
    """Changes when the bundle is rebuilt, so browsers fetch the new one."""
    built = STATIC / "dist" / "app.js"
    return str(int(built.stat().st_mtime)) if built.is_file() else "0"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    account: Account | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    values: dict[str, Any] = {
        "request": request,
        "account": account,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "language": i18n.current(),
        "asset_version": asset_version(),
        "path": request.url.path,
        **(context or {}),
    }
    page = ENVIRONMENT.get_template(template).render(values)
    response = HTMLResponse(page, status_code=status_code)
    remember_language(request, response)
    return response


def remember_language(request: Request, response: Response) -> None:
    """A language chosen with ``?lang=`` stays chosen: the next link, without the
    parameter, speaks it too."""
    chosen = request.query_params.get("lang")
    if chosen in i18n.LANGUAGES and chosen != request.cookies.get(i18n.LANGUAGE_COOKIE):
        response.set_cookie(
            i18n.LANGUAGE_COOKIE, chosen, path="/", samesite="strict", max_age=LANGUAGE_KEPT
        )


def refusal(message: str, status_code: int = 400) -> HTMLResponse:
    """A refused form or step: the reason, shown where the form's answer goes
    (htmx swaps 4xx answers in; see ``frontend/src/app.js``)."""
    return HTMLResponse(
        f'<p class="error" role="alert">{escape(message)}</p>', status_code=status_code
    )


def not_found(request: Request, account: Account | None, message: str) -> HTMLResponse:
    """The 404 page: what was asked for does not exist, or the user may not see it
    (the two are not told apart)."""
    return render(request, "not_found.html", {"message": message}, account=account, status_code=404)
