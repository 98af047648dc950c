"""Issue 21, points 10 and 11, in a real browser: the chart's nodes do not overlap
(before and after an expansion), calls join the people behind the numbers, the
timeline's items are whole (not clipped), and Japanese and Arabic names are
drawn with the bundled Noto fonts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.analysis.ring import RECRUITER, RECRUITER_PHONE
from tests.helpers import make_entity, store_entities
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import chart, sign_in
from tests.web.serving import Service
from tests.web.workstation import workstation

JAPANESE, ARABIC = "山田太郎", "محمد العلي"
JP_PHONE, AR_PHONE = "+81312345678", "+971501234567"
OVERLAPS = """(w) => {
  const boxes = w.chart.cy.nodes().filter((n) => !n.isParent()).map((n) => [n.id(),
    n.boundingBox({ includeLabels: false, includeOverlays: false })]);
  const found = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) found.push(a + " & " + b);
    }
  return found;
}"""
CLIPPED = """() => [...document.querySelectorAll('[data-timeline] .vis-item .vis-item-content')]
  .filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1)
  .map((c) => c.textContent)"""
LOADED = """(family) => [...document.fonts].some((f) => f.family.replaceAll('"', '') === family
  && f.status === 'loaded')"""


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        suspect = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
        people = [
            make_entity("Person", "p-jp", name=JAPANESE, phone=JP_PHONE),
            make_entity("Person", "p-ar", name=ARABIC, phone=AR_PHONE),
        ]
        calls = [
            make_entity("Call", f"call-{n}-{caller}", callerNumber=caller, receiverNumber=receiver,
                        startDate=f"2024-03-1{n}T08:00:00", duration="190")
            for n, (caller, receiver) in enumerate(
                [(JP_PHONE, AR_PHONE), (AR_PHONE, RECRUITER_PHONE), (JP_PHONE, RECRUITER_PHONE)]
            )
        ]  # fmt: skip
        store_entities(engine, people, suspect)
        store_entities(engine, calls, Provenance("cdr", case="c1"))
        yield running


def _open(page: Page, base: str, ids: list[str]) -> None:
    page.goto(f"{base}/ui/chart?{urlencode([('id', i) for i in ids])}")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")


def test_nodes_apart_calls_between_people_items_whole_and_fonts_bundled(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    _open(page, service.url, ["p-jp", "p-ar"])
    assert chart(page, OVERLAPS) == []
    # The call between the two numbers joins the two people, the numbers on the edge.
    numbers = chart(
        page,
        "(w) => w.chart.cy.edges('[schema = \"Call\"]').filter((e) => e.source().id() === 'p-jp'"
        " && e.target().id() === 'p-ar').map((e) => e.data('numbers'))",
    )
    assert numbers == [[f"{JP_PHONE} → {AR_PHONE}"]]

    # An expansion lays the new nodes out among the old: still none on another.
    before = len(chart(page, "(w) => w.chart.cy.nodes().map((n) => n.id())"))
    chart(page, "(w, id) => w.chart.expand([id]).then(() => null)", RECRUITER)
    assert len(chart(page, "(w) => w.chart.cy.nodes().map((n) => n.id())")) > before
    assert chart(page, OVERLAPS) == []

    # The timeline says who and what, whole; the full text is in the tooltip too.
    page.wait_for_function(
        "() => document.querySelectorAll('[data-timeline] .vis-item .item-text').length >= 3"
    )
    texts = page.locator("[data-timeline] .vis-item .item-text").all_inner_texts()
    assert f"{JAPANESE} → {ARABIC}: call 3 min" in texts
    assert page.evaluate(CLIPPED) == []

    # The names are drawn with the bundled fonts, loaded for the scripts shown.
    for family in ("Noto Sans JP", "Noto Sans Arabic", "Noto Sans"):
        page.wait_for_function(LOADED, arg=family)
    assert page.evaluate("() => document.fonts.check('12px \"Noto Sans JP\"', '山田太郎')")
    assert page.evaluate("() => document.fonts.check('12px \"Noto Sans Arabic\"', 'محمد')")
    screenshot(page, "chart-timeline", tmp_path)
