"""The map's places, the timeline's items, and chart files for Gephi and i2."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree as ET

import networkx as nx
import pytest
from sqlalchemy import Engine, select

from nitka.access.accounts import Role
from nitka.access.cases import add_case
from nitka.analysis.chart_files import induced, to_anx, to_csv, to_gexf, to_graphml
from nitka.analysis.charts import ChartError, charts_of_case, load_chart, save_chart
from nitka.analysis.graph import PHONE
from nitka.analysis.places import places_of
from nitka.analysis.timeline import timeline_of
from nitka.ingest.cdr import CdrConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.store.tables import statement
from tests.analysis.ring import (
    CARDS,
    ORGANISER,
    ORGANISER_ACCOUNT,
    ORGANISER_PHONE,
    RECRUITER,
    RECRUITER_PHONE,
    RELATIVE,
    VICTIMS,
    store_ring,
    viewer,
)

INVESTIGATOR = viewer(Role.INVESTIGATOR, "c1")


@pytest.fixture
def ring(engine: Engine) -> Engine:
    store_ring(engine)
    return engine


def test_people_are_placed_by_their_address_and_place_of_birth(ring: Engine) -> None:
    with ring.connect() as conn:
        points, routes, _ = places_of(conn, INVESTIGATOR, [RECRUITER, *VICTIMS])
        analyst_points, _, _ = places_of(conn, viewer(Role.ANALYST, "c1"), [RECRUITER, *VICTIMS])
    by_entity = {p.entity: p for p in points}
    assert by_entity[RECRUITER].how == "full"
    assert "Одеса" in by_entity[RECRUITER].place
    assert round(by_entity[RECRUITER].lat) == 46
    for victim in VICTIMS:
        assert by_entity[victim].how == "birthPlace"
        assert "Kharkiv" in by_entity[victim].place and by_entity[victim].country == "ua"
    assert routes == []
    # An analyst may not see where the victims were born.
    assert {p.entity for p in analyst_points} == {RECRUITER}


def test_the_timeline_has_the_calls_of_a_number_and_the_payments_of_an_account(
    ring: Engine,
) -> None:
    with ring.connect() as conn:
        calls = timeline_of(conn, INVESTIGATOR, [PHONE + RECRUITER_PHONE])
        payments = timeline_of(conn, INVESTIGATOR, [ORGANISER_ACCOUNT])
        outsider = timeline_of(conn, viewer(Role.INVESTIGATOR, "c2"), [ORGANISER_ACCOUNT])
    assert [i.schema for i in calls] == ["Call"] * 3
    assert [i.start for i in calls] == sorted(i.start for i in calls)
    assert all(i.entities == {PHONE + RECRUITER_PHONE} for i in calls)
    assert calls[0].label == "Олександр Петренко → Ihor Melnyk: call 1 min"
    assert f"({RECRUITER_PHONE})" in calls[0].title and f"({ORGANISER_PHONE})" in calls[0].title
    assert [(i.schema, i.start) for i in payments] == [
        ("Payment", "2024-04-01"),
        ("Payment", "2024-04-02"),
    ]
    assert "500" in payments[0].label
    assert outsider == []


def test_graphml_is_read_back_by_networkx(ring: Engine, tmp_path: pytest.TempPathFactory) -> None:
    nodes = [RECRUITER, PHONE + RECRUITER_PHONE, PHONE + ORGANISER_PHONE, ORGANISER, RELATIVE]
    with ring.connect() as conn:
        graph = induced(conn, INVESTIGATOR, nodes)
    assert RELATIVE not in graph.nodes  # another case's person is not exported
    path = tmp_path / "chart.graphml"  # type: ignore[operator]
    path.write_bytes(to_graphml(graph))
    read = nx.read_graphml(path)
    assert set(read.nodes) == set(nodes) - {RELATIVE}
    assert read.nodes[RECRUITER]["label"] == "Олександр Петренко"
    assert read.nodes[RECRUITER]["category"] == "suspect"
    # The calls between the two numbers join their people, and name the numbers.
    call = read.edges[RECRUITER, ORGANISER]
    assert call["schema"] == "Call" and call["count"] == 3
    assert call["numbers"] == f"{RECRUITER_PHONE} → {ORGANISER_PHONE}"
    assert read.number_of_edges() == 3


def test_gexf_is_read_back_by_networkx_with_the_links_dates(
    ring: Engine, tmp_path: pytest.TempPathFactory
) -> None:
    nodes = [RECRUITER, PHONE + RECRUITER_PHONE, PHONE + ORGANISER_PHONE, ORGANISER, RELATIVE]
    with ring.connect() as conn:
        graph = induced(conn, INVESTIGATOR, nodes)
    path = tmp_path / "chart.gexf"  # type: ignore[operator]
    path.write_bytes(to_gexf(graph))
    read = nx.read_gexf(path)
    assert set(read.nodes) == set(nodes) - {RELATIVE}
    assert read.nodes[RECRUITER]["label"] == "Олександр Петренко"
    assert read.nodes[RECRUITER]["category"] == "suspect"
    call = read.edges[RECRUITER, ORGANISER]
    assert call["count"] == 3 and call["weight"] == 3
    assert call["start"] <= call["end"]  # Gephi's timeline plays the calls from first to last
    assert read.number_of_edges() == 3


def test_csv_has_a_row_per_link_and_per_lone_node(ring: Engine) -> None:
    nodes = [RECRUITER, PHONE + RECRUITER_PHONE, PHONE + ORGANISER_PHONE, ORGANISER, *CARDS]
    with ring.connect() as conn:
        graph = induced(conn, INVESTIGATOR, nodes)
    rows = list(csv.DictReader(io.StringIO(to_csv(graph).decode("utf-8"))))
    links = [row for row in rows if row["target_id"]]
    lone = [row for row in rows if not row["target_id"]]
    assert len(links) == len(graph.edges)
    call = next(row for row in links if {row["source_id"], row["target_id"]}
                == {RECRUITER, ORGANISER})  # fmt: skip
    assert call["count"] == "3" and call["link"]
    assert {call["source_label"], call["target_label"]} == {"Олександр Петренко", "Ihor Melnyk"}
    linked = {row["source_id"] for row in links} | {row["target_id"] for row in links}
    assert {row["source_id"] for row in lone} == set(graph.nodes) - linked


def test_anx_has_one_chart_item_per_node_and_link(ring: Engine) -> None:
    nodes = [*CARDS, ORGANISER_ACCOUNT, ORGANISER]
    with ring.connect() as conn:
        graph = induced(conn, INVESTIGATOR, nodes)
    root = ET.fromstring(to_anx(graph, {ORGANISER: {"x": 10.0, "y": 20.0}}))
    assert root.tag == "Chart"
    items = root.findall("./ChartItemCollection/ChartItem")
    entities = [i.find("./End/Entity") for i in items if i.find("./End/Entity") is not None]
    links = [i.find("./Link") for i in items if i.find("./Link") is not None]
    assert {e.get("EntityId") for e in entities if e is not None} == set(nodes)
    assert len(links) == 3
    ids = {e.get("EntityId") for e in entities if e is not None}
    assert all(
        link.get("End1Id") in ids and link.get("End2Id") in ids
        for link in links
        if link is not None
    )
    organiser = next(i for i in items if i.get("Label") == "Ihor Melnyk")
    assert (organiser.get("XPosition"), organiser.get("YPosition")) == ("10", "20")
    types = {t.get("Name"): t.get("IconFile") for t in root.iter("EntityType")}
    assert types["Person"] == "Person" and types["BankAccount"] == "Bank Account"


def test_a_chart_is_saved_in_a_case_and_replaced_by_name(ring: Engine) -> None:
    with ring.begin() as conn:
        add_case(conn, "c1", by="admin")
        first = save_chart(conn, "c1", "ring", [RECRUITER], {RECRUITER: {"x": 1, "y": 2}}, by="a")
        again = save_chart(conn, "c1", "ring", [RECRUITER, ORGANISER], {}, by="b")
        with pytest.raises(ChartError) as refused:
            save_chart(conn, "c1", " ", [RECRUITER], {}, by="a")
    assert refused.value.field == "name"
    assert first == again
    with ring.connect() as conn:
        saved = load_chart(conn, first)
        listed = charts_of_case(conn, "c1")
    assert saved is not None and saved.ids == [RECRUITER, ORGANISER] and saved.saved_by == "b"
    assert [c.name for c in listed] == ["ring"]


def test_a_call_is_placed_at_its_cell_tower(engine: Engine, tmp_path: Path) -> None:
    calls = tmp_path / "operator.csv"
    calls.write_text(
        "caller,receiver,start,duration,cell_id,cell_lat,cell_lon\n"
        "+380501112233,+380671234567,2024-03-01T10:00:00,60,T-17,46.4825,30.7233\n"
        "+380501112233,+380671234567,2024-03-02T10:00:00,30,T-99,,\n",
        encoding="utf-8",
    )
    ingest(engine, CdrConverter(str(calls), "operator"), Provenance("operator", case="c1"))
    with engine.connect() as conn:
        call_ids = (
            conn.execute(
                select(statement.c.canonical_id).where(statement.c.schema == "Call").distinct()
            )
            .scalars()
            .all()
        )
        points, _, _ = places_of(conn, INVESTIGATOR, call_ids)
        outsider, _, _ = places_of(conn, viewer(Role.INVESTIGATOR, "c2"), call_ids)
    assert len(call_ids) == 2
    assert [(p.how, p.place, p.lat, p.lon) for p in points] == [
        ("tower", "Cell tower T-17", 46.4825, 30.7233)
    ]
    assert outsider == []
