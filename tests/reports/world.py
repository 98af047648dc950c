"""A small store of THB case facts kept as docs/thb-case-data.md says, and exchange
messages, whose figures for 2025 are counted by hand in the comments (and in
``test_statistics``). Case c1 holds most of it; case c2 (the outsider's) one victim
and one message, so need-to-know shows in the figures."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from nitka.access.organisations import add_agency, add_unit
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import Message, insert_message
from nitka.model.handling import DataSubjectCategory as Cat
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities
from tests.services.people import cases_and_accounts

NOW = datetime(2026, 1, 2, 12, tzinfo=UTC)
"""When the report is made: m5 is not yet due, m6 is overdue."""


def _prov(case: str, category: Cat = Cat.OTHER, seen: str | None = None) -> Provenance:
    return Provenance("thb", case=case, category=category, seen=seen)


def build_world(engine: Engine) -> Engine:
    cases_and_accounts(engine)
    with engine.begin() as conn:
        add_agency(conn, "ua-npu", "National Police", "UA")
        add_unit(conn, "u-odesa", "ua-npu", "Odesa")
        add_agency(conn, "pl-police", "Policja", "PL")
        add_agency(conn, "de-bka", "BKA", "DE")
    person = make_entity
    victims_c1 = [
        # 14 at detection, UA, sexual exploitation
        person("Person", "v1", name="Victim One", gender="female", birthDate="2010-05-01",
               nationality="ua"),
        # 30, UA, sexual and forced labour
        person("Person", "v2", name="Victim Two", gender="female", birthDate="1995-01-01",
               nationality="ua"),
        # an age band only (adult), MD, forced labour; also located in PL
        person("Person", "v3", name="Victim Three", gender="male", keywords="age:18-20",
               nationality="md"),
        # detected in 2024: not counted in 2025
        person("Person", "v4", name="Victim Four", gender="male", nationality="bg"),
    ]  # fmt: skip
    store_entities(engine, victims_c1, _prov("c1", Cat.VICTIM))
    # a gender FtM does not keep (so: unknown), no age, no citizenship; an unknown form
    store_entities(engine, [person("Person", "v5", name="Victim Five", gender="xyz")],
                   _prov("c1", Cat.VICTIM, seen="2025-08-01"))  # fmt: skip
    store_entities(engine, [person("Person", "v6", name="Victim Six", gender="female",
                                   birthDate="2008-01-01", nationality="ua")],
                   _prov("c2", Cat.VICTIM))  # fmt: skip
    store_entities(engine, [person("Person", "s1", name="Suspect One", gender="male",
                                   nationality="ua")], _prov("c1", Cat.SUSPECT))  # fmt: skip
    store_entities(engine, [person("Person", "s2", name="Suspect Two", gender="female",
                                   nationality="ro")], _prov("c1", Cat.CONVICTED))  # fmt: skip
    event = make_entity
    facts_c1 = [
        event("Event", "e1", name="Recruitment", date="2025-03-10", country="pl",
              involved=["v1", "v2", "s1"], keywords=["act:recruitment", "exploitation:sexual"]),
        event("Event", "e2", name="Farm work", date="2025-06-01", country="pl",
              involved=["v2", "v3", "s2"], keywords=["exploitation:forced_labour"]),
        event("Event", "e3", name="Begging", date="2024-11-01", country="bg",
              involved=["v4"], keywords=["exploitation:begging"]),
        event("Event", "e5", name="Located", date="2025-04-01", country="pl",
              involved=["v3"], keywords=["located"]),
        event("Event", "e6", name="Extradition asked", date="2025-05-01", country="pl",
              involved=["s1"], keywords=["extradition:requested"]),
        event("Event", "e7", name="Extradition granted", date="2025-07-01", country="pl",
              involved=["s1"], keywords=["extradition:granted"]),
        event("Event", "e8", name="Report", date="2025-01-15", country="ua",
              keywords=["report:possible_thb"]),
        event("Event", "e9", name="Report", date="2025-02-15", country="ua",
              keywords=["report:possible_thb"]),
        event("Event", "e10", name="Refused", date="2026-01-05", country="de",
              involved=["s2"], keywords=["extradition:refused"]),
        event("Event", "e11", name="Odd", date="2025-09-01", involved=["v5"],
              keywords=["exploitation:weird"]),
        event("CourtCase", "cc1", name="Case 1", fileDate="2025-02-01", country="ua",
              category="Article 149 Criminal Code of Ukraine"),
        event("CourtCase", "cc2", name="Case 2", fileDate="2024-12-01", country="ua"),
        event("CourtCaseParty", "p1", case="cc1", party="s1", role="defendant",
              status="convicted", date="2025-10-01"),
        event("CourtCaseParty", "p2", case="cc1", party="s2", role="defendant",
              status="pending", date="2025-11-01"),
    ]  # fmt: skip
    store_entities(engine, facts_c1, _prov("c1"))
    store_entities(engine, [event("Event", "e4", name="Club", date="2025-05-05", country="de",
                                  involved=["v6"], keywords=["exploitation:sexual"])],
                   _prov("c2"))  # fmt: skip
    with engine.begin() as conn:
        for item in MESSAGES:
            insert_message(conn, item)
    return engine


def _message(
    mid: str, direction: str, kind: Kind, partner: str, priority: Priority, at: str,
    answered: str | None = None, case: str = "c1", status: Status = Status.ANSWERED,
) -> Message:  # fmt: skip
    out = direction == "out"
    return Message(
        id=mid, direction=direction, kind=kind, sender="ua-npu" if out else partner,
        receiver=partner if out else "ua-npu", reference=f"ref-{mid}", status=status,
        priority=priority, created_at=at, case_id=case, sent_at=at if out else None,
        received_at=None if out else at, answered_at=answered,
    )  # fmt: skip


def _t(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00+00:00"


RI, RL, RV, SP = (
    Kind.REQUEST_INFORMATION,
    Kind.REQUEST_LOCATE,
    Kind.REQUEST_VERIFY,
    Kind.SPONTANEOUS,
)
N, U, UD = Priority.NORMAL, Priority.URGENT, Priority.URGENT_DIRECT
MESSAGES = [
    # PL: out 2 (one in time within 7 days, one urgent answered after 4 days: late), in 1 (overdue)
    _message("m1", "out", RI, "pl-police", N, _t("2025-03-01"), _t("2025-03-05")),
    _message("m2", "out", RL, "pl-police", U, _t("2025-04-01"), _t("2025-04-05")),
    _message("m6", "in", RI, "pl-police", N, "2025-06-01T10:00:00+00:00", case="c2",
             status=Status.RECEIVED),
    # DE: in 2 (an 8-hour request answered in 5 hours; spontaneous information), out 1 (not yet due)
    _message("m3", "in", RI, "de-bka", UD, _t("2025-05-01"), _t("2025-05-01", 15)),
    _message("m4", "in", SP, "de-bka", N, "2025-05-02T10:00:00+00:00", status=Status.CLOSED),
    _message("m5", "out", RV, "de-bka", N, "2025-12-30T10:00:00+00:00", status=Status.DELIVERED),
    # not counted: a draft, and one sent in 2024
    Message(id="m7", direction="out", kind=RI, sender="ua-npu", receiver="pl-police",
            reference="ref-m7", status=Status.DRAFT, priority=N,
            created_at="2025-03-01T10:00:00+00:00", case_id="c1"),
    _message("m8", "out", RI, "pl-police", N, "2024-12-01T10:00:00+00:00"),
]  # fmt: skip
