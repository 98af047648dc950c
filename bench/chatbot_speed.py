"""The chatbot's reply time: 50 chats at once against the local fake Bot API
(``tests/ads/chat/fake_telegram.py``), each sending offers one after another and
waiting for the answer; reply p50 and p95 from the update's arrival at the fake
server to the bot's sendMessage (docs/benchmarks.md, Public chatbot).

The fake server and the 50 people run in a process of their own, as Telegram and
its users are not on the bot's machine; the bot answers with the real screening
engine (``screen_ad``), or with the tests' keyword screen (``--screen keywords``)
to see the bot's own share.

    PYTHONPATH=src:. python bench/chatbot_speed.py [--chats 50] [--messages 10]
        [--screen engine|keywords]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection

from tests.ads.chat.fake_telegram import TOKEN, FakeTelegram, fake_telegram
from tests.ads.chat.keyword_screen import describe, keyword_screen

from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import Dialogue
from nitka.ads.chat.engine import chat_engine, warm
from nitka.ads.chat.memory import RateLimit
from nitka.ads.chat.telegram_bot import ChatBot, make_bot, run

OFFERS = (
    "Робота для дівчат без досвіду, хостес у Дубаї, паспорт тримає агенція, пишіть у вайбер.",
    "Работа в Польше без опыта, дорога из зарплаты, оплата за визу вперёд, пишите в telegram.",
    "Работа в Германия за момичета, без опит, такса 300 евро, паспортът остава при нас.",
    "Seasonal fruit picking in Bulgaria through a licensed agency; written contract in English.",
)


async def chat(fake: FakeTelegram, number: int, messages: int) -> None:
    """One person: an offer, wait for the answer, the next offer."""
    chat_id = 10_000 + number
    for turn in range(messages):
        await fake.text(chat_id, OFFERS[(number + turn) % len(OFFERS)])
        await fake.wait_reply(chat_id, turn + 1, timeout=60)


async def people(pipe: Connection, chats: int, messages: int) -> None:
    """The fake Telegram and its users: the URL out, the latencies back."""
    async with fake_telegram() as fake:
        pipe.send(fake.url)
        # The bot's start (its session, the first long poll, the engine's first
        # load) is not a reply's time.
        await chat(fake, -1, 2)
        fake.sent.clear()
        await asyncio.gather(*(chat(fake, n, messages) for n in range(chats)))
        pipe.send([s.latency for s in fake.sent])


def telegram_side(pipe: Connection, chats: int, messages: int) -> None:
    asyncio.run(people(pipe, chats, messages))


async def bot_side(pipe: Connection, dialogue: Dialogue, messages: int) -> list[float]:
    url = await asyncio.to_thread(pipe.recv)
    bot_chat = ChatBot(dialogue, Counts(None), RateLimit(burst=messages + 1))
    stop = asyncio.Event()
    running = asyncio.create_task(run(bot_chat, make_bot(TOKEN, url), stop))
    latencies: list[float] = await asyncio.to_thread(pipe.recv)
    stop.set()
    await asyncio.wait_for(running, 10)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--screen", choices=("engine", "keywords"), default="engine")
    args = parser.parse_args()
    if args.screen == "engine":
        screen, described = chat_engine()
        warm(screen)  # as `nitka ads bot` does before its first poll
        dialogue = Dialogue(screen, described)
    else:
        dialogue = Dialogue(keyword_screen, describe)
    mine, theirs = multiprocessing.Pipe()
    other = multiprocessing.get_context("spawn").Process(
        target=telegram_side, args=(theirs, args.chats, args.messages)
    )
    other.start()
    cpu = time.process_time()
    latencies = asyncio.run(bot_side(mine, dialogue, args.messages))
    cpu = time.process_time() - cpu
    other.join(10)
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{args.chats} chats x {args.messages} offers, screen {args.screen}: "
        f"{len(latencies)} replies, p50 {cuts[49] * 1000:.1f} ms, "
        f"p95 {cuts[94] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
        f"the bot's processor time {cpu / len(latencies) * 1000:.2f} ms a reply"
    )


if __name__ == "__main__":
    main()
