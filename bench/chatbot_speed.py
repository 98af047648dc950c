"""The chatbot's reply time: 50 chats at once against the local fake Bot API
(``tests/ads/chat/fake_telegram.py``), each sending offers one after another and
waiting for the answer; reply p50 and p95 from the update's arrival at the fake
server to the bot's sendMessage (docs/benchmarks.md, Public chatbot).

    PYTHONPATH=src:. python bench/chatbot_speed.py [--chats 50] [--messages 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics

from tests.ads.chat.fake_telegram import TOKEN, FakeTelegram, fake_telegram
from tests.ads.chat.keyword_screen import describe, keyword_screen

from nitka.ads.chat.counts import Counts
from nitka.ads.chat.dialogue import Dialogue
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
        await fake.wait_reply(chat_id, turn + 1)


async def measure(chats: int, messages: int) -> list[float]:
    async with fake_telegram() as fake:
        bot_chat = ChatBot(
            Dialogue(keyword_screen, describe), Counts(None), RateLimit(burst=messages + 1)
        )
        stop = asyncio.Event()
        running = asyncio.create_task(run(bot_chat, make_bot(TOKEN, fake.url), stop))
        # The bot's start (its session, the first long poll) is not a reply's time.
        await chat(fake, -1, 2)
        fake.sent.clear()
        await asyncio.gather(*(chat(fake, n, messages) for n in range(chats)))
        stop.set()
        await asyncio.wait_for(running, 10)
        return [s.latency for s in fake.sent]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    args = parser.parse_args()
    latencies = asyncio.run(measure(args.chats, args.messages))
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{args.chats} chats x {args.messages} offers: {len(latencies)} replies, "
        f"p50 {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
