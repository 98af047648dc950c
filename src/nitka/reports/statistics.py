"""The periodic statistics: every figure computed from the THB facts the viewer may
see (``facts``) and the exchange's figures for the period (handed in by the
service layer, which reads them with ``nitka.exchange.statistics``).

The tables are the unit's own (summary, partner countries, deadlines, victims by
sex and age, age bands, citizenship, form of exploitation, offenders, cases),
and two in the long form the receivers take as they are: GLOTIP's columns
(Indicator, Dimension, Category, Sex, Age, Year, txtVALUE) and Eurostat's
(dataset, legal status, sex, age, category, geo, time, value).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from nitka.reports.codes import (
    ACQUITTED_STATUS,
    AGE_BANDS,
    AGE_GROUPS,
    CONVICTED_STATUS,
    EU_MEMBERS,
    EUROSTAT_AGE,
    EUROSTAT_FORM,
    EUROSTAT_SEX,
    EXPLOITATION,
    EXTRADITION_OUTCOMES,
    GLOTIP_AGE,
    GLOTIP_FORM,
    GLOTIP_OTHER_FORM,
    GLOTIP_SEX,
    LOCATED_KEYWORD,
    OFFENDER_CATEGORIES,
    REPORT_KEYWORD,
    SEXES,
    VICTIM_CATEGORY,
)
from nitka.reports.facts import Entity, Facts
from nitka.reports.period import Period
from nitka.reports.persons import Classed, band_key, classify, event_date, involvement
from nitka.reports.tables import Row, Table

EXCHANGE_COLUMNS = (
    "messages_out",
    "messages_in",
    "requests_out",
    "requests_in",
    "in_time_out",
    "late_out",
    "pending_out",
    "in_time_in",
    "late_in",
    "pending_in",
)
"""The exchange's figures per partner country and per priority (the keys of
``nitka.exchange.statistics.period_figures``)."""
PRIORITIES = ("urgent-direct", "urgent", "normal")


@dataclass(frozen=True)
class ExchangeFigures:
    countries: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    priorities: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Statistics:
    period: Period
    tables: tuple[Table, ...]
    scope: str
    """Whose sight the figures are counted in: an account's name, or ``all``."""
    home_country: str | None
    generated_at: str
    warnings: tuple[str, ...] = ()
    minimum_cell: int = 0
    """Cells below it are suppressed (0 or 1: the unit's internal report, exact)."""

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def released(self, minimum: int) -> Statistics:
        """The report as it may leave the unit: small cells suppressed."""
        return replace(
            self, tables=tuple(t.suppressed(minimum) for t in self.tables), minimum_cell=minimum
        )


def compute(
    facts: Facts,
    period: Period,
    exchange: ExchangeFigures,
    *,
    scope: str,
    home_country: str | None = None,
    now: datetime | None = None,
) -> Statistics:
    dates, forms, warnings = involvement(facts)
    victims: list[Classed] = []
    offenders: list[Classed] = []
    classes: dict[str, Classed] = {}
    for person in facts.persons.values():
        classed = classify(person, dates.get(person.id, []), forms.get(person.id, set()))
        classes[person.id] = classed
        warnings.extend(classed.warnings)
        if not period.holds(classed.detected):
            continue
        if VICTIM_CATEGORY in person.categories:
            victims.append(classed)
        if person.categories & set(OFFENDER_CATEGORIES):
            offenders.append(classed)
    home = home_country.lower() if home_country else None
    events = _in_period(facts.events, period)
    located = _located(facts, events)
    extraditions = _extraditions(events)
    reports = _by_country(e for e in events if REPORT_KEYWORD in _keywords(e))
    opened = _by_country(c for c in facts.court_cases if period.holds(_first(c, "fileDate")))
    outcomes = _outcomes(facts, period, classes)
    year = str(period.start.year) if period.start.year == period.end.year else period.label()
    tables = (
        _summary(exchange, located, extraditions, reports, opened, victims, offenders, outcomes),
        _partners(exchange, located, extraditions),
        _deadlines(exchange),
        _sex_age(victims),
        _bands(victims),
        _citizenship(victims),
        _exploitation(victims),
        _offenders(offenders, outcomes),
        _cases(opened, reports),
        _glotip(victims, offenders, outcomes, opened, home, year),
        _eurostat(victims, offenders, outcomes, home, year),
    )
    return Statistics(
        period=period,
        tables=tables,
        scope=scope,
        home_country=home,
        generated_at=(now or datetime.now().astimezone()).isoformat(timespec="seconds"),
        warnings=tuple(sorted(set(warnings))),
    )


def _first(entity: Entity, prop: str) -> str | None:
    return entity.first(prop)


def _keywords(entity: Entity) -> set[str]:
    return {k.lower() for k in entity.get("keywords")}


def _countries(entity: Entity) -> list[str]:
    return sorted({c.lower() for c in entity.get("country")}) or ["unknown"]


def _in_period(events: Iterable[Entity], period: Period) -> list[Entity]:
    return [e for e in events if period.holds(event_date(e))]


def _by_country(entities: Iterable[Entity]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for entity in entities:
        for country in _countries(entity):
            counts[country] += 1
    return counts


def _located(facts: Facts, events: list[Entity]) -> Counter[str]:
    """Persons located per country: the distinct persons the ``located`` events
    involve (an event that names nobody counts as one person)."""
    persons: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if LOCATED_KEYWORD not in _keywords(event):
            continue
        involved = {facts.canonical.get(p, p) for p in event.get("involved")} or {event.id}
        for country in _countries(event):
            persons[country] |= involved
    return Counter({country: len(found) for country, found in persons.items()})


def _extraditions(events: list[Entity]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {outcome: Counter() for outcome in EXTRADITION_OUTCOMES}
    for event in events:
        for outcome in event.keywords("extradition") & set(EXTRADITION_OUTCOMES):
            for country in _countries(event):
                counts[outcome][country] += 1
    return counts


@dataclass
class Outcomes:
    prosecuted: dict[str, str] = field(default_factory=dict)
    """Defendants whose party record is dated in the period, by sex."""
    convicted: dict[str, str] = field(default_factory=dict)
    acquitted: dict[str, str] = field(default_factory=dict)


def _outcomes(facts: Facts, period: Period, classes: Mapping[str, Classed]) -> Outcomes:
    found = Outcomes()
    for party in facts.parties:
        when = _first(party, "date") or _first(party, "startDate")
        roles = {r.lower() for r in party.get("role")}
        if not period.holds(when) or (roles and "defendant" not in roles):
            continue
        statuses = {s.lower() for s in party.get("status")}
        for person in party.get("party"):
            key = facts.canonical.get(person, person)
            sex = classes[key].sex if key in classes else "unknown"
            found.prosecuted[key] = sex
            if CONVICTED_STATUS in statuses:
                found.convicted[key] = sex
            elif ACQUITTED_STATUS in statuses:
                found.acquitted[key] = sex
    return found


def _summary(
    exchange: ExchangeFigures,
    located: Counter[str],
    extraditions: Mapping[str, Counter[str]],
    reports: Counter[str],
    opened: Counter[str],
    victims: list[Classed],
    offenders: list[Classed],
    outcomes: Outcomes,
) -> Table:
    sums = Counter[str]()
    for figures in exchange.countries.values():
        sums.update(figures)
    rows = [(key, sums[key]) for key in EXCHANGE_COLUMNS]
    rows += [
        ("persons_located", sum(located.values())),
        *((f"extradition_{o}", sum(extraditions[o].values())) for o in EXTRADITION_OUTCOMES),
        ("reports_possible_thb", sum(reports.values())),
        ("criminal_cases_opened", sum(opened.values())),
        ("victims", len(victims)),
        ("child_victims", sum(1 for v in victims if v.age_group == "child")),
        ("suspects", len(offenders)),
        ("prosecuted", len(outcomes.prosecuted)),
        ("convicted", len(outcomes.convicted)),
    ]
    return Table("summary", ("count",), tuple(Row(k, (n,)) for k, n in rows))


def _partners(
    exchange: ExchangeFigures, located: Counter[str], extraditions: Mapping[str, Counter[str]]
) -> Table:
    columns = (*EXCHANGE_COLUMNS, "persons_located",
               *(f"extradition_{o}" for o in EXTRADITION_OUTCOMES))  # fmt: skip
    countries = set(exchange.countries) | set(located)
    for counts in extraditions.values():
        countries |= set(counts)
    rows = []
    for country in sorted(countries):
        figures = exchange.countries.get(country, {})
        cells = [figures.get(key, 0) for key in EXCHANGE_COLUMNS]
        cells += [located[country], *(extraditions[o][country] for o in EXTRADITION_OUTCOMES)]
        rows.append(Row(country, tuple(cells)))
    return Table("partner_countries", columns, tuple(rows), chart="column")


def _deadlines(exchange: ExchangeFigures) -> Table:
    rows = tuple(
        Row(p, tuple(exchange.priorities.get(p, {}).get(k, 0) for k in EXCHANGE_COLUMNS[2:]))
        for p in PRIORITIES
    )
    return Table("deadlines", EXCHANGE_COLUMNS[2:], rows, chart="column", note="deadlines_note")


def _crossed(victims: list[Classed], row: str, column: str, rows: Iterable[str],
             columns: tuple[str, ...]) -> tuple[Row, ...]:  # fmt: skip
    """Counts of victims by two of their classes, with a total column."""
    counts: Counter[tuple[str, str]] = Counter()
    for victim in victims:
        for r in _values(victim, row):
            for c in _values(victim, column):
                counts[(r, c)] += 1
    out = []
    for r in rows:
        cells = [counts[(r, c)] for c in columns]
        total = sum(1 for v in victims if r in _values(v, row))
        out.append(Row(r, (*cells, total)))
    return tuple(out)


def _values(victim: Classed, attribute: str) -> list[str]:
    value = getattr(victim, attribute)
    return list(value) if isinstance(value, list) else [value]


def _sex_age(victims: list[Classed]) -> Table:
    rows = _crossed(victims, "sex", "age_group", SEXES, AGE_GROUPS)
    total = Row("total", (*(sum(1 for v in victims if v.age_group == g) for g in AGE_GROUPS),
                          len(victims)))  # fmt: skip
    return Table("victims_sex_age", (*AGE_GROUPS, "total"), (*rows, total), chart="column")


def _bands(victims: list[Classed]) -> Table:
    bands = [band_key(s, e) for s, e in AGE_BANDS] + ["unknown"]
    rows = _crossed(victims, "age_band", "sex", bands, SEXES)
    return Table("victims_age_bands", (*SEXES, "total"), rows, chart="column")


def _citizenship(victims: list[Classed]) -> Table:
    found = sorted({c for v in victims for c in v.citizenship})
    rows = _crossed(victims, "citizenship", "age_group", found, AGE_GROUPS)
    return Table("victims_citizenship", (*AGE_GROUPS, "total"), rows, chart="pie",
                 note="several_note")  # fmt: skip


def _exploitation(victims: list[Classed]) -> Table:
    rows = _crossed(victims, "forms", "sex", (*EXPLOITATION, "unknown"), SEXES)
    return Table("victims_exploitation", (*SEXES, "total"), rows, chart="column",
                 note="several_note")  # fmt: skip


def _offenders(offenders: list[Classed], outcomes: Outcomes) -> Table:
    def row(key: str, sexes: Iterable[str]) -> Row:
        counts = Counter(sexes)
        return Row(key, (*(counts[s] for s in SEXES), sum(counts.values())))

    return Table(
        "offenders",
        (*SEXES, "total"),
        (
            row("suspects", (o.sex for o in offenders)),
            row("prosecuted", outcomes.prosecuted.values()),
            row("convicted", outcomes.convicted.values()),
            row("acquitted", outcomes.acquitted.values()),
        ),
        chart="column",
    )


def _cases(opened: Counter[str], reports: Counter[str]) -> Table:
    rows = tuple(Row(c, (opened[c], reports[c])) for c in sorted(set(opened) | set(reports)))
    return Table("cases_countries", ("criminal_cases_opened", "reports_possible_thb"), rows,
                 chart="column")  # fmt: skip


GLOTIP_COLUMNS = ("Country", "Indicator", "Dimension", "Category", "Sex", "Age", "Year",
                  "Unit of measurement", "txtVALUE")  # fmt: skip


def _glotip(victims: list[Classed], offenders: list[Classed], outcomes: Outcomes,
            opened: Counter[str], home: str | None, year: str) -> Table:  # fmt: skip
    country = (home or "").upper()
    rows: list[Row] = []

    def add(indicator: str, dimension: str, category: str, sex: str, age: str, n: int) -> None:
        rows.append(Row(country, (indicator, dimension, category, sex, age, year, "Counts", n)))

    victim = "Detected trafficking victims"
    add(victim, "Total", "Total", "Total", "Total", len(victims))
    for sex in SEXES:
        for group in AGE_GROUPS:
            n = sum(1 for v in victims if v.sex == sex and v.age_group == group)
            add(victim, "Total", "Total", GLOTIP_SEX[sex], GLOTIP_AGE[group], n)
    forms: Counter[str] = Counter()
    for v in victims:
        forms.update({GLOTIP_FORM.get(f, GLOTIP_OTHER_FORM) for f in v.forms if f != "unknown"})
    for form in ("Sexual exploitation", "Forced labour", GLOTIP_OTHER_FORM):
        add(victim, "by form of exploitation", form, "Total", "Total", forms[form])
    citizens: Counter[str] = Counter(c for v in victims for c in v.citizenship)
    for code, n in sorted(citizens.items()):
        add(victim, "by citizenship", code.upper() if code != "unknown" else "Unknown",
            "Total", "Total", n)  # fmt: skip
    for indicator, persons in (
        ("Persons brought into formal contact", [o.sex for o in offenders]),
        ("Persons prosecuted", list(outcomes.prosecuted.values())),
        ("Persons convicted", list(outcomes.convicted.values())),
    ):
        add(indicator, "Total", "Total", "Total", "Total", len(persons))
        counts = Counter(persons)
        for sex in SEXES:
            add(indicator, "Total", "Total", GLOTIP_SEX[sex], "Total", counts[sex])
    add("Offences of trafficking in persons", "Total", "Total", "Total", "Total",
        sum(opened.values()))  # fmt: skip
    return Table("glotip", GLOTIP_COLUMNS[1:], tuple(rows), long=True, raw_columns=GLOTIP_COLUMNS,
                 note="glotip_note")  # fmt: skip


EUROSTAT_COLUMNS = ("dataset", "leg_stat", "sex", "age", "category", "geo", "time", "value")


def _eurostat(victims: list[Classed], offenders: list[Classed], outcomes: Outcomes,
              home: str | None, year: str) -> Table:  # fmt: skip
    geo = (home or "").upper()
    rows: list[Row] = []

    def add(dataset: str, status: str, sex: str, age: str, category: str, n: int) -> None:
        rows.append(Row(dataset, (status, sex, age, category, geo, year, n)))

    by_sex_age: Counter[tuple[str, str]] = Counter(
        (EUROSTAT_SEX[v.sex], EUROSTAT_AGE[v.age_group]) for v in victims
    )
    add("crim_thb_vict", "victims", "T", "TOTAL", "TOTAL", len(victims))
    for sex in ("F", "M", "UNK"):
        for age in ("Y_LT18", "Y_GE18", "UNK"):
            add("crim_thb_vict", "victims", sex, age, "TOTAL", by_sex_age[(sex, age)])
    groups: Counter[str] = Counter()
    for v in victims:
        groups.update({_citizen_group(c, home) for c in v.citizenship})
    for group in ("reporting_country", "other_eu", "non_eu", "unknown"):
        add("crim_thb_vctz", "victims", "T", "TOTAL", group, groups[group])
    forms: Counter[str] = Counter()
    for v in victims:
        forms.update({EUROSTAT_FORM.get(f, "other") for f in v.forms if f != "unknown"})
    for form in ("sexual", "labour", "other"):
        add("crim_thb_vexp", "victims", "T", "TOTAL", form, forms[form])
    for status, sexes in (
        ("suspected", [o.sex for o in offenders]),
        ("prosecuted", list(outcomes.prosecuted.values())),
        ("convicted", list(outcomes.convicted.values())),
    ):
        counts = Counter(EUROSTAT_SEX[s] for s in sexes)
        add("crim_thb", status, "T", "TOTAL", "TOTAL", len(sexes))
        for sex in ("F", "M", "UNK"):
            add("crim_thb", status, sex, "TOTAL", "TOTAL", counts[sex])
    return Table("eurostat", EUROSTAT_COLUMNS[1:], tuple(rows), long=True,
                 raw_columns=EUROSTAT_COLUMNS, note="eurostat_note")  # fmt: skip


def _citizen_group(code: str, home: str | None) -> str:
    if code == "unknown":
        return "unknown"
    if home and code == home:
        return "reporting_country"
    return "other_eu" if code in EU_MEMBERS else "non_eu"
