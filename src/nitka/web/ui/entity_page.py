"""The entity page: every value with the statements behind it (source, grading,
category, handling code, dates), its links in tables, and merge and undo with
a reason.

All of it is what the viewer may see (``nitka.services.profiles``); a
page for an entity the viewer may not see at all is a 404, as on the API.
Opening the page, merging and undoing are audit records, written by the
services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from followthemoney import model
from followthemoney.types import registry

from nitka.access.visibility import PLACEHOLDER, Redacted
from nitka.analysis.graph import PHONE, Edge, Graph
from nitka.errors import FieldError
from nitka.model.statement import ENTITY_PROP, PoliceStatement
from nitka.services import profiles, resolution
from nitka.services.guard import NotFoundError, transaction
from nitka.web.deps import EngineDep
from nitka.web.reading import ReadingDep
from nitka.web.ui.guard import ReaderDep
from nitka.web.ui.i18n import gettext as _
from nitka.web.ui.labels import N_
from nitka.web.ui.model_labels import property_label, schema_label
from nitka.web.ui.templating import not_found, refusal, render

router = APIRouter(include_in_schema=False)

FACTS: tuple[tuple[str, str, Callable[[str, str], bool]], ...] = (
    ("names", N_("Names"), lambda prop, kind: kind == "name" and prop != "fatherName"),
    (
        "born",
        N_("Born"),
        lambda prop, kind: prop in ("birthDate", "birthPlace", "incorporationDate"),
    ),
    (
        "nationality",
        N_("Nationality"),
        lambda prop, kind: prop in ("nationality", "citizenship", "jurisdiction"),
    ),
    ("identifiers", N_("Identifiers"), lambda prop, kind: kind in ("identifier", "iban")),
    ("contacts", N_("Phones and e-mail"), lambda prop, kind: kind in ("phone", "email")),
)
"""The header's facts: a key, its title, and which properties (name, type) give it."""

LINK_GROUPS = (
    ("Call", N_("Calls")),
    ("Payment", N_("Payments")),
    ("Family", N_("Family")),
    ("Associate", N_("Associates")),
    ("Trip", N_("Trips")),
)


@router.get("/ui/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    entity_id: str, request: Request, engine: EngineDep, reading: ReadingDep, actor: ReaderDep
) -> Response:
    try:
        with transaction(engine) as conn:
            found = reading.run(
                conn, lambda read: profiles.profile(conn, actor, entity_id, read=read)
            )
    except NotFoundError:
        message = _("There is no entity %(id)s, or you may not see it.") % {"id": entity_id}
        return not_found(request, actor.account, message)
    shown = found.entity
    context = {
        "entity": shown,
        "caption": shown.caption() if shown.statements else PLACEHOLDER,
        "schema_label": schema_label(shown.schema),
        "facts": key_facts(shown),
        "sources": found.sources,
        "cases": found.cases,
        "latest_hit": found.latest_hit,
        "properties": properties_of(shown, _names(found.graph)),
        "caveats": [shown.handling().value, *shown.restrictions()],
        "links": links_of(shown.id, found.graph),
        "judgements": found.judgements,
        "assessable": bool(shown.statements) and _is_organisation(shown.schema),
    }
    return render(request, "entity.html", context, account=actor.account)


def key_facts(entity: Redacted) -> list[dict[str, Any]]:
    """The facts an officer looks for first, for the page's header: names in every
    script, birth date, nationality, identifiers (each value once, in the
    schema's order of properties)."""
    schema = model.get(entity.schema)
    if schema is None:
        return []
    values: dict[str, dict[str, None]] = {}
    for stmt in entity.statements:
        prop = schema.properties.get(stmt.prop)
        if prop is None or stmt.prop == ENTITY_PROP:
            continue
        kind = next((k for k, _t, test in FACTS if test(prop.name, prop.type.name)), None)
        if kind is not None:
            values.setdefault(kind, {})[_shown_value(prop.type.name, stmt.value)] = None
    return [
        {"key": kind, "title": _(title), "values": list(values[kind])}
        for kind, title, _test in FACTS
        if kind in values
    ]


def properties_of(entity: Redacted, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each property (in the schema's order) with its values, and under each value
    the statements that say it, summed up by source. A value naming another entity
    is shown by that entity's name where ``names`` has it (what the viewer may see)."""
    names = names or {}
    schema = model.get(entity.schema)
    grouped: dict[str, dict[str, list[PoliceStatement]]] = {}
    for stmt in entity.statements:
        if stmt.prop != ENTITY_PROP:
            grouped.setdefault(stmt.prop, {}).setdefault(stmt.value, []).append(stmt)
    order = list(schema.properties) if schema is not None else []
    rows: list[dict[str, Any]] = []
    for prop in sorted(grouped, key=lambda p: (order.index(p) if p in order else len(order), p)):
        found = schema.properties.get(prop) if schema is not None else None
        kind = found.type.name if found is not None else "string"
        rows.append(
            {
                "name": prop,
                "label": property_label(entity.schema, prop),
                "type": kind,
                "values": [
                    {
                        "value": names.get(value, value)
                        if kind == "entity"
                        else _shown_value(kind, value),
                        "statements": [_statement(s) for s in stmts],
                        "summary": _summary(stmts),
                    }
                    for value, stmts in grouped[prop].items()
                ],
            }
        )
    return rows


def _names(graph: Graph) -> dict[str, str]:
    """The names of the entities on the entity's chart, by id (placeholders included)."""
    return {node_id: node.label for node_id, node in graph.nodes.items()}


def _summary(stmts: list[PoliceStatement]) -> str:
    """A value's sources in a line: each source once, with its best grading."""
    best: dict[str, str] = {}
    for stmt in stmts:
        grading = f"{stmt.reliability.value}{stmt.credibility.value}"
        best[stmt.dataset] = min(best.get(stmt.dataset, grading), grading)
    return ", ".join(f"{dataset} ({grading})" for dataset, grading in sorted(best.items()))


def _shown_value(kind: str, value: str) -> str:
    """A value as a person reads it: a country's name, not its code."""
    if kind == "country":
        caption = registry.country.caption(value)
        return f"{caption} ({value.upper()})" if caption and caption != value else value
    return value


def _statement(stmt: PoliceStatement) -> dict[str, Any]:
    return {
        "dataset": stmt.dataset,
        "origin": stmt.origin or "",
        "grading": f"{stmt.reliability.value}{stmt.credibility.value}",
        "category": stmt.category.value,
        "handling": stmt.handling.value,
        "handling_note": stmt.handling_note or "",
        "case": stmt.case or "",
        "first_seen": (stmt.first_seen or "")[:19],
        "last_seen": (stmt.last_seen or "")[:19],
        "assessment": stmt.assessment,
        "author": stmt.author or "",
        "lang": stmt.lang or "",
    }


def links_of(entity_id: str, graph: Graph) -> list[dict[str, Any]]:
    """The entity's links in tables: calls, payments, family, associates, trips, and
    every other reference, each named as a person says it ("Family: brother",
    "Address"), not by the model's property name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for edge in graph.edges.values():
        if entity_id not in (edge.source, edge.target):
            continue
        other_id = edge.target if edge.source == entity_id else edge.source
        other = graph.nodes.get(other_id)
        if other is None:
            continue
        key = edge.schema if edge.schema in dict(LINK_GROUPS) else "reference"
        groups.setdefault(key, []).append(
            {
                "direction": "out" if edge.source == entity_id else "in",
                "other_id": other_id,
                "other": other.label,
                "other_schema": schema_label(other.schema),
                "other_is_entity": not other_id.startswith(PHONE),
                "label": link_label(edge, graph),
                "count": edge.count,
                "first": edge.first[:19],
                "last": edge.last[:19],
                "amount": edge.as_dict()["amount"],
                "currency": ", ".join(sorted(edge.currencies)),
            }
        )
    titles = {**dict(LINK_GROUPS), "reference": N_("Other links")}
    return [
        {"key": key, "title": _(titles[key]), "rows": groups[key]}
        for key in [*dict(LINK_GROUPS), "reference"]
        if key in groups
    ]


def link_label(edge: Edge, graph: Graph) -> str:
    """What a link is, in words: the link's kind and the tie it states ("Family:
    brother"), or the label of the property that names the other end ("Address",
    "Holder")."""
    if edge.schema != "reference":
        label = schema_label(edge.schema)
        tie = ", ".join(sorted(edge.relationships))
        return f"{label}: {tie}" if tie else label
    source = graph.nodes.get(edge.source)
    return property_label(source.schema, edge.label) if source is not None else edge.label


@router.post("/ui/entities/{entity_id}/merge", response_class=HTMLResponse)
def merge_entities(
    entity_id: str,
    engine: EngineDep,
    actor: ReaderDep,
    other: str = Form(..., min_length=1, max_length=255),
    reason: str = Form(..., min_length=1, max_length=2000),
) -> Response:
    """Merge another entity into this one; both must be visible to the user."""
    try:
        with transaction(engine) as conn:
            merged = resolution.merge(conn, actor, entity_id, other, reason)
    except FieldError as error:
        return refusal(_declined(error, other))
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/entities/{merged}"})


@router.post("/ui/judgements/{judgement_id}/undo", response_class=HTMLResponse)
def undo_merge(
    judgement_id: int,
    engine: EngineDep,
    actor: ReaderDep,
    entity: str = Form(..., max_length=255),
    reason: str = Form(..., min_length=1, max_length=2000),
) -> Response:
    try:
        with transaction(engine) as conn:
            separated = resolution.unmerge(conn, actor, judgement_id, reason)
    except FieldError as error:
        return refusal(_declined(error, entity))
    target = entity if entity in separated else separated[0]
    return Response(status_code=204, headers={"HX-Redirect": f"/ui/entities/{target}"})


def _declined(error: FieldError, entity_id: str) -> str:
    """What the page says of a merge or undo that was not done."""
    if isinstance(error, NotFoundError):
        return _("There is no entity %(id)s, or you may not see it.") % {"id": entity_id}
    return str(error)


def _is_organisation(schema: str) -> bool:
    """An Organization (or a kind of one) may be rated as a group: link its assessment."""
    found = model.get(schema)
    return found is not None and found.is_a("Organization")
