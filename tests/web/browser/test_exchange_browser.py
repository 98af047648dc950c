"""A message drafted, approved and sent in the Kyiv workstation, and seen arriving
in the Sofia workstation's inbox: two running instances, real HTTP between
them, two browsers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from nitka.access.accounts import set_password
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from tests.exchange.agencies import KYIV, SOFIA, Agency, make_agency, make_partners
from tests.helpers import make_entity, store_entities
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import sign_in
from tests.web.workstation import PASSWORD

CASE = "2026-THB-017"
SUSPECT = "ua-npu-suspect-3"


@pytest.fixture
def agencies(
    engine: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> Iterator[tuple[Agency, Agency]]:
    sofia_engine = make_engine(second_database_url)
    kyiv = make_agency(KYIV, engine, database_url, tmp_path, CASE)
    sofia = make_agency(SOFIA, sofia_engine, second_database_url, tmp_path, "BG-THB-88")
    make_partners(kyiv, sofia)
    for agency in (kyiv, sofia):
        with agency.engine.begin() as conn:
            for user in agency.users:
                set_password(conn, user, PASSWORD)
    store_entities(
        kyiv.engine,
        [make_entity("Person", SUSPECT, name="Олег Бондар", birthDate="1988-07-14")],
        Provenance("npu-thb", case=CASE, category=DataSubjectCategory.SUSPECT),
    )
    yield kyiv, sofia
    sofia_engine.dispose()


def test_a_message_goes_from_one_workstation_to_the_others_inbox(
    browser: Browser, agencies: tuple[Agency, Agency], page_errors: PageErrors, tmp_path: Path
) -> None:
    kyiv, sofia = agencies
    with kyiv.running(tmp_path), sofia.running(tmp_path):
        officer = new_page(browser, page_errors)
        sign_in(officer, kyiv.url, "ua.officer")
        officer.get_by_role("link", name="Exchange").click()
        form = officer.locator("form[hx-post='/ui/exchange/draft']")
        form.locator("select[name=kind]").select_option("request-information")
        form.locator("select[name=to]").select_option(SOFIA)
        form.locator("select[name=case]").select_option(CASE)
        form.locator("input[name=subject]").fill("Recruiter seen in Varna?")
        form.locator("input[name=legal_basis]").fill("Art. 4 of the bilateral agreement")
        form.locator("input[name=entities]").fill(SUSPECT)
        form.locator("textarea[name=text]").fill("Please tell us whether he entered Bulgaria.")
        form.get_by_role("button", name="Draft").click()
        expect(officer.get_by_test_id("message-status")).to_have_text("draft")
        message_url = officer.url

        # The author may not approve their own message; another supervisor may.
        expect(officer.get_by_role("button", name="Approve")).to_have_count(0)
        supervisor = new_page(browser, page_errors)
        sign_in(supervisor, kyiv.url, "ua.supervisor")
        waiting = supervisor.locator("section[aria-labelledby=waiting]")
        expect(waiting).to_contain_text("Recruiter seen in Varna?")  # on the start page
        supervisor.goto(message_url)
        supervisor.get_by_role("button", name="Approve").click()
        expect(supervisor.get_by_test_id("message-status")).to_have_text("approved")

        officer.reload()
        officer.get_by_role("button", name="Send").click()
        expect(officer.get_by_test_id("message-status")).to_have_text(re.compile("sent|delivered"))
        screenshot(officer, "exchange-message", tmp_path)

        # Sofia's liaison officer finds it in the inbox, with the person it is about.
        liaison = new_page(browser, page_errors)
        sign_in(liaison, sofia.url, "bg.officer")
        waiting = liaison.locator("section[aria-labelledby=waiting]")
        for _ in range(60):
            if "Recruiter seen in Varna?" in waiting.inner_text():
                break
            liaison.wait_for_timeout(500)
            liaison.reload()
        expect(waiting).to_contain_text("Recruiter seen in Varna?")
        liaison.goto(f"{sofia.url}/ui/exchange")
        inbox = liaison.get_by_test_id("inbox")
        expect(inbox).to_contain_text("Recruiter seen in Varna?", timeout=30_000)
        expect(inbox).to_contain_text(KYIV)
        screenshot(liaison, "exchange-inbox", tmp_path)
        inbox.get_by_role("link").first.click()
        expect(liaison.get_by_test_id("message-status")).to_have_text("received")
        expect(liaison.locator("main")).to_contain_text("Олег Бондар")
        liaison.get_by_role("button", name="Take up").click()
        expect(liaison.get_by_test_id("message-status")).to_have_text("in progress")

        # Back in Kyiv the receipt has come in.
        officer.reload()
        expect(officer.get_by_test_id("message-status")).to_have_text("delivered")
