"""The workstation's search with facets: names across scripts, narrowed by schema,
dataset, country, case and data-subject category.

The facet counts are those of the best visible results of the query alone
(up to ``FACET_SAMPLE`` of them), so that choosing one facet still shows what
the others hold; the list itself is filtered in the index (schema, dataset,
country, case) and then by category, which belongs to statements, not names.
The sample is kept small because every result in it is read and redacted:
at 100 the page answers within 300 ms at 1M entities (``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from followthemoney import model
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.reading import Found, visible_search
from nitka.access.visibility import READERS, Redacted
from nitka.search.query import SearchFilters
from nitka.services.guard import audit, refuse, require, viewer_of

FACET_SAMPLE = 100
RESULTS = 50
FACETS = ("schema", "dataset", "country", "case", "category")


@dataclass
class Chosen:
    """The facet values the user chose, one list per facet."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def filters(self) -> SearchFilters:
        return SearchFilters(
            schema=self.values.get("schema", []),
            dataset=self.values.get("dataset", []),
            country=self.values.get("country", []),
            case=self.values.get("case", []),
        )

    def keeps(self, entity: Redacted) -> bool:
        wanted = self.values.get("category")
        return not wanted or bool(set(wanted) & facet_values(entity)["category"])

    def in_use(self) -> dict[str, list[str]]:
        return {facet: values for facet, values in self.values.items() if values}

    def any(self) -> bool:
        return any(self.values.values())


@dataclass(frozen=True)
class Faceted:
    """The results the actor may see, and the facets' counts of the query alone."""

    results: list[Found] = field(default_factory=list)
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {facet: Counter() for facet in FACETS}
    )


def search_with_facets(
    conn: Connection,
    actor: Actor,
    query: str,
    chosen: Chosen,
    *,
    read: Connection | None = None,
) -> Faceted:
    """The best results of the query that the actor may see, narrowed by the chosen
    facets; the search is an audit record naming the entities listed. ``read``: where
    the search runs (a replica's connection, ``nitka.store.replica``), by default
    ``conn``; the access check and the audit record stay on ``conn``."""
    read = read if read is not None else conn
    subject = {"query": query, "facets": chosen.in_use()}
    require(conn, actor, READERS, Action.SEARCH, subject)
    viewer = viewer_of(conn, actor)
    if viewer is None:
        raise refuse(conn, actor, Action.SEARCH, subject, "a page is an account's", "account")
    found = Faceted()
    sample = visible_search(read, viewer, query, limit=FACET_SAMPLE)
    for shown in sample:
        for facet, values in facet_values(shown.entity).items():
            found.counts[facet].update(values)
    if chosen.any():
        listed = visible_search(read, viewer, query, chosen.filters(), limit=FACET_SAMPLE)
    else:
        listed = sample
    found.results.extend([f for f in listed if chosen.keeps(f.entity)][:RESULTS])
    ids = [f.entity.id for f in found.results]
    audit(conn, actor, Action.SEARCH, subject, entities=ids, result_size=len(ids))
    return found


def facet_values(entity: Redacted) -> dict[str, set[str]]:
    schema = model.get(entity.schema)
    countries: set[str] = set()
    if schema is not None:
        for stmt in entity.statements:
            prop = schema.properties.get(stmt.prop)
            if prop is not None and prop.type.name == "country":
                countries.add(stmt.value)
    return {
        "schema": {entity.schema},
        "dataset": {s.dataset for s in entity.statements},
        "country": countries,
        "case": {s.case for s in entity.statements if s.case},
        "category": {s.category.value for s in entity.statements},
    }
