"""A page's statements in the shape the copy writes: made by the server, checked by the copy."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from nitka.offline.shape import read, shaped
from nitka.offline.wire import COLUMNS, OfflineError
from nitka.search.index import index_rows


def row(
    statement_id: str, entity: str, prop: str, prop_type: str, value: str, original: str = ""
) -> list[Any]:
    values: dict[str, Any] = {
        "id": statement_id,
        "entity_id": entity,
        "canonical_id": entity,
        "schema": "Passport",
        "prop": prop,
        "prop_type": prop_type,
        "value": value,
        "original_value": original or None,
        "dataset": "sltd",
        "reliability": "A",
        "credibility": "1",
        "category": "none",
        "handling": "H1",
        "assessment": True,
    }
    return [values.get(name) for name in COLUMNS]


ROWS = [
    row("s1", "doc-1", "id", "entity", "doc-1"),
    row("s2", "doc-1", "number", "identifier", "AB 12-34"),
    row("s3", "doc-1", "country", "country", "ua"),
    row("s4", "doc-2", "number", "identifier", "CD 56"),
    row("s5", "doc-2", "country", "country", "bg", original="BG"),
]


def test_the_copy_reads_what_the_server_shaped_as_the_rows_and_search_rows() -> None:
    page = orjson.loads(orjson.dumps(shaped(ROWS)))  # as it crosses the line
    got = read(page)
    assert (got.entities, got.statements) == (2, len(ROWS))
    assert len(got.groups) == 2  # one row carries its original value
    shared = dict(got.groups[0][1])
    assert shared[COLUMNS.index("dataset")] == "sltd" and shared[COLUMNS.index("assessment")] == 1
    assert not set(shared) & set(got.groups[0][0])
    back: dict[str, list[Any]] = {}
    for present, same, rows in got.groups:
        for values in rows:
            full: list[Any] = [None] * len(COLUMNS)
            for i, value in [*zip(present, values, strict=True), *same]:
                full[i] = value
            back[full[0]] = full
    assessed = [[*r[:-2], 1, r[-1]] for r in ROWS]
    assert sorted(back.values()) == sorted(assessed)
    indexed = [(r[2], r[3], r[4], r[5], r[6], r[9], r[18]) for r in ROWS]
    assert sorted(got.search) == sorted(index_rows(indexed))
    assert {r[0] for r in got.search} == {"doc-1", "doc-2"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.pop("groups"), "groups"),
        (lambda p: p["groups"][0].__setitem__(0, [0, 1, 2]), "groups"),
        (lambda p: p["groups"][0].__setitem__(0, [*p["groups"][0][0], 99]), "groups"),
        (lambda p: p["groups"][0][0].reverse(), "groups"),
        (lambda p: p["groups"][0][1][0].pop(), "groups"),
        (lambda p: p["groups"][0][2].append([0, "x"]), "groups"),  # a column twice
        (lambda p: p["groups"][0][2].append([20, ["x"]]), "groups"),
        (lambda p: p["groups"][0][2].pop(), "groups"),  # a required column missing
        (lambda p: p["groups"][0].pop(), "groups"),
        (lambda p: p["search"].append(["doc-9", "Passport", "X", "x", "", "", None]), "search"),
        (lambda p: p["search"][0].pop(), "search"),
    ],
)
def test_a_page_of_another_shape_is_refused_naming_the_field(change: Any, field: str) -> None:
    page = orjson.loads(orjson.dumps(shaped(ROWS)))
    change(page)
    with pytest.raises(OfflineError) as refused:
        read(page)
    assert refused.value.field == field
