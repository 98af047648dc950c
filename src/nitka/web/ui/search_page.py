"""Search with facets: names across scripts, narrowed by schema, dataset,
country, case and data-subject category (``nitka.services.facets``, which
reads what the user may see and records the search)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from followthemoney import model
from followthemoney.types import registry

from nitka.access.reading import Found
from nitka.access.visibility import Redacted
from nitka.services.facets import FACETS, Chosen, Faceted, search_with_facets
from nitka.services.guard import transaction
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/ui/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    engine: EngineDep,
    reading: ReadingDep,
    actor: ReaderDep,
    q: str = Query(""),
    schema: list[str] = Query([]),
    dataset: list[str] = Query([]),
    country: list[str] = Query([]),
    case: list[str] = Query([]),
    category: list[str] = Query([]),
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
    found = Faceted()
    if query:
        with transaction(engine) as conn:
            found = reading.run(
                conn, lambda read: search_with_facets(conn, actor, query, chosen, read=read)
            )
    context: dict[str, Any] = {
        "q": query,
        "results": [_row(shown) for shown in found.results],
        "facets": {facet: found.counts[facet].most_common(15) for facet in FACETS},
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
    return render(request, template, context, account=actor.account)


def _row(found: Found) -> dict[str, Any]:
    entity = found.entity
    return {
        "id": entity.id,
        "schema": entity.schema,
        "caption": entity.caption(),
        "born": sorted({s.value for s in entity.statements if s.prop == "birthDate"})[:2],
        "countries": _countries(entity),
        "matched": found.result.name,
        "score": round(found.result.score, 2),
        "protected": entity.protected,
        "datasets": sorted({s.dataset for s in entity.statements}),
        "handling": entity.handling().value,
    }


def _countries(entity: Redacted) -> list[str]:
    """The entity's nationalities and countries, by name, as a result line shows them."""
    schema = model.get(entity.schema)
    codes: set[str] = set()
    for stmt in entity.statements:
        prop = schema.properties.get(stmt.prop) if schema is not None else None
        if prop is not None and prop.type == registry.country:
            codes.add(stmt.value)
    return sorted(registry.country.caption(code) or code for code in codes)[:3]
