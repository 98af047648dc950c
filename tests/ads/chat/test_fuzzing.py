"""Fuzzing: 10,000 made-up Telegram updates through the bot's update handler and
10,000 made-up messages through the dialogue; nothing raises, every reply is
something to send."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import Dialogue, Incoming, Session, Step
from nitka.ads.chat.memory import RateLimit
from nitka.ads.chat.telegram_bot import MAX_MESSAGE, ChatBot
from tests.ads.chat.fake_telegram import TOKEN
from tests.ads.chat.keyword_screen import describe, keyword_screen

EXAMPLES = 10_000
_EPOCH = datetime.fromtimestamp(0, UTC)
_numbers = itertools.count(1)


class RecordingSession(BaseSession):
    """Answers the bot's calls in memory (the fuzzer's updates need no network)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[SendMessage] = []

    async def close(self) -> None:
        pass

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendMessage):
            self.sent.append(method)
            chat = Chat(id=int(method.chat_id), type="private")
            answer: Any = Message(
                message_id=next(_numbers), date=_EPOCH, chat=chat, text=method.text
            )
            return answer  # type: ignore[no-any-return]
        return True  # type: ignore[return-value]

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""


TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=50),
    st.sampled_from(["", " ", "/start", "/lang ru", "/lang", "/check", "/hotlines", "/x@bot",
                     "Hostess job, passport kept, no experience", "😀" * 30, "\x00" * 10]),
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
CHAT_ID = st.one_of(st.integers(min_value=-(2**63), max_value=2**63), JSON)
CHAT = st.fixed_dictionaries(
    {"id": CHAT_ID, "type": st.sampled_from(["private", "group", "channel", 5])}
)
SENDER = st.fixed_dictionaries(
    {"id": st.integers(min_value=1, max_value=2**40), "is_bot": st.booleans(),
     "first_name": TEXT},
    optional={"language_code": st.one_of(st.sampled_from(["uk", "ru", "bg", "en", "de"]), JSON)},
)  # fmt: skip
MESSAGE = st.fixed_dictionaries(
    {"message_id": st.integers(min_value=0, max_value=2**31), "date": st.integers(0, 2**33),
     "chat": CHAT},
    optional={"text": st.one_of(TEXT, JSON), "caption": TEXT, "from": SENDER, "sticker": JSON},
)  # fmt: skip
CALLBACK = st.fixed_dictionaries(
    {"id": st.text(max_size=5), "from": SENDER, "chat_instance": st.text(max_size=5)},
    optional={"data": st.one_of(st.text(max_size=80), st.sampled_from(
        ["q", "hotlines", "restart", "lang:uk", "lang:", "country:PL", "country:ZZ",
         "travel:wages", "passport:employer", "travel:" + "x" * 100])), "message": MESSAGE},
)  # fmt: skip
UPDATE = st.one_of(
    st.fixed_dictionaries({"update_id": st.integers(0, 2**31)}, optional={"message": MESSAGE}),
    st.fixed_dictionaries({"update_id": st.integers(0, 2**31), "callback_query": CALLBACK}),
    st.dictionaries(st.sampled_from(["update_id", "message", "callback_query", "x"]), JSON),
    JSON,
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=UPDATE)
def test_made_up_updates_are_answered_or_passed_over_never_a_crash(raw: Any) -> None:
    _fuzz_loop().run_until_complete(_CHAT.feed(_BOT, _DISPATCHER, raw))
    for sent in _SESSION.sent:
        assert 0 < len(sent.text) <= MAX_MESSAGE
    _SESSION.sent.clear()


STEP = st.sampled_from(list(Step))
SESSION = st.builds(
    Session,
    lang=st.sampled_from([None, "uk", "ru", "bg", "en"]),
    seen=st.sampled_from([None, "uk", "en"]),
    step=STEP,
    country=st.sampled_from([None, "UA", "BG", "PL"]),
)
INCOMING = st.builds(
    Incoming,
    text=st.one_of(st.none(), TEXT),
    choice=st.one_of(
        st.none(), st.text(max_size=20), st.sampled_from(["q", "lang:bg", "travel:fee"])
    ),
    hint=st.one_of(st.none(), st.text(max_size=6)),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(session=SESSION, incoming=INCOMING)
def test_made_up_messages_get_a_reply_in_a_language_the_bot_speaks(
    session: Session, incoming: Incoming
) -> None:
    after, reply = Dialogue(keyword_screen, describe).answer(session, incoming)
    assert reply.lang in ("uk", "ru", "bg", "en")
    assert reply.plain().strip()
    assert isinstance(after, Session)
    reply.plain().encode("utf-8")  # sendable: no lone surrogates left


_SESSION = RecordingSession()
_BOT = Bot(TOKEN, session=_SESSION)
_CHAT = ChatBot(
    Dialogue(keyword_screen, describe), Counts(None), RateLimit(burst=10**9, per_second=1)
)
_DISPATCHER = _CHAT.dispatcher()
_LOOP: list[asyncio.AbstractEventLoop] = []


def _fuzz_loop() -> asyncio.AbstractEventLoop:
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
    return _LOOP[0]


def teardown_module() -> None:
    for loop in _LOOP:
        loop.close()
