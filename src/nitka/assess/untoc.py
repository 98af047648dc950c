"""UNTOC (the Palermo Convention): Art. 2(a) organised criminal group, with Art. 2(c)
structured group, and Art. 3(2) transnational, computed from a case's facts."""

from __future__ import annotations

import re

from nitka.assess.criteria import Criterion, Rule, State, composite
from nitka.assess.facts import CaseFacts, Entity
from nitka.assess.phrases import Phrase

PERIOD_DAYS = 30
"""A group "existing for a period of time": its dated facts (memberships, events) span
at least this many days. Nitka's working rule, not the Convention's: UNTOC only sets
such a group apart from one formed at random for the immediate commission of an
offence; an analyst overrides where the case says otherwise."""
SERIOUS_YEARS = 4
"""Art. 2(b): a serious crime is punishable by at least four years' deprivation of liberty."""
LEADER = re.compile(r"lead|head|boss|organi[sz]er|direct|control", re.IGNORECASE)


def untoc(facts: CaseFacts) -> list[Criterion]:
    return [organised_group(facts), transnational(facts)]


def organised_group(facts: CaseFacts) -> Criterion:
    parts = [
        persons(facts),
        structured(facts),
        period(facts),
        concert(facts),
        serious_crime(facts),
        benefit(facts),
    ]
    return composite("untoc.2a", "UNTOC Art. 2(a): organised criminal group", Rule.ALL, parts)


def persons(facts: CaseFacts) -> Criterion:
    code, title = "untoc.2a.persons", "three or more persons"
    found = facts.suspects()
    evidence = [i for ids in found.values() for i in ids]
    if len(found) >= 3:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("persons.met", n=len(found)),
            evidence,
        )
    if found:
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("persons.few", n=len(found)),
            evidence,
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("persons.none"))


def structured(facts: CaseFacts) -> Criterion:
    code, title = "untoc.2c", "UNTOC Art. 2(c): structured group (not randomly formed)"
    roles = [m for m in facts.memberships() if m.values("role")]
    if roles:
        evidence = [i for m in roles for i in m.evidence("role")]
        named = sorted({r for m in roles for r in m.values("role")})
        return Criterion(
            code, title, State.MET, Phrase.of("structured.roles", roles=", ".join(named)), evidence
        )
    dated = [(d, s) for e in facts.events() for d, s in e.dates()]
    days = sorted({d for d, _ in dated})
    if len(days) >= 2:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("structured.dates", n=len(days)),
            [s for _, s in dated],
        )
    if days:
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("structured.one_date"),
            [s for _, s in dated],
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("structured.none"))


def period(facts: CaseFacts) -> Criterion:
    code, title = "untoc.2a.period", "existing for a period of time"
    dated = [
        (d, s)
        for e in (*facts.memberships(), *facts.events(), *facts.groups())
        for d, s in e.dates()
    ]
    if len(dated) < 2:
        return Criterion(
            code,
            title,
            State.UNKNOWN,
            Phrase.of("period.few"),
            [s for _, s in dated],
        )
    first, last = min(dated), max(dated)
    span = (last[0] - first[0]).days
    evidence = [first[1], last[1]]
    if span >= PERIOD_DAYS:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("period.met", days=span, first=first[0], last=last[0]),
            evidence,
        )
    return Criterion(
        code,
        title,
        State.NOT_MET,
        Phrase.of("period.short", days=span, least=PERIOD_DAYS),
        evidence,
    )


def concert(facts: CaseFacts) -> Criterion:
    code, title = "untoc.2a.concert", "acting in concert"
    suspects = set(facts.suspects())
    groups = {g.id for g in facts.groups()}
    events = facts.of_schema("Event")
    for event in events:
        together = sorted(set(event.values("involved")) & suspects)
        if len(together) >= 2:
            return Criterion(
                code,
                title,
                State.MET,
                Phrase.of("concert.event", n=len(together), event=event.id),
                event.evidence("involved"),
            )
        if set(event.values("organizer")) & groups and len(suspects) >= 2:
            return Criterion(
                code,
                title,
                State.MET,
                Phrase.of("concert.organised", event=event.id),
                event.evidence("organizer"),
            )
    if events and suspects:
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("concert.apart"),
            [e.id for e in events],
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("concert.none"))


def serious_crime(facts: CaseFacts) -> Criterion:
    code, title = (
        "untoc.2a.serious",
        f"aim of serious crime (penalty of {SERIOUS_YEARS} years or more)",
    )
    penalties: list[tuple[float, str, Entity]] = []
    for court_case in facts.of_schema("CourtCase"):
        for value, ids in court_case.codes("penalty_max_years:").items():
            try:
                penalties.append((float(value), ids[0], court_case))
            except ValueError:
                continue
    if not penalties:
        return Criterion(
            code,
            title,
            State.UNKNOWN,
            Phrase.of("serious.none"),
        )
    years, statement_id, court_case = max(penalties, key=lambda p: (p[0], p[1]))
    offence = ", ".join(court_case.values("category")) or court_case.id
    if years >= SERIOUS_YEARS:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("serious.met", offence=offence, years=f"{years:g}"),
            [statement_id],
        )
    return Criterion(
        code,
        title,
        State.NOT_MET,
        Phrase.of("serious.under", offence=offence, years=f"{years:g}", least=SERIOUS_YEARS),
        [statement_id],
    )


def benefit(facts: CaseFacts) -> Criterion:
    code, title = "untoc.2a.benefit", "for a financial or other material benefit"
    parties = set(facts.suspects()) | {g.id for g in facts.groups()}
    coded = {
        kind: ids for e in facts.of_schema("Event") for kind, ids in e.codes("benefit:").items()
    }
    if coded:
        return Criterion(
            code,
            title,
            State.MET,
            _benefits(sorted(coded)),
            [i for ids in coded.values() for i in ids],
        )
    paid = [
        p
        for p in facts.of_schema("Payment")
        if set(p.values("payer")) & parties or set(p.values("beneficiary")) & parties
    ]
    if paid:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("benefit.paid", n=len(paid)),
            [p.id for p in paid],
        )
    return Criterion(
        code,
        title,
        State.UNKNOWN,
        Phrase.of("benefit.none"),
    )


def _benefits(kinds: list[str]) -> Phrase:
    if len(kinds) == 1:
        return Phrase.of("benefit.coded", kind=kinds[0])
    return Phrase.of("benefit.coded_two", first=" and ".join(kinds[:-1]), second=kinds[-1])


def transnational(facts: CaseFacts) -> Criterion:
    parts = [
        several_states(facts),
        directed_elsewhere(facts),
        group_abroad(facts),
        effects_elsewhere(facts),
    ]
    return composite("untoc.3.2", "UNTOC Art. 3(2): transnational in nature", Rule.ANY, parts)


def _event_countries(facts: CaseFacts) -> dict[str, list[str]]:
    return facts.countries(facts.of_schema("Event"))


def several_states(facts: CaseFacts) -> Criterion:
    code, title = "untoc.3.2.a", "(a) committed in more than one State"
    found = _event_countries(facts)
    evidence = [i for ids in found.values() for i in ids]
    if len(found) >= 2:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("several.met", countries=", ".join(sorted(found))),
            evidence,
        )
    if found:
        return Criterion(
            code,
            title,
            State.NOT_MET,
            Phrase.of("several.one", country=next(iter(found))),
            evidence,
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("several.none"))


def directed_elsewhere(facts: CaseFacts) -> Criterion:
    code = "untoc.3.2.b"
    title = "(b) one State, but substantial preparation, planning, direction or control in another"
    where = _event_countries(facts)
    leaders = [m for m in facts.memberships() if any(LEADER.search(r) for r in m.values("role"))]
    ids = {v for m in leaders for v in m.values("member")}
    ids |= {g.id for g in facts.groups()}
    directing = facts.countries(e for e in facts.entities.values() if e.id in ids)
    if not where or not directing:
        return Criterion(
            code,
            title,
            State.UNKNOWN,
            Phrase.of("directed.unknown"),
        )
    abroad = sorted(set(directing) - set(where))
    if abroad:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("directed.met", abroad=", ".join(abroad), where=", ".join(sorted(where))),
            [i for c in abroad for i in directing[c]],
        )
    return Criterion(
        code,
        title,
        State.NOT_MET,
        Phrase.of("directed.same", where=", ".join(sorted(where))),
        [i for ids in directing.values() for i in ids],
    )


def group_abroad(facts: CaseFacts) -> Criterion:
    code, title = "untoc.3.2.c", "(c) involves a group active in more than one State"
    groups = facts.groups()
    if not groups:
        return Criterion(code, title, State.UNKNOWN, Phrase.of("abroad.no_group"))
    ids = {g.id for g in groups}
    organised = [e for e in facts.of_schema("Event") if set(e.values("organizer")) & ids]
    found = facts.countries(groups)
    for country, evidence in facts.countries(organised).items():
        found.setdefault(country, []).extend(evidence)
    evidence = [i for ids_ in found.values() for i in ids_]
    if len(found) >= 2:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("abroad.met", countries=", ".join(sorted(found))),
            evidence,
        )
    if found:
        return Criterion(
            code, title, State.NOT_MET, Phrase.of("abroad.one", country=next(iter(found))), evidence
        )
    return Criterion(code, title, State.UNKNOWN, Phrase.of("abroad.unknown"))


def effects_elsewhere(facts: CaseFacts) -> Criterion:
    code, title = "untoc.3.2.d", "(d) substantial effects in another State"
    where = _event_countries(facts)
    origins = facts.countries(facts.victims(), "nationality")
    if not where or not origins:
        return Criterion(code, title, State.UNKNOWN, Phrase.of("effects.unknown"))
    other = sorted(set(origins) - set(where))
    if other:
        return Criterion(
            code,
            title,
            State.MET,
            Phrase.of("effects.met", other=", ".join(other), where=", ".join(sorted(where))),
            [i for c in other for i in origins[c]],
        )
    return Criterion(
        code,
        title,
        State.NOT_MET,
        Phrase.of("effects.same"),
        [i for ids in origins.values() for i in ids],
    )
