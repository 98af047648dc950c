"""The ingest runner: batches, rollback or reject, resume, idempotence; bad records."""

import uuid
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, select

from nitka.errors import IngestError, RecordError
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import OnError, ingest
from nitka.model.statement import Provenance
from nitka.search.query import search
from nitka.store.db import make_engine
from nitka.store.reader import count_statements, get_entity
from nitka.store.tables import ingest_run, statement


def _person(n: int, **props: object) -> dict[str, object]:
    properties: dict[str, object] = {"name": [f"Person {n}"], "birthDate": ["1980-01-01"]}
    properties.update(props)
    return {"id": f"p{n}", "schema": "Person", "properties": properties}


def _write_lines(path: Path, records: list[object]) -> Path:
    lines = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _run(engine: Engine, path: Path, **kwargs: object) -> object:
    converter = FtMConverter(str(path), "test")
    return ingest(engine, converter, Provenance(dataset="test"), **kwargs)  # type: ignore[arg-type]


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return count_statements(conn)


BAD_RECORDS = [
    pytest.param(b'{"id": "p4", "schema": "Person", "prop', "(json)", id="broken-json"),
    pytest.param("Олена".encode("cp1251"), "(encoding)", id="wrong-encoding"),
    pytest.param(
        b'{"id": "p4", "schema": "Person", "properties": {"name": ["'
        + "Олена".encode("cp1251")
        + b'"]}}',
        "(encoding)",
        id="wrong-encoding-in-json",
    ),
    pytest.param(b'["p4", "Person"]', "(json)", id="not-an-object"),
    pytest.param({"id": "p4", "schema": "Spaceship"}, "schema", id="unknown-schema"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_RECORDS)
def test_a_bad_record_names_file_record_and_field_and_rolls_back_its_batch(
    engine: Engine, tmp_path: Path, bad: object, field: str
) -> None:
    path = _write_lines(
        tmp_path / "in.jsonl", [_person(1), _person(2), _person(3), bad, _person(5)]
    )
    with pytest.raises(RecordError) as caught:
        _run(engine, path, batch_size=2)
    error = caught.value
    assert (error.path, error.record, error.field) == (str(path), 4, field)
    assert str(path) in str(error) and "record 4" in str(error) and field in str(error)
    # Batch 1 (records 1-2) was committed; batch 2 (records 3-4) was rolled back.
    with engine.connect() as conn:
        assert get_entity(conn, "p2") is not None
        assert get_entity(conn, "p3") is None
    assert _count(engine) == 2 * 3


@pytest.mark.parametrize(("bad", "field"), BAD_RECORDS)
def test_reject_mode_keeps_the_good_records_and_files_the_bad_one(
    engine: Engine, tmp_path: Path, bad: object, field: str
) -> None:
    path = _write_lines(
        tmp_path / "in.jsonl", [_person(1), _person(2), _person(3), bad, _person(5)]
    )
    rejects = tmp_path / "rejects.jsonl"
    report = _run(engine, path, batch_size=2, on_error=OnError.REJECT, reject_path=str(rejects))
    assert report.rejected == 1  # type: ignore[attr-defined]
    assert _count(engine) == 4 * 3
    rejected = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert len(rejected) == 1
    assert rejected[0]["record"] == 4 and rejected[0]["field"] == field


BAD_VALUES = [
    pytest.param(_person(4, birthDate=["1984-13-45"]), "properties.birthDate", id="wrong-date"),
    pytest.param(_person(4, shoeSize=["44"]), "properties.shoeSize", id="unknown-property"),
    pytest.param(_person(4, nationality=["Atlantis"]), "properties.nationality", id="no-country"),
    pytest.param(_person(4, name=["Person 4", "x" * 70_000]), "properties.name", id="huge-field"),
]


@pytest.mark.parametrize("on_error", [OnError.ROLLBACK, OnError.REJECT])
@pytest.mark.parametrize(("bad", "field"), BAD_VALUES)
def test_a_bad_value_is_left_out_with_a_note_and_its_record_kept(
    engine: Engine, tmp_path: Path, bad: dict[str, object], field: str, on_error: OnError
) -> None:
    path = _write_lines(
        tmp_path / "in.jsonl", [_person(1), _person(2), _person(3), bad, _person(5)]
    )
    rejects = tmp_path / "rejects.jsonl"
    report = _run(engine, path, batch_size=2, on_error=on_error, reject_path=str(rejects))
    assert (report.rejected, report.dropped_values) == (0, 1)  # type: ignore[attr-defined]
    (note,) = [orjson.loads(line) for line in rejects.read_bytes().splitlines()]
    assert (note["record"], note["field"], note["record_kept"]) == (4, field, True)
    assert note["value"] and note["data"]["id"] == "p4"
    with engine.connect() as conn:
        stored = get_entity(conn, "p4")
    assert stored is not None
    kept = stored.proxy()
    assert kept.get("name") == ["Person 4"]
    prop = field.split(".")[1]
    if prop in kept.schema.properties and prop != "name":
        assert kept.get(prop) == []


def test_an_empty_file_is_refused_and_nothing_is_stored(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        _run(engine, path)
    assert _count(engine) == 0


def test_ingesting_the_same_file_twice_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "in.jsonl", [_person(n) for n in range(1, 8)])
    _run(engine, path, batch_size=3)
    with engine.connect() as conn:
        first = sorted(tuple(r) for r in conn.execute(select(statement)))
    report = _run(engine, path, batch_size=3)
    with engine.connect() as conn:
        second = sorted(tuple(r) for r in conn.execute(select(statement)))
    assert first == second
    assert report.resumed_after == 0  # type: ignore[attr-defined]


class StopIngestError(Exception):
    pass


def test_an_interrupted_ingest_resumes_after_the_last_committed_batch(
    engine: Engine, tmp_path: Path
) -> None:
    path = _write_lines(tmp_path / "in.jsonl", [_person(n) for n in range(1, 11)])

    def stop_after_first_batch(_records: int) -> None:
        raise StopIngestError

    with pytest.raises(StopIngestError):
        _run(engine, path, batch_size=4, progress=stop_after_first_batch)
    assert _count(engine) == 4 * 3
    with engine.connect() as conn:
        run = conn.execute(select(ingest_run)).one()
    assert run.records_done == 4 and not run.finished
    report = _run(engine, path, batch_size=4)
    assert report.resumed_after == 4  # type: ignore[attr-defined]
    assert report.records == 6  # type: ignore[attr-defined]
    assert _count(engine) == 10 * 3
    with engine.connect() as conn:
        assert conn.execute(select(ingest_run.c.finished)).scalar_one()


@pytest.mark.parametrize("height", ["tall", "nan", "180 cm"])
def test_a_mapped_number_must_be_a_number(tmp_path: Path, height: str) -> None:
    from followthemoney import model

    from nitka.ingest.values import set_value

    person = model.make_entity("Person")
    with pytest.raises(RecordError) as caught:
        set_value(person, "height", height, field="Height")
    assert caught.value.field == "Height"
    set_value(person, "height", "1,78", field="Height")
    assert person.get("height")


def test_a_csv_with_a_header_only_is_refused(tmp_path: Path) -> None:
    from nitka.ingest.readers import read_csv

    path = tmp_path / "empty.csv"
    path.write_text("name,birthDate\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no records"):
        list(read_csv(str(path)))


def test_postgresql_search_indexes_hold_no_pending_entries_after_an_ingest(
    engine: Engine, tmp_path: Path
) -> None:
    """A GIN index's pending list is read through by every search until merged:
    an ingest merges what it left there (``flush_pending_index_entries``)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("GIN pending lists are PostgreSQL's")
    pending = (
        "SELECT sum(s.pending_tuples) FROM pg_index AS i "
        "JOIN pg_class AS c ON c.oid = i.indexrelid JOIN pg_am AS a ON a.oid = c.relam, "
        "pgstatginindex(i.indexrelid) AS s "
        "WHERE i.indrelid = 'search_name'::regclass AND a.amname = 'gin'"
    )
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
    _run(engine, _write_lines(tmp_path / "in.jsonl", [_person(n) for n in range(1, 40)]))
    with engine.begin() as conn:
        assert conn.exec_driver_sql(pending).scalar_one() == 0
        # What a plain write leaves there, for the contrast: the list is in use.
        conn.exec_driver_sql(
            "INSERT INTO search_name (canonical_id, schema, name, keys, skel, facets) "
            "VALUES ('x', 'Person', 'Ivan', 'ivan', 'vn', 'schema:person')"
        )
        assert conn.exec_driver_sql(pending).scalar_one() > 0


def test_postgresql_a_role_that_may_only_write_ingests_and_leaves_the_lists_to_autovacuum(
    engine: Engine, tmp_path: Path
) -> None:
    """Merging a GIN pending list is the index owner's right; a team whose
    ingest role was only granted writes must still ingest."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL roles")
    role = f"nitka_writer_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        database = conn.exec_driver_sql("SELECT current_database()").scalar_one()
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'writer'")
        conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {role}")
        conn.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    writer = make_engine(
        engine.url.set(username=role, password="writer").render_as_string(hide_password=False)
    )
    try:
        path = _write_lines(tmp_path / "in.jsonl", [_person(n) for n in range(1, 6)])
        report = _run(writer, path)
        assert report.records == 5  # type: ignore[attr-defined]
        with writer.connect() as conn:
            assert count_statements(conn) == 15
            assert {r.id for r in search(conn, "Person")} == {f"p{n}" for n in range(1, 6)}
    finally:
        writer.dispose()
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
