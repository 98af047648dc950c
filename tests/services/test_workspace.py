"""The workstation's analysis as services: the link chart, paths, the map, the
timeline, saved charts and the chart's export (``nitka.services.workspace``,
``nitka.services.exports``), the entity page, the faceted search, and where each
role starts. Need-to-know holds in every answer, each answer names in the audit
trail the entities it showed, and the roles that read no case data are refused
on record."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.analysis.graph import PHONE
from nitka.model.handling import HandlingCode
from nitka.model.statement import Provenance
from nitka.services import cases, exports, home, profiles, workspace
from nitka.services.facets import Chosen, search_with_facets
from nitka.services.guard import NotFoundError, RefusedError, transaction
from tests.analysis.ring import (
    ADDRESS,
    PASSPORT,
    RECRUITER,
    RECRUITER_PHONE,
    RELATIVE,
    TRIP,
    VICTIM_NAMES,
    VICTIMS,
)
from tests.helpers import make_entity, store_entities
from tests.services.people import (
    ADMINISTRATOR,
    ANALYST,
    AUDITOR,
    INVESTIGATOR,
    NO_CASE_DATA,
    OUTSIDER,
    last_record,
    records,
    ring_with_accounts,
)

NOTICE = "p-notice"
VISIT, KHARKIV = "trip-c2", "addr-kharkiv"
"""The recruiter's trip known only in case c2, and where it went."""
RESTRICTION = "tell the NCB of the requesting country before acting"


@pytest.fixture
def ring(engine: Engine) -> Engine:
    """The ring, an H3 notice on the recruiter's associate in case c1, and a trip of
    the recruiter's known only in case c2."""
    ring_with_accounts(engine)
    store_entities(
        engine,
        [
            make_entity("Address", KHARKIV, full="вул. Сумська 10, Харків"),
            make_entity(
                "Trip",
                VISIT,
                involved=RECRUITER,
                startLocation=ADDRESS,
                endLocation=KHARKIV,
                startDate="2024-05-01",
                name="Odesa to Kharkiv",
            ),
        ],
        Provenance("npu", case="c2"),
    )
    store_entities(
        engine,
        [
            make_entity("Person", NOTICE, name="Ivan Franko"),
            make_entity("Associate", "assoc-notice", person=RECRUITER, associate=NOTICE),
        ],
        Provenance("wanted", case="c1", handling=HandlingCode.H3, handling_note=RESTRICTION),
    )
    return engine


def _call(engine: Engine, ask: Callable[[Connection], Any]) -> Any:
    with transaction(engine) as conn:
        return ask(conn)


def test_a_member_expands_the_chart_within_the_case_and_it_is_recorded(ring: Engine) -> None:
    graph = _call(ring, lambda conn: workspace.expand_chart(conn, INVESTIGATOR, [RECRUITER]))
    assert {RECRUITER, PASSPORT, ADDRESS, PHONE + RECRUITER_PHONE} <= set(graph.nodes)
    assert RELATIVE not in graph.nodes, "the relative is known only in case c2"
    record = last_record(ring)
    assert (record["actor"], record["action"], record["outcome"]) == (
        "investigator.in", "view", "done",
    )  # fmt: skip
    assert record["subject"] == {"expand": [RECRUITER]} and record["purpose"] == "workstation"
    assert record["entities"] == sorted(graph.entity_ids())
    assert RECRUITER in record["entities"] and RELATIVE not in record["entities"]
    assert not any(e.startswith(PHONE) for e in record["entities"]), "a number is no entity"


def test_need_to_know_holds_in_the_path_the_timeline_and_the_map(ring: Engine) -> None:
    path = _call(ring, lambda conn: workspace.find_path(conn, INVESTIGATOR, RECRUITER, RELATIVE))
    assert path is None, "no path through what the investigator may not see"
    assert last_record(ring)["entities"] == []
    items = _call(ring, lambda conn: workspace.timeline(conn, INVESTIGATOR, [RECRUITER]))
    assert TRIP in {i.id for i in items} and VISIT not in {i.id for i in items}
    assert VISIT not in last_record(ring)["entities"]
    asked = [RECRUITER, TRIP, VISIT]
    points, routes, unplaced = _call(ring, lambda conn: workspace.places(conn, INVESTIGATOR, asked))
    assert RECRUITER in {p.entity for p in points} and [r["entity"] for r in routes] == [TRIP]
    assert not {VISIT, KHARKIV} & {p.entity for p in points}
    assert not {VISIT, KHARKIV} & {u.entity for u in unplaced}
    placed_or_not = {p.entity for p in points} | {u.entity for u in unplaced}
    assert set(last_record(ring)["entities"]) == placed_or_not | {TRIP}
    # The outsider, a member of case c2 only, sees c2's trip and none of case c1.
    outsider = [
        _call(ring, lambda conn: workspace.expand_chart(conn, OUTSIDER, [RECRUITER, *VICTIMS])),
        _call(ring, lambda conn: workspace.timeline(conn, OUTSIDER, [RECRUITER])),
        _call(ring, lambda conn: workspace.places(conn, OUTSIDER, [RECRUITER, TRIP, *VICTIMS])),
    ]
    assert RECRUITER not in outsider[0].nodes and not set(VICTIMS) & set(outsider[0].nodes)
    assert [i.id for i in outsider[1]] == [VISIT]
    assert outsider[2] == ([], [], [])
    shown = [r["entities"] for r in records(ring) if r["actor"] == OUTSIDER.name]
    assert len(shown) == 3 and not {RECRUITER, TRIP, *VICTIMS} & {e for ids in shown for e in ids}


def test_a_protected_victim_shows_an_analyst_no_name(ring: Engine) -> None:
    graph = _call(ring, lambda conn: workspace.expand_chart(conn, ANALYST, list(VICTIMS)))
    text = str(graph.as_dict())
    assert not any(name in text for name in VICTIM_NAMES)


@pytest.mark.parametrize("actor", NO_CASE_DATA)
def test_the_roles_that_read_no_case_data_are_refused_on_record(ring: Engine, actor: Actor) -> None:
    asks: list[Callable[[Connection], Any]] = [
        lambda conn: workspace.desk(conn, actor),
        lambda conn: workspace.expand_chart(conn, actor, [RECRUITER]),
        lambda conn: workspace.find_path(conn, actor, RECRUITER, PASSPORT),
        lambda conn: workspace.timeline(conn, actor, [RECRUITER]),
        lambda conn: workspace.places(conn, actor, [RECRUITER]),
        lambda conn: workspace.keep_chart(conn, actor, "c1", "ring", [RECRUITER], {}),
        lambda conn: workspace.open_chart(conn, actor, 1),
        lambda conn: exports.export_chart(conn, actor, [RECRUITER], format="graphml"),
        lambda conn: profiles.profile(conn, actor, RECRUITER),
        lambda conn: search_with_facets(conn, actor, "Petrenko", Chosen()),
        lambda conn: home.start_page(conn, actor),
    ]
    before = len(records(ring))
    for ask in asks:
        with pytest.raises(RefusedError, match="reads no case data"):
            _call(ring, ask)
        refusal = last_record(ring)
        assert (refusal["actor"], refusal["outcome"]) == (actor.name, "refused")
        assert refusal["entities"] == []
    assert len(records(ring)) == before + len(asks)


def test_a_chart_is_saved_in_a_case_of_the_actor_and_opened_as_they_may_see_it(
    ring: Engine,
) -> None:
    ids = [RECRUITER, RELATIVE, PHONE + RECRUITER_PHONE]
    chart_id = _call(
        ring, lambda conn: workspace.keep_chart(conn, INVESTIGATOR, "c1", "ring", ids, {})
    )
    saved = last_record(ring)
    assert saved["action"] == "change"
    assert saved["subject"] == {"chart saved": chart_id, "case": "c1"}
    opened = _call(ring, lambda conn: workspace.open_chart(conn, INVESTIGATOR, chart_id))
    assert set(opened.graph.nodes) == {RECRUITER, PHONE + RECRUITER_PHONE}
    assert opened.chart.ids == ids, "the chart keeps what was saved; the drawing is filtered"
    desk = _call(ring, lambda conn: workspace.desk(conn, INVESTIGATOR))
    assert [c["id"] for c in desk.cases] == ["c1"] and [c["id"] for c in desk.saved] == [chart_id]
    # The outsider neither saves into case c1 nor opens its chart, on record.
    with pytest.raises(RefusedError) as raised:
        _call(ring, lambda conn: workspace.keep_chart(conn, OUTSIDER, "c1", "mine", ids, {}))
    assert raised.value.field == "case"
    assert last_record(ring)["outcome"] == "refused"
    with pytest.raises(NotFoundError):
        _call(ring, lambda conn: workspace.open_chart(conn, OUTSIDER, chart_id))
    refusal = last_record(ring)
    assert (refusal["actor"], refusal["outcome"], refusal["entities"]) == (
        OUTSIDER.name, "refused", [],
    )  # fmt: skip
    assert _call(ring, lambda conn: workspace.desk(conn, OUTSIDER)).saved == []


def test_the_chart_export_refuses_h3_data_as_the_cli_export_does(ring: Engine) -> None:
    with pytest.raises(RefusedError) as by_cli:
        _call(ring, lambda conn: exports.export_store(conn, INVESTIGATOR, io.BytesIO(), path="-"))
    with pytest.raises(RefusedError) as by_chart:
        _call(
            ring,
            lambda conn: exports.export_chart(conn, INVESTIGATOR, [NOTICE], format="graphml"),
        )
    for refused in (by_cli.value, by_chart.value):
        assert refused.field == "permission" and "under H3" in str(refused)
        assert RESTRICTION in str(refused)
    assert last_record(ring)["outcome"] == "refused"
    # Only a link to the notice on the chart: its statements would leave too.
    with pytest.raises(RefusedError, match="under H3"):
        _call(
            ring,
            lambda conn: exports.export_chart(
                conn, INVESTIGATOR, [RECRUITER, NOTICE], format="anx"
            ),
        )
    data = _call(
        ring,
        lambda conn: exports.export_chart(
            conn, INVESTIGATOR, [NOTICE], format="anx", permission="NCB Kyiv 2026/117"
        ),
    )
    assert b"Ivan Franko" in data
    record = last_record(ring)
    assert record["subject"]["permission"] == "NCB Kyiv 2026/117" and NOTICE in record["entities"]


def test_a_chart_export_holds_nothing_outside_the_actors_cases(ring: Engine) -> None:
    data = _call(
        ring,
        lambda conn: exports.export_chart(
            conn, INVESTIGATOR, [RECRUITER, PASSPORT, RELATIVE], format="graphml"
        ),
    )
    assert RECRUITER.encode() in data and PASSPORT.encode() in data
    assert RELATIVE.encode() not in data and b"Petro Petrenko" not in data
    assert RELATIVE not in last_record(ring)["entities"]


def test_the_entity_page_and_the_faceted_search_apply_need_to_know(ring: Engine) -> None:
    page = _call(ring, lambda conn: profiles.profile(conn, INVESTIGATOR, RECRUITER))
    assert PASSPORT in page.graph.nodes and RELATIVE not in page.graph.nodes
    seen = last_record(ring)
    assert RECRUITER in seen["entities"] and seen["result_size"] == len(page.entity.statements)
    with pytest.raises(NotFoundError):
        _call(ring, lambda conn: profiles.profile(conn, INVESTIGATOR, RELATIVE))
    assert last_record(ring)["outcome"] == "refused"
    found = _call(ring, lambda conn: search_with_facets(conn, INVESTIGATOR, "Petrenko", Chosen()))
    assert [f.entity.id for f in found.results] == [RECRUITER]
    assert found.counts["case"] == {"c1": 1}
    searched = last_record(ring)
    assert searched["action"] == "search" and searched["entities"] == [RECRUITER]
    only_c2 = Chosen({"case": ["c2"]})
    nothing = _call(ring, lambda conn: search_with_facets(conn, OUTSIDER, "Олександр", only_c2))
    assert nothing.results == []


def test_each_role_starts_where_its_work_is(ring: Engine) -> None:
    assert home.start_of(INVESTIGATOR) is home.Start.CASE_DATA
    assert home.start_of(AUDITOR) is home.Start.AUDIT_TRAIL
    assert home.start_of(ADMINISTRATOR) is home.Start.CASES
    assert cases.opens_cases(ANALYST) and not cases.opens_cases(ADMINISTRATOR)
    page = _call(ring, lambda conn: home.start_page(conn, INVESTIGATOR))
    assert page.cases == [{"id": "c1", "title": "Recruitment ring, Odesa"}]


def test_a_case_is_shown_a_page_at_a_time_and_the_record_names_that_page(ring: Engine) -> None:
    everything = _call(ring, lambda conn: cases.workspace(conn, INVESTIGATOR, "c1", per_page=500))
    assert everything.pages == 1 and everything.total == len(everything.entities) > 4
    first = _call(ring, lambda conn: cases.workspace(conn, INVESTIGATOR, "c1", per_page=3))
    assert (first.page, len(first.entities), first.total) == (1, 3, everything.total)
    assert set(last_record(ring)["entities"]) == {row["id"] for row in first.entities}
    last = _call(ring, lambda conn: cases.workspace(conn, INVESTIGATOR, "c1", page=99, per_page=3))
    assert last.page == last.pages == -(-everything.total // 3)

    def page(number: int) -> list[str]:
        found = _call(
            ring, lambda conn: cases.workspace(conn, INVESTIGATOR, "c1", page=number, per_page=3)
        )
        return [row["id"] for row in found.entities]

    paged = [entity for number in range(1, last.pages + 1) for entity in page(number)]
    assert paged == [row["id"] for row in everything.entities]
