"""The statistics page and a case's legal criteria in a real browser (Debian's
Chromium through Playwright): the charts are drawn by the bundled Chart.js, and one
override with a reason is submitted and shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.assess.cases import BROTHERS
from tests.web.assess_served import assessed_served
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import sign_in


@pytest.fixture
def base(engine: Engine) -> Iterator[str]:
    with assessed_served(engine) as url:
        yield url


def test_the_statistics_charts_are_drawn_and_an_override_is_made(
    browser: Browser, base: str, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, base, "investigator.in")
    page.goto(f"{base}/ui/statistics?start=2025-01-01&end=2025-12-31")
    canvas = page.locator("canvas[data-nitka-stat-chart=partner_countries]")
    expect(canvas).to_have_attribute("data-drawn", "4")
    painted = canvas.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
    )
    assert painted > 100
    screenshot(page, "statistics", tmp_path)

    page.goto(f"{base}/ui/cases/{BROTHERS}/criteria")
    row = page.locator("tr[data-criterion='untoc.3.2']")
    expect(row).to_have_attribute("data-state", "unknown")
    form = page.get_by_test_id("override-untoc-3-2")
    form.locator("select[name=state]").select_option("met")
    form.locator("input[name=reason]").fill("witness: victims taken abroad")
    form.get_by_role("button").click()
    expect(row).to_have_attribute("data-state", "met")
    expect(row.get_by_test_id("overridden")).to_contain_text("witness: victims taken abroad")
