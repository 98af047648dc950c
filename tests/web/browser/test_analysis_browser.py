"""The Analysis panel in a real browser (issue 23, point 6): ``calls common 200 5`` on the
VAST sample in case c1 shows the three common contacts in a table; "Open in chart"
draws their calls, and the timeline and the map follow; the time slider narrows the
chart and the timeline together."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from nitka.model.statement import Provenance
from tests.analysis.records import ingest_vast_sample
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import chart, sign_in
from tests.web.serving import Service
from tests.web.workstation import workstation


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        ingest_vast_sample(engine, Provenance("vast2008", case="c1"))
        yield running


def test_common_contacts_in_the_panel_then_on_the_chart(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    page.goto(f"{service.url}/ui/chart")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    panel = page.locator("[data-analysis]")
    panel.locator("[data-analysis-query]").select_option("calls/common")
    fields = panel.locator('[data-analysis-params="calls/common"]')
    fields.locator("input[name=numbers]").fill("200 5")
    fields.locator("select[name=case]").select_option("c1")
    panel.get_by_role("button", name="Run").click()
    results = page.get_by_test_id("analysis-results")
    expect(results).to_have_attribute("data-rows", "3")
    numbers = results.locator("tbody tr td:first-child").all_text_contents()
    assert numbers == ["1", "137", "97"]

    panel.get_by_role("button", name="Open in chart").click()
    expect(panel.locator("[data-analysis-status]")).to_contain_text("on the chart")
    nodes = chart(page, "(w) => w.chart.cy.nodes().map((n) => n.id())")
    assert {"phone:200", "phone:5", "phone:1", "phone:137", "phone:97"} <= set(nodes)
    calls = chart(page, "(w) => w.chart.cy.edges('[schema = \"Call\"]').length")
    assert calls >= 3
    timeline = page.locator("[data-timeline]")
    expect(timeline).to_have_attribute("data-items", re.compile(r"^[1-9]\d*$"))
    shown = int(timeline.get_attribute("data-items") or 0)

    # The slider's start handle to its end: one day left, fewer links and items.
    start = page.locator('[data-slider="start"]')
    last = int(start.get_attribute("max") or 0)
    assert last > 0
    start.fill(str(last))
    hidden = chart(page, "(w) => w.chart.cy.edges('.outside').length")
    assert hidden > 0
    assert int(timeline.get_attribute("data-shown") or shown) < shown
    screenshot(page, "analysis-panel", tmp_path)
