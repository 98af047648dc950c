"""The saved ready queries: their names, what they find and their parameters.

``nitka typology list`` prints this; ``docs/analysis.md`` describes each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nitka.analysis.typologies import benefit_cards, boat_drivers, call_centre
from nitka.analysis.typologies.params import described


@dataclass(frozen=True)
class Typology:
    name: str
    summary: str
    parameters: type
    """The frozen dataclass of its parameters, with their defaults and help."""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "summary": self.summary,
                "parameters": described(self.parameters)}  # fmt: skip


TYPOLOGIES = {
    typology.name: typology
    for typology in (
        Typology(benefit_cards.NAME, benefit_cards.SUMMARY, benefit_cards.Parameters),
        Typology(boat_drivers.NAME, boat_drivers.SUMMARY, boat_drivers.Parameters),
        Typology(call_centre.NAME, call_centre.SUMMARY, call_centre.Parameters),
    )
}
