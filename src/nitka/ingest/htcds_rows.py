"""A case's persons as HTCDS rows, and its victims' facts for the anonymised export.

The reverse of ``nitka.ingest.htcds``, read from the convention (docs/thb-case-data.md),
so that it also exports what was typed into Nitka rather than imported: a value kept
with HTCDS's detail (``htcds:control:debt_bondage``) gives that value back; a code of the
convention without it gives the nearest HTCDS value (``means:force`` gives
``PhysicalAbuse``; a means with no near one gives ``Other``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from followthemoney import EntityProxy

from nitka.ingest.htcds import CONTEXT, ID, PERPETRATOR, SEPARATOR, VICTIM
from nitka.ingest.htcds_codes import (
    ACT_TO_ROLE,
    CONTROL,
    EDUCATION,
    EVENT_TYPE,
    EXPLOITATION,
    EXPLOITATION_APPS,
    FORM_TO_EXPLOITATION,
    FTM_TO_GENDER,
    GENDER,
    INDUSTRY,
    MEANS_TO_CONTROL,
    OPEN_BAND_FROM,
    OPEN_BAND_TO,
    RECRUITMENT,
    RECRUITMENT_APPS,
    RELATIONSHIP,
    ROLE,
    SEX_EXPLOITATION,
    TRAFFICKING_STATUS,
    Picklist,
)
from nitka.model.handling import DataSubjectCategory

_AGE = re.compile(r"age:(\d+)-(\d+)")
VICTIM_CATEGORIES = frozenset({DataSubjectCategory.VICTIM})
PERPETRATOR_CATEGORIES = frozenset({DataSubjectCategory.SUSPECT, DataSubjectCategory.CONVICTED})


@dataclass
class Held:
    """One entity of the case as the exporting user may see it."""

    proxy: EntityProxy
    categories: set[DataSubjectCategory] = field(default_factory=set)
    """The data-subject categories of its statements."""
    first_seen: str | None = None
    """When the unit first had it (the earliest of its statements' ``first_seen``)."""


@dataclass
class PersonView:
    """A victim or perpetrator with the events and groups that name them."""

    held: Held
    context: str
    events: list[EntityProxy]
    groups: list[str]
    """The names of the groups the person is a member of."""

    @property
    def person(self) -> EntityProxy:
        return self.held.proxy


def persons_of(entities: Mapping[str, Held]) -> list[PersonView]:
    """The case's victims and perpetrators (persons of other categories are not HTCDS's),
    in a stable order."""
    involved: dict[str, list[EntityProxy]] = {}
    groups: dict[str, list[str]] = {}
    for held in entities.values():
        proxy = held.proxy
        if proxy.schema.name == "Event":
            for person_id in proxy.get("involved"):
                involved.setdefault(person_id, []).append(proxy)
        elif proxy.schema.name == "Membership":
            for group_id in proxy.get("organization"):
                group = entities.get(group_id)
                names = group.proxy.get("name") if group is not None else []
                for member in proxy.get("member"):
                    groups.setdefault(member, []).extend(names)
    views = []
    for entity_id, held in sorted(entities.items()):
        if not held.proxy.schema.is_a("Person"):
            continue
        if held.categories & VICTIM_CATEGORIES:
            context = VICTIM
        elif held.categories & PERPETRATOR_CATEGORIES:
            context = PERPETRATOR
        else:
            continue
        events = sorted(involved.get(entity_id, []), key=lambda e: str(e.id))
        views.append(PersonView(held, context, events, sorted(set(groups.get(entity_id, [])))))
    return views


def to_row(view: PersonView) -> dict[str, str]:
    """One HTCDS row (``nitka.ingest.htcds.COLUMNS``; absent columns are empty)."""
    person = view.person
    first, middle, last = _names(person)
    keywords = person.get("keywords")
    row = {
        ID: str(person.id),
        CONTEXT: view.context,
        "prs_Salutation": _first(person, "title"),
        "prs_FirstName": first,
        "prs_MiddleName": middle,
        "prs_SecondName": last,
        "prs_Birthdate": _first(person, "birthDate"),
        "prs_Gender": _gender(person),
        "prs_Citizenship": _join(c.upper() for c in person.get("nationality")),
        "prs_IdentityNumber": _join(person.get("idNumber")),
        "prs_Title": _first(person, "position"),
        "prs_Email": _join(person.get("email")),
        "prs_MobilePhone": _join(person.get("phone")),
        "prs_PrimaryLanguage": _first(person, "spokenLanguage"),
        "prs_HighestLevelOfEducation": _join(
            v for v in (EDUCATION.read(e) for e in person.get("education")) if v
        ),
        "prs_MailingStreet": _first(person, "address"),
        "prs_MailingCountry": _first(person, "country").upper(),
        "vic_AgeWhenTrafficked": _age(keywords),
    }
    if view.context == VICTIM:
        row["vic_TraffickingStatus"] = _join(_details(keywords, TRAFFICKING_STATUS))
        row.update(_victim_columns(view.events))
    else:
        row.update(_perpetrator_columns(view))
    row.update(_historic_columns(view.events))
    return {column: value for column, value in row.items() if value}


def _victim_columns(events: list[EntityProxy]) -> dict[str, str]:
    exploitation = [e for e in events if _has(e, "exploitation:", "means:", "htcds:control:")]
    recruitment = [e for e in events if _has(e, "act:recruitment", "htcds:recruitment")]
    return {
        "vic_RelationshipToTrafficker": _values(exploitation, RELATIONSHIP),
        "vic_MethodOfRecruitment": _values(recruitment, RECRUITMENT),
        "vic_LocationOfRecruitment": _countries(recruitment),
        "vic_RecruitmentWebsitesAndApps": _values(recruitment, RECRUITMENT_APPS),
        "vic_MethodsOfControl": _join(controls(exploitation)),
        "vic_TypeOfExploitation": _join(exploitation_types(exploitation)),
        "vic_ForcedLabourIndustry": _values(exploitation, INDUSTRY),
        "vic_TypeOfSexExploitation": _values(exploitation, SEX_EXPLOITATION),
        "vic_LocationOfExploitation": _countries(exploitation),
        "vic_ExploitationWebsitesAndApps": _values(exploitation, EXPLOITATION_APPS),
    }


def _perpetrator_columns(view: PersonView) -> dict[str, str]:
    roles: list[str] = []
    details: list[str] = []
    for event in view.events:
        keywords = event.get("keywords")
        found = _details(keywords, ROLE)
        if not found:
            acts = (k.removeprefix("act:") for k in keywords if k.startswith("act:"))
            found = [ACT_TO_ROLE[a] for a in acts if a in ACT_TO_ROLE]
        if not _details(keywords, EVENT_TYPE):
            details.extend(event.get("description"))
        roles.extend(found)
    return {
        "per_RoleInProcess": _join(_unique(roles)),
        "per_RoleDetails": " ".join(_unique(details)),
        "per_Organisation": _join(view.groups),
    }


def _historic_columns(events: list[EntityProxy]) -> dict[str, str]:
    for event in events:
        types = _details(event.get("keywords"), EVENT_TYPE)
        if types:
            return {
                "hte_Type": types[0],
                "hte_Date": _first(event, "date"),
                "hte_Country": _first(event, "country").upper(),
                "hte_Street": _first(event, "address"),
                "hte_Description": _first(event, "description"),
            }
    return {}


def controls(events: Iterable[EntityProxy]) -> list[str]:
    """HTCDS's methods of control of the events: their detail, else the means."""
    return _coded(events, CONTROL, "means:", MEANS_TO_CONTROL)


def exploitation_types(events: Iterable[EntityProxy]) -> list[str]:
    """HTCDS's types of exploitation of the events: their detail, else the forms."""
    return _coded(events, EXPLOITATION, "exploitation:", FORM_TO_EXPLOITATION)


def _coded(
    events: Iterable[EntityProxy], picklist: Picklist, prefix: str, nearest: Mapping[str, str]
) -> list[str]:
    """An event's values of a picklist from its detail; an event without detail (typed in
    Nitka) gives the nearest value of each of its convention codes, else ``Other``."""
    found: list[str] = []
    for event in events:
        keywords = event.get("keywords")
        detail = _details(keywords, picklist)
        if detail:
            found.extend(detail)
            continue
        codes = (k.removeprefix(prefix) for k in keywords if k.startswith(prefix))
        found.extend(nearest.get(code, "Other") for code in codes)
    return _unique(found)


@dataclass(frozen=True)
class VictimFacts:
    """What the anonymised export may use of one victim (no name, id or date)."""

    gender: str | None
    """FtM's gender: ``male``, ``female``, ``other``, or None."""
    age: tuple[int, int] | None
    """Age when trafficked, as a band (a known age is a band of one year)."""
    citizenship: str | None
    """ISO 3166-1 alpha-2, lower case."""
    year: int | None
    """The year the unit registered the victim."""
    exploitation_country: str | None
    controls: frozenset[str]
    """HTCDS's methods of control."""
    exploitation: frozenset[str]
    """HTCDS's types of exploitation."""
    relationships: frozenset[str]
    """HTCDS's relationships to the trafficker."""


def victim_facts(view: PersonView) -> VictimFacts:
    person = view.person
    exploitation = [e for e in view.events if _has(e, "exploitation:", "means:", "htcds:control:")]
    year = int(view.held.first_seen[:4]) if view.held.first_seen else None
    countries = sorted({c for e in exploitation for c in e.get("country")})
    nationalities = sorted(person.get("nationality"))
    return VictimFacts(
        gender=_first(person, "gender") or None,
        age=_age_band(person, year),
        citizenship=nationalities[0] if nationalities else None,
        year=year,
        exploitation_country=countries[0] if countries else None,
        controls=frozenset(controls(exploitation)),
        exploitation=frozenset(exploitation_types(exploitation)),
        relationships=frozenset(
            value for e in exploitation for value in _details(e.get("keywords"), RELATIONSHIP)
        ),
    )


def _age_band(person: EntityProxy, year: int | None) -> tuple[int, int] | None:
    for keyword in sorted(person.get("keywords")):
        match = _AGE.fullmatch(keyword)
        if match is not None:
            return int(match.group(1)), int(match.group(2))
    births = sorted(person.get("birthDate"))
    if births and year is not None and len(births[0]) >= 4:
        age = year - int(births[0][:4])
        if 0 <= age <= OPEN_BAND_TO:
            return age, age
    return None


def _names(person: EntityProxy) -> tuple[str, str, str]:
    first, middle, last = (_first(person, p) for p in ("firstName", "middleName", "lastName"))
    if not (first or last):
        parts = _first(person, "name").split()
        first, last = " ".join(parts[:-1]), " ".join(parts[-1:])
    return first, middle, last


def _gender(person: EntityProxy) -> str:
    detail = _details(person.get("keywords"), GENDER)
    if detail:
        return detail[0]
    return FTM_TO_GENDER.get(_first(person, "gender"), "")


def _age(keywords: list[str]) -> str:
    for keyword in sorted(keywords):
        match = _AGE.fullmatch(keyword)
        if match is None:
            continue
        low, high = int(match.group(1)), int(match.group(2))
        if low == high:
            return str(low)
        return f"{low}+" if low >= OPEN_BAND_FROM and high >= OPEN_BAND_TO else f"{low}-{high}"
    return ""


def _has(event: EntityProxy, *prefixes: str) -> bool:
    return any(k.startswith(prefixes) for k in event.get("keywords"))


def _details(keywords: Iterable[str], picklist: Picklist) -> list[str]:
    found = (picklist.from_detail(k) for k in keywords)
    return sorted((v for v in found if v), key=picklist.values.index)


def _values(events: Iterable[EntityProxy], picklist: Picklist) -> str:
    return _join(_unique(v for e in events for v in _details(e.get("keywords"), picklist)))


def _countries(events: Iterable[EntityProxy]) -> str:
    return _join(_unique(c.upper() for e in events for c in e.get("country")))


def _first(proxy: EntityProxy, prop: str) -> str:
    values = sorted(proxy.get(prop))
    return values[0] if values else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)
