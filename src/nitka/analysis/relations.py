"""The statement graph as a network: entities joined by the store's FtM relations.

The same edges the link chart draws between entities (``nitka.analysis.graph``),
for the whole store at once rather than from a few nodes outwards:

- a link entity (an edge schema such as Ownership, Family, Associate,
  Employment, Directorship, UnknownLink, or a Payment or Call with its ends as
  entities; ``graph.is_link``) ties its source to its target, from the first end
  property that has a value the viewer may see (``graph.end_props``);
- any other entity-valued property (a Passport's holder, a Trip's travellers,
  a Vehicle's owner) ties the entity that states it to the entity it names;
- a phone number is a node of its own (``phone:<number>``, as on the chart): a
  person's ``phone`` ties them to it, and a Call that names numbers rather than
  parties ties the two numbers.

Entities are canonical ids, so merged entities are one node, and a tie that a
merge turns into a loop is dropped. Need-to-know is the chart's: a relation
counts only from statements the viewer may see, and only between entities the
viewer may see (an entity with no statement of a source the viewer may see does
not exist for them, and neither does an erased one); a number is there when a
statement the viewer may see names it. Each link entity and each naming
statement counts once; the tie between two nodes weighs as many as there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from followthemoney import model
from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.visibility import Viewer
from nitka.analysis.graph import PHONE, end_props, is_link
from nitka.analysis.links import CHUNK, LINKED, canonical_ids
from nitka.analysis.network import Tie
from nitka.analysis.scopes import Source, may_see
from nitka.model.handling import DataSubjectCategory
from nitka.store.tables import statement

_READ = ("canonical_id", "schema", "prop", "prop_type", "value", "case_id", "dataset", "category")
"""The columns of a relation's statement: who states it, what, and its source."""


@dataclass
class _Link:
    """The visible end nodes of one link entity, by property."""

    schema: str
    ends: dict[str, set[str]] = field(default_factory=dict)
    in_case: set[tuple[str, str]] = field(default_factory=set)
    """(property, value) pairs stated in the case asked for."""


def ties(conn: Connection, viewer: Viewer | None, case: str | None = None) -> list[Tie]:
    """Every pair of entities the viewer may see that a visible relation joins; with
    ``case``, only relations stated in that case. ``viewer`` None sees everything."""
    links: dict[str, _Link] = {}
    named: set[tuple[str, str]] = set()
    rows = conn.execute(select(*(statement.c[name] for name in _READ)).where(LINKED))
    for referrer, schema_name, prop, prop_type, value, case_id, dataset, category in rows:
        if viewer is not None and not may_see(
            viewer, [Source(case_id, dataset, DataSubjectCategory(category).is_protected)]
        ):
            continue
        schema = model.get(schema_name)
        if schema is None:
            continue
        value = PHONE + value if prop_type == "phone" else value
        if is_link(schema):
            link = links.setdefault(referrer, _Link(schema_name))
            link.ends.setdefault(prop, set()).add(value)
            if case is not None and case_id == case:
                link.in_case.add((prop, value))
        elif case is None or case_id == case:
            named.add((referrer, value))
    pairs = [*named, *_link_pairs(links.values(), case)]
    return _between_visible(conn, viewer, pairs)


def _link_pairs(links: Iterable[_Link], case: str | None) -> list[tuple[str, str]]:
    """A (source, target) pair per link entity and pair of its visible end values."""
    pairs: list[tuple[str, str]] = []
    for link in links:
        schema = model.get(link.schema)
        assert schema is not None
        sources, targets = (_first(link, props) for props in end_props(schema))
        for source_prop, source in sources:
            for target_prop, target in targets:
                stated = {(source_prop, source), (target_prop, target)}
                if case is None or stated & link.in_case:
                    pairs.append((source, target))
    return pairs


def _first(link: _Link, props: tuple[str, ...]) -> list[tuple[str, str]]:
    for prop in props:
        if link.ends.get(prop):
            return [(prop, value) for value in sorted(link.ends[prop])]
    return []


def _between_visible(
    conn: Connection, viewer: Viewer | None, pairs: list[tuple[str, str]]
) -> list[Tie]:
    """One tie per pair of nodes the viewer may see, counting its relations."""
    ends = {v for pair in pairs for v in pair}
    numbers = {v for v in ends if v.startswith(PHONE)}
    resolved = canonical_ids(conn, ends - numbers)
    shown = _visible(conn, viewer, set(resolved.values()))
    resolved.update((number, number) for number in numbers)
    shown.update(numbers)
    counts: dict[tuple[str, str], int] = {}
    for left, right in pairs:
        a, b = resolved[left], resolved[right]
        if a == b or a not in shown or b not in shown:
            continue
        key = (a, b) if a < b else (b, a)
        counts[key] = counts.get(key, 0) + 1
    return [Tie(a, b, count) for (a, b), count in sorted(counts.items())]


def _visible(conn: Connection, viewer: Viewer | None, ids: set[str]) -> set[str]:
    """The entities among these that exist for the viewer: with a statement of a source
    they may see (``access.visibility.redact``: a protected person whose statements
    are withheld is still a node, the chart's placeholder)."""
    wanted = sorted(ids)
    shown: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(statement.c.canonical_id, statement.c.case_id, statement.c.dataset)
            .where(statement.c.canonical_id.in_(wanted[start : start + CHUNK]))
            .distinct()
        )
        shown.update(
            entity_id
            for entity_id, case_id, dataset in rows
            if viewer is None or viewer.may_see_source(case_id, dataset)
        )
    return shown
