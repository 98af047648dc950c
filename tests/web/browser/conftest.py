"""Playwright for Python driving Debian's Chromium (``/usr/bin/chromium``), never a
browser downloaded by Playwright. Without Chromium the browser tests are
skipped, unless ``NITKA_REQUIRE_BROWSER=1`` (as CI sets), when they fail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

CHROMIUM = Path(os.environ.get("NITKA_CHROMIUM", "/usr/bin/chromium"))
ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        message = f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("NITKA_REQUIRE_BROWSER", "") not in ("", "0", "false"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS)
        yield launched
        launched.close()


class PageErrors(list[str]):
    """Script errors and failed requests of a page: a test fails on any."""

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.append(f"script error: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 4" not in message.text:
            self.append(f"console: {message.text}")


@pytest.fixture
def page_errors() -> Iterator[PageErrors]:
    errors = PageErrors()
    yield errors
    assert errors == []


def new_page(browser: Browser, errors: PageErrors) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    return errors.watch(context.new_page())


def screenshot(page: Page, name: str, tmp_path: Path) -> Path:
    """Into docs/screenshots when ``NITKA_SCREENSHOTS=1`` (``make screenshots``),
    else beside the test's other files."""
    folder = SCREENSHOTS if os.environ.get("NITKA_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
