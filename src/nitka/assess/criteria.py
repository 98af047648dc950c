"""Legal criteria as three-state checklists: met, not met or unknown.

A criterion is computed from a case's facts, with its evidence (statement or
entity ids) and a sentence why; an analyst may override it with a reason, and the
override is shown beside the computed state. A criterion made of parts (UNTOC Art.
2(a): all of them; Art. 3(2): any of them) is computed from its parts' states as
they stand after their overrides.

Unknown is never read as not met: a part is ``not_met`` only when the case's data
names what the criterion asks about and it falls short (fewer than three persons
named, one country only), and ``unknown`` when the data says nothing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from nitka.assess.overrides import Override
from nitka.assess.phrases import NOTHING, Phrase
from nitka.errors import FieldError


class State(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Rule(StrEnum):
    ALL = "all"
    """Met when every counted part is met; not met when any is not met."""
    ANY = "any"
    """Met when any part is met; not met when every part is not met."""


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    computed: State
    said: Phrase
    """Why it stands as computed, as a key and values (``phrases.PHRASES``)."""
    evidence: list[str] = field(default_factory=list)
    parts: list[Criterion] = field(default_factory=list)
    rule: Rule | None = None
    counts: bool = True
    """False for a part that explains but does not decide (the Protocol's consent)."""
    override: Override | None = None

    @property
    def why(self) -> str:
        """Why it stands as computed, in English."""
        return self.said.text()

    @property
    def state(self) -> State:
        return State(self.override.state) if self.override is not None else self.computed

    def codes(self) -> list[str]:
        return [self.code, *(code for part in self.parts for code in part.codes())]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "title": self.title,
            "state": self.state.value,
            "computed": self.computed.value,
            "why": self.why,
            "why_key": self.said.key,
            "why_values": dict(self.said.values),
            "evidence": self.evidence,
            "override": None if self.override is None else self.override.as_dict(),
        }
        if not self.counts:
            data["decides"] = False
        if self.parts:
            data["rule"] = None if self.rule is None else self.rule.value
            data["parts"] = [part.as_dict() for part in self.parts]
        return data


def combine(rule: Rule, states: list[State]) -> State:
    if rule is Rule.ALL:
        if State.NOT_MET in states:
            return State.NOT_MET
        return State.MET if states and all(s is State.MET for s in states) else State.UNKNOWN
    if State.MET in states:
        return State.MET
    return State.NOT_MET if states and all(s is State.NOT_MET for s in states) else State.UNKNOWN


def composite(code: str, title: str, rule: Rule, parts: list[Criterion]) -> Criterion:
    """A criterion of parts, computed from their states (call ``settle`` after overrides)."""
    return settle(Criterion(code, title, State.UNKNOWN, NOTHING, parts=parts, rule=rule), {})


def settle(criterion: Criterion, overrides: Mapping[str, Override]) -> Criterion:
    """The criterion with the analysts' overrides applied, its parts first, and each
    composite computed again from its parts as they then stand."""
    parts = [settle(part, overrides) for part in criterion.parts]
    computed, said = criterion.computed, criterion.said
    if criterion.rule is not None:
        counted = [p for p in parts if p.counts]
        computed = combine(criterion.rule, [p.state for p in counted])
        said = _why(criterion.rule, computed, counted)
    return replace(
        criterion, parts=parts, computed=computed, said=said, override=overrides.get(criterion.code)
    )


def _why(rule: Rule, state: State, parts: list[Criterion]) -> Phrase:
    named = {s: ", ".join(p.code for p in parts if p.state is s) for s in State}
    if state is State.MET:
        if rule is Rule.ALL:
            return Phrase.of("parts.all_met")
        return Phrase.of("parts.met_through", codes=named[State.MET])
    if state is State.NOT_MET:
        if rule is Rule.ANY:
            return Phrase.of("parts.none_met")
        return Phrase.of("parts.not_met", codes=named[State.NOT_MET])
    return Phrase.of("parts.unknown", codes=named[State.UNKNOWN])


def parse_state(text: str) -> str:
    """An override's state: met, not_met, unknown, or ``computed`` to take one back."""
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    allowed = [s.value for s in State] + ["computed"]
    if value not in allowed:
        raise FieldError(f"a state is one of {', '.join(allowed)}, not {text!r}", field="state")
    return value
