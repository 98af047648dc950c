"""What each comparison said of a pair, in words and weights: Splink's waterfall.

A reviewer deciding whether two records are one person needs to see why the
model thinks so: "names: the same name spelled otherwise, +8.1; birth dates:
in conflict, -5.6". Splink gives each pair's match weight per comparison
(``mw_<comparison>``, and ``mw_tf_adj_<comparison>`` where a common name is
weighed down); the level a weight comes from is the one whose weight the model
gives it (``levels_of``), so the label can be named without keeping every
comparison's vector.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WEIGHT = "mw_"
"""Splink's prefix of a comparison's match weight column."""
COMMON = "mw_tf_adj_"
"""Splink's prefix of the adjustment for how common a value is."""
NULL_LABEL = "not given on both"


@dataclass(frozen=True)
class Level:
    label: str
    weight: float
    """log2(m / u): what the level adds to the match weight (0 for a null level)."""


@dataclass(frozen=True)
class Comparison:
    name: str
    """Splink's ``output_column_name``."""
    description: str
    levels: tuple[Level, ...]


def levels_of(model: Mapping[str, Any], descriptions: Mapping[str, str]) -> list[Comparison]:
    """The comparisons of a trained model (``linker.misc.save_model_to_json()``),
    described as ``descriptions`` has them (Splink saves a custom comparison's
    description as its class name)."""
    found = []
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                levels.append(Level(level.get("label_for_charts") or NULL_LABEL, 0.0))
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else math.nan
            levels.append(Level(level.get("label_for_charts") or "", weight))
        found.append(
            Comparison(
                comparison["output_column_name"],
                descriptions.get(
                    comparison["output_column_name"], comparison["output_column_name"]
                ),
                tuple(levels),
            )
        )
    return found


def explain(comparisons: Sequence[Comparison], row: Mapping[str, Any]) -> list[list[Any]]:
    """``[[description, level, weight], ...]`` for one pair of Splink's predictions."""
    said: list[list[Any]] = []
    for comparison in comparisons:
        base = row.get(WEIGHT + comparison.name)
        if base is None:
            continue
        level = _nearest(comparison.levels, float(base))
        common = row.get(COMMON + comparison.name) or 0.0
        said.append([comparison.description, level, round(float(base) + float(common), 2)])
    return said


def _nearest(levels: Sequence[Level], weight: float) -> str:
    known = [level for level in levels if not math.isnan(level.weight)]
    if not known:
        return ""
    return min(known, key=lambda level: abs(level.weight - weight)).label


def as_json(comparisons: Sequence[Comparison]) -> list[dict[str, Any]]:
    """The levels as a run keeps them (``resolve_run.levels``)."""
    return [
        {
            "comparison": c.name,
            "description": c.description,
            "levels": [
                {"label": level.label, "weight": None if math.isnan(level.weight) else level.weight}
                for level in c.levels
            ],
        }
        for c in comparisons
    ]
