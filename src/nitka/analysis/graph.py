"""The link chart's graph: entities and phone numbers as nodes, links as edges.

What a chart shows is what an analyst of a trafficking case draws by hand in
i2: people, phones, accounts, vehicles and documents as nodes, and calls,
payments, family ties and ownership as edges carrying their dates, how many
there were and how much money moved. So:

- an entity whose schema is a link (Payment, Family, Associate, Ownership,
  Call with its parties as entities, ...) is an *edge* between its two ends,
  and many such links between the same two ends are one edge with a count,
  first and last date and a total amount;
- a phone number is a node of its own (``phone:<number>``): operators' call
  records name numbers, not people, and a person's ``phone`` ties the person
  to the number;
- calls are drawn between the people behind the numbers where the viewer may
  see whose number it is (one person whose ``phone`` statement they may see):
  the edge joins the two people and carries the numbers (``numbers``), and
  each number stays on the chart, tied to its person;
- any other value naming an entity (a Passport's holder, a Vehicle's owner)
  is an edge labelled with the property.

Every entity goes through ``nitka.access.visibility.redact`` first: what the
viewer may not see is not on the chart, a protected person is a placeholder
node with no name, and a phone number is shown only from a statement the
viewer may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from sqlalchemy.engine import Connection

from nitka.access.visibility import PLACEHOLDER, Redacted, Viewer, redact
from nitka.analysis.links import canonical_ids, members_of, references_to
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import ENTITY_PROP
from nitka.store.reader import get_entities

PHONE = "phone:"
"""Prefix of a phone number's node id."""
NEIGHBOUR_LIMIT = 2_000
"""At most this many neighbours from one expansion: a chart cannot show more."""

EDGE_ENDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Payment": (("payer", "payerAccount"), ("beneficiary", "beneficiaryAccount")),
    "Call": (("caller", "callerNumber"), ("receiver", "receiverNumber")),
}
"""Link schemas whose ends FtM does not name as edge ends, or where a number or an
account stands in for a missing party (the first property given is used)."""

_CATEGORY_WEIGHT = {
    DataSubjectCategory.SUSPECT: 6,
    DataSubjectCategory.CONVICTED: 5,
    DataSubjectCategory.VICTIM: 4,
    DataSubjectCategory.WITNESS: 3,
    DataSubjectCategory.INFORMANT: 3,
    DataSubjectCategory.CONTACT: 2,
    DataSubjectCategory.OTHER: 1,
}


@dataclass
class Node:
    id: str
    schema: str
    label: str
    category: str = ""
    cases: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    protected: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "label": self.label,
            "category": self.category,
            "cases": self.cases,
            "datasets": self.datasets,
            "protected": self.protected,
        }


@dataclass
class Edge:
    id: str
    source: str
    target: str
    label: str
    schema: str
    count: int = 0
    first: str = ""
    last: str = ""
    amount: float = 0.0
    currencies: set[str] = field(default_factory=set)
    entities: list[str] = field(default_factory=list)
    relationships: set[str] = field(default_factory=set)
    """What a Family, Associate or Employment link says the tie is (``brother``)."""
    numbers: set[str] = field(default_factory=set)
    """The phone numbers behind a call drawn between people (``+380… → +380…``)."""

    def add(self, link: Redacted | None) -> None:
        """Count one more link of this kind between the two ends."""
        self.count += 1
        if link is None:
            return
        self.entities.append(link.id)
        for stmt in link.statements:
            if stmt.prop in ("date", "startDate", "endDate") and stmt.value:
                self.first = min(self.first or stmt.value, stmt.value)
                self.last = max(self.last, stmt.value)
            elif stmt.prop == "amount":
                try:
                    self.amount += float(stmt.value)
                except ValueError:
                    continue
            elif stmt.prop == "currency":
                self.currencies.add(stmt.value)
            elif stmt.prop in ("relationship", "role") and stmt.value:
                self.relationships.add(stmt.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "label": self.label,
            "schema": self.schema,
            "count": self.count,
            "first": self.first,
            "last": self.last,
            "amount": round(self.amount, 2) if self.amount else None,
            "currency": ", ".join(sorted(self.currencies)),
            "relationships": sorted(self.relationships),
            "numbers": sorted(self.numbers),
            "entities": self.entities[:50],
        }


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    truncated: bool = False
    """The expansion had more neighbours than ``NEIGHBOUR_LIMIT``."""

    def edge(self, source: str, target: str, label: str, schema: str) -> Edge:
        key = "|".join((min(source, target), max(source, target), schema, label))
        found = self.edges.get(key)
        if found is None:
            found = self.edges[key] = Edge(key, source, target, label, schema)
        return found

    def entity_ids(self) -> list[str]:
        return [node_id for node_id in self.nodes if not node_id.startswith(PHONE)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": [node.as_dict() for node in self.nodes.values()],
            "edges": [edge.as_dict() for edge in self.edges.values()],
            "truncated": self.truncated,
        }


def entity_node(entity: Redacted) -> Node:
    categories = {s.category for s in entity.statements}
    category = max(categories, key=_CATEGORY_WEIGHT.__getitem__, default=None)
    label = entity.caption() if entity.statements else PLACEHOLDER
    return Node(
        id=entity.id,
        schema=entity.schema,
        label=label,
        category=category.value if category is not None else "",
        cases=sorted({s.case for s in entity.statements if s.case}),
        datasets=sorted({s.dataset for s in entity.statements}),
        protected=entity.protected,
    )


def phone_node(number: str) -> Node:
    return Node(id=PHONE + number, schema="Phone", label=number)


def visible_entities(
    conn: Connection, viewer: Viewer, entity_ids: Iterable[str]
) -> dict[str, Redacted]:
    """The entities the viewer may see, by canonical id (ids merged away resolve)."""
    resolved = canonical_ids(conn, entity_ids)
    stored = get_entities(conn, sorted(set(resolved.values())))
    shown: dict[str, Redacted] = {}
    for canonical_id, entity in stored.items():
        redacted = redact(entity, viewer)
        if redacted is not None:
            shown[canonical_id] = redacted
    return shown


def is_link(schema: Schema) -> bool:
    """Whether entities of this schema are drawn as edges, not nodes."""
    return schema.name in EDGE_ENDS or bool(schema.edge)


def link_ends(entity: Redacted) -> tuple[list[str], list[str]]:
    """A link entity's source and target values (entity ids or phone numbers),
    from the first end property that has a visible value."""
    schema = model.get(entity.schema)
    assert schema is not None
    sources, targets = end_props(schema)
    return _first_values(entity, sources), _first_values(entity, targets)


def end_props(schema: Schema) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A link schema's source and target properties, in the order they are tried."""
    return EDGE_ENDS.get(schema.name, ((schema.edge_source or "",), (schema.edge_target or "",)))


def _first_values(entity: Redacted, props: tuple[str, ...]) -> list[str]:
    for prop in props:
        values = [s.value for s in entity.statements if s.prop == prop]
        if values:
            schema = model.get(entity.schema)
            assert schema is not None
            kind = schema.properties[prop].type.name if prop in schema.properties else ""
            return [PHONE + v if kind == "phone" else v for v in values]
    return []


def expand(conn: Connection, viewer: Viewer, node_ids: Iterable[str]) -> Graph:
    """The nodes and their neighbours, with the edges between them."""
    graph = Graph()
    wanted = list(dict.fromkeys(node_ids))
    numbers = [n.removeprefix(PHONE) for n in wanted if n.startswith(PHONE)]
    entities = visible_entities(conn, viewer, [n for n in wanted if not n.startswith(PHONE)])
    links: list[Redacted] = []
    for entity in entities.values():
        schema = model.get(entity.schema)
        if schema is not None and is_link(schema):
            links.append(entity)
        else:
            graph.nodes[entity.id] = entity_node(entity)
    for number in numbers:
        graph.nodes[PHONE + number] = phone_node(number)
    _add_links(conn, viewer, graph, links)
    _add_outgoing(conn, viewer, graph, [e for e in entities.values() if e.id in graph.nodes])
    members = members_of(conn, [e for e in entities if e in graph.nodes])
    named = {m: cid for cid, ids in members.items() for m in ids}
    named.update({n: PHONE + n for n in numbers})
    # A person's own numbers: their calls are the person's links too.
    named.update({n: PHONE + n for n in _own_numbers(entities.values(), graph)})
    _add_incoming(conn, viewer, graph, named)
    return graph


def _own_numbers(entities: Iterable[Redacted], graph: Graph) -> list[str]:
    """The phone numbers that these nodes' visible statements give as theirs."""
    return [
        stmt.value
        for entity in entities
        if entity.id in graph.nodes
        for stmt in entity.statements
        if stmt.prop == "phone"
    ]


def _add_links(conn: Connection, viewer: Viewer, graph: Graph, links: list[Redacted]) -> None:
    """Link entities: their two ends as nodes and each link as (part of) an edge;
    a link between phone numbers joins the people behind them, where known."""
    ends_of = [link_ends(link) for link in links]
    values = [v for sources, targets in ends_of for v in sources + targets]
    ends = _resolve_ends(conn, viewer, graph, values)
    people = _people_behind(conn, viewer, graph, [v for v in ends if v.startswith(PHONE)])
    for link, (sources, targets) in zip(links, ends_of, strict=True):
        for source in sources:
            for target in targets:
                if source not in ends or target not in ends:
                    continue
                one, other = ends[source], ends[target]
                edge = graph.edge(
                    people.get(one, one), people.get(other, other), link.schema, link.schema
                )
                edge.add(link)
                if one in people or other in people:
                    edge.numbers.add(f"{_number(one)} → {_number(other)}")


def _number(node_id: str) -> str:
    return node_id.removeprefix(PHONE)


def phone_owners(conn: Connection, viewer: Viewer, numbers: Iterable[str]) -> dict[str, Redacted]:
    """Each number with the one entity (a person, a company) whose ``phone`` it is,
    where the viewer may see that statement; a number that several entities give
    as theirs has no owner here (which of them made the call is not known)."""
    wanted = set(numbers)
    references = [
        r
        for r in references_to(conn, wanted)
        if r.prop_type == "phone" and not _is_link_schema(r.schema)
    ]
    holders = visible_entities(conn, viewer, {r.referrer for r in references})
    found: dict[str, set[str]] = {}
    for holder_id, holder in holders.items():
        for stmt in holder.statements:
            if stmt.value in wanted and stmt.prop == "phone":
                found.setdefault(stmt.value, set()).add(holder_id)
    return {n: holders[next(iter(ids))] for n, ids in found.items() if len(ids) == 1}


def _is_link_schema(name: str) -> bool:
    schema = model.get(name)
    return schema is None or is_link(schema)


def _people_behind(
    conn: Connection, viewer: Viewer, graph: Graph, phone_nodes: list[str]
) -> dict[str, str]:
    """Phone node ids with the node of their owner, added to the graph with the
    edge that ties the owner to the number."""
    owners = phone_owners(conn, viewer, [_number(n) for n in phone_nodes])
    people: dict[str, str] = {}
    for number, owner in owners.items():
        graph.nodes.setdefault(owner.id, entity_node(owner))
        _tie(graph, owner.id, PHONE + number, "phone")
        people[PHONE + number] = owner.id
    return people


def _resolve_ends(
    conn: Connection, viewer: Viewer, graph: Graph, values: list[str]
) -> dict[str, str]:
    """End values (entity ids, ``phone:`` numbers) to node ids, adding the nodes the
    viewer may see; a value whose entity the viewer may not see has no node."""
    ends: dict[str, str] = {}
    resolved = canonical_ids(conn, [v for v in values if not v.startswith(PHONE)])
    missing = [cid for cid in set(resolved.values()) if cid not in graph.nodes]
    for cid, entity in visible_entities(conn, viewer, missing).items():
        graph.nodes[cid] = entity_node(entity)
    for value in values:
        if value.startswith(PHONE):
            graph.nodes.setdefault(value, phone_node(value.removeprefix(PHONE)))
            ends[value] = value
        elif resolved[value] in graph.nodes:
            ends[value] = resolved[value]
    return ends


def _add_outgoing(conn: Connection, viewer: Viewer, graph: Graph, entities: list[Redacted]) -> None:
    """What these entities name: their holders, owners, accounts and phone numbers."""
    named: list[tuple[str, str, str]] = []
    for entity in entities:
        schema = model.get(entity.schema)
        if schema is None:
            continue
        for stmt in entity.statements:
            prop = schema.properties.get(stmt.prop)
            if stmt.prop == ENTITY_PROP or prop is None or prop.stub:
                continue
            if prop.type.name == "entity":
                named.append((entity.id, prop.name, stmt.value))
            elif prop.type.name == "phone":
                named.append((entity.id, prop.name, PHONE + stmt.value))
    ends = _resolve_ends(conn, viewer, graph, [value for _, _, value in named])
    for entity_id, prop_name, value in named:
        if value in ends:
            _tie(graph, entity_id, ends[value], prop_name)


def _tie(graph: Graph, source: str, target: str, prop_name: str) -> None:
    """An edge for a value naming another node; a person's own number is found
    both ways (what they name, what names the number), and counted once."""
    tie = graph.edge(source, target, prop_name, "reference")
    if not (prop_name == "phone" and tie.count):
        tie.add(None)


def _add_incoming(conn: Connection, viewer: Viewer, graph: Graph, named: dict[str, str]) -> None:
    """What names these entities and numbers: links become edges to their other end,
    other referrers become nodes with an edge labelled by the property. A referrer
    whose naming statement the viewer may not see is left out."""
    references = references_to(conn, named)
    referrers = visible_entities(conn, viewer, {r.referrer for r in references})
    if len(referrers) > NEIGHBOUR_LIMIT:
        graph.truncated = True
        referrers = dict(sorted(referrers.items())[:NEIGHBOUR_LIMIT])
    links: list[Redacted] = []
    by_referrer: dict[str, list[tuple[str, str]]] = {}
    for reference in references:
        by_referrer.setdefault(reference.referrer, []).append((reference.prop, reference.value))
    for referrer_id, referrer in referrers.items():
        schema = model.get(referrer.schema)
        if schema is None:
            continue
        if is_link(schema):
            links.append(referrer)
            continue
        seen = {(s.prop, s.value) for s in referrer.statements}
        for prop_name, value in by_referrer.get(referrer_id, []):
            if (prop_name, value) in seen:
                graph.nodes.setdefault(referrer_id, entity_node(referrer))
                _tie(graph, referrer_id, named[value], prop_name)
    _add_links(conn, viewer, graph, links)
