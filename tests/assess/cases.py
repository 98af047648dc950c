"""Two worked trafficking cases kept as docs/thb-case-data.md says (fictitious people
and places): ``lantern``, which meets every UNTOC criterion and the Protocol's, and
``brothers``, which does not. The demo ingests the same statements
(``src/nitka/demo/data/thb_cases.ftm.jsonl``, written by ``write_demo_file``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from followthemoney import EntityProxy

from nitka.model.grading import Grading
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import PoliceStatement, Provenance, statements_from_entity
from tests.helpers import make_entity

DATASET = "demo_thb_cases"
LANTERN, BROTHERS = "demo-thb-2", "demo-thb-3"
SUSPECT, VICTIM, OTHER = (
    DataSubjectCategory.SUSPECT,
    DataSubjectCategory.VICTIM,
    DataSubjectCategory.OTHER,
)


def lantern() -> list[tuple[EntityProxy, DataSubjectCategory]]:
    group = make_entity(
        "Organization",
        "lantern-group",
        name="Lantern group (demo)",
        topics="crime",
        country=["ua", "md"],
    )
    people = [
        (make_entity("Person", "lantern-p1", name="Ivan Demo-Leader", country="md"), SUSPECT),
        (make_entity("Person", "lantern-p2", name="Olha Demo-Recruiter", country="ua"), SUSPECT),
        (make_entity("Person", "lantern-p3", name="Petro Demo-Driver", country="ua"), SUSPECT),
        (make_entity("Person", "lantern-p4", name="Marta Demo-Keeper", country="pl"), SUSPECT),
        (
            make_entity(
                "Person",
                "lantern-v1",
                name="Victim A (demo)",
                nationality="ua",
                birthDate="2008-03-01",
            ),
            VICTIM,
        ),
        (
            make_entity(
                "Person",
                "lantern-v2",
                name="Victim B (demo)",
                nationality="ua",
                keywords="age:18-20",
            ),
            VICTIM,
        ),
    ]
    roles = [
        ("p1", "leader", "2023-09-01"),
        ("p2", "recruiter", "2023-11-15"),
        ("p3", "transporter", "2024-01-10"),
        ("p4", "exploiter", "2024-01-20"),
    ]
    memberships = [
        (
            make_entity(
                "Membership",
                f"lantern-m-{p}",
                member=f"lantern-{p}",
                organization="lantern-group",
                role=role,
                startDate=start,
            ),
            OTHER,
        )
        for p, role, start in roles
    ]
    events = [
        make_entity(
            "Event",
            "lantern-e1",
            name="Recruitment in Vinnytsia (demo)",
            date="2024-02-10",
            country="ua",
            organizer="lantern-group",
            involved=["lantern-p2", "lantern-p3", "lantern-v1", "lantern-v2"],
            keywords=["act:recruitment", "means:deception", "means:abuse_of_vulnerability"],
        ),
        make_entity(
            "Event",
            "lantern-e2",
            name="Transport to Poland (demo)",
            date="2024-02-20",
            country=["ua", "pl"],
            organizer="lantern-group",
            involved=["lantern-p3", "lantern-v1", "lantern-v2"],
            keywords=["act:transportation"],
        ),
        make_entity(
            "Event",
            "lantern-e3",
            name="Forced labour at a farm (demo)",
            startDate="2024-03-01",
            endDate="2024-06-30",
            country="pl",
            organizer="lantern-group",
            involved=["lantern-p4", "lantern-v1", "lantern-v2"],
            keywords=[
                "act:harbouring",
                "exploitation:forced_labour",
                "benefit:financial",
                "consent:given",
            ],
        ),
    ]
    court = make_entity(
        "CourtCase",
        "lantern-cc",
        name="Criminal proceedings (demo)",
        fileDate="2024-07-02",
        country="ua",
        category="Article 149 Criminal Code of Ukraine",
        keywords="penalty_max_years:12",
    )
    payment = make_entity(
        "Payment",
        "lantern-pay1",
        payer="lantern-p4",
        beneficiary="lantern-p1",
        amount="4000",
        date="2024-05-05",
        summary="Share of the farm's pay",
    )
    return [
        (group, OTHER),
        *people,
        *memberships,
        *((e, OTHER) for e in events),
        (court, OTHER),
        (payment, OTHER),
    ]


def brothers() -> list[tuple[EntityProxy, DataSubjectCategory]]:
    return [
        (make_entity("Person", "brothers-p1", name="Andrii Demo-Brother", country="ua"), SUSPECT),
        (make_entity("Person", "brothers-p2", name="Bohdan Demo-Brother", country="ua"), SUSPECT),
        (
            make_entity(
                "Person",
                "brothers-v1",
                name="Victim C (demo)",
                nationality="ua",
                keywords="age:25-30",
            ),
            VICTIM,
        ),
        (
            make_entity(
                "Event",
                "brothers-e1",
                name="Begging at a market (demo)",
                date="2024-06-01",
                country="ua",
                involved=["brothers-p1", "brothers-p2", "brothers-v1"],
                keywords=["act:harbouring", "exploitation:begging"],
            ),
            OTHER,
        ),
        (
            make_entity(
                "CourtCase",
                "brothers-cc",
                name="Criminal proceedings (demo)",
                fileDate="2024-06-20",
                country="ua",
                category="Offence under national law (demo)",
                keywords="penalty_max_years:3",
            ),
            OTHER,
        ),
    ]


def statements(
    case: str, entities: list[tuple[EntityProxy, DataSubjectCategory]]
) -> list[PoliceStatement]:
    found: list[PoliceStatement] = []
    for entity, category in entities:
        provenance = Provenance(
            DATASET,
            case=case,
            grading=Grading.parse("B2"),
            category=category,
            seen="2024-08-01T00:00:00",
        )
        found.extend(statements_from_entity(entity, provenance, "demo"))
    return found


def both() -> list[PoliceStatement]:
    return statements(LANTERN, lantern()) + statements(BROTHERS, brothers())


def write_demo_file(path: Path) -> None:
    """The demo's file: one statement a line, each with its case, category and grading."""
    lines: list[dict[str, Any]] = [s.to_dict() for s in both()]
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
