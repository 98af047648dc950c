"""The public chat page (``/chat``): the chatbot's dialogue in the browser, served
without signing in (docs/ads.md, Public chatbot).

The conversation's state travels in the form (the language and the answers'
codes, never a person's words), so the server keeps nothing between messages
but each chat's rate limit. The form carries a random token that must match a
cookie set with the page (double submit, as the sign-in form does), so another
site cannot post into a person's chat; the same token, hashed, is the chat's
key for its rate limit.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from nitka.ads.chat import texts
from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import (
    PASSPORT,
    TRAVEL,
    Dialogue,
    Incoming,
    Reply,
    Session,
    Step,
    Tally,
)
from nitka.ads.chat.engine import chat_engine
from nitka.ads.chat.memory import RateLimit, chat_key
from nitka.ads.chat.texts import say
from nitka.settings import Settings
from nitka.web.ui.guard import settle_language
from nitka.web.ui.i18n import current
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import render

PATH: Final = "/chat"
COOKIE: Final = "nitka_chat"
COOKIE_SECONDS: Final = 2 * 3600
MAX_MESSAGE: Final = 2_000_000
"""Characters taken from the form (an offer is read up to 20,000 of them; a pasted
megabyte is answered, not refused)."""
ECHOED: Final = 600
"""Characters of a person's message shown back in the conversation."""

router = APIRouter(include_in_schema=False)


@dataclass
class WebChat:
    dialogue: Dialogue
    counts: Counts
    limit: RateLimit = field(default_factory=RateLimit)
    secure: bool = False


def add_chat(app: FastAPI, engine: Engine, settings: Settings) -> None:
    """The chat page on the app, answering with the wired screening engine."""
    screen, describe = chat_engine()
    counts = Counts(engine, channel="web")
    app.state.web_chat = WebChat(
        Dialogue(screen, describe), counts, secure=settings.mode == "production"
    )
    app.include_router(router)


async def _web_chat(request: Request) -> WebChat:
    found: WebChat = request.app.state.web_chat
    return found


WebChatDep = Annotated[WebChat, Depends(_web_chat)]


@router.get(PATH, response_class=HTMLResponse)
def chat_page(request: Request, chat: WebChatDep) -> Response:
    settle_language(request)
    reply = chat.dialogue.start(_page_language())
    return _page(request, chat, Session(), [("", reply)])


@dataclass(frozen=True)
class ChatForm:
    message: str
    choice: str
    form_token: str
    lang: str
    seen: str
    step: str
    country: str
    travel: str
    passport: str


FIELDS: Final = dict.fromkeys(ChatForm.__dataclass_fields__, 64) | {"message": MAX_MESSAGE}


async def chat_form(request: Request) -> ChatForm:
    """The form, each field cut to its length (a pasted megabyte is answered, not
    refused); read here because FastAPI's form fields refuse a part over 1 MiB."""
    async with request.form(max_part_size=MAX_MESSAGE * 4) as form:
        values = {}
        for name, limit in FIELDS.items():
            value = form.get(name)
            values[name] = value[:limit] if isinstance(value, str) else ""
    return ChatForm(**values)


@router.post(PATH, response_class=HTMLResponse)
def chat_message(
    request: Request, chat: WebChatDep, form: Annotated[ChatForm, Depends(chat_form)]
) -> Response:
    message, choice, form_token = form.message, form.choice, form.form_token
    lang, seen, step = form.lang, form.seen, form.step
    country, travel, passport = form.country, form.travel, form.passport
    settle_language(request)
    expected = request.cookies.get(COOKIE, "")
    session = _session(lang, seen, step, country, travel, passport)
    page_lang = _page_language()
    if not expected or not hmac.compare_digest(expected, form_token):
        expired = Reply(page_lang, (_("The chat has expired: please send your message again."),))
        return _page(request, chat, session, [("", expired)], status=400)
    allowed = chat.limit.take(chat_key(form_token))
    if not allowed:
        said = session.lang or session.seen or page_lang
        chat.counts.add(Tally(said, ("limited",)))
        return _answer(request, chat, session, [("", Reply(said, (say("rate", said),)))], 429)
    incoming = Incoming(text=None if choice else message, choice=choice or None, hint=page_lang)
    session, reply = chat.dialogue.answer(session, incoming)
    chat.counts.add(reply.tally)
    if chat.counts.due():
        chat.counts.flush()
    asked = _label_of(choice, reply) if choice else message[:ECHOED]
    return _answer(request, chat, session, [(asked, reply)])


def _answer(
    request: Request,
    chat: WebChat,
    session: Session,
    turns: list[tuple[str, Reply]],
    status: int = 200,
) -> Response:
    if request.headers.get("hx-request"):
        context = _context(session, turns, request.cookies.get(COOKIE, ""))
        return render(request, "_chat_turn.html", context, status_code=status)
    return _page(request, chat, session, turns, status)


def _page(
    request: Request,
    chat: WebChat,
    session: Session,
    turns: list[tuple[str, Reply]],
    status: int = 200,
) -> Response:
    token = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
    response = render(request, "chat.html", _context(session, turns, token), status_code=status)
    response.set_cookie(
        COOKIE, token, max_age=COOKIE_SECONDS, path=PATH, httponly=True,
        secure=chat.secure, samesite="strict",
    )  # fmt: skip
    return response


def _context(session: Session, turns: list[tuple[str, Reply]], token: str) -> dict[str, Any]:
    last = turns[-1][1]
    return {
        "turns": turns,
        "state": session,
        "choices": last.choices,
        "reply_lang": last.lang,
        "form_token": token,
        "step_value": session.step.value,
    }


def _page_language() -> str:
    """The page's language as the conversation's default (the page speaks en, uk, bg)."""
    return texts.language(current()) or texts.DEFAULT


def _session(lang: str, seen: str, step: str, country: str, travel: str, passport: str) -> Session:
    """The conversation's state from the form: anything not one of the known codes is dropped."""
    steps = {s.value: s for s in Step}
    return Session(
        lang=texts.language(lang),
        seen=texts.language(seen),
        step=steps.get(step, Step.IDLE),
        country=country if country in texts.countries() else None,
        travel=travel if travel in TRAVEL else None,
        passport=passport if passport in PASSPORT else None,
    )


def _label_of(choice: str, reply: Reply) -> str:
    """What a pressed button said (shown as the person's turn)."""
    kind, _, value = choice.partition(":")
    if kind == "lang":
        return texts.NAMES.get(value, "")
    if kind == "country":
        return (
            texts.country_name(value, reply.lang)
            if value != "other"
            else say("country_other", reply.lang)
        )
    if kind in ("travel", "passport"):
        key = "unknown" if value == "unknown" else f"{kind}_{value}"
        return say(key, reply.lang) if key in texts.messages() else ""
    keys = {"q": "btn_questions", "hotlines": "btn_hotlines", "restart": "btn_again"}
    return say(keys[kind], reply.lang) if kind in keys else ""
