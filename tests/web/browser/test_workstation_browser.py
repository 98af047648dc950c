"""The workstation in a real browser (Debian's Chromium through Playwright) against
a real running server: sign in, cross-script search, an entity's provenance,
the chart expanded and a path found, the same entity on the map and the
timeline, a screening hit, and need-to-know on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.analysis.ring import (
    CARDS,
    ORGANISER,
    ORGANISER_ACCOUNT,
    ORGANISER_PHONE,
    RECRUITER,
    RECRUITER_PHONE,
    TRIP,
    VICTIM_NAMES,
    VICTIMS,
)
from tests.helpers import make_entity, store_entities
from tests.web.browser.conftest import PageErrors, new_page, screenshot
from tests.web.serving import Service
from tests.web.workstation import PASSWORD, workstation


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        yield running


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/ui/")
    expect(page).to_have_url(re.compile(r"/ui/sign-in"))
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.get_by_test_id("account")).to_contain_text(name)


def chart(page: Page, script: str, argument: Any = None) -> Any:
    """Run ``script`` (a function of the workspace) in the page. It must not return a
    Cytoscape collection (``nodes().unselect()`` does): Playwright would serialise the
    whole chart behind it, gigabytes, and the page would run out of memory."""
    return page.evaluate(f"(argument) => ({script})(window.nitkaWorkspace, argument)", argument)


def click_node(page: Page, node_id: str) -> None:
    """Click a node where the chart drew it, as a user would."""
    box = page.get_by_test_id("chart").bounding_box()
    assert box is not None
    x, y = chart(
        page,
        "(w, id) => { const p = w.chart.cy.$id(id).renderedPosition(); return [p.x, p.y]; }",
        node_id,
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def node_ids(page: Page) -> set[str]:
    return set(chart(page, "(w) => w.chart.cy.nodes().map((n) => n.id())"))


def test_an_analysts_walk_through_search_entity_chart_map_and_timeline(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    screenshot(page, "start", tmp_path)

    # A Latin query finds the Cyrillic name.
    page.fill("input[name=q]", "Oleksandr Petrenko")
    page.press("input[name=q]", "Enter")
    result = page.get_by_role("link", name="Олександр Петренко")
    expect(result).to_be_visible()
    screenshot(page, "search", tmp_path)
    result.click()

    # Every value with its statement: source, grading, category.
    expect(page.locator("h1")).to_have_text("Олександр Петренко")
    statement = page.locator("tr[data-prop=name] [data-testid=statement]").first
    expect(statement.locator(".source")).to_have_text("npu")
    expect(statement.locator(".grading")).to_have_text(re.compile(r"^[A-F][1-6]$"))
    expect(statement.locator(".category")).to_have_text("suspect")
    expect(page.locator("table.links", has_text="FE123456")).to_have_count(1)
    # His calls, drawn between the people behind the numbers (issue 21).
    expect(page.locator("table.links[data-group=Call]")).to_contain_text("Ihor Melnyk")
    screenshot(page, "entity", tmp_path)

    # The chart: the recruiter's calls join him to the organiser, behind the numbers.
    page.get_by_role("link", name="Open in the chart").click()
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    phone, other_phone = f"phone:{RECRUITER_PHONE}", f"phone:{ORGANISER_PHONE}"
    assert {RECRUITER, phone, TRIP, ORGANISER, other_phone} <= node_ids(page)
    numbers = chart(
        page,
        "(w, ids) => w.chart.cy.edges('[schema = \"Call\"]')"
        ".filter((e) => e.source().id() === ids[0] && e.target().id() === ids[1])"
        ".map((e) => e.data('numbers'))",
        [RECRUITER, ORGANISER],
    )
    assert numbers == [[f"{RECRUITER_PHONE} → {ORGANISER_PHONE}"]]
    assert ORGANISER_ACCOUNT not in node_ids(page)
    click_node(page, ORGANISER)
    page.get_by_role("button", name="Expand selected").click()
    expect(page.locator("[data-status]")).to_contain_text("nodes")
    page.wait_for_function(
        "id => window.nitkaWorkspace.chart.cy.getElementById(id).nonempty()", arg=ORGANISER_ACCOUNT
    )
    page.fill("input[name=add]", CARDS[0])
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_function(
        "id => window.nitkaWorkspace.chart.cy.getElementById(id).nonempty()", arg=CARDS[0]
    )
    chart(page, "(w) => { w.chart.cy.nodes().unselect(); }")
    click_node(page, RECRUITER)
    click_node(page, ORGANISER_ACCOUNT)
    assert set(chart(page, "(w) => w.chart.cy.nodes(':selected').map((n) => n.id())")) == {
        RECRUITER,
        ORGANISER_ACCOUNT,
    }
    page.get_by_role("button", name="Shortest path").click()
    expect(page.locator("[data-status]")).to_have_text("A path of 2 links.")
    on_path = set(chart(page, "(w) => w.chart.cy.nodes('.path').map((n) => n.id())"))
    assert on_path == {RECRUITER, ORGANISER, ORGANISER_ACCOUNT}

    # The basemap comes from the server: country borders, and hromadas when zoomed in.
    assert page.locator("[data-map] .leaflet-overlay-pane path").count() > 100
    # The recruiter on the map (his address in Odesa) and on the timeline (his trip).
    page.wait_for_function(
        "id => (document.querySelector('[data-map]').dataset.entities || '').includes(id)",
        arg=RECRUITER,
    )
    expect(page.locator(f'[data-map] path[data-entity="{RECRUITER}"]')).to_have_count(1)
    page.wait_for_function(
        "id => (document.querySelector('[data-timeline]').dataset.entities || '').includes(id)",
        arg=RECRUITER,
    )
    expect(page.locator("[data-timeline] .vis-item", has_text="Odesa to Lviv")).to_have_count(1)
    chart(page, "(w) => { w.chart.cy.nodes().unselect(); }")
    click_node(page, RECRUITER)
    expect(page.locator("[data-map]")).to_have_attribute("data-selected", RECRUITER)
    # His trip and his calls (the calls of his number).
    expect(page.locator("[data-timeline]")).to_have_attribute(
        "data-selected", re.compile(rf"^(?=.*\b{TRIP}\b)(?=.*\bcall-0\b)")
    )
    expect(page.locator("[data-timeline] .vis-item.vis-box.vis-selected")).to_have_count(4)
    screenshot(page, "chart", tmp_path)


def test_a_screening_check_with_a_hit(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    page.get_by_role("link", name="Screening").click()
    page.fill("input[name=name]", "Сергій Аксьонов")
    page.fill("input[name=purpose]", "border check, Chop crossing")
    page.get_by_role("button", name="Check").click()
    hit = page.get_by_test_id("screen-hit")
    expect(hit).to_contain_text("AKSYONOV")
    expect(hit).to_contain_text("eu_sanctions_269_2014")
    expect(hit.locator(".explanation")).to_contain_text("script")
    screenshot(page, "screening", tmp_path)
    # A check without its purpose is refused, the form kept.
    page.fill("input[name=purpose]", "")
    page.locator("input[name=purpose]").evaluate("el => el.removeAttribute('required')")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("screen-error")).to_contain_text("purpose")


def test_no_protected_data_anywhere_for_a_user_without_membership(
    browser: Browser, service: Service, page_errors: PageErrors
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.out")
    page.goto(f"{service.url}/ui/search?q={VICTIM_NAMES[0]}")
    expect(page.get_by_test_id("result").first).to_be_visible()  # others of that name
    for victim in VICTIMS:
        expect(page.locator(f'a[href="/ui/entities/{victim}"]')).to_have_count(0)
    seen: list[str] = []
    for path in (
        f"/ui/entities/{VICTIMS[0]}",
        f"/ui/entities/{RECRUITER}",
        "/ui/cases/c1",
        "/ui/exchange",
    ):
        page.goto(service.url + path)
        seen.append(page.locator("main").inner_text())
    page.goto(f"{service.url}/ui/chart?id={CARDS[0]}&id={ORGANISER_ACCOUNT}&id={VICTIMS[0]}")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    labels = chart(page, "(w) => w.chart.cy.nodes().map((n) => n.data('label'))")
    seen.append(" ".join(labels))
    seen.append(page.locator("main").inner_text())
    text = "\n".join(seen)
    for forbidden in (*VICTIM_NAMES, "Олександр Петренко", "Kharkiv", "Ihor Melnyk"):
        assert forbidden not in text
    assert labels == []


def test_an_analyst_sees_victims_only_as_protected_placeholders(
    browser: Browser, service: Service, page_errors: PageErrors
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "analyst.in")
    page.goto(f"{service.url}/ui/entities/{VICTIMS[0]}")
    expect(page.get_by_test_id("protected")).to_be_visible()
    page.goto(f"{service.url}/ui/chart?id={CARDS[0]}")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    labels = chart(page, "(w) => w.chart.cy.nodes().map((n) => n.data('label'))")
    assert labels and not any(name in " ".join(labels) for name in VICTIM_NAMES)
    assert "Kharkiv" not in page.content()


def test_the_chart_groups_filters_by_time_saves_and_exports(
    browser: Browser, service: Service, page_errors: PageErrors, tmp_path: Path
) -> None:
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    phone, other_phone = f"phone:{RECRUITER_PHONE}", f"phone:{ORGANISER_PHONE}"
    query = urlencode([("id", RECRUITER), ("id", phone), ("id", ORGANISER)])
    page.goto(f"{service.url}/ui/chart?{query}")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    assert other_phone in node_ids(page)

    # Groups: by community; the recruiter's documents and places go with him.
    page.locator("select[data-action=group]").select_option("community")
    parents = chart(page, "(w) => w.chart.cy.nodes(':parent').map((n) => n.id())")
    assert parents and all(p.startswith("group:community ") for p in parents)
    parent_of = "(w, id) => w.chart.cy.$id(id).parent().id()"
    assert chart(page, parent_of, RECRUITER) == chart(page, parent_of, "doc-passport")
    assert chart(page, parent_of, RECRUITER) in parents
    page.locator("select[data-action=group]").select_option("nothing")
    assert chart(page, "(w) => w.chart.cy.nodes(':parent').length") == 0

    # A time window before the calls hides them, and moves the timeline.
    # The style, not visible(): Cytoscape caches an element's visibility for a while.
    calls = (
        "(w) => w.chart.cy.edges('[schema = \"Call\"]')"
        ".filter((e) => e.style('display') !== 'none').length"
    )
    assert chart(page, calls) == 1
    page.fill("input[name=window-start]", "2024-01-01")
    page.fill("input[name=window-end]", "2024-02-28")
    page.get_by_role("button", name="Filter by time").click()
    assert chart(page, calls) == 0
    page.fill("input[name=window-end]", "2024-03-31")
    page.get_by_role("button", name="Filter by time").click()
    assert chart(page, calls) == 1

    # Exports are downloads: a PNG picture, GraphML for Gephi, ANX for i2.
    for fmt, magic in (("png", b"\x89PNG"), ("graphml", b"<?xml"), ("anx", b"<?xml")):
        with page.expect_download() as waiting:
            page.locator("select[data-action=export]").select_option(fmt)
        saved = tmp_path / f"chart.{fmt}"
        waiting.value.save_as(saved)
        assert saved.read_bytes().startswith(magic), fmt
    assert b"<Chart" in (tmp_path / "chart.anx").read_bytes()

    # Saved in the case, and opened again from the case's page.
    page.fill("input[name=chart-name]", "calls of the recruiter")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-status]")).to_have_text("Saved as “calls of the recruiter”.")
    page.goto(f"{service.url}/ui/cases/c1")
    page.get_by_role("link", name="calls of the recruiter").click()
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    assert {RECRUITER, phone, ORGANISER, other_phone} <= node_ids(page)


def test_the_map_lists_what_it_could_not_place_and_keeps_every_marker_in_view(
    browser: Browser, service: Service, engine: Engine, page_errors: PageErrors, tmp_path: Path
) -> None:
    """Issue 21: addresses far apart (Moscow, London, Izhevsk) are all on the map,
    inside its edges; an Izhevsk address that says Ukraine and an ambiguous one are
    listed as not placed, with the reason."""
    case = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
    people = {
        "p-moscow": "Б-Р ЧЕРНОМОРСКИЙ Д. 17 К. 1, Г.МОСКВА, 117452",
        "p-london": "Flat 612, Romney House, 47 Marsham Street, London SW1P 3DS",
        "p-izhevsk": "272 Pushkinskaya Street, Apt 41, Izhevsk, 426008",
        "p-valencia": "Calle Mayor 3, Valencia",
    }
    entities = [
        make_entity("Person", person, name=f"Person {person}", address=address)
        for person, address in people.items()
    ]
    entities.append(make_entity("Address", "addr-wrong", full="Izhevsk", country="ua"))
    entities.append(
        make_entity("Person", "p-wrong", name="Person p-wrong", addressEntity="addr-wrong")
    )
    store_entities(engine, entities, case)
    page = new_page(browser, page_errors)
    sign_in(page, service.url, "investigator.in")
    ids = [*people, "p-wrong"]
    page.goto(f"{service.url}/ui/chart?{urlencode([('id', i) for i in ids])}")
    page.wait_for_selector("[data-nitka-workspace][data-ready=true]")
    mapped = page.get_by_test_id("map")
    expect(mapped).to_have_attribute("data-markers", "3")
    # The two people's, and the Izhevsk address itself (on the chart as a neighbour).
    expect(mapped).to_have_attribute("data-unplaced", "3")

    unplaced = page.get_by_test_id("unplaced")
    unplaced.locator("summary").click()
    expect(unplaced.locator("summary")).to_have_text("Not on the map (3):")
    expect(unplaced.locator('li[data-entity="p-valencia"]')).to_contain_text(
        re.compile(r"ambiguous: \d+ places named Valencia")
    )
    expect(unplaced.locator('li[data-entity="p-wrong"]')).to_contain_text(
        "country disagrees: Izhevsk is in RU, the address says UA"
    )
    # Every marker lies wholly inside the map's visible box.
    box = mapped.bounding_box()
    assert box is not None
    for person in ("p-moscow", "p-london", "p-izhevsk"):
        marker = page.locator(f'[data-map] path[data-entity="{person}"]').bounding_box()
        assert marker is not None
        assert box["x"] <= marker["x"] and marker["x"] + marker["width"] <= box["x"] + box["width"]
        assert (
            box["y"] <= marker["y"] and marker["y"] + marker["height"] <= box["y"] + box["height"]
        )
    screenshot(page, "map-not-placed", tmp_path)
    unplaced.locator("summary").click()  # closed again: the markers are in view
    screenshot(page, "map-placed", tmp_path)
