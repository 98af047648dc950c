"""Recruitment ads in a real browser (Debian's Chromium through Playwright): the
analysts' review list, where one click files a flagged ad into a case; and the
public chat page, where a person pastes an offer and reads the verdict and its
reasons in Ukrainian."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from nitka.settings import Settings
from nitka.web.app import create_app
from tests.web.ads_served import HOSTILE, ads_served, states
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import sign_in
from tests.web.serving import in_process

OFFER = (
    "Робота в Польщі для дівчат до 25 років, хостес у VIP клубі. Паспорт залишаєте у "
    "роботодавця. Пишіть тільки у Telegram @rabota_vip"
)


@pytest.fixture
def served(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with ads_served(engine, tmp_path) as found:
        yield found


def test_one_click_files_a_flagged_ad_into_a_case(
    browser: Browser,
    served: tuple[str, dict[str, str]],
    engine: Engine,
    page_errors: PageErrors,
    tmp_path: Path,
) -> None:
    base, ids = served
    page = new_page(browser, page_errors)
    sign_in(page, base, "investigator.in")
    page.get_by_role("link", name="Ads", exact=True).click()
    ads = page.get_by_test_id("ads")
    expect(ads.locator("li.result")).to_have_count(3)
    hostess = ads.locator(f"li[data-ad='{ids['hostess']}']")
    expect(hostess.locator("mark[data-indicators=documents_retained]")).to_have_text(
        "Паспорт залишаєте у роботодавця"
    )
    expect(hostess.locator("[data-lead=recruiter-1]")).to_contain_text("in case c1")
    expect(hostess.get_by_test_id("provenance")).to_contain_text("https://board.example/hostess")
    script = ads.locator(f"li[data-ad='{ids['script']}'] [data-testid=ad-text]")
    expect(script).to_contain_text(HOSTILE)  # shown as text, never run
    screenshot(page, "ads-review", tmp_path)

    hostess.locator("select[name=case_id]").select_option("c1")
    hostess.get_by_test_id("file").click()
    expect(hostess.get_by_test_id("filed")).to_contain_text("Filed into case c1")
    expect(hostess.get_by_test_id("file")).to_have_count(0)
    assert states(engine)[ids["hostess"]] == "filed"

    page.locator("select[name=state]").select_option("filed")
    expect(ads.locator("li.result")).to_have_count(1)
    expect(page.locator(f"li[data-ad='{ids['hostess']}']")).to_contain_text("filed into case c1")


@pytest.fixture
def chat_base(engine: Engine) -> Iterator[str]:
    with in_process(create_app(engine, (), Settings())) as running:
        yield str(running.base_url)


def test_the_public_chat_gives_a_verdict_and_its_reasons_in_ukrainian(
    browser: Browser, chat_base: str, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    page.goto(f"{chat_base}/chat?lang=uk")
    expect(page.get_by_role("heading", name="Перевірте пропозицію роботи")).to_be_visible()
    page.get_by_role("textbox", name="Ваше повідомлення").fill(OFFER)
    page.get_by_role("button", name="Надіслати").click()
    verdict = page.locator(".chat-reply[data-label=risky]")
    expect(verdict).to_have_count(1)
    expect(verdict).to_have_attribute("lang", "uk")
    expect(verdict).to_contain_text("Увага")
    expect(verdict).to_contain_text("Чому:")
    expect(verdict).to_contain_text("Роботодавець або посередник забирає ваш паспорт")
    expect(verdict).to_contain_text("Паспорт залишаєте у роботодавця")
    expect(verdict).to_contain_text("527")
    expect(page.locator(".chat-asked")).to_contain_text("хостес у VIP клубі")
    expect(page.get_by_role("textbox", name="Ваше повідомлення")).to_have_value("")
    screenshot(page, "chat-uk", tmp_path)
