"""Export: FtM's own tools read it, and re-ingesting it gives the same store."""

import subprocess
import sys
from pathlib import Path

import orjson
from sqlalchemy import Engine, select

from nitka.demo import DATA
from nitka.ingest.base import ConverterOptions
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.mapping import MappingConverter
from nitka.ingest.runner import OnError, ingest
from nitka.model.grading import Grading
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from nitka.store.db import make_engine
from nitka.store.export import export
from nitka.store.migrate import upgrade
from nitka.store.tables import resolved_entity, search_name, statement

FTM = str(Path(sys.executable).parent / "ftm")
#: 91 FtM entities, 300 persons and their sanctions (none lost to a value), one merge.
ENTITIES = 91 + 2 * 300 - 1


def _fill(engine: Engine, tmp_path: Path) -> None:
    ingest(
        engine,
        FtMConverter(str(DATA / "zala_entities.ftm.jsonl"), "zala"),
        Provenance(dataset="zala", grading=Grading.parse("B2"), seen="2026-01-01T00:00:00"),
    )
    ingest(
        engine,
        MappingConverter(
            str(DATA / "eu_sanctions_269_2014_persons.csv"),
            "eu",
            ConverterOptions(mapping=str(DATA / "eu_sanctions_persons.yml")),
        ),
        Provenance(
            dataset="eu",
            case="op-sunflower",
            category=DataSubjectCategory.SUSPECT,
            handling=HandlingCode.H3,
            handling_note="not for onward transmission",
        ),
        on_error=OnError.REJECT,
        reject_path=str(tmp_path / "rejects.jsonl"),
    )
    with engine.begin() as conn:
        persons = (
            conn.execute(
                select(statement.c.entity_id)
                .where(statement.c.schema == "Person", statement.c.prop == "id")
                .order_by(statement.c.entity_id)
                .limit(2)
            )
            .scalars()
            .all()
        )
        merge(conn, persons[0], persons[1], "analyst", "test merge")


def _snapshot(engine: Engine) -> tuple[list[tuple[object, ...]], ...]:
    with engine.connect() as conn:
        statements = sorted(tuple(r) for r in conn.execute(select(statement)))
        resolved = sorted(tuple(r) for r in conn.execute(select(resolved_entity)))
        index = sorted(
            tuple(r)
            for r in conn.execute(
                select(search_name.c.canonical_id, search_name.c.name, search_name.c["keys"])
            )
        )
    return statements, resolved, index


def test_ftm_reads_back_the_entity_export(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, tmp_path)
    out = tmp_path / "entities.ftm.jsonl"
    with engine.connect() as conn, out.open("wb") as fh:
        written = export(conn, fh)
    validated = tmp_path / "validated.jsonl"
    subprocess.run([FTM, "validate", "-i", str(out), "-o", str(validated)], check=True)
    ours = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    theirs = [orjson.loads(line) for line in validated.read_bytes().splitlines()]
    assert len(ours) == len(theirs) == written == ENTITIES
    assert [e["id"] for e in ours] == [e["id"] for e in theirs]
    merged = [e for e in ours if e["referents"]]
    assert len(merged) == 1 and merged[0]["id"].startswith("nk-")


def test_ftm_aggregates_the_statement_export(engine: Engine, tmp_path: Path) -> None:
    _fill(engine, tmp_path)
    out = tmp_path / "statements.jsonl"
    with engine.connect() as conn, out.open("wb") as fh:
        export(conn, fh, statements=True)
    entities = tmp_path / "aggregated.jsonl"
    subprocess.run(
        [FTM, "aggregate-statements", "-f", "json", "-i", str(out), "-o", str(entities)],
        check=True,
    )
    aggregated = [orjson.loads(line) for line in entities.read_bytes().splitlines()]
    assert len(aggregated) == ENTITIES
    first = orjson.loads(out.read_bytes().splitlines()[0])
    assert {"reliability", "credibility", "grading_4x4", "category", "handling", "case"} <= set(
        first
    )


def test_reingesting_a_statement_export_gives_the_same_store(
    engine: Engine, tmp_path: Path
) -> None:
    _fill(engine, tmp_path)
    out = tmp_path / "statements.jsonl"
    with engine.connect() as conn, out.open("wb") as fh:
        export(conn, fh, statements=True)
    copy = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    upgrade(copy)
    report = ingest(copy, FtMConverter(str(out), "ignored"), Provenance(dataset="ignored"))
    assert report.rejected == 0
    assert _snapshot(copy) == _snapshot(engine)
    copy.dispose()
