"""Documents and vehicles are looked up in the store by exact key, not held in memory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic import command
from sqlalchemy import Engine, select

from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance, statements_from_entity
from nitka.screen.checks import check, parse_query
from nitka.screen.lists import load_index
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.db import make_engine
from nitka.store.migrate import alembic_config, upgrade
from nitka.store.tables import search_name
from nitka.store.writer import write_statements
from tests.helpers import make_entity
from tests.postgres import scratch_database

PASSPORT: dict[str, Any] = {
    "id": "sltd-ua-fe123456",
    "schema": "Passport",
    "properties": {"number": ["FE 123456"], "country": ["ua"], "type": ["stolen"]},
}
CAR: dict[str, Any] = {
    "id": "smv-wvw",
    "schema": "Vehicle",
    "properties": {"registrationNumber": ["WVWZZZ1JZXW000001", "AA1234BX"], "country": ["ua"]},
}


def _ingest(engine: Engine, tmp_path: Path, dataset: str, *records: Mapping[str, object]) -> None:
    path = tmp_path / f"{dataset}-{uuid.uuid4().hex[:6]}.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    ingest(engine, FtMConverter(str(path), dataset), Provenance(dataset))


def _passport_query(number: str) -> dict[str, object]:
    return {"schema": "Passport", "properties": {"number": [number], "country": ["ua"]}}


def test_documents_and_vehicles_are_not_held_in_memory_but_found(
    engine: Engine, tmp_path: Path
) -> None:
    _ingest(engine, tmp_path, "sltd", PASSPORT)
    _ingest(engine, tmp_path, "smv", CAR)
    with engine.connect() as conn:
        index = load_index(conn, ["sltd", "smv"])
    assert len(index) == 0
    hits = check(index, parse_query(_passport_query("fe-123456"))).hits
    assert [hit.entry.id for hit in hits] == ["sltd-ua-fe123456"]
    assert hits[0].entry.lists == ("sltd",)
    plate = {"schema": "Vehicle", "properties": {"registrationNumber": ["АА 1234 ВХ"]}}
    assert [hit.entry.id for hit in check(index, parse_query(plate)).hits] == ["smv-wvw"]


def test_a_document_ingested_after_loading_counts_at_the_next_check(
    engine: Engine, tmp_path: Path
) -> None:
    with engine.connect() as conn:
        index = load_index(conn, ["sltd"])
    query = parse_query(_passport_query("FE123456"))
    assert not check(index, query).is_hit
    # Another process (an ingest at the NCB) writes through its own engine.
    other = make_engine(engine.url.render_as_string(hide_password=False))
    _ingest(other, tmp_path, "sltd", PASSPORT)
    other.dispose()
    assert [hit.entry.id for hit in check(index, query).hits] == ["sltd-ua-fe123456"]


def test_a_withdrawn_document_stops_hitting_at_once(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, tmp_path, "sltd", PASSPORT)
    with engine.connect() as conn:
        index = load_index(conn, ["sltd"])
    query = parse_query(_passport_query("FE123456"))
    assert check(index, query).is_hit
    with engine.begin() as conn:
        record(conn, WithdrawalKind.WITHDRAW, PASSPORT["id"], "sltd", user="u", reason="found")
    assert not check(index, query).is_hit
    with engine.begin() as conn:
        record(conn, WithdrawalKind.REINSTATE, PASSPORT["id"], "sltd", user="u", reason="error")
    assert check(index, query).is_hit


def test_a_document_held_only_in_case_data_is_never_a_hit(engine: Engine, tmp_path: Path) -> None:
    """A victim's passport in a case file is not a stolen document."""
    _ingest(engine, tmp_path, "case-2026-17", {**PASSPORT, "id": "victim-passport"})
    _ingest(engine, tmp_path, "sltd", {**CAR, "id": "other"})
    with engine.connect() as conn:
        index = load_index(conn, ["sltd"])
    assert not check(index, parse_query(_passport_query("FE123456"))).is_hit


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, on the backend of ``database_url``."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    with scratch_database(admin_url) as url:
        yield url


def test_upgrading_a_store_gives_its_stored_documents_their_lookup_keys(empty_url: str) -> None:
    old = make_engine(empty_url)
    command.upgrade(alembic_config(old), "0004")
    passport = make_entity("Passport", "p1", number="FE123456", country="ua")
    with old.begin() as conn:
        stmts = statements_from_entity(passport, Provenance("sltd"), "old:1")
        write_statements(conn, stmts, {})
    upgrade(old)
    with old.connect() as conn:
        rows = select(search_name.c.lookup_key).where(search_name.c.canonical_id == "p1")
        assert "document:FE123456" in set(conn.execute(rows).scalars())
        index = load_index(conn, ["sltd"])
    assert check(index, parse_query(_passport_query("FE123456"))).is_hit
    old.dispose()
