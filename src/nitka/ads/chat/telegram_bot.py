"""The dialogue as a Telegram bot (aiogram 3), polling the Bot API.

The Bot API's address is a setting (``NITKA_TELEGRAM_API_URL``), so that tests
and the benchmark run the bot against a local fake server, never Telegram.

Updates are fetched raw and read one by one (``RawUpdates``): aiogram's own
polling reads a whole batch at once, and one update it cannot read would stop
it at that batch for good. An update that cannot be read is answered, where
it names a private chat, with a request to send text; nothing a person sends
ends the bot. The bot answers in private chats only.

Nothing of a message is logged: failures are logged by the exception's type
alone (aiogram's exceptions carry the API's answer, which holds the messages).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods.base import TelegramMethod
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from pydantic import ValidationError

from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import Choice, Dialogue, Incoming, Reply, Tally
from nitka.ads.chat.memory import RateLimit, Sessions, chat_key
from nitka.ads.chat.texts import DEFAULT, language, say

log = logging.getLogger(__name__)

TELEGRAM_API: Final = "https://api.telegram.org"
MAX_MESSAGE: Final = 4096
"""Telegram's longest message, in characters."""
BUTTONS_A_ROW: Final = 2
POLL_SECONDS: Final = 25
INLINE_CHARS: Final = 4096
"""A message up to this long (Telegram's longest) is answered in the event loop's own
thread: its screening takes a millisecond or less, and handing it to a worker thread
costs more than that (the threads take turns holding the interpreter, every 5 ms, so
fifty answers at once wait on each other). Longer input (the web's, or a bytes
message read as text) still goes to a worker thread."""
ALLOWED_UPDATES: Final = ["message", "callback_query"]


class RawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """``getUpdates``, answered as plain JSON objects (read one at a time by ``feed``)."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


def make_bot(token: str, api_url: str = TELEGRAM_API) -> Bot:
    """A bot speaking to the Bot API at ``api_url`` (Telegram's, or a local one)."""
    server = TelegramAPIServer.from_base(api_url.rstrip("/"))
    return Bot(token, session=AiohttpSession(api=server))


@dataclass
class ChatBot:
    """The dialogue's sessions, rate limits and counts, and the bot's handlers."""

    dialogue: Dialogue
    counts: Counts
    limit: RateLimit = field(default_factory=RateLimit)
    sessions: Sessions = field(default_factory=Sessions)

    def dispatcher(self) -> Dispatcher:
        router = Router(name="nitka-chat")
        router.message.register(self.on_message)
        router.callback_query.register(self.on_callback)
        dispatcher = Dispatcher()
        dispatcher.include_router(router)
        return dispatcher

    def respond(self, chat: object, incoming: Incoming) -> Reply | None:
        """The reply to a chat's message (None: stay silent, the chat is over its limit).
        Long input is answered in a worker thread (``INLINE_CHARS``)."""
        key = chat_key(chat)
        allowed = self.limit.take(key)
        session = self.sessions.get(key)
        if allowed is None:
            return None
        if allowed is False:
            lang = session.lang or session.seen or language(incoming.hint) or DEFAULT
            self.counts.add(Tally(lang, ("limited",)))
            return Reply(lang, (say("rate", lang),))
        session, reply = self.dialogue.answer(session, incoming)
        self.sessions.put(key, session)
        self.counts.add(reply.tally)
        return reply

    async def on_message(self, message: Message, bot: Bot) -> None:
        if message.chat.type != "private":
            return
        text = message.text if message.text is not None else message.caption
        hint = message.from_user.language_code if message.from_user else None
        await self._answer(bot, message.chat.id, Incoming(text=text, hint=hint))

    async def on_callback(self, query: CallbackQuery, bot: Bot) -> None:
        try:
            await query.answer()
        except Exception as exc:
            log.warning("a button could not be acknowledged: %s", type(exc).__name__)
        place = query.message
        if isinstance(place, Message | InaccessibleMessage):
            if place.chat.type != "private":
                return
            chat_id = place.chat.id
        else:
            chat_id = query.from_user.id  # a private chat's id is its user's
        data = (query.data or "")[:64]
        hint = query.from_user.language_code
        await self._answer(bot, chat_id, Incoming(choice=data, hint=hint))

    async def _answer(self, bot: Bot, chat_id: int, incoming: Incoming) -> None:
        try:
            if len(incoming.text or "") <= INLINE_CHARS:
                reply = self.respond(chat_id, incoming)
            else:
                reply = await asyncio.to_thread(self.respond, chat_id, incoming)
            if reply is not None:
                await send(bot, chat_id, reply)
        except Exception as exc:
            log.error("a message could not be answered: %s", type(exc).__name__)

    async def feed(self, bot: Bot, dispatcher: Dispatcher, raw: object) -> None:
        """Answer one raw update; never raises."""
        try:
            if not isinstance(raw, dict):
                raise TypeError("an update is a JSON object")
            await dispatcher.feed_raw_update(bot, raw)
        except (ValidationError, TypeError, ValueError) as exc:
            log.warning("an update could not be read: %s", type(exc).__name__)
            chat_id = _private_chat(raw)
            if chat_id is not None:
                hint = _language_code(raw)
                await self._answer(bot, chat_id, Incoming(text=None, hint=hint))
        except Exception as exc:
            log.error("an update could not be answered: %s", type(exc).__name__)

    async def poll(self, bot: Bot, stop: asyncio.Event, *, timeout: int = POLL_SECONDS) -> None:
        """Fetch and answer updates until ``stop`` is set; each update is answered in
        its own task, so that one slow answer holds up no other chat."""
        dispatcher = self.dispatcher()
        offset: int | None = None
        pending: set[asyncio.Task[None]] = set()
        waited = 0.0
        while not stop.is_set():
            try:
                method = RawUpdates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
                updates = await _unless_stopped(stop, bot(method))
                if updates is None:
                    break
                waited = 0.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                waited = min(max(waited * 2, 0.5), 30.0)
                log.warning("getUpdates failed (%s): again in %.1f s", type(exc).__name__, waited)
                await _sleep_unless(stop, waited)
                continue
            for raw in updates:
                number = raw.get("update_id") if isinstance(raw, dict) else None
                if isinstance(number, int) and not isinstance(number, bool):
                    offset = max(offset or 0, number + 1)
                task = asyncio.create_task(self.feed(bot, dispatcher, raw))
                pending.add(task)
                task.add_done_callback(pending.discard)
            if self.counts.due():
                await self._flush()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        await self._flush()

    async def _flush(self) -> None:
        try:
            await asyncio.to_thread(self.counts.flush)
        except Exception as exc:
            log.error("the chat counts could not be written: %s", type(exc).__name__)


async def send(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send a reply as plain text (no parse mode: nothing in it is markup), in parts
    of at most Telegram's length, the buttons under the last."""
    parts = split(reply.plain())
    markup = keyboard(reply.choices)
    for number, part in enumerate(parts, start=1):
        last = number == len(parts)
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)


def split(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Parts of at most ``limit`` characters, cut between paragraphs where possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    parts.append(rest)
    return [p for p in parts if p] or [text[:limit] or "…"]


def keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup | None:
    if not choices:
        return None
    buttons = [InlineKeyboardButton(text=c.label, callback_data=c.data) for c in choices]
    rows = [buttons[i : i + BUTTONS_A_ROW] for i in range(0, len(buttons), BUTTONS_A_ROW)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def run(chat: ChatBot, bot: Bot, stop: asyncio.Event | None = None) -> None:
    """Run the bot until ``stop`` is set (or the task is cancelled); closes the bot's session."""
    stop = stop or asyncio.Event()
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await chat.poll(bot, stop)
    finally:
        await bot.session.close()


def _private_chat(raw: object) -> int | None:
    """The private chat an update that cannot be read came from, if it says."""
    if not isinstance(raw, dict):
        return None
    message = raw.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    chat_id = chat.get("id")
    if isinstance(chat_id, int) and not isinstance(chat_id, bool) and abs(chat_id) < 2**52:
        return chat_id
    return None


def _language_code(raw: object) -> str | None:
    if not isinstance(raw, dict):
        return None
    message = raw.get("message")
    sender = message.get("from") if isinstance(message, dict) else None
    code = sender.get("language_code") if isinstance(sender, dict) else None
    return code if isinstance(code, str) else None


async def _unless_stopped(
    stop: asyncio.Event, call: Coroutine[Any, Any, list[dict[str, Any]]]
) -> list[dict[str, Any]] | None:
    """The call's answer, or None as soon as ``stop`` is set (the long poll given up)."""
    answer = asyncio.ensure_future(call)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({answer, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if answer.done():
        stopped.cancel()
        return answer.result()
    answer.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await answer
    return None


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
