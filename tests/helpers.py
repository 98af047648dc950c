"""Small builders shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model
from sqlalchemy import Engine

from nitka.demo import DATA
from nitka.effects import ChangeKind, after_write
from nitka.ingest.base import ConverterOptions
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.mapping import MappingConverter
from nitka.ingest.runner import OnError, ingest
from nitka.model.handling import HandlingCode
from nitka.model.statement import Provenance, statements_from_entity
from nitka.store.writer import load_canonical_map, write_statements


def make_entity(schema: str, entity_id: str, **properties: Any) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            proxy.add(prop, value)
    return proxy


def store_entities(
    engine: Engine, entities: list[EntityProxy], provenance: Provenance | None = None
) -> None:
    """Write entities as one batch, index included, as an ingest would."""
    provenance = provenance or Provenance(dataset="test")
    with engine.begin() as conn:
        canonical = load_canonical_map(conn)
        stmts = [s for e in entities for s in statements_from_entity(e, provenance, "test:1")]
        touched = write_statements(conn, stmts, canonical)
        after_write(conn, ChangeKind.STATEMENTS, sorted(touched), datasets=[provenance.dataset])


WATCH_LISTS = ["interpol_red_notices", "eu_sanctions_269_2014"]


def store_watch_lists(engine: Engine, tmp_path: Path) -> None:
    ingest(
        engine,
        InterpolConverter(str(DATA / "interpol_red_notices.json"), WATCH_LISTS[0]),
        Provenance(
            WATCH_LISTS[0],
            handling=HandlingCode.H3,
            handling_note="tell the NCB of the requesting country before acting",
        ),
    )
    options = ConverterOptions(mapping=str(DATA / "eu_sanctions_persons.yml"))
    ingest(
        engine,
        MappingConverter(str(DATA / "eu_sanctions_269_2014_persons.csv"), WATCH_LISTS[1], options),
        Provenance(WATCH_LISTS[1]),
        on_error=OnError.REJECT,
        reject_path=str(tmp_path / "watch_lists.rejects.jsonl"),
    )


def nitka_process(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``nitka`` command, in a Python process of its own, against a store."""
    environment = {
        **os.environ,
        "NITKA_DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    return subprocess.run(
        [sys.executable, "-m", "nitka.cli.main", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
