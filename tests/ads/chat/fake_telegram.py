"""A fake Telegram Bot API server (aiohttp) for the bot's tests and benchmark:
``getMe``, ``getUpdates`` (long polling), ``sendMessage``, ``answerCallbackQuery``
and ``deleteWebhook``, enough for aiogram. Never the real Telegram.

A test puts updates in (``push``: a raw update, malformed ones too) and waits for
the messages the bot sends (``wait_for``); each sent message records how long
after its chat's last update it came (``latencies``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

BOT_ID = 123456
TOKEN = f"{BOT_ID}:TEST-not-a-real-token"


@dataclass
class Sent:
    chat_id: int
    text: str
    buttons: list[str]
    """The buttons' callback data, row by row."""
    latency: float


@dataclass
class FakeTelegram:
    url: str = ""
    updates: list[tuple[int, Any]] = field(default_factory=list)
    """(number, update): an update may carry a malformed ``update_id`` of its own."""
    sent: list[Sent] = field(default_factory=list)
    calls: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _pushed_at: dict[int, float] = field(default_factory=dict)
    _replies: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    _closing: bool = False

    async def push(self, update: dict[str, Any], chat_id: int | None = None) -> int:
        """Queue a raw update (``update_id`` added unless given); the chat's clock starts."""
        number = next(self._numbers)
        update = {"update_id": number, **update}
        if chat_id is not None:
            self._pushed_at[chat_id] = time.perf_counter()
        async with self._arrived:
            self.updates.append((number, update))
            self._arrived.notify_all()
        return number

    async def text(self, chat_id: int, text: str, language_code: str | None = "en") -> int:
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "T"}
        if language_code:
            sender["language_code"] = language_code
        message = {
            "message_id": next(self._numbers),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "T"},
            "from": sender,
            "text": text,
        }
        return await self.push({"message": message}, chat_id)

    async def press(self, chat_id: int, data: str, language_code: str | None = "en") -> int:
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "T"}
        if language_code:
            sender["language_code"] = language_code
        query = {
            "id": str(next(self._numbers)),
            "from": sender,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "…",
            },
        }
        return await self.push({"callback_query": query}, chat_id)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Sent]:
        """The messages sent, once there are at least ``count``."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.sent) >= count)
        return list(self.sent)

    async def wait_reply(self, chat_id: int, count: int, timeout: float = 10.0) -> None:
        """Until the chat has had ``count`` messages from the bot."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: self._replies[chat_id] >= count)

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    # The Bot API.

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        if request.match_info["token"] != TOKEN:
            return _answer({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        form = dict(await request.post())
        if request.content_type == "application/json":
            form = await request.json()
        handler = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "answercallbackquery": self._true,
            "deletewebhook": self._true,
        }.get(method.lower())
        if handler is None:
            return _answer({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return _answer({"ok": True, "result": await handler({k: str(v) for k, v in form.items()})})

    async def _true(self, _: dict[str, str]) -> bool:
        return True

    async def _get_me(self, _: dict[str, str]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Nitka", "username": "nitka_test_bot"}

    async def _get_updates(self, form: dict[str, str]) -> list[Any]:
        offset = int(form.get("offset") or 0)
        timeout = float(form.get("timeout") or 0)
        async with self._arrived:
            self.updates = [(n, u) for n, u in self.updates if n >= offset]
            if not self.updates and timeout:
                try:
                    async with asyncio.timeout(timeout):
                        await self._arrived.wait_for(lambda: bool(self.updates) or self._closing)
                except TimeoutError:
                    pass
            return [u for _, u in self.updates[:100]]

    async def _send_message(self, form: dict[str, str]) -> dict[str, Any]:
        chat_id = int(form["chat_id"])
        markup = orjson.loads(form["reply_markup"]) if form.get("reply_markup") else {}
        buttons = [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
        started = self._pushed_at.get(chat_id, time.perf_counter())
        sent = Sent(chat_id, form["text"], buttons, time.perf_counter() - started)
        async with self._arrived:
            self.sent.append(sent)
            self._replies[chat_id] += 1
            self._arrived.notify_all()
        return {
            "message_id": len(self.sent),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": form["text"],
        }


def _answer(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


@asynccontextmanager
async def fake_telegram(host: str = "127.0.0.1") -> AsyncIterator[FakeTelegram]:
    """A running fake Bot API on a free local port."""
    fake = FakeTelegram()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    fake.url = f"http://{host}:{port}"
    try:
        yield fake
    finally:
        fake._closing = True  # long polls still open end now
        async with fake._arrived:
            fake._arrived.notify_all()
        await runner.cleanup()
