"""What a ready query answers: entities, each with its role and the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PHONE = "phone:"
"""A number is no entity: it is named ``phone:<number>``, as the link chart names it."""


@dataclass
class Found:
    """One entity of one instance of a scheme (a ``group``: its hub, the organiser,
    recruiter or first collector), with why it is there."""

    entity: str
    role: str
    group: str
    label: str = ""
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "role": self.role, "group": self.group,
                "label": self.label or self.entity, "reasons": self.reasons}  # fmt: skip


class Findings:
    """The answer being built: one ``Found`` per group, entity and role, in the order
    first met, reasons added once each."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, str], Found] = {}
        self.behind: set[str] = set()
        """The projected records (calls, payments, trips) behind the answer: the audit's."""

    def add(self, group: str, entity: str, role: str, reason: str, label: str = "") -> None:
        found = self._found.setdefault((group, entity, role), Found(entity, role, group, label))
        if label and not found.label:
            found.label = label
        if reason not in found.reasons:
            found.reasons.append(reason)

    def all(self) -> list[Found]:
        return list(self._found.values())


def day(moment: datetime) -> str:
    return moment.date().isoformat()


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
