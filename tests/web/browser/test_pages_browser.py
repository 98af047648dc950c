"""Issue 21's page points in a real browser: an entity's key facts on the first
screen of a 1366x768 laptop (a sanctioned person with 18 names), the case page
a page of 50 entities at a time with a working next link, and a chosen
language (Ukrainian, Bulgarian) kept from link to link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import Engine

from nitka.demo import DATA
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities
from tests.web.browser.conftest import PageErrors, screenshot
from tests.web.browser.test_workstation_browser import sign_in
from tests.web.serving import Service
from tests.web.workstation import workstation

ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
"""Aleksandr Vyacheslavovich Zakharov of the demo's OpenSanctions sample: 18 names
and aliases in Cyrillic and Latin, birth, nationality, tax numbers."""
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
HEADER_FACTS = ("names", "born", "nationality", "identifiers", "sources", "cases", "latest-hit")
BULK = 120
"""Entities added to case c1, so that its page has three pages."""
SPOKEN = {
    "uk": ("Українська", "Справи", "Об'єкти"),
    "bg": ("Български", "Дела", "Обекти"),
}
"""The language link, then the translated words of the cases page and a case's page."""


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        sample = DATA / "zala_entities.ftm.jsonl"
        ingest(engine, CONVERTERS["ftm"](str(sample), "opensanctions_zala", ConverterOptions()),
               Provenance("opensanctions_zala"))  # fmt: skip
        store_entities(
            engine,
            [make_entity("Person", ZAKHAROV, notes="Seen at the Odesa port, March 2024")],
            Provenance("npu", case="c1"),
        )
        bulk = [make_entity("Person", f"p-bulk-{n:03}", name=f"Bulk Person {n:03}")
                for n in range(BULK)]  # fmt: skip
        store_entities(engine, bulk, Provenance("npu", case="c1"))
        yield running


def _page(browser: Browser, errors: PageErrors) -> Page:
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    context.set_default_timeout(20_000)
    return errors.watch(context.new_page())


def test_key_facts_on_the_first_screen_and_the_case_a_page_at_a_time(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = _page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    page.goto(f"{service.url}/ui/entities/{ZAKHAROV}")
    facts = page.get_by_test_id("key-facts")
    expect(facts).to_contain_text("Захаров")
    for key in HEADER_FACTS:
        box = facts.locator(f'[data-fact="{key}"]').bounding_box()
        assert box is not None, f"no {key} in the header"
        assert box["y"] + box["height"] <= LAPTOP["height"], f"{key} below the first screen"
    screenshot(page, "entity-laptop", tmp_path)

    page.goto(f"{service.url}/ui/cases/c1")
    rows = page.locator("section[aria-labelledby=entities] tbody tr")
    assert 0 < rows.count() <= 50
    first_page = set(rows.locator("a").all_inner_texts())
    expect(page.get_by_test_id("entity-count")).to_contain_text("page 1 of 3")
    page.get_by_test_id("pager").locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"/ui/cases/c1\?page=2$"))
    expect(page.get_by_test_id("entity-count")).to_contain_text("page 2 of 3")
    assert 0 < rows.count() <= 50
    assert not first_page & set(rows.locator("a").all_inner_texts())
    expect(page.get_by_test_id("pager").locator("a[rel=prev]")).to_be_visible()


def test_a_chosen_language_stays_chosen_from_link_to_link(
    browser: Browser, service: Service, page_errors: PageErrors
) -> None:
    for language, (switch, cases, entities) in SPOKEN.items():
        page = _page(browser, page_errors)
        sign_in(page, service.url, "investigator.in")
        page.locator(f"a.lang[hreflang={language}]", has_text=switch).click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        # Two links on, without ?lang= in them: the language is still the chosen one.
        page.locator("nav a[href='/ui/cases']").click()
        expect(page).to_have_url(re.compile(r"/ui/cases$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("nav a[href='/ui/cases']")).to_have_text(cases)
        page.locator("main a[href='/ui/cases/c1']").first.click()
        expect(page).to_have_url(re.compile(r"/ui/cases/c1$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#entities")).to_have_text(entities)
        page.context.close()
