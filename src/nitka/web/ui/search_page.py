"""Search with facets: names across scripts, narrowed by schema, dataset,
country, case and data-subject category.

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
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from followthemoney import model

from nitka.access.accounts import Account
from nitka.access.audit import Action
from nitka.access.reading import Found, visible_search
from nitka.access.visibility import READERS, Redacted, Viewer
from nitka.search.query import SearchFilters
from nitka.web.deps import EngineDep
from nitka.web.ui.guard import page_user
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.recording import record
from nitka.web.ui.templating import render

FACET_SAMPLE = 100
RESULTS = 50
FACETS = ("schema", "dataset", "country", "case", "category")

router = APIRouter(include_in_schema=False)


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


@router.get("/ui/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    engine: EngineDep,
    q: str = Query(""),
    schema: list[str] = Query([]),
    dataset: list[str] = Query([]),
    country: list[str] = Query([]),
    case: list[str] = Query([]),
    category: list[str] = Query([]),
    account: Account = Depends(page_user(READERS)),
) -> Response:
    chosen = Chosen(
        {
            "schema": schema,
            "dataset": dataset,
            "country": country,
            "case": case,
            "category": category,
        }
    )
    query = q.strip()
    results: list[Found] = []
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    if query:
        with engine.begin() as conn:
            viewer = Viewer.of(conn, account)
            sample = visible_search(conn, viewer, query, limit=FACET_SAMPLE)
            for found in sample:
                for facet, values in facet_values(found.entity).items():
                    counts[facet].update(values)
            if chosen.any():
                listed = visible_search(conn, viewer, query, chosen.filters(), limit=FACET_SAMPLE)
            else:
                listed = sample
            results = [f for f in listed if chosen.keeps(f.entity)][:RESULTS]
            subject = {"query": query, "facets": chosen.in_use()}
            record(conn, request, account, Action.SEARCH, subject, [f.entity.id for f in results])
    context: dict[str, Any] = {
        "q": query,
        "results": [_row(found) for found in results],
        "facets": {facet: counts[facet].most_common(15) for facet in FACETS},
        "chosen": chosen.values,
        "facet_titles": {
            "schema": _("Kind"),
            "dataset": _("Source"),
            "country": _("Country"),
            "case": _("Case"),
            "category": _("Data subject"),
        },
    }
    template = "search_results.html" if request.headers.get("hx-request") else "search.html"
    return render(request, template, context, account=account)


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


def _row(found: Found) -> dict[str, Any]:
    entity = found.entity
    return {
        "id": entity.id,
        "schema": entity.schema,
        "caption": entity.caption(),
        "matched": found.result.name,
        "score": round(found.result.score, 2),
        "protected": entity.protected,
        "datasets": sorted({s.dataset for s in entity.statements}),
        "handling": entity.handling().value,
    }
