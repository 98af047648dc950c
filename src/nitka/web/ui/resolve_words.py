"""The review page's words: Splink's waterfall as a person reads it, and two entities
side by side, property by property.

The comparisons and their levels are named in English by the model
(``nitka.resolve.model``); the ones known here are translated, and a level the
model gains later is shown as the model names it until it has a translation.
"""

from __future__ import annotations

import math
from typing import Any

from followthemoney import model

from nitka.access.visibility import Redacted
from nitka.model.statement import ENTITY_PROP
from nitka.web.ui.i18n import gettext
from nitka.web.ui.labels import N_
from nitka.web.ui.model_labels import property_label

COMPARISON_WORDS = {
    "names across scripts": N_("names across scripts"),
    "birth dates": N_("birth dates"),
    "passport, ID and tax numbers": N_("passport, ID and tax numbers"),
    "phones and e-mail addresses": N_("phones and e-mail addresses"),
    "nationality and citizenship": N_("nationality and citizenship"),
    "gender": N_("gender"),
}
LEVEL_WORDS = {
    "not given on both": N_("not given on both"),
    "all other": N_("all other"),
    "the same full name with a patronymic, any script and order": N_(
        "the same full name with a patronymic, any script and order"
    ),
    "the same name, any script and order": N_("the same name, any script and order"),
    "no word in common": N_("no word in common"),
    "the same name spelled otherwise": N_("the same name spelled otherwise"),
    "a part missing (a patronymic)": N_("a part missing (a patronymic)"),
    "close names (an initial, a typo)": N_("close names (an initial, a typo)"),
    "names alike in part": N_("names alike in part"),
    "the same date": N_("the same date"),
    "day and month swapped": N_("day and month swapped"),
    "the same year, one gives no day": N_("the same year, one gives no day"),
    "close (within a month, or a year apart)": N_("close (within a month, or a year apart)"),
    "in conflict": N_("in conflict"),
    "a value in common": N_("a value in common"),
    "the same": N_("the same"),
}
DECISION_WORDS = {
    "same": N_("the same person"),
    "different": N_("not the same"),
    "unsure": N_("unsure"),
    "open": N_("open"),
}


def words(table: dict[str, str], text: str) -> str:
    """The translation of a model's word, or the word itself."""
    return gettext(table[text]) if text in table else text


def signed(weight: float) -> str:
    """A match weight as the waterfall shows it: ``+9.6``, ``−5.6`` (a true minus)."""
    if math.isnan(weight):
        return "?"
    return f"+{weight:.1f}" if weight >= 0 else f"\u2212{-weight:.1f}"


def waterfall(comparisons: list[list[Any]], total: float) -> list[dict[str, Any]]:
    """Each comparison's level in words and its weight; first the prior, what the
    total holds beyond the comparisons (how rare a match is among all pairs)."""
    rows = [
        {
            "comparison": words(COMPARISON_WORDS, str(name)),
            "level": words(LEVEL_WORDS, str(level)),
            "weight": signed(float(weight)),
            "sign": "plus" if float(weight) > 0 else "minus" if float(weight) < 0 else "none",
        }
        for name, level, weight in comparisons
    ]
    prior = total - sum(float(weight) for _name, _level, weight in comparisons)
    start = {
        "comparison": gettext("before any comparison"),
        "level": gettext("how rare a match is among all pairs"),
        "weight": signed(prior),
        "sign": "plus" if prior > 0 else "minus",
    }
    return [start, *rows]


def side_by_side(left: Redacted, right: Redacted) -> list[dict[str, Any]]:
    """One row per property either side gives (in the schema's order): the left's
    values and the right's, each with its sources (dataset, case, grading), and
    whether the other side gives the same value."""
    values = [_values(left), _values(right)]
    schema = model.get(left.schema) or model.get(right.schema)
    order = list(schema.properties) if schema is not None else []
    props = sorted(set(values[0]) | set(values[1]),
                   key=lambda p: (order.index(p) if p in order else len(order), p))  # fmt: skip
    rows = []
    for prop in props:
        keys = [{_key(v) for v in side.get(prop, {})} for side in values]
        sides = [
            [
                {"value": value, "sources": sources, "common": _key(value) in keys[1 - i]}
                for value, sources in side.get(prop, {}).items()
            ]
            for i, side in enumerate(values)
        ]
        rows.append({"name": prop, "label": property_label(left.schema, prop),
                     "left": sides[0], "right": sides[1]})  # fmt: skip
    return rows


def _values(entity: Redacted) -> dict[str, dict[str, list[str]]]:
    """Each property's values, each with its sources as ``dataset · case · B2``."""
    found: dict[str, dict[str, list[str]]] = {}
    for stmt in entity.statements:
        if stmt.prop == ENTITY_PROP:
            continue
        grading = f"{stmt.reliability.value}{stmt.credibility.value}"
        source = " · ".join(part for part in (stmt.dataset, stmt.case or "", grading) if part)
        sources = found.setdefault(stmt.prop, {}).setdefault(stmt.value, [])
        if source not in sources:
            sources.append(source)
    return found


def _key(value: str) -> str:
    """Values compared as a reader would: case and spacing set aside."""
    return "".join(value.casefold().split())


def explain(error: Exception, **values: object) -> str:
    """What the page says of a refused decision, batch or threshold, in the user's
    language (the service's English message when there is no better word)."""
    message = str(getattr(error, "message", error))
    field = getattr(error, "field", "")
    for needle, text in _EXPLAINED:
        if needle in message or needle == f"field:{field}":
            return gettext(text) % values
    return message


_EXPLAINED = (
    ("already decided", N_("This pair was already decided.")),
    ("already one entity", N_("The two are already one entity.")),
    ("undo the merge", N_("The two are merged: undo the merge that joined them instead.")),
    ("no decision to take back", N_("This pair has no decision to take back.")),
    ("no batch threshold", N_("No batch threshold is set: an administrator sets one.")),
    ("a batch accepts pairs of at least",
     N_("A batch accepts only pairs at or above the administrator's threshold.")),
    ("already undone", N_("This batch was already undone.")),
    ("from 0.5 to 1", N_("A batch threshold is a probability from 0.5 to 1.")),
    ("no batch with id", N_("There is no such batch.")),
    ("field:reason", N_("Give a reason.")),
)  # fmt: skip
