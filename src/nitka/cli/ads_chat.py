"""``nitka ads bot | bot-counts``: the public chatbot on Telegram, and what it
counted (docs/ads.md, Public chatbot). ``register_commands`` adds the same
commands to another group (``nitka ads``)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from nitka.ads.chat.counts import Counts, read_counts
from nitka.ads.chat.dialogue import Dialogue
from nitka.ads.chat.engine import chat_engine, warm
from nitka.cli.context import emit_json, fail, open_store, settings, stdout

if TYPE_CHECKING:
    from aiogram import Bot

    from nitka.ads.chat.telegram_bot import ChatBot


def register_commands(ads_app: typer.Typer) -> None:
    ads_app.command("bot")(bot_command)
    ads_app.command("bot-counts")(counts_command)


def bot_command(
    ctx: typer.Context,
    token: str | None = typer.Option(
        None, "--token", envvar="NITKA_TELEGRAM_TOKEN", show_envvar=False,
        help="The bot's token (default: NITKA_TELEGRAM_TOKEN).",
    ),
    api_url: str | None = typer.Option(
        None, "--api-url", help="The Bot API's address (default: NITKA_TELEGRAM_API_URL)."
    ),
) -> None:  # fmt: skip
    """Run the Telegram bot until stopped (Ctrl-C): it answers offers and questions in
    private chats, and writes only counts by day, language and indicator."""
    given = settings(ctx)
    token = token or given.telegram_token
    if not token:
        fail("give the bot's token: --token or NITKA_TELEGRAM_TOKEN")
    # aiogram (its hundreds of models) loads only for this command, not for every `nitka`.
    from nitka.ads.chat.telegram_bot import ChatBot, make_bot

    engine = open_store(ctx)
    screen, describe = chat_engine()
    warm(screen)
    chat = ChatBot(Dialogue(screen, describe), Counts(engine, channel="telegram"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        bot = make_bot(token, api_url or given.telegram_api_url)
    except Exception as exc:
        fail(f"the token is not a bot token ({type(exc).__name__})")
    asyncio.run(_until_stopped(chat, bot))


async def _until_stopped(chat: ChatBot, bot: Bot) -> None:
    from nitka.ads.chat.telegram_bot import run

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await run(chat, bot, stop)


def counts_command(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="From this day on (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """What the chatbot counted, by day, channel (web, telegram), language and event or
    indicator (no more is kept)."""
    engine = open_store(ctx)
    with engine.connect() as conn:
        try:
            found = read_counts(conn, since)
        except ValueError:
            fail("--since is a day: YYYY-MM-DD")
    if as_json:
        emit_json([{"day": c.day, "channel": c.channel, "lang": c.lang, "what": c.what, "n": c.n}
                   for c in found])  # fmt: skip
        return
    table = Table("day", "channel", "language", "what", "count")
    for count in found:
        table.add_row(count.day, count.channel, count.lang, count.what, f"{count.n:,}")
    stdout.print(table)
