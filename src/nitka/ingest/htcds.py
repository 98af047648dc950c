"""IOM's Human Trafficking Case Data Standard (HTCDS 2.0): a CSV or XLSX of the persons of
a case, read into FtM statements as the THB case convention keeps them
(docs/thb-case-data.md; the mapping field by field: docs/htcds.md).

Why: front-line organisations that follow HTCDS (NGOs, shelters, other police units)
refer victims and perpetrators with these fields; reading them as the convention's
statements lets the threat assessment, the legal criteria and the statistics count
them with the unit's own cases.

One row is one person, in HTCDS's column names (``prs_FirstName``, ``vic_MethodsOfControl``,
``per_RoleInProcess``, ``hte_Type``...). Two columns are Nitka's own: ``Id`` (the person's
id in the sending system, which keeps a repeated ingest from making a second person) and
``PersonContext`` (``Victim`` or ``Perpetrator``; when empty, a row with a ``per_`` value
is a perpetrator's). Multi-select cells hold their values split by ``;``. A picklist
value is taken as HTCDS's value name or label in any case (``DebtBondage``,
``Debt bondage``); one that is neither is left out of its record, and the reject file
names the record, the field and the value: the row's other values are stored.

A victim's row gives the ``Person`` (category ``victim``; ``other`` for
``NotAVictimOfTrafficking``), an ``Event`` of its exploitation (forms, means of control,
where), one of its recruitment (method, where) and one for the historic trafficking event
(``hte_``), each involving the person and of the person's category. A perpetrator's row
gives the ``Person`` (category ``suspect``), an ``Event`` of its role in the process, and
for ``per_Organisation`` the group (``Organization``, topic ``crime``) with a
``Membership``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import EntityProxy, model

from nitka.errors import IngestError
from nitka.ingest.base import Categorised, Converted, Converter
from nitka.ingest.htcds_codes import (
    CONTROL,
    EDUCATION,
    EVENT_TYPE,
    EXPLOITATION,
    EXPLOITATION_APPS,
    GENDER,
    GENDER_TO_FTM,
    INDUSTRY,
    NOT_A_VICTIM,
    OPEN_BAND_FROM,
    OPEN_BAND_TO,
    RECRUITMENT,
    RECRUITMENT_APPS,
    RELATIONSHIP,
    ROLE,
    ROLE_WORDS,
    SEX_EXPLOITATION,
    TRAFFICKING_STATUS,
    Picklist,
)
from nitka.ingest.notes import drop_value
from nitka.ingest.readers import read_csv, read_xlsx
from nitka.ingest.values import set_value
from nitka.model.handling import DataSubjectCategory
from nitka.normalise.countries import read_countries

ID = "Id"
CONTEXT = "PersonContext"
VICTIM = "Victim"
PERPETRATOR = "Perpetrator"
RECORD = "(record)"
"""The record's number, added to each row so that a row without an ``Id`` gets one."""
SEPARATOR = ";"

PERSON_COLUMNS = (
    "prs_Salutation",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
    "prs_HighestLevelOfEducation",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingState",
    "prs_MailingPostalCode",
    "prs_MailingCountry",
)
VICTIM_COLUMNS = (
    "vic_TraffickingStatus",
    "vic_AgeWhenTrafficked",
    "vic_RelationshipToTrafficker",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "vic_ExploitationWebsitesAndApps",
)
PERPETRATOR_COLUMNS = ("per_RoleInProcess", "per_RoleDetails", "per_Organisation")
EVENT_COLUMNS = (
    "hte_Type",
    "hte_Date",
    "hte_Country",
    "hte_State",
    "hte_City",
    "hte_Street",
    "hte_PostalCode",
    "hte_Description",
)
COLUMNS = (ID, CONTEXT, *PERSON_COLUMNS, *VICTIM_COLUMNS, *PERPETRATOR_COLUMNS, *EVENT_COLUMNS)
"""The columns Nitka reads and writes, in the order an export writes them."""
NOT_CARRIED = frozenset(
    {
        "prs_Deceased",
        "prs_MaritalStatus",
        "prs_NumberOfChildren",
        "prs_MailingLongitude",
        "prs_MailingLatitude",
        "vic_TraffickingStatusDecisionMakingOrg",
        "vic_TraffickinStatusDecisionMakingOrg",
        "vic_AgreementToManagePersonalData",
        "vic_Vulnerabilities",
        "vic_DetailsOfVulnerabilities",
        "hte_Longitude",
        "hte_Latitude",
    }
)
"""HTCDS columns read past on purpose (docs/htcds.md says why)."""
NOT_CARRIED_PREFIXES = ("cas_", "cco_", "con_", "spl_", "org_")
"""Whole HTCDS tables that are the sending organisation's process, not case facts."""
ALIASES = {"prs_Nationality": "prs_Citizenship", "vic_LabourIndustry": "vic_ForcedLabourIndustry"}
"""HTCDS 1.0's names of columns that 2.0 renamed."""

_NUMBER = re.compile(r"\d{1,3}")
_BAND = re.compile(r"(\d{1,3})\s*-{1,2}\s*(\d{1,3})|(\d{1,3})\s*\+")


def check_columns(header: Iterable[str], path: str, *, ignore_unknown: bool = False) -> None:
    """Refuse a file with a column that is neither read nor known to be left out: a
    misspelt ``vic_MethodsOfControll`` would otherwise lose a whole column unnoticed."""
    unknown = [
        name
        for name in header
        if name
        and name not in COLUMNS
        and name not in ALIASES
        and name not in NOT_CARRIED
        and not name.startswith(NOT_CARRIED_PREFIXES)
        and name != RECORD
    ]
    if unknown and not ignore_unknown:
        raise IngestError(
            f"{path}: not HTCDS columns: {', '.join(unknown)} (see docs/htcds.md; "
            "--option unknown_columns=ignore reads past them)"
        )


class HtcdsConverter(Converter):
    """HTCDS rows (CSV or XLSX) to the convention's persons, events and groups."""

    kind = "htcds"
    default_category = DataSubjectCategory.OTHER
    """Persons, their events and memberships get the category of their context; only a
    group (``Organization``) takes the ingest's category."""

    def records(self) -> Iterator[tuple[int, Any]]:
        if Path(self.path).suffix.lower() in (".xlsx", ".xlsm"):
            rows = read_xlsx(self.path, self.options.sheet)
        else:
            rows = read_csv(self.path, self.options.extra.get("delimiter"))
        ignore = self.options.extra.get("unknown_columns") == "ignore"
        checked = False
        for number, row in rows:
            if not checked:
                check_columns(row, self.path, ignore_unknown=ignore)
                checked = True
            cells = {ALIASES.get(k, k): v.strip() for k, v in row.items() if k}
            if _is_label_row(cells):
                continue
            yield number, {**cells, RECORD: str(number)}

    def convert(self, record: Any) -> Iterable[Converted]:
        row: dict[str, str] = record
        key = row.get(ID) or f"record-{row[RECORD]}"
        context = _context(row)
        status = _one(row, "vic_TraffickingStatus", TRAFFICKING_STATUS)
        if context == PERPETRATOR:
            category = DataSubjectCategory.SUSPECT
        elif status == NOT_A_VICTIM:
            category = DataSubjectCategory.OTHER
        else:
            category = DataSubjectCategory.VICTIM
        person = self._person(row, key)
        if status and context == VICTIM:
            person.add("keywords", TRAFFICKING_STATUS.detail(status))
        items: list[Converted] = [Categorised(person, category)]
        if context == VICTIM:
            events = [self._exploitation(row, key), self._recruitment(row, key)]
        else:
            events = [self._role(row, key)]
        for event in (*events, self._historic(row, key)):
            if event is not None:
                event.add("involved", person.id)
                items.append(Categorised(event, category))
        if context == PERPETRATOR:
            items.extend(self._group(row, key, person))
        return items

    def _person(self, row: dict[str, str], key: str) -> EntityProxy:
        person = model.make_entity("Person")
        person.id = self.make_id("person", key)
        names = [row.get(f"prs_{part}", "") for part in ("FirstName", "MiddleName", "SecondName")]
        set_value(person, "name", " ".join(n for n in names if n), "prs_FirstName")
        for prop, column in (
            ("firstName", "prs_FirstName"),
            ("middleName", "prs_MiddleName"),
            ("lastName", "prs_SecondName"),
            ("title", "prs_Salutation"),
            ("position", "prs_Title"),
            ("birthDate", "prs_Birthdate"),
            ("idNumber", "prs_IdentityNumber"),
            ("email", "prs_Email"),
            ("country", "prs_MailingCountry"),
        ):
            set_value(person, prop, row.get(column), column)
        for column in ("prs_HomePhone", "prs_MobilePhone"):
            set_value(person, "phone", row.get(column), column)
        for column in ("prs_PrimaryLanguage", "prs_SecondaryLanguage"):
            set_value(person, "spokenLanguage", row.get(column), column)
        for value in _cells(row, "prs_Citizenship"):
            set_value(person, "nationality", value, "prs_Citizenship")
        address = [row.get(f"prs_Mailing{part}", "") for part in ("Street", "City", "State")]
        address.append(row.get("prs_MailingPostalCode", ""))
        set_value(person, "address", ", ".join(a for a in address if a), "prs_MailingStreet")
        gender = _one(row, "prs_Gender", GENDER)
        if gender in GENDER_TO_FTM:
            person.add("gender", GENDER_TO_FTM[gender])
            if GENDER_TO_FTM[gender] == "other":
                person.add("keywords", GENDER.detail(gender))
        education = _one(row, "prs_HighestLevelOfEducation", EDUCATION)
        if education:
            person.add("education", EDUCATION.label(education))
        age = _age(row.get("vic_AgeWhenTrafficked", ""))
        if age:
            person.add("keywords", age)
        return person

    def _event(self, what: str, key: str, name: str) -> EntityProxy:
        event = model.make_entity("Event")
        event.id = self.make_id(what, key)
        event.add("name", name)
        return event

    def _exploitation(self, row: dict[str, str], key: str) -> EntityProxy | None:
        event = self._event("exploitation", key, "Exploitation")
        found = _keywords(event, row, "vic_TypeOfExploitation", EXPLOITATION)
        found |= _keywords(event, row, "vic_MethodsOfControl", CONTROL)
        found |= _keywords(event, row, "vic_ForcedLabourIndustry", INDUSTRY)
        found |= _keywords(event, row, "vic_TypeOfSexExploitation", SEX_EXPLOITATION)
        found |= _keywords(event, row, "vic_ExploitationWebsitesAndApps", EXPLOITATION_APPS)
        found |= _keywords(event, row, "vic_RelationshipToTrafficker", RELATIONSHIP)
        found |= _place(event, row, "vic_LocationOfExploitation")
        return event if found else None

    def _recruitment(self, row: dict[str, str], key: str) -> EntityProxy | None:
        event = self._event("recruitment", key, "Recruitment")
        found = _keywords(event, row, "vic_MethodOfRecruitment", RECRUITMENT)
        found |= _keywords(event, row, "vic_RecruitmentWebsitesAndApps", RECRUITMENT_APPS)
        found |= _place(event, row, "vic_LocationOfRecruitment")
        if not found:
            return None
        event.add("keywords", "act:recruitment")
        return event

    def _historic(self, row: dict[str, str], key: str) -> EntityProxy | None:
        if not any(row.get(column) for column in EVENT_COLUMNS):
            return None
        event = self._event("event", key, "Trafficking event")
        _keywords(event, row, "hte_Type", EVENT_TYPE)
        set_value(event, "date", row.get("hte_Date"), "hte_Date")
        set_value(event, "country", row.get("hte_Country"), "hte_Country")
        parts = [row.get(f"hte_{part}", "") for part in ("Street", "City", "State", "PostalCode")]
        set_value(event, "address", ", ".join(p for p in parts if p), "hte_City")
        set_value(event, "description", row.get("hte_Description"), "hte_Description")
        return event

    def _role(self, row: dict[str, str], key: str) -> EntityProxy | None:
        event = self._event("role", key, "Role in the process")
        found = _keywords(event, row, "per_RoleInProcess", ROLE)
        details = row.get("per_RoleDetails", "")
        set_value(event, "description", details, "per_RoleDetails")
        return event if found or details else None

    def _group(self, row: dict[str, str], key: str, person: EntityProxy) -> list[Converted]:
        name = row.get("per_Organisation", "")
        if not name:
            return []
        group = model.make_entity("Organization")
        group.id = self.make_id("organisation", " ".join(name.lower().split()))
        set_value(group, "name", name, "per_Organisation")
        group.add("topics", "crime")
        membership = model.make_entity("Membership")
        membership.id = self.make_id("membership", key, group.id)
        membership.add("member", person.id)
        membership.add("organization", group.id)
        roles = [ROLE.read(value) for value in _cells(row, "per_RoleInProcess")]
        for role in roles:
            if role is not None:
                membership.add("role", ROLE_WORDS.get(role, ROLE.label(role).lower()))
        return [group, Categorised(membership, DataSubjectCategory.SUSPECT)]


def _is_label_row(cells: dict[str, str]) -> bool:
    """The HTCDS spreadsheet's second header row (``First Name`` under ``prs_FirstName``;
    IOM's own sheet has a few labels one column off, so half of them is enough)."""
    named = [(column, value) for column, value in cells.items() if value]
    labels = sum(
        column.partition("_")[2].lower() == value.replace(" ", "").lower()
        for column, value in named
    )
    return bool(named) and 2 * labels >= len(named)


def _cells(row: dict[str, str], column: str) -> list[str]:
    return [part.strip() for part in row.get(column, "").split(SEPARATOR) if part.strip()]


def _one(row: dict[str, str], column: str, picklist: Picklist) -> str | None:
    """The value name of a single-select cell; an unknown value is left out with a note."""
    text = row.get(column, "")
    if not text:
        return None
    value = picklist.read(text)
    if value is None:
        _unknown(column, text, picklist)
    return value


def _unknown(column: str, text: str, picklist: Picklist) -> None:
    shown = ", ".join(picklist.values[:6]) + (", ..." if len(picklist.values) > 6 else "")
    drop_value(column, text, f"{text!r} is not an HTCDS {column} value ({shown})")


def _keywords(event: EntityProxy, row: dict[str, str], column: str, picklist: Picklist) -> bool:
    """Add a picklist cell's values as the convention's codes and HTCDS's detail; returns
    whether the cell held a value (a known one or not)."""
    cells = _cells(row, column)
    for text in cells:
        value = picklist.read(text)
        if value is None:
            _unknown(column, text, picklist)
            continue
        for code in picklist.codes.get(value, ()):
            event.add("keywords", code)
        event.add("keywords", picklist.detail(value))
    return bool(cells)


def _place(event: EntityProxy, row: dict[str, str], column: str) -> bool:
    """A location: the countries it names as the event's ``country``, the rest as its
    ``address`` (HTCDS leaves the form of a location to the sending system)."""
    text = row.get(column, "")
    if not text:
        return False
    countries = read_countries(text)
    for code in countries.codes:
        event.add("country", code)
    rest = [part for part in countries.unread if part.strip()]
    set_value(event, "address", ", ".join(rest), column)
    return True


def _age(text: str) -> str | None:
    """``vic_AgeWhenTrafficked`` as the convention's ``age:<from>-<to>``: a number of
    years, or a band as CTDC writes it (``09--17``, ``48+``)."""
    text = text.strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        return f"age:{int(text)}-{int(text)}"
    band = _BAND.fullmatch(text)
    if band is not None:
        if band.group(3) is not None:
            return f"age:{int(band.group(3))}-{OPEN_BAND_TO}"
        low, high = int(band.group(1)), int(band.group(2))
        if low <= high:
            return f"age:{low}-{high}"
    drop_value(
        "vic_AgeWhenTrafficked",
        text,
        f"{text!r} is not an age in years nor a band such as 9-17 or {OPEN_BAND_FROM}+",
    )
    return None


def _context(row: dict[str, str]) -> str:
    text = row.get(CONTEXT, "")
    if text.lower() in ("victim", "perpetrator"):
        return text.capitalize()
    if text:
        drop_value(CONTEXT, text, f"{text!r} is not Victim or Perpetrator")
    return PERPETRATOR if any(row.get(column) for column in PERPETRATOR_COLUMNS) else VICTIM
