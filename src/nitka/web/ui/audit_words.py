"""An audit record's subject as an auditor reads it: each field and its value in a
line, lists counted, ids whole, never raw JSON cut in the middle of an id."""

from __future__ import annotations

from typing import Any

import orjson

SHOWN_ITEMS = 3
"""Items of a list shown before the rest are counted."""
LONG_TEXT = 120
"""Characters of a free text shown; an id or a word is never cut."""


def subject_lines(subject: str | dict[str, Any] | None) -> list[tuple[str, str]]:
    """The subject's fields as (name, value) pairs, in the order they were recorded."""
    if subject is None or subject == "":
        return []
    data: Any = subject
    if isinstance(subject, str):
        try:
            data = orjson.loads(subject)
        except orjson.JSONDecodeError:
            return [("", _text(subject))]
    if not isinstance(data, dict):
        return [("", _value(data))]
    return [(str(key), _value(value)) for key, value in data.items()]


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        shown = ", ".join(_value(item) for item in value[:SHOWN_ITEMS])
        rest = len(value) - SHOWN_ITEMS
        return f"{shown} (+{rest})" if rest > 0 else shown
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_value(item)}" for key, item in value.items())
    return _text(str(value))


def _text(text: str) -> str:
    """A free text up to ``LONG_TEXT`` characters, cut at a space so no word or id is
    broken; a single word (an id, a hash) is shown whole."""
    if len(text) <= LONG_TEXT or " " not in text:
        return text
    cut = text.rfind(" ", 0, LONG_TEXT)
    return text[: cut if cut > 0 else LONG_TEXT] + " …"
