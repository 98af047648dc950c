"""The resolution review in a real browser (Debian's Chromium through Playwright): the
queue, a pair side by side with the waterfall, ``s`` pressed to decide "same" (the
two merged, the next pair shown), and the decision taken back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from nitka.services import resolution_review as resolving
from nitka.services.guard import transaction
from nitka.store.reader import canonical_of
from tests.services.people import INVESTIGATOR
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.browser.test_workstation_browser import sign_in
from tests.web.resolving import review_served


@pytest.fixture
def base(engine: Engine) -> Iterator[str]:
    with review_served(engine) as url:
        yield url


def _petrenko(engine: Engine) -> int:
    with transaction(engine) as conn:
        queue = resolving.queue(conn, INVESTIGATOR, limit=50)
    return next(s.candidate.id for s in queue
                if (s.candidate.left_id, s.candidate.right_id) == ("p-cyr", "p-lat"))  # fmt: skip


def _merged(engine: Engine) -> bool:
    with engine.connect() as conn:
        return canonical_of(conn, "p-cyr") == canonical_of(conn, "p-lat")


def test_review_a_pair_with_the_keyboard_and_take_it_back(
    browser: Browser, base: str, engine: Engine, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, base, "investigator.in")
    page.get_by_role("link", name="Resolution").click()
    expect(page.get_by_test_id("queue")).to_be_visible()
    expect(page.get_by_test_id("run")).to_contain_text("Largest cluster")

    petrenko = _petrenko(engine)
    page.goto(f"{base}/ui/resolve/{petrenko}")
    sides = page.get_by_test_id("side-by-side")
    expect(page.get_by_test_id("left")).to_have_text("Олександр Петренко")
    expect(page.get_by_test_id("right")).to_have_text("Oleksandr Petrenko")
    expect(sides.locator("tr[data-prop=birthDate] .common")).to_have_count(2)
    expect(sides.locator("tr[data-prop=name] .grading").first).to_have_text(
        re.compile(r"^npu · c1 · [A-F][1-6]$")
    )
    waterfall = page.get_by_test_id("waterfall")
    expect(waterfall.locator("tr", has_text="birth dates")).to_contain_text("the same date")
    expect(waterfall.locator("tr", has_text="birth dates")).to_contain_text(re.compile(r"\+\d"))
    screenshot(page, "resolve-review", tmp_path)

    page.locator("body").press("s")
    expect(page).not_to_have_url(re.compile(rf"/ui/resolve/{petrenko}$"))
    expect(page).to_have_url(re.compile(r"/ui/resolve/\d+$"))
    expect(page.get_by_test_id("waterfall")).to_be_visible()
    decided = page.locator(f"[data-testid=my-decisions] li[data-candidate='{petrenko}']")
    expect(decided).to_have_attribute("data-state", "same")
    expect(decided).to_contain_text("the same person")
    assert _merged(engine)

    decided.get_by_role("button", name="Take back").click()
    expect(page).to_have_url(re.compile(rf"/ui/resolve/{petrenko}$"))
    expect(page.get_by_role("button", name=re.compile("^Same"))).to_be_visible()
    assert not _merged(engine)
