"""Cross-script search through the store, on SQLite FTS5 and PostgreSQL."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from nitka.model.statement import Provenance
from nitka.search.query import SearchFilters, _index_scan_only, search
from tests.helpers import make_entity, store_entities

FIXTURES = Path(__file__).parent / "fixtures"
PETRENKO = ["Oleksandr Petrenko", "Aleksandr Petrenko", "Олександр Петренко", "Александр Петренко"]


@pytest.mark.parametrize("stored", PETRENKO)
def test_the_four_petrenkos_find_each_other(engine: Engine, stored: str) -> None:
    store_entities(
        engine,
        [
            make_entity("Person", "target", name=stored),
            make_entity("Person", "other", name="Олександр Петров"),
            make_entity("Person", "third", name="Oleg Petrenko"),
        ],
    )
    with engine.connect() as conn:
        for query in PETRENKO:
            results = search(conn, query)
            assert results and results[0].id == "target", (query, results)
            assert results[0].name == stored
            assert results[0].matched == ["exact", "exact"]


def _eu_pairs() -> list[tuple[str, str, str]]:
    with (FIXTURES / "eu_latin_cyrillic_names.csv").open(encoding="utf-8") as fh:
        return [(r["record_id"], r["latin"], r["cyrillic"]) for r in csv.DictReader(fh)]


@pytest.mark.parametrize("direction", ["latin-finds-cyrillic", "cyrillic-finds-latin"])
def test_real_eu_names_are_found_across_scripts(engine: Engine, direction: str) -> None:
    pairs = _eu_pairs()
    stored_index = 2 if direction == "latin-finds-cyrillic" else 1
    store_entities(
        engine, [make_entity("Person", f"eu-{p[0]}", name=p[stored_index]) for p in pairs]
    )
    missed = []
    with engine.connect() as conn:
        for pair in pairs:
            query = pair[3 - stored_index]
            top = [r.id for r in search(conn, query, limit=3)]
            if f"eu-{pair[0]}" not in top:
                missed.append((query, pair[stored_index], top))
    assert len(pairs) == 120
    assert not missed, missed


def test_filters_by_schema_dataset_country_and_case(engine: Engine) -> None:
    store_entities(
        engine,
        [make_entity("Person", "p-ua", name="Іван Коваленко", nationality="ua")],
        Provenance(dataset="npu", case="case-1"),
    )
    store_entities(
        engine,
        [make_entity("Person", "p-bg", name="Ivan Kovalenko", nationality="bg")],
        Provenance(dataset="bg_commission", case="case-2"),
    )
    store_entities(
        engine, [make_entity("Company", "c-1", name="Kovalenko Ltd")], Provenance(dataset="npu")
    )

    def ids(**filters: list[str]) -> set[str]:
        with engine.connect() as conn:
            return {r.id for r in search(conn, "Kovalenko", SearchFilters(**filters))}

    assert ids() == {"p-ua", "p-bg", "c-1"}
    assert ids(schema=["Person"]) == {"p-ua", "p-bg"}
    assert ids(schema=["Company"]) == {"c-1"}
    assert ids(dataset=["npu"]) == {"p-ua", "c-1"}
    assert ids(country=["BG"]) == {"p-bg"}
    assert ids(case=["case-1"]) == {"p-ua"}
    assert ids(case=["case-1", "case-2"]) == {"p-ua", "p-bg"}
    assert ids(dataset=["npu"], schema=["Company"]) == {"c-1"}


def test_full_matches_rank_above_partial_ones(engine: Engine) -> None:
    store_entities(
        engine,
        [
            make_entity("Person", "full", name="Марія Іванівна Коваль"),
            make_entity("Person", "partial", name="Марія Шевченко"),
        ],
    )
    with engine.connect() as conn:
        results = search(conn, "Mariia Koval")
    assert [r.id for r in results][:2] == ["full", "partial"]
    assert results[0].score > results[1].score


def test_identifiers_are_found_without_spaces_or_dashes(engine: Engine) -> None:
    store_entities(
        engine,
        [
            make_entity(
                "Person", "p1", name="A B", passportNumber="FE 123-456", phone="+380501234567"
            )
        ],
    )
    with engine.connect() as conn:
        assert [r.id for r in search(conn, "FE123456")] == ["p1"]
        assert [r.id for r in search(conn, "+380 50 123 45 67")] == ["p1"]
        assert search(conn, "FE999999") == []


def test_prefix_of_the_last_word_finds_names_while_typing(engine: Engine) -> None:
    store_entities(engine, [make_entity("Person", "p1", name="Олександр Петренко")])
    with engine.connect() as conn:
        results = search(conn, "Oleksandr Petr")
    assert [r.id for r in results] == ["p1"]
    assert results[0].matched == ["exact", "prefix"]


def test_queries_that_fold_to_nothing_return_nothing(engine: Engine) -> None:
    store_entities(engine, [make_entity("Person", "p1", name="Anna")])
    with engine.connect() as conn:
        assert search(conn, "") == []
        assert search(conn, " -- ' ") == []
        assert search(conn, 'AND OR NOT "') == []


def test_postgresql_catches_typos_with_trigrams(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the trigram fallback is PostgreSQL's (pg_trgm)")
    store_entities(engine, [make_entity("Person", "p1", name="Олександр Петренко")])
    with engine.connect() as conn:
        results = search(conn, "Petrenkp")
    assert [r.id for r in results] == ["p1"]
    assert results[0].matched == ["similar"] and 0.45 < results[0].score <= 0.5


def _plan(conn: Connection, sql: str) -> str:
    return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql))


def test_postgresql_fill_up_reads_through_the_index_and_restores_the_setting(
    engine: Engine,
) -> None:
    """The fill-up query must not scan the table: on a million names the
    planner's guess made that 100 ms (see ``_index_scan_only``)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    store_entities(
        engine,
        [
            make_entity("Person", "full", name="Марія Іванівна Коваль"),
            make_entity("Person", "partial", name="Марія Шевченко"),
        ],
    )
    fill_up = "SELECT name FROM search_name WHERE tsv @@ to_tsquery('simple', 'mariia | koval')"
    with engine.begin() as conn:
        assert "Seq Scan" in _plan(conn, fill_up)  # two rows: the planner's own choice
        with _index_scan_only(conn):
            assert "Seq Scan" not in _plan(conn, fill_up)
        assert "Seq Scan" in _plan(conn, fill_up)
        for caller in ("off", "on"):
            conn.exec_driver_sql(f"SET LOCAL enable_seqscan = {caller}")
            results = search(conn, "Mariia Koval")  # one full match: the list is filled up
            assert [r.id for r in results] == ["full", "partial"]
            setting = conn.exec_driver_sql("SELECT current_setting('enable_seqscan')")
            assert setting.scalar_one() == caller
