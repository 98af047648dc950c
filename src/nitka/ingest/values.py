"""Checked property values: a bad value is dropped with a note naming its field, never silently.

FtM's own cleaning drops what it cannot parse (and turns ``1999/01/23`` into
``1999``). A police ingest must not lose or blur a value without saying so,
so every value a converter sets goes through ``set_value``.
"""

from __future__ import annotations

import re

from followthemoney import EntityProxy
from followthemoney.types.common import PropertyType

from nitka.ingest.notes import drop_value
from nitka.normalise.countries import read_countries
from nitka.normalise.dates import read_dates

MAX_VALUE_LENGTH = 65_536
"""The longest value a property may have; longer is an error, not a truncation."""

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")
"""A plain decimal number; FtM's number type would also take "tall" or "nan"."""


def set_value(
    proxy: EntityProxy,
    prop_name: str,
    raw: object,
    field: str | None = None,
    *,
    trusted: bool = False,
) -> None:
    """Add a cell's values to an entity; a value that cannot be kept is dropped
    with a note naming ``field`` (``nitka.ingest.notes``: outside an ingest,
    a RecordError).

    ``field`` is the name of the input field the value came from (defaults to
    the property name). ``trusted`` values (numbers from an operator's CDR,
    say) are kept as given once they are non-empty and not too long.
    """
    field = field or prop_name
    if raw is None:
        return
    text = str(raw).strip()
    if not text:
        return
    prop = proxy.schema.properties.get(prop_name)
    if prop is None:
        drop_value(field, text, f"{proxy.schema.name} has no property {prop_name!r}")
        return
    if len(text) > MAX_VALUE_LENGTH:
        drop_value(
            field,
            text[:200] + "...",
            f"value is {len(text):,} characters long, more than the {MAX_VALUE_LENGTH:,} allowed",
        )
        return
    if trusted:
        proxy.unsafe_add(prop, text, cleaned=True)
        return
    for value, problem in read_values(prop.type, text, proxy=proxy):
        if problem is not None:
            drop_value(field, value, problem)
        else:
            proxy.unsafe_add(prop, value, cleaned=True)


def read_values(
    prop_type: PropertyType, text: str, *, proxy: EntityProxy | None = None
) -> list[tuple[str, str | None]]:
    """The values a cell holds for a property type, each cleaned, or (as given)
    with why it cannot be kept. Dates and countries are read in every form
    lists write them (``nitka.normalise.dates``, ``.countries``); a cell of
    several of them gives several values."""
    label = prop_type.label.lower()
    if prop_type.name == "date":
        dates = read_dates(text)
        return [(d, None) for d in dates.dates] + [
            (part, f"{part!r} is not a valid {label}") for part in dates.unread
        ]
    if prop_type.name == "country":
        countries = read_countries(text)
        kept: list[tuple[str, str | None]] = [(c, None) for c in countries.codes]
        return kept + [(part, f"{part!r} is not a valid {label}") for part in countries.unread]
    if prop_type.name == "number" and not _NUMBER.fullmatch(text):
        return [(text, f"{text!r} is not a number")]
    cleaned = prop_type.clean(text, proxy=proxy)
    if cleaned is None:
        return [(text, f"{text!r} is not a valid {label}")]
    return [(cleaned, None)]
