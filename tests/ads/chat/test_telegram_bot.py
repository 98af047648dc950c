"""The bot against a local fake Bot API (``fake_telegram``), never Telegram: it
answers offers, buttons and updates it cannot read, keeps to its rate limit, and
writes nothing of a message to the logs or the store, only counts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import Engine

from nitka.ads.chat.counts import Counts, read_counts
from nitka.ads.chat.dialogue import Dialogue
from nitka.ads.chat.memory import RateLimit
from nitka.ads.chat.telegram_bot import ChatBot, make_bot, run, split
from nitka.ads.chat.texts import say
from tests.ads.chat.fake_telegram import TOKEN, FakeTelegram, fake_telegram
from tests.ads.chat.keyword_screen import describe, keyword_screen
from tests.ads.chat.stored_rows import stored_rows

SECRET = "Hostess job for girls, no experience, passport kept, fee 300, write Zoryana7731"
CHAT = 987654321


def with_bot(
    scenario: Callable[[FakeTelegram, ChatBot], Awaitable[None]],
    counts: Counts | None = None,
    limit: RateLimit | None = None,
) -> ChatBot:
    chat = ChatBot(
        Dialogue(keyword_screen, describe),
        counts or Counts(None),
        limit or RateLimit(burst=100, per_second=10),
    )

    async def main() -> None:
        async with fake_telegram() as fake:
            bot = make_bot(TOKEN, fake.url)
            stop = asyncio.Event()
            running = asyncio.create_task(run(chat, bot, stop))
            try:
                await scenario(fake, chat)
            finally:
                stop.set()
                await asyncio.wait_for(running, 10)

    asyncio.run(main())
    return chat


def test_an_offer_is_answered_with_its_reasons_and_buttons() -> None:
    async def scenario(fake: FakeTelegram, _: ChatBot) -> None:
        await fake.text(CHAT, SECRET)
        sent = await fake.wait_for(1)
        assert sent[0].chat_id == CHAT
        assert say("risky", "en") in sent[0].text and "EN documents_retained" in sent[0].text
        assert "q" in sent[0].buttons and "lang:uk" in sent[0].buttons

    with_bot(scenario)


def test_buttons_lead_through_the_questions() -> None:
    async def scenario(fake: FakeTelegram, _: ChatBot) -> None:
        steps = ["q", "country:PL", "travel:fee", "passport:self"]
        for number, data in enumerate(steps, start=1):
            await fake.press(CHAT, data, "bg")
            await fake.wait_for(number)
        await fake.text(CHAT, "строителство", "bg")
        sent = await fake.wait_for(5)
        assert say("q_country", "bg") in sent[0].text
        assert say("q_job", "bg") in sent[3].text
        assert say("risky", "bg") in sent[4].text and "BG upfront_fee" in sent[4].text
        assert "0800 20 100" in sent[4].text

    with_bot(scenario)


def test_updates_it_cannot_read_are_answered_and_do_not_stop_the_bot() -> None:
    async def scenario(fake: FakeTelegram, _: ChatBot) -> None:
        await fake.push({"message": {"chat": {"id": CHAT, "type": "private"}, "text": 5}})
        await fake.push({"message": {"chat": {"id": "x"}}})
        await fake.push({"callback_query": None})
        await fake.push({"update_id": "seven"})
        picture = {"file_id": "f", "file_unique_id": "u", "type": "regular", "width": 1,
                   "height": 1, "is_animated": False, "is_video": False}  # fmt: skip
        chat = {"id": CHAT + 1, "type": "private"}
        sticker = {"message_id": 3, "date": 1, "chat": chat, "sticker": picture}
        await fake.push({"message": sticker})
        group = {"message_id": 4, "date": 1, "chat": {"id": -5, "type": "group"}, "text": SECRET}
        await fake.push({"message": group})
        await fake.text(CHAT + 2, "/start", "ru")
        sent = await fake.wait_for(3)
        await asyncio.sleep(0.2)
        assert [s.text for s in fake.to(CHAT)] == [say("not_text", "en")]
        assert [s.text for s in fake.to(CHAT + 1)] == [say("not_text", "en")]
        assert fake.to(-5) == []  # no answers in groups
        assert say("greeting", "ru") in fake.to(CHAT + 2)[0].text
        assert len(sent) == 3

    with_bot(scenario)


def test_a_chat_over_its_limit_is_told_once_then_not_answered() -> None:
    async def scenario(fake: FakeTelegram, _: ChatBot) -> None:
        for _number in range(5):
            await fake.text(CHAT, "/start")
        await fake.text(CHAT + 1, "/start")
        await fake.wait_for(4)
        await asyncio.sleep(0.3)
        texts = [s.text for s in fake.to(CHAT)]
        assert len(texts) == 3 and texts[-1] == say("rate", "en")
        assert len(fake.to(CHAT + 1)) == 1

    with_bot(scenario, limit=RateLimit(burst=2, per_second=0.001))


def test_nothing_of_a_message_reaches_the_logs_or_the_store(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    counts = Counts(engine, every=0)

    async def scenario(fake: FakeTelegram, _: ChatBot) -> None:
        await fake.text(CHAT, SECRET, "uk")
        await fake.push({"message": {"chat": {"id": CHAT, "type": "private"}, "text": [SECRET]}})
        await fake.press(CHAT, "q")
        await fake.wait_for(3)

    with_bot(scenario, counts=counts)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in ("Zoryana7731", "Hostess", str(CHAT), TOKEN.split(":")[1]):
        assert secret not in logged
    with engine.connect() as conn:
        written = read_counts(conn)
    stored = stored_rows(engine)
    assert any(row.startswith("chat_count: ") for row in stored)
    for row in stored:  # every table, not only the counts
        assert not any(s in row for s in ("Zoryana", "ostess", str(CHAT))), row
    assert {c.channel for c in written} == {"telegram"}
    whats = {(c.lang, c.what): c.n for c in written}
    assert whats[("en", "offer")] == 1 and whats[("en", "risky")] == 1
    assert whats[("en", "ind:documents_retained")] == 1
    assert whats[("en", "unread")] == 1


def test_counts_add_up_across_flushes(engine: Engine) -> None:
    from datetime import date

    from nitka.ads.chat.dialogue import Tally

    counts = Counts(engine, every=0)
    for _ in range(3):
        counts.add(Tally("uk", ("offer", "risky"), ("upfront_fee",)), date(2026, 5, 1))
        counts.flush()
    with engine.connect() as conn:
        found = {(c.day, c.lang, c.what): c.n for c in read_counts(conn)}
    assert found == {
        ("2026-05-01", "uk", "offer"): 3,
        ("2026-05-01", "uk", "risky"): 3,
        ("2026-05-01", "uk", "ind:upfront_fee"): 3,
    }


def test_long_replies_are_split_between_paragraphs() -> None:
    text = "\n\n".join(["x" * 3000] * 3)
    parts = split(text)
    assert [len(p) for p in parts] == [3000, 3000, 3000]
    assert split("y" * 5000) == ["y" * 4096, "y" * 904]
