"""The Trafficking Protocol, Art. 3: an act, by a means, for the purpose of
exploitation; for a child no means is needed (Art. 3(c)), and consent is irrelevant
where a means was used (Art. 3(b)). Computed from the codes of a case's trafficking
events (docs/thb-case-data.md)."""

from __future__ import annotations

from datetime import date

from nitka.assess.criteria import Criterion, Rule, State, composite
from nitka.assess.facts import CaseFacts, Entity, parse_date
from nitka.assess.phrases import Phrase

ADULT = 18


def protocol(facts: CaseFacts) -> Criterion:
    parts = [
        element(
            facts,
            "act:",
            "protocol.3.act",
            "an act (recruitment, transportation, transfer, harbouring or receipt)",
        ),
        means(facts),
        element(facts, "exploitation:", "protocol.3.purpose", "for the purpose of exploitation"),
        consent(facts),
    ]
    return composite(
        "protocol.3", "Trafficking Protocol Art. 3: trafficking in persons", Rule.ALL, parts
    )


def _coded(facts: CaseFacts, prefix: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for event in facts.events():
        for code, ids in event.codes(prefix).items():
            found.setdefault(code, []).extend(ids)
    return found


def _recorded(code: str, title: str, found: dict[str, list[str]]) -> Criterion:
    """Met: the events record these codes (with the statements that record them)."""
    evidence = [i for ids in found.values() for i in ids]
    return Criterion(
        code,
        title,
        State.MET,
        Phrase.of("protocol.recorded", codes=", ".join(sorted(found))),
        evidence,
    )


def element(facts: CaseFacts, prefix: str, code: str, title: str) -> Criterion:
    found = _coded(facts, prefix)
    if found:
        return _recorded(code, title, found)
    events = facts.events()
    if events:
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("protocol.none_with", n=len(events), prefix=prefix),
            [e.id for e in events],
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("protocol.no_events"))


def means(facts: CaseFacts) -> Criterion:
    code, title = (
        "protocol.3.means",
        "by a means (threat, force, deception, abuse of vulnerability…)",
    )
    children, adults = ages(facts)
    if children:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("means.child"),
            [i for ids in children.values() for i in ids],
        )
    found = _coded(facts, "means:")
    if found:
        return _recorded(code, title, found)
    events, victims = facts.events(), facts.victims()
    if events and victims and len(adults) == len(victims):
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("means.adults"),
            [i for ids in adults.values() for i in ids],
        )
    return Criterion(
        code,
        title,
        State.UNKNOWN,
        Phrase.of("means.unknown"),
    )


def consent(facts: CaseFacts) -> Criterion:
    code, title = "protocol.3.consent", "consent does not stand in the way (Art. 3(b))"
    given = [i for e in facts.events() for i in e.has_keyword("consent:given")]
    if not given:
        return Criterion(code, title, State.MET, Phrase.of("consent.none"), counts=False)
    children, adults = ages(facts)
    if children:
        return Criterion(code, title, State.MET, Phrase.of("consent.child"), given, counts=False)
    used = _coded(facts, "means:")
    if used:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("consent.means", means=", ".join(sorted(used))),
            given,
            counts=False,
        )
    if facts.events() and facts.victims() and len(adults) == len(facts.victims()):
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("consent.adult"),
            given,
            counts=False,
        )
    return Criterion(
        code,
        title,
        State.UNKNOWN,
        Phrase.of("consent.unknown"),
        given,
        counts=False,
    )


def ages(facts: CaseFacts) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Victims known to be children and known to be adults at the time of the events,
    each with the statements that show it (a birth date, an age band ``age:9-17``)."""
    children: dict[str, list[str]] = {}
    adults: dict[str, list[str]] = {}
    for victim in facts.victims():
        when = _event_date(facts, victim)
        for band, ids in victim.codes("age:").items():
            low, _, high = band.partition("-")
            if high.isdigit() and int(high) < ADULT:
                children.setdefault(victim.id, []).extend(ids)
            elif low.isdigit() and int(low) >= ADULT:
                adults.setdefault(victim.id, []).extend(ids)
        for text in victim.values("birthDate"):
            born = parse_date(text)
            if born is None or when is None or len(text) < 10:
                continue
            grown = _years(born, when) >= ADULT
            (adults if grown else children).setdefault(victim.id, []).extend(
                victim.evidence("birthDate", text)
            )
    for victim_id in children:
        adults.pop(victim_id, None)  # conflicting facts: the child's protection prevails
    return children, adults


def _event_date(facts: CaseFacts, victim: Entity) -> date | None:
    dates = [d for e in facts.events() if victim.id in e.values("involved") for d, _ in e.dates()]
    return min(dates) if dates else None


def _years(born: date, when: date) -> int:
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
