"""What the review list keeps of a screened ad, from its entity and its verdict.

The screening engine is given as a function (``Screen``): any callable that
takes an ad's text and answers with something shaped like a verdict (a risk in
[0, 1], a label ``risky`` or ``benign``, the language, and the indicators, each
with a ``code``) will do, so the review does not depend on how the verdict is
reached.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

import orjson

from nitka.model.statement import PoliceStatement

RISKY = "risky"


class Indicated(Protocol):
    @property
    def code(self) -> str: ...


class VerdictLike(Protocol):
    @property
    def risk(self) -> float: ...
    @property
    def label(self) -> str: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def indicators(self) -> Sequence[Indicated]: ...


Screen = Callable[[str], VerdictLike]
"""The screening engine: an ad's text (its title, a blank line, its body) in, a verdict out."""


class State:
    OPEN = "open"
    """Flagged, waiting for an analyst."""
    FILED = "filed"
    DISMISSED = "dismissed"
    BENIGN = "benign"
    """Not flagged: counted in the trends, not listed."""


@dataclass(frozen=True)
class AdFacts:
    """What the review reads of an ad's statements."""

    id: str
    text: str
    title: str | None
    dataset: str
    source: str
    published: str | None
    seen: str | None
    url: str | None
    digest: str | None = None
    """The content hash of the ad's text (``contentHash``)."""

    @property
    def screened_text(self) -> str:
        return f"{self.title}\n\n{self.text}" if self.title else self.text


def facts_of(entity_id: str, statements: Sequence[PoliceStatement]) -> AdFacts | None:
    """The facts of an ad from its statements (None if it has no text: no ad)."""
    values: dict[str, list[PoliceStatement]] = {}
    for stmt in sorted(statements, key=lambda s: (s.first_seen or "", s.id)):
        values.setdefault(stmt.prop, []).append(stmt)

    def first(prop: str) -> str | None:
        found = values.get(prop)
        return found[0].value if found else None

    text = first("bodyText")
    if text is None:
        return None
    source = "unknown"
    if (meta := first("metadata")) is not None:
        with contextlib.suppress(orjson.JSONDecodeError, AttributeError):
            source = str(orjson.loads(meta).get("format", source))
    return AdFacts(
        id=entity_id,
        text=text,
        title=first("title"),
        dataset=values["bodyText"][0].dataset,
        source=source[:16],
        published=min((s.value for s in values.get("publishedAt", [])), default=None),
        seen=min((s.value for s in values.get("retrievedAt", [])), default=None),
        url=first("sourceUrl"),
        digest=first("contentHash"),
    )


def iso_week(moment: str | None) -> str:
    """The ISO week (``2025-W03``) of an ISO date or time; ``unknown`` without one."""
    if not moment:
        return "unknown"
    try:
        day = datetime.fromisoformat(moment[:19]).date() if "T" in moment else date.fromisoformat(
            moment[:10])  # fmt: skip
    except ValueError:
        return "unknown"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def review_row(facts: AdFacts, verdict: VerdictLike, now: str) -> dict[str, object]:
    """The ``ad_review`` row of an ad just screened."""
    codes = sorted({hit.code for hit in verdict.indicators})
    return {
        "entity_id": facts.id,
        "dataset": facts.dataset,
        "source": facts.source,
        "lang": verdict.lang,
        "risk": float(verdict.risk),
        "label": verdict.label,
        "indicators": ";".join(codes),
        "published": facts.published,
        "seen": facts.seen,
        "week": iso_week(facts.published or facts.seen),
        "state": State.OPEN if verdict.label == RISKY else State.BENIGN,
        "screened_at": now,
    }
