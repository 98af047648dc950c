"""Small builders shared by tests."""

from __future__ import annotations

from typing import Any

from followthemoney import EntityProxy, model
from sqlalchemy import Engine

from nitka.model.statement import Provenance, statements_from_entity
from nitka.search.index import reindex
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
        reindex(conn, write_statements(conn, stmts, canonical))
