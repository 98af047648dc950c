"""HTCDS rows read as the THB case convention keeps them; unknown codes named by record and
field with the rest of the row kept; the rows written back from the entities."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from followthemoney import EntityProxy, model

from nitka.errors import IngestError
from nitka.ingest.base import Categorised, Converted, ConverterOptions
from nitka.ingest.htcds import COLUMNS, HtcdsConverter
from nitka.ingest.htcds_codes import CONTROL, EXPLOITATION, GENDER, ROLE, Picklist, snake
from nitka.ingest.htcds_rows import Held, persons_of, to_row, victim_facts
from nitka.ingest.notes import noting
from nitka.model.handling import DataSubjectCategory

VICTIM_ROW = {
    "Id": "v1",
    "PersonContext": "Victim",
    "prs_FirstName": "Olena",
    "prs_SecondName": "Koval",
    "prs_Birthdate": "1999-03-02",
    "prs_Gender": "Feminine",
    "prs_Citizenship": "UA",
    "vic_TraffickingStatus": "ActualVictimOfTrafficking",
    "vic_AgeWhenTrafficked": "19",
    "vic_RelationshipToTrafficker": "Familial",
    "vic_MethodOfRecruitment": "ThroughAnOnlineAdvertisement",
    "vic_LocationOfRecruitment": "UA",
    "vic_MethodsOfControl": "DebtBondage;WithholdsDocuments",
    "vic_TypeOfExploitation": "SexualExploitation",
    "vic_TypeOfSexExploitation": "Prostitution",
    "vic_LocationOfExploitation": "DE",
    "hte_Type": "Transit",
    "hte_Date": "2024-05-01",
    "hte_Country": "PL",
}
PERPETRATOR_ROW = {
    "Id": "p1",
    "PersonContext": "Perpetrator",
    "prs_FirstName": "Ivan",
    "prs_SecondName": "Petrenko",
    "prs_Gender": "Masculine",
    "prs_Citizenship": "UA;MD",
    "per_RoleInProcess": "RecruiterOrIntermediary;Kidnapper",
    "per_RoleDetails": "Placed the advertisement",
    "per_Organisation": "Koval group",
}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _convert(tmp_path: Path, *rows: dict[str, str]) -> list[list[Categorised]]:
    """Each row's entities, with their categories."""
    converter = HtcdsConverter(str(_write(tmp_path / "in.csv", list(rows))), "ngo")
    converted = []
    for _, record in converter.records():
        with noting():
            converted.append([_wrapped(item) for item in converter.convert(record)])
    return converted


def _wrapped(item: Converted) -> Categorised:
    """An entity as it comes, with the ingest's category (here ``other``) if none of its own."""
    if isinstance(item, Categorised):
        return item
    assert isinstance(item, EntityProxy)
    return Categorised(item, DataSubjectCategory.OTHER)


def _by_schema(items: Iterable[Converted]) -> dict[str, list[Categorised]]:
    found: dict[str, list[Categorised]] = {}
    for item in map(_wrapped, items):
        found.setdefault(item.entity.schema.name, []).append(item)
    return found


def test_a_victim_is_kept_as_the_convention_says(tmp_path: Path) -> None:
    (items,) = _convert(tmp_path, VICTIM_ROW)
    found = _by_schema(items)
    (person,) = found["Person"]
    assert person.category is DataSubjectCategory.VICTIM
    assert person.entity.get("gender") == ["female"]
    assert person.entity.get("nationality") == ["ua"]
    assert set(person.entity.get("keywords")) == {
        "age:19-19",
        "htcds:status:actual_victim_of_trafficking",
    }
    events = {e.entity.get("name")[0]: e for e in found["Event"]}
    assert all(e.category is DataSubjectCategory.VICTIM for e in events.values())
    assert all(e.entity.get("involved") == [person.entity.id] for e in events.values())
    exploitation = events["Exploitation"].entity
    assert {"exploitation:sexual", "means:coercion"} <= set(exploitation.get("keywords"))
    assert "htcds:control:withholds_documents" in exploitation.get("keywords")
    assert exploitation.get("country") == ["de"]
    recruitment = events["Recruitment"].entity
    assert "act:recruitment" in recruitment.get("keywords")
    assert recruitment.get("country") == ["ua"]
    historic = events["Trafficking event"].entity
    assert historic.get("date") == ["2024-05-01"]
    assert "act:transportation" in historic.get("keywords")


def test_a_perpetrator_is_a_suspect_with_acts_and_a_group(tmp_path: Path) -> None:
    (items,) = _convert(tmp_path, PERPETRATOR_ROW)
    found = _by_schema(items)
    (person,) = found["Person"]
    assert person.category is DataSubjectCategory.SUSPECT
    (role,) = found["Event"]
    assert role.category is DataSubjectCategory.SUSPECT
    assert {"act:recruitment", "means:abduction"} <= set(role.entity.get("keywords"))
    (group,) = found["Organization"]
    assert group.entity.get("topics") == ["crime"]
    (membership,) = found["Membership"]
    assert membership.category is DataSubjectCategory.SUSPECT
    assert set(membership.entity.get("role")) == {"recruiter", "kidnapper"}


def test_labels_and_other_spellings_are_read(tmp_path: Path) -> None:
    row = {**VICTIM_ROW, "vic_MethodsOfControl": "debt bondage; Threats of law enforcement"}
    row |= {"prs_Gender": "Woman", "vic_AgeWhenTrafficked": "09--17", "PersonContext": ""}
    (items,) = _convert(tmp_path, row)
    found = _by_schema(items)
    assert found["Person"][0].category is DataSubjectCategory.VICTIM
    assert "age:9-17" in found["Person"][0].entity.get("keywords")
    keywords = {k for e in found["Event"] for k in e.entity.get("keywords")}
    assert {"htcds:control:debt_bondage", "htcds:control:threats_law_enforcement"} <= keywords


def test_an_unknown_code_is_named_and_the_rest_of_the_row_kept(tmp_path: Path) -> None:
    row = {**VICTIM_ROW, "vic_MethodsOfControl": "DebtBondage;Bribes", "prs_Gender": "Female!"}
    converter = HtcdsConverter(str(_write(tmp_path / "bad.csv", [row])), "ngo")
    ((number, record),) = list(converter.records())
    with noting() as dropped:
        items = list(converter.convert(record))
    assert number == 1
    assert {(d.field, d.value) for d in dropped} == {
        ("vic_MethodsOfControl", "Bribes"),
        ("prs_Gender", "Female!"),
    }
    assert all("not an HTCDS" in d.reason for d in dropped)
    found = _by_schema(items)
    assert found["Person"][0].entity.get("lastName") == ["Koval"]
    keywords = {k for e in found["Event"] for k in e.entity.get("keywords")}
    assert "htcds:control:debt_bondage" in keywords


def test_an_unknown_column_stops_the_file_before_anything(tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("Id,vic_MethodsOfControll\nv1,DebtBondage\n", encoding="utf-8")
    with pytest.raises(IngestError, match="vic_MethodsOfControll"):
        list(HtcdsConverter(str(path), "ngo").records())
    options = ConverterOptions(extra={"unknown_columns": "ignore"})
    assert len(list(HtcdsConverter(str(path), "ngo", options).records())) == 1


def test_the_spreadsheets_label_row_and_left_out_columns_are_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "cas_CaseOwner,prs_FirstName,prs_SecondName,con_Consent\n"
        "Case Owner,First Name,Second Name,Consent\n"
        "someone,Olena,Koval,1\n",
        encoding="utf-8",
    )
    records = list(HtcdsConverter(str(path), "ngo").records())
    assert [number for number, _ in records] == [2]


def _held(items: list[list[Categorised]]) -> dict[str, Held]:
    return {
        str(item.entity.id): Held(item.entity, {item.category}, "2024-06-01")
        for record in items
        for item in record
    }


def test_rows_written_back_are_the_rows_read(tmp_path: Path) -> None:
    held = _held(_convert(tmp_path, VICTIM_ROW, PERPETRATOR_ROW))
    rows = {row["PersonContext"]: row for row in map(to_row, persons_of(held))}
    for given in (VICTIM_ROW, PERPETRATOR_ROW):
        written = rows[given["PersonContext"]]
        assert {k: v for k, v in written.items() if k != "Id"} == {
            k: v for k, v in given.items() if k != "Id"
        }


def test_victim_facts_carry_no_name_and_a_year() -> None:
    person = model.make_entity("Person")
    person.id = "p"
    person.add("name", "Olena Koval")
    person.add("birthDate", "2008-01-01")
    view = persons_of({"p": Held(person, {DataSubjectCategory.VICTIM}, "2024-03-01T10:00:00")})[0]
    facts = victim_facts(view)
    assert facts.year == 2024 and facts.age == (16, 16)
    assert "Olena" not in json.dumps(facts.__dict__, default=sorted)


@pytest.mark.parametrize("picklist", [GENDER, CONTROL, EXPLOITATION, ROLE])
def test_every_value_reads_back_from_its_detail(picklist: Picklist) -> None:
    for value in picklist.values:
        assert picklist.read(value) == value
        assert picklist.read(picklist.label(value)) == value
        assert picklist.from_detail(picklist.detail(value)) == value
        assert snake(value) == snake(value).lower()


def test_facts_typed_under_the_convention_alone_go_out_as_the_nearest_values() -> None:
    victim = model.make_entity("Person")
    victim.id = "victim"
    suspect = model.make_entity("Person")
    suspect.id = "suspect"
    event = model.make_entity("Event")
    event.id = "event"
    event.add("involved", ["victim", "suspect"])
    keywords = ["means:force", "means:payments", "exploitation:forced_criminality"]
    event.add("keywords", [*keywords, "act:transportation"])
    held = {
        "victim": Held(victim, {DataSubjectCategory.VICTIM}),
        "suspect": Held(suspect, {DataSubjectCategory.SUSPECT}),
        "event": Held(event, {DataSubjectCategory.OTHER}),
    }
    rows = {row["Id"]: row for row in map(to_row, persons_of(held))}
    assert set(rows["victim"]["vic_MethodsOfControl"].split(";")) == {"PhysicalAbuse", "Other"}
    assert rows["victim"]["vic_TypeOfExploitation"] == "Other"
    assert rows["suspect"]["per_RoleInProcess"] == "Transporter"
