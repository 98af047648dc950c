"""The public chat page: served without signing in, in the page's language, the
conversation carried by the form; a form from elsewhere, a chat over its limit and
bad input are answered; nothing of a message reaches the logs or the store."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from nitka.ads.chat.dialogue import Dialogue
from nitka.ads.chat.memory import RateLimit
from nitka.ads.chat.texts import say
from nitka.settings import Settings
from nitka.web.app import create_app
from nitka.web.chat_pages import COOKIE
from tests.ads.chat.keyword_screen import describe, keyword_screen
from tests.ads.chat.stored_rows import stored_rows

SECRET = "Hostess job for girls abroad, passport kept by us, write to Myroslava5521"


@pytest.fixture
def app(engine: Engine) -> Iterator[FastAPI]:
    made = create_app(engine, [], Settings(database_url=str(engine.url)))
    made.state.web_chat.dialogue = Dialogue(keyword_screen, describe)
    made.state.web_chat.counts.every = 0
    yield made


def talk(app: FastAPI, scenario: Callable[[httpx.AsyncClient], Awaitable[None]]) -> None:
    """Run a scenario against the app in process (one client: its cookies kept).

    In a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, and asyncio.run refuses to
    start a second one there.
    """

    async def main() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await scenario(client)

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, main()).result()


def token_of(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found
    return found[1]


def test_the_page_is_public_and_speaks_the_chosen_language(app: FastAPI) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        page = await client.get("/chat?lang=uk")
        assert page.status_code == 200
        assert "Перевірте пропозицію роботи" in page.text
        assert say("greeting", "uk") in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.cookies.get(COOKIE) == token_of(page.text)

    talk(app, scenario)


def test_an_offer_and_the_questions_through_htmx(app: FastAPI, engine: Engine) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        token = token_of((await client.get("/chat")).text)
        hx = {"HX-Request": "true"}
        answer = await client.post(
            "/chat", data={"message": SECRET, "form_token": token}, headers=hx
        )
        assert answer.status_code == 200
        assert 'data-label="risky"' in answer.text and "EN documents_retained" in answer.text
        assert 'hx-swap-oob="true"' in answer.text and "<html" not in answer.text
        steps = [
            ({"choice": "q"}, "country"),
            ({"choice": "country:BG", "step": "country"}, "travel"),
            ({"choice": "travel:free", "step": "travel", "country": "BG"}, "passport"),
            ({"choice": "passport:employer", "step": "passport", "travel": "free"}, "job"),
        ]  # fmt: skip
        for sent, step in steps:
            answer = await client.post("/chat", data={"form_token": token, **sent}, headers=hx)
            assert f'name="step" value="{step}"' in answer.text
        final = await client.post(
            "/chat",
            data={"form_token": token, "step": "job", "country": "BG", "travel": "free",
                  "passport": "employer", "message": "waiter"},
            headers=hx,
        )  # fmt: skip
        assert 'data-label="risky"' in final.text and "0800 20 100" in final.text
        assert 'name="step" value="idle"' in final.text

    talk(app, scenario)


def test_a_form_without_its_cookie_is_refused(app: FastAPI) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        answer = await client.post("/chat", data={"message": SECRET, "form_token": "forged"})
        assert answer.status_code == 400
        assert "EN documents_retained" not in answer.text

    talk(app, scenario)


def test_bad_input_is_answered(app: FastAPI) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        token = token_of((await client.get("/chat")).text)
        for message, key in (("", "empty"), ("😀😀", "no_letters"), ("hi", "too_short")):
            answer = await client.post("/chat", data={"message": message, "form_token": token})
            assert answer.status_code == 200 and say(key, "en") in answer.text
        big = await client.post(
            "/chat", data={"message": "hostess passport " * 70_000, "form_token": token}
        )
        assert big.status_code == 200 and say("cut", "en", n="20,000") in big.text
        assert "hostess passport " * 40 not in big.text  # not echoed whole
        raw = await client.post(
            "/chat",
            content=b"message=%FF%FE%00hostess+job+passport&form_token=" + token.encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert raw.status_code == 200 and say("unreadable", "en") in raw.text

    talk(app, scenario)


def test_a_chat_over_its_limit_is_told_to_wait(app: FastAPI) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        app.state.web_chat.limit = RateLimit(burst=1, per_second=0.001)
        token = token_of((await client.get("/chat")).text)
        assert (
            await client.post("/chat", data={"message": SECRET, "form_token": token})
        ).status_code == 200
        over = await client.post("/chat", data={"message": SECRET, "form_token": token})
        assert over.status_code == 429 and say("rate", "en") in over.text

    talk(app, scenario)


def test_nothing_of_a_message_reaches_the_logs_or_the_store(
    app: FastAPI, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        caplog.set_level(logging.DEBUG)
        token = token_of((await client.get("/chat")).text)
        await client.post("/chat", data={"message": SECRET, "form_token": token})
        assert "Myroslava" not in caplog.text and "Hostess" not in caplog.text
        rows = stored_rows(engine)  # every table, not only the counts
        assert rows and all("Myroslava" not in row and "ostess" not in row for row in rows)
        assert any(row.startswith("chat_count: ") and " web en ind:documents_retained 1" in row
                   for row in rows)  # fmt: skip

    talk(app, scenario)
