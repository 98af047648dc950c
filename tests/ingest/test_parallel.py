"""Parsing in a parser process gives the same store as parsing in the writer."""

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, select

from nitka.demo import DATA, SAMPLES
from nitka.errors import IngestError, RecordError
from nitka.ingest.base import ConverterOptions
from nitka.ingest.batches import BatchBuilder, OnError
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.search.query import search
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.reader import get_entity
from nitka.store.tables import search_name, statement

SEEN = "2026-11-01T00:00:00"


def _snapshot(engine: Engine) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    with engine.connect() as conn:
        statements = {tuple(row) for row in conn.execute(select(statement))}
        columns = [column for column in search_name.c if column.name != "rowid"]
        index = {tuple(row) for row in conn.execute(select(*columns))}
    return statements, index


def _ingest_samples(engine: Engine, rejects: Path, *, parallel: bool) -> None:
    for sample in SAMPLES:
        options = ConverterOptions(mapping=str(DATA / sample.mapping) if sample.mapping else None)
        converter = CONVERTERS[sample.kind](str(DATA / sample.file), sample.dataset, options)
        provenance = Provenance(dataset=sample.dataset, seen=SEEN)
        ingest(
            engine,
            converter,
            provenance,
            batch_size=50,
            on_error=OnError.REJECT,
            reject_path=str(rejects),
            parallel=parallel,
        )


def test_every_format_gives_the_same_store_parsed_in_a_parser_process(
    engine: Engine, tmp_path: Path
) -> None:
    reference = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    upgrade(reference)
    _ingest_samples(reference, tmp_path / "reference.rejects.jsonl", parallel=False)
    _ingest_samples(engine, tmp_path / "parallel.rejects.jsonl", parallel=True)
    # The EU sample has records no program should guess at: both ways reject them alike.
    reference_rejects = (tmp_path / "reference.rejects.jsonl").read_bytes()
    assert reference_rejects.count(b"\n") > 0
    assert (tmp_path / "parallel.rejects.jsonl").read_bytes() == reference_rejects
    expected_statements, expected_index = _snapshot(reference)
    statements, index = _snapshot(engine)
    assert len(statements) > 1000
    assert statements == expected_statements
    assert index == expected_index
    reference.dispose()


def _person(n: int, **props: object) -> bytes:
    properties: dict[str, object] = {"name": [f"Person {n}"], "birthDate": ["1980-01-01"]}
    properties.update(props)
    return orjson.dumps({"id": f"p{n}", "schema": "Person", "properties": properties})


def test_a_bad_record_in_the_parser_process_stops_the_ingest_after_the_batches_before_it(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    bad = b'{"id": "p4", "schema": "Person", "prop'
    path.write_bytes(b"\n".join([_person(1), _person(2), _person(3), bad, _person(5)]) + b"\n")
    with pytest.raises(RecordError) as caught:
        ingest(
            engine,
            FtMConverter(str(path), "test"),
            Provenance(dataset="test"),
            batch_size=2,
            parallel=True,
        )
    assert (caught.value.path, caught.value.record) == (str(path), 4)
    assert caught.value.field == "(json)"
    with engine.connect() as conn:
        assert get_entity(conn, "p2") is not None
        assert get_entity(conn, "p3") is None


def test_an_unreadable_file_fails_the_same_in_the_parser_process(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        ingest(engine, FtMConverter(str(path), "test"), Provenance("test"), parallel=True)


def _statement_lines(entity: str, names: list[str]) -> list[bytes]:
    lines = [{"entity_id": entity, "schema": "Person", "prop": "id", "value": entity}]
    lines += [
        {"entity_id": entity, "schema": "Person", "prop": "name", "value": name} for name in names
    ]
    return [orjson.dumps(line) for line in lines]


def test_batches_end_between_entities_so_an_entity_is_indexed_whole(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "statements.jsonl"
    lines = _statement_lines("a", ["Олена Коваль", "Olena Koval"]) + _statement_lines(
        "b", ["Ivan Bondar"]
    )
    path.write_bytes(b"\n".join(lines) + b"\n")
    builder = BatchBuilder(
        FtMConverter(str(path), "test"),
        Provenance("test"),
        {},
        batch_size=2,
        on_error=OnError.ROLLBACK,
    )
    batches = list(builder.batches(0))
    # Records 1-3 are entity a: the batch runs past its size to keep a whole.
    assert [b.last_record for b in batches] == [3, 5]
    assert [sorted(b.entity_ids) for b in batches] == [["a"], ["b"]]
    report = ingest(engine, FtMConverter(str(path), "test"), Provenance("test"), batch_size=2)
    assert report.batches == 2
    with engine.connect() as conn:
        assert [hit.id for hit in search(conn, "Olena Koval")][:1] == ["a"]
        assert [hit.id for hit in search(conn, "Ivan Bondar")][:1] == ["b"]


def test_a_batch_is_cut_at_twice_its_size_even_inside_one_entity(tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    path.write_bytes(b"\n".join(_statement_lines("a", [f"Name {n}" for n in range(9)])) + b"\n")
    builder = BatchBuilder(
        FtMConverter(str(path), "test"),
        Provenance("test"),
        {},
        batch_size=2,
        on_error=OnError.ROLLBACK,
    )
    assert [b.last_record for b in builder.batches(0)] == [4, 8, 10]
