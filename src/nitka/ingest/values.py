"""Checked property values: a bad value is an error naming its field, never dropped silently.

FtM's own cleaning drops what it cannot parse (and turns ``1999/01/23`` into
``1999``). A police ingest must not lose or blur a value without saying so,
so every value a converter sets goes through ``set_value``.
"""

from __future__ import annotations

import re
from datetime import datetime

from followthemoney import EntityProxy

from nitka.errors import RecordError

MAX_VALUE_LENGTH = 65_536
"""The longest value a property may have; longer is an error, not a truncation."""

_DATE_FORMATS = (
    "%Y/%m/%d",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y%m%d %H%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y",
)
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")
"""A plain decimal number; FtM's number type would also take "tall" or "nan"."""
_ISO = re.compile(
    r"\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?"
)


def normalise_date(raw: str) -> str | None:
    """An ISO 8601 date (or date and time) from the common formats police data comes in."""
    text = raw.strip(" \t()[]{},;.")
    if _ISO.fullmatch(text):
        return text.replace(" ", "T")
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        has_time = "%H" in fmt
        return parsed.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
    return None


def set_value(
    proxy: EntityProxy,
    prop_name: str,
    raw: object,
    field: str | None = None,
    *,
    trusted: bool = False,
) -> None:
    """Add a value to an entity, or raise a RecordError naming ``field``.

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
        raise RecordError(f"{proxy.schema.name} has no property {prop_name!r}", field=field)
    if len(text) > MAX_VALUE_LENGTH:
        raise RecordError(
            f"value is {len(text):,} characters long, more than the {MAX_VALUE_LENGTH:,} allowed",
            field=field,
        )
    if trusted:
        proxy.unsafe_add(prop, text, cleaned=True)
        return
    if prop.type.name == "number" and not _NUMBER.fullmatch(text):
        raise RecordError(f"{text!r} is not a number", field=field)
    candidate = text
    if prop.type.name == "date":
        candidate = normalise_date(text) or ""
    cleaned = prop.type.clean(candidate, proxy=proxy) if candidate else None
    if cleaned is None:
        raise RecordError(f"{text!r} is not a valid {prop.type.label.lower()}", field=field)
    proxy.unsafe_add(prop, cleaned, cleaned=True)
