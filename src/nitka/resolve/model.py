"""The Splink model of a person: blocking rules, comparisons and their starting weights.

Every comparison reads the columns ``prepare`` makes. Each level starts from an
m probability (how often records of one person compare so) and a u
probability (how often records of two people do) written down here from what
police data looks like; training (``linkage``) re-estimates them from the data
when there is enough of it, and a small file is linked with these.

The name comparison scores names with Nitka's cross-script matcher, registered
in DuckDB as the function ``NAME_SCORE`` (``linkage``), because Splink's
string distances do not know that ``Олександр`` and ``Aleksandr`` are one name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

DEFAULT_THRESHOLD = 0.9
"""Pairs of at least this match probability are one person."""


class Training(StrEnum):
    """Whether a file trains its own model (``linkage``)."""

    AUTO = "auto"
    """Train when the file has enough records to learn from."""
    ALWAYS = "always"
    NEVER = "never"


NAME_FREQUENCY_FLOOR = 0.0002
"""The least a name's frequency counts as (the u of the level "the same name"): the
frequency weighs common names down (Ivanov, Kovalenko), never a rare one up."""

NAME_SCORE = "nitka_name_score"
"""The DuckDB function that scores two lists of names in [0, 1]: their best pair."""

SAME_NAME_SHARE = 0.3
"""Of records, the share that is another record of a person already in the file,
for the prior probability that two records are one person (``prior``)."""


MOST_LIKELY = 0.02
"""The prior of a file of a few records: two of ten records are as likely one person
as strangers with the same name, before their birth dates are compared."""


def prior(records: int) -> float:
    """The probability that two records picked at random are one person.

    If a share ``SAME_NAME_SHARE`` of records are second records of someone,
    there are about ``records * SAME_NAME_SHARE`` matching pairs among
    ``records ** 2 / 2``: one person's records link more easily in a small file
    than in a register of millions, where a name and a birth date are shared by
    strangers too.
    """
    return min(MOST_LIKELY, 2 * SAME_NAME_SHARE / max(records - 1, 1))


def _level(sql: str, label: str, m: float, u: float, **more: Any) -> dict[str, Any]:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        **more,
    }


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "not given on both", "is_null_level": True}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("ELSE", "all other", m, u)


def _any(column: str, right: str | None = None) -> str:
    """Some value of the left record's list is in the right record's list."""
    return f"list_has_any({column}_l, {right or column}_r)"


def _among(values: str, many: str) -> str:
    """Some of a short list of values is in a long list: ``list_has_any`` would hash
    the long one for every pair; looking each value up costs a tenth as much.

    The long list is named outside the lambda too: Splink takes the columns a
    comparison reads from its SQL, and does not look inside a lambda.
    """
    return (
        f"(len({many}) > 0 AND len(list_filter({values}, lambda x: list_contains({many}, x))) > 0)"
    )


def _either_empty(column: str) -> str:
    return f"(len({column}_l) = 0 OR len({column}_r) = 0)"


FULL_NAME_U = 0.000002
"""How often two strangers share a name of three words or more (given name,
patronymic and surname) in any script: a few in a million pairs; as often, their
names are that close (the matcher's score ``FUZZY_FULL_NAME``; in the EU
269/2014 set, 17 pairs of strangers in 9 million, against 190 with the same name,
namesakes the set adds among them). Fixed, not learnt: a file's random pairs
almost never show it, and a name's frequency in the file counts the record's own
other records."""


def _long_name_in_common() -> str:
    """A name of three words or more that both records give (as ``name_sorted``)."""
    shared = "list_filter(name_sorted_l, lambda x: list_contains(name_sorted_r, x))"
    long = f"list_filter({shared}, lambda y: len(string_split(y, ' ')) >= 3)"
    # name_sorted_r is named outside the lambda too: Splink reads a comparison's
    # columns from its SQL, and does not look inside a lambda (see ``_among``).
    return f"(len(name_sorted_r) > 0 AND len({long}) > 0)"


FUZZY_FULL_NAME = 0.95
"""The matcher's score from which two names of three words or more are one full name
spelled otherwise (a letter left out or doubled, a Ukrainian form of a given name
or patronymic that the words' keys meet but their anchors do not). A part missing
scores less; from 0.9, a given name and patronymic in common with another surname
a few letters apart (Кашин, Шастин) still reach it."""


def _long_names(column: str) -> str:
    """The record gives a name of three words or more (as ``name_sorted``)."""
    return f"list_max(list_transform({column}, lambda x: len(string_split(x, ' ')))) >= 3"


def name_comparison(*, frequencies: bool) -> dict[str, Any]:
    """Names: the same name in any script and order (weighed by how common it is when
    ``frequencies``), then the matcher's score in bands."""
    score = f"{NAME_SCORE}(names_l, names_r)"
    common = (
        {
            "tf_adjustment_column": "name_tf",
            "tf_adjustment_weight": 1.0,
            "tf_minimum_u_value": NAME_FREQUENCY_FLOOR,
            "disable_tf_exact_match_detection": True,
        }
        if frequencies
        else {}
    )
    return {
        "output_column_name": "name",
        "comparison_description": "names across scripts",
        "comparison_levels": [
            _null(_either_empty("names")),
            _level(
                f"{_any('name_sorted')} AND {_long_name_in_common()}",
                "the same full name with a patronymic, any script and order",
                0.3,
                FULL_NAME_U,
                fix_u_probability=True,
            ),
            _level(
                _any("name_sorted"), "the same name, any script and order", 0.15, 0.0002, **common
            ),
            # Before the matcher's levels, so that it only scores names that share a
            # word (or its skeleton, for a typo): most pairs share none, and a score
            # costs a tenth of a millisecond.
            _level(
                f"NOT ({_any('name_keys')} OR {_any('name_skeletons')})",
                "no word in common",
                0.01,
                0.95,
            ),
            _level(
                f"{_long_names('name_sorted_l')} AND {_long_names('name_sorted_r')} "
                f"AND {score} >= {FUZZY_FULL_NAME}",
                "a full name with a patronymic spelled otherwise",
                0.15,
                FULL_NAME_U,
                fix_u_probability=True,
            ),
            _level(f"{score} >= 0.95", "the same name spelled otherwise", 0.07, 0.0001),
            _level(f"{score} >= 0.85", "a part missing (a patronymic)", 0.2, 0.0003),
            _level(f"{score} >= 0.7", "close names (an initial, a typo)", 0.07, 0.0003),
            _level(f"{score} >= 0.5", "names alike in part", 0.03, 0.002),
            _else(0.02, 0.0474),
        ],
    }


def birth_comparison() -> dict[str, Any]:
    """Birth dates: the same, day and month swapped, one gives the year alone, close
    (as ``match.dates`` has it: within a month, a year apart on the same day or when
    one gives the year alone), or in conflict."""
    return {
        "output_column_name": "birth_date",
        "comparison_description": "birth dates",
        "comparison_levels": [
            _null(_either_empty("birth_years")),
            _level(_any("birth_dates"), "the same date", 0.8, 0.0003),
            _level(_any("birth_dates", "birth_swapped"), "day and month swapped", 0.03, 0.0001),
            _level(
                f"{_either_empty('birth_dates')} AND {_any('birth_years')}",
                "the same year, one gives no day",
                0.1,
                0.005,
            ),
            _level(
                f"{_among('birth_packed_r', 'birth_agree_l')} "
                f"OR {_among('birth_packed_l', 'birth_agree_r')} "
                f"OR ({_either_empty('birth_dates')} AND "
                f"{_any('birth_years', 'birth_years_near')})",
                "close (within a month, or a year apart)",
                0.05,
                0.01,
            ),
            # Fixed: over pairs of one name, EM takes namesakes for one person,
            # and a birth date in conflict is what must tell namesakes apart.
            _level("ELSE", "in conflict", 0.02, 0.9846, fix_m_probability=True),
        ],
    }


def _agreement(column: str, description: str, m: float, u: float) -> dict[str, Any]:
    """A list of values that agree if any value is on both."""
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(_either_empty(column)),
            _level(_any(column), "a value in common", m, u),
            _else(1 - m, 1 - u),
        ],
    }


def comparisons(*, frequencies: bool) -> list[dict[str, Any]]:
    return [
        name_comparison(frequencies=frequencies),
        birth_comparison(),
        _agreement("documents", "passport, ID and tax numbers", 0.7, 0.000001),
        _agreement("contacts", "phones and e-mail addresses", 0.5, 0.00001),
        _agreement("countries", "nationality and citizenship", 0.9, 0.3),
        {
            "output_column_name": "gender",
            "comparison_description": "gender",
            "comparison_levels": [
                _null("gender_l IS NULL OR gender_r IS NULL"),
                _level("gender_l = gender_r", "the same", 0.98, 0.5),
                _else(0.02, 0.5),
            ],
        },
    ]


def _exploding(column: str, *, where: str = "") -> dict[str, Any]:
    rule = f"l.{column} = r.{column}" + (f" AND {where}" if where else "")
    return {"blocking_rule": rule, "arrays_to_explode": [column]}


DATES_MAY_AGREE = (
    "(len(l.birth_dates) = 0 OR len(r.birth_dates) = 0"
    " OR list_has_any(l.birth_packed, r.birth_agree)"
    " OR list_has_any(r.birth_packed, l.birth_agree)"
    " OR list_has_any(l.birth_dates, r.birth_swapped)"
    " OR list_has_any(r.birth_dates, l.birth_swapped))"
)
"""A pair's birth dates may be one person's: one gives no full date, or a date of one
agrees with a full date of the other, or is it with day and month swapped. A pair
without this is never joined (``clusters.Births.conflicts``), so it is no candidate:
in a million records most pairs of a common name are namesakes with other dates,
and each would cost the name matcher's score."""

DATES_NEAR = (
    "(len(l.birth_years) > 0 AND len(r.birth_years) > 0"
    " AND list_has_any(l.birth_years, r.birth_years_near))"
)
"""Both give a birth date, a year apart at most: what every level of the birth date
comparison but "in conflict" holds."""

NAME_ALONE_UP_TO = 200_000
"""Records up to which two words of a name in common make a candidate pair whatever
the birth dates say. In a larger file the prior (``prior``) is so small that a
name, even a full one with a patronymic, does not link a pair without a birth date
that agrees (or a document, which finds the pair by its own blocking key), and
most pairs of a shared given name and surname are strangers without one."""


BLOCKING = ("name_pairs", "birth_keys", "documents", "contacts")
"""Candidate pairs: two words of a name in common (in any script), a full birth
date and a word, a document number, a phone or e-mail address. A pair meets
the model if any of these holds and its birth dates may be one person's
(``DATES_MAY_AGREE``)."""

TRAINING_BLOCKS = {
    "name": "l.name_tf = r.name_tf",
    "birth_date": "l.birth_date = r.birth_date",
}
"""The pairs the EM algorithm learns from, by the comparison they hold equal: the
same name (it learns the other comparisons), the same birth date (it learns the
names and the rest)."""

FILLS = {
    "name": "names",
    "birth_date": "birth_years",
    "documents": "documents",
    "contacts": "contacts",
    "countries": "countries",
    "gender": "gender",
}
"""Each comparison and the prepared column that says whether a record gives it."""


def _candidate_dates(blocking: str, records: int) -> str:
    """What a candidate pair's birth dates must allow, by the key that found it."""
    if blocking == "birth_keys":
        return ""  # a full date in common
    if blocking == "name_pairs" and records > NAME_ALONE_UP_TO:
        # Not DATES_MAY_AGREE: its lists of agreeing dates, copied for each key a
        # record has, would take gigabytes in a million records.
        return DATES_NEAR
    return DATES_MAY_AGREE


def settings(records: int, *, frequencies: bool) -> dict[str, Any]:
    """Splink's settings for a file of this many records."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior(records),
        "comparisons": comparisons(frequencies=frequencies),
        "blocking_rules_to_generate_predictions": [
            _exploding(c, where=_candidate_dates(c, records)) for c in BLOCKING
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 25,
    }
