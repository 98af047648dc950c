"""The analysts' side of collected ads: screening new ads into the review list,
the list itself, one ad with its contacts and leads, filing an ad into a case
with its provenance, dismissing it, and the trends (docs/ads.md, "For analysts").

An ad is seen as its statements are: the list, the leads and the trends show
only what the actor may see (need-to-know, ``nitka.access.visibility``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, exists, literal, select, update

from nitka.access.accounts import Role
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.cases import case_exists
from nitka.access.visibility import READERS, Viewer
from nitka.ads.collect.ad import SCHEMA
from nitka.ads.contacts import Contact, ContactKind, extract
from nitka.ads.review import AdFacts, Screen, State, facts_of, review_row
from nitka.ads.trends import SUPPRESS_BELOW, Cell, Dimension, count
from nitka.effects import ChangeKind, after_write
from nitka.model.statement import PoliceStatement
from nitka.services.guard import NotFoundError, audit, refuse, require, transaction, viewer_of
from nitka.store.db import upsert
from nitka.store.reader import get_entities, get_entity, statement_from_row
from nitka.store.tables import ad_review, statement
from nitka.store.writer import write_statements

SCREENERS = frozenset({Role.ANALYST, Role.INVESTIGATOR, Role.LIAISON, Role.SUPERVISOR})
"""Who screens collected ads into the review list (as who collects them)."""
LIST_LIMIT = 1000
_CHUNK = 500
_CONTACT_TYPES = {
    ContactKind.PHONE: ("phone",),
    ContactKind.WHATSAPP: ("phone",),
    ContactKind.VIBER: ("phone",),
    ContactKind.EMAIL: ("email",),
    ContactKind.IBAN: ("iban", "identifier"),
    ContactKind.TELEGRAM: ("string",),
    ContactKind.CARD: ("identifier", "string"),
}
"""The statement types a contact of each kind is looked for in."""


@dataclass(frozen=True)
class ReviewItem:
    id: str
    title: str | None
    text: str
    url: str | None
    dataset: str
    source: str
    published: str | None
    seen: str | None
    risk: float
    label: str
    indicators: list[str]
    lang: str | None
    state: str
    case: str | None
    content_hash: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Lead:
    """Another entity in the store that names one of the ad's contacts."""

    contact: str
    kind: str
    entity: str
    schema: str
    caption: str
    dataset: str
    case: str | None
    watch_list: bool


@dataclass(frozen=True)
class AdLeads:
    item: ReviewItem
    contacts: list[Contact]
    leads: list[Lead] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.item.as_dict(),
            "contacts": [c.as_dict() for c in self.contacts],
            "leads": [asdict(lead) for lead in self.leads],
        }


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def screen_pending(
    engine: Engine, actor: Actor, screen: Screen, *, dataset: str | None = None
) -> int:
    """Screen the collected ads that have no verdict yet (of one dataset, or all) and
    put them in the review list; returns how many. Idempotent."""
    subject = {"ads": "screen", "dataset": dataset}
    with transaction(engine) as conn:
        require(conn, actor, SCREENERS, Action.CHANGE, subject)
        query = select(statement.c.canonical_id).where(
            statement.c.schema == SCHEMA, statement.c.prop == "contentHash",
            ~exists().where(ad_review.c.entity_id == statement.c.canonical_id),
        ).distinct()  # fmt: skip
        if dataset is not None:
            query = query.where(statement.c.dataset == dataset)
        pending = sorted(conn.execute(query).scalars())
        now = _now()
        rows = []
        for start in range(0, len(pending), _CHUNK):
            for entity_id, entity in get_entities(conn, pending[start : start + _CHUNK]).items():
                facts = facts_of(entity_id, entity.statements)
                if facts is not None:
                    rows.append(review_row(facts, screen(facts.screened_text), now))
        if rows:
            conn.execute(upsert(conn, ad_review, ["entity_id"], ["screened_at"]), rows)
        audit(conn, actor, Action.CHANGE, {**subject, "screened": len(rows)},
              result_size=len(rows))  # fmt: skip
    return len(rows)


def _visible_facts(
    conn: Connection, viewer: Viewer | None, ids: Sequence[str]
) -> dict[str, AdFacts]:
    """The facts of the ads the viewer may see, from the statements it may see."""
    found: dict[str, AdFacts] = {}
    for start in range(0, len(ids), _CHUNK):
        for entity_id, entity in get_entities(conn, list(ids[start : start + _CHUNK])).items():
            shown = [s for s in entity.statements if viewer is None or viewer.may_see(s)]
            facts = facts_of(entity_id, shown)
            if facts is not None:
                found[entity_id] = facts
    return found


def _item(row: Any, facts: AdFacts) -> ReviewItem:
    return ReviewItem(
        id=row.entity_id, title=facts.title, text=facts.text, url=facts.url,
        dataset=row.dataset, source=row.source, published=row.published, seen=row.seen,
        risk=row.risk, label=row.label, indicators=[c for c in row.indicators.split(";") if c],
        lang=row.lang, state=row.state, case=row.case_id, content_hash=facts.digest,
    )  # fmt: skip


def review_list(
    conn: Connection,
    actor: Actor,
    *,
    state: str = State.OPEN,
    min_risk: float = 0.0,
    limit: int = 100,
    lang: str | None = None,
    indicator: str | None = None,
    source: str | None = None,
    offset: int = 0,
) -> list[ReviewItem]:
    """Flagged ads by risk, highest first, as far as the actor may see them; only those
    in one language, showing one indicator, or from one source (dataset) when given,
    from the ``offset``-th on."""
    subject: dict[str, Any] = {"ads": "review list", "state": state, "min_risk": min_risk}
    subject |= {k: v for k, v in (("lang", lang), ("indicator", indicator),
                                  ("source", source)) if v}  # fmt: skip
    require(conn, actor, READERS, Action.SEARCH, subject)
    viewer = viewer_of(conn, actor)
    query = select(ad_review).where(ad_review.c.state == state, ad_review.c.risk >= min_risk)
    if lang:
        query = query.where(ad_review.c.lang == lang)
    if indicator:
        codes = literal(";") + ad_review.c.indicators + literal(";")
        query = query.where(codes.contains(f";{indicator};", autoescape=True))
    if source:
        query = query.where(ad_review.c.dataset == source)
    rows = conn.execute(
        query.order_by(ad_review.c.risk.desc(), ad_review.c.entity_id).limit(LIST_LIMIT)
    ).all()
    facts = _visible_facts(conn, viewer, [row.entity_id for row in rows])
    items = [_item(row, facts[row.entity_id]) for row in rows if row.entity_id in facts]
    start = max(0, offset)
    items = items[start : start + max(1, min(limit, LIST_LIMIT))]
    audit(conn, actor, Action.SEARCH, subject, entities=[i.id for i in items],
          result_size=len(items))  # fmt: skip
    return items


def review_sources(conn: Connection, actor: Actor) -> list[str]:
    """The sources (datasets) of screened ads whose source the actor may see: the
    review list's choice of source. Names of datasets only, so no audit record."""
    require(conn, actor, READERS, Action.SEARCH, {"ads": "review sources"})
    viewer = viewer_of(conn, actor)
    found = conn.execute(select(ad_review.c.dataset).distinct()).scalars()
    return sorted(d for d in found if viewer is None or viewer.may_see_source(None, d))


def _review_row(conn: Connection, viewer: Viewer | None, ad_id: str) -> tuple[Any, AdFacts]:
    row = conn.execute(select(ad_review).where(ad_review.c.entity_id == ad_id)).first()
    facts = _visible_facts(conn, viewer, [ad_id]).get(ad_id) if row is not None else None
    if row is None or facts is None:
        raise NotFoundError(f"no screened ad {ad_id!r}", field="ad")
    return row, facts


def show_ad(conn: Connection, actor: Actor, ad_id: str, *, lists: Sequence[str] = ()) -> AdLeads:
    """One ad with its contacts and its leads: the other entities the actor may see that
    name the same phone, handle, e-mail, card or IBAN (an entity of a case is shown
    with its case only to the case's members; others do not see it at all).
    ``lists`` names the datasets that are watch lists."""
    subject = {"ads": "show", "ad": ad_id}
    require(conn, actor, READERS, Action.VIEW, subject)
    viewer = viewer_of(conn, actor)
    row, facts = _review_row(conn, viewer, ad_id)
    contacts = extract(facts.screened_text)
    leads = _leads(conn, viewer, ad_id, contacts, frozenset(lists))
    audit(conn, actor, Action.VIEW, subject,
          entities=[ad_id, *sorted({lead.entity for lead in leads})])  # fmt: skip
    return AdLeads(_item(row, facts), contacts, leads)


def _leads(
    conn: Connection,
    viewer: Viewer | None,
    ad_id: str,
    contacts: Sequence[Contact],
    lists: frozenset[str],
) -> list[Lead]:
    leads: dict[tuple[str, str, str, str | None], Lead] = {}
    for contact in contacts:
        values = {contact.value}
        if contact.kind is ContactKind.TELEGRAM:
            values |= {
                f"@{contact.value}",
                f"t.me/{contact.value}",
                f"https://t.me/{contact.value}",
            }
        matched = conn.execute(
            select(statement).where(
                statement.c.value.in_(sorted(values)),
                statement.c.prop_type.in_(_CONTACT_TYPES[contact.kind]),
                statement.c.canonical_id != ad_id,
            )
        ).all()
        visible = [row for row in matched
                   if viewer is None or viewer.may_see(statement_from_row(row))]  # fmt: skip
        for row in visible:
            entity = get_entity(conn, row.canonical_id)
            caption = row.canonical_id
            if entity is not None:
                seen = [s for s in entity.statements if viewer is None or viewer.may_see(s)]
                caption = _caption(seen) or caption
            key = (contact.value, row.canonical_id, row.dataset, row.case_id)
            leads.setdefault(key, Lead(
                contact=contact.value, kind=str(contact.kind), entity=row.canonical_id,
                schema=row.schema, caption=caption, dataset=row.dataset, case=row.case_id,
                watch_list=row.dataset in lists,
            ))  # fmt: skip
    return sorted(leads.values(), key=lambda lead: (lead.case is None, lead.contact, lead.entity))


def _caption(statements: Sequence[PoliceStatement]) -> str | None:
    for prop in ("name", "title", "number", "email", "iban", "accountNumber"):
        for stmt in statements:
            if stmt.prop == prop:
                return stmt.value
    return None


def file_ad(conn: Connection, actor: Actor, ad_id: str, case_id: str) -> int:
    """File an ad into a case with its provenance: its statements (sources, times,
    grades as they are) are copied into the case, so the case shows where and when
    it was published; the review list marks it filed. Returns the statements filed."""
    subject = {"ads": "file", "ad": ad_id, "case": case_id}
    require(conn, actor, READERS, Action.CHANGE, subject)
    viewer = viewer_of(conn, actor)
    if not case_exists(conn, case_id):
        raise NotFoundError(f"no case {case_id!r}", field="case")
    if viewer is not None and case_id not in viewer.cases:
        raise refuse(conn, actor, Action.CHANGE, subject, "not a member of this case", "case")
    _review_row(conn, viewer, ad_id)
    entity = get_entity(conn, ad_id)
    assert entity is not None  # _review_row found its statements
    copied = [
        replace(stmt, case=case_id, id="")
        for stmt in entity.statements
        if stmt.case is None and (viewer is None or viewer.may_see(stmt))
    ]
    write_statements(conn, copied, {})
    conn.execute(
        update(ad_review).where(ad_review.c.entity_id == ad_id)
        .values(state=State.FILED, case_id=case_id, decided_by=actor.name, decided_at=_now())
    )  # fmt: skip
    after_write(conn, ChangeKind.STATEMENTS, [ad_id],
                datasets=sorted({s.dataset for s in copied}))  # fmt: skip
    audit(conn, actor, Action.CHANGE, subject, entities=[ad_id], result_size=len(copied))
    return len(copied)


def dismiss_ad(conn: Connection, actor: Actor, ad_id: str) -> None:
    """Take a flagged ad off the review list (it stays in the store and the trends)."""
    subject = {"ads": "dismiss", "ad": ad_id}
    require(conn, actor, READERS, Action.CHANGE, subject)
    _review_row(conn, viewer_of(conn, actor), ad_id)
    conn.execute(
        update(ad_review).where(ad_review.c.entity_id == ad_id)
        .values(state=State.DISMISSED, decided_by=actor.name, decided_at=_now())
    )  # fmt: skip
    audit(conn, actor, Action.CHANGE, subject, entities=[ad_id])


def trends(
    conn: Connection,
    actor: Actor,
    by: Sequence[Dimension],
    *,
    since: str | None = None,
    until: str | None = None,
    threshold: int = SUPPRESS_BELOW,
) -> list[Cell]:
    """Screened ads counted by the dimensions (weeks from ``since`` to ``until``,
    ``2025-W01``), cells under ``threshold`` suppressed; only ads whose source the
    actor may see, and that are still in the store."""
    subject = {"ads": "trends", "by": [str(d) for d in by], "since": since, "until": until}
    require(conn, actor, READERS, Action.SEARCH, subject)
    viewer = viewer_of(conn, actor)
    query = select(ad_review).where(
        exists().where(statement.c.canonical_id == ad_review.c.entity_id)
    )
    if since:
        query = query.where(ad_review.c.week >= since)
    if until:
        query = query.where(ad_review.c.week <= until)
    rows = [
        {"indicators": r.indicators, "lang": r.lang, "source": r.dataset, "week": r.week}
        for r in conn.execute(query)
        if viewer is None or viewer.may_see_source(None, r.dataset)
    ]
    cells = count(rows, by, threshold=max(threshold, SUPPRESS_BELOW))
    audit(conn, actor, Action.SEARCH, subject, result_size=len(cells))
    return cells
