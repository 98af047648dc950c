"""A small trafficking ring for the analysis tests: a recruiter who calls the
organiser, victims' bank cards paying into the organiser's account, a
passport, an address, and a relative known only in another case."""

from __future__ import annotations

from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.access.visibility import Viewer
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities

RECRUITER, ORGANISER = "p-recruiter", "p-organiser"
VICTIMS = ("p-victim-1", "p-victim-2")
CARDS = ("acc-card-1", "acc-card-2")
ORGANISER_ACCOUNT = "acc-organiser"
RELATIVE = "p-relative"
RECRUITER_PHONE, ORGANISER_PHONE = "+380501112233", "+380671234567"
PASSPORT, ADDRESS, TRIP = "doc-passport", "addr-odesa", "trip-lviv"
VICTIM_NAMES = ("Maria Koval", "Olena Savchuk")
CALL_DATES = ("2024-03-01T10:00:00", "2024-03-02T11:30:00", "2024-03-05T09:15:00")


def store_ring(engine: Engine) -> None:
    suspect = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
    victim = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    store_entities(
        engine,
        [
            make_entity(
                "Person",
                RECRUITER,
                name="Олександр Петренко",
                phone=RECRUITER_PHONE,
                addressEntity=ADDRESS,
            ),
            make_entity("Person", ORGANISER, name="Ihor Melnyk", phone=ORGANISER_PHONE),
            make_entity("Passport", PASSPORT, holder=RECRUITER, number="FE123456"),
            make_entity("Address", ADDRESS, full="вул. Дерибасівська 1, Одеса"),
            make_entity("Address", "addr-lviv", full="Lviv, railway station"),
            make_entity(
                "Trip",
                TRIP,
                involved=RECRUITER,
                startLocation=ADDRESS,
                endLocation="addr-lviv",
                startDate="2024-02-20",
                endDate="2024-02-21",
                name="Odesa to Lviv with two recruits",
            ),
            make_entity(
                "BankAccount", ORGANISER_ACCOUNT, accountNumber="UA213223130000026007233566001"
            ),
            make_entity("Ownership", "own-organiser", owner=ORGANISER, asset=ORGANISER_ACCOUNT),
        ],
        suspect,
    )
    calls = [
        make_entity(
            "Call",
            f"call-{n}",
            callerNumber=RECRUITER_PHONE,
            receiverNumber=ORGANISER_PHONE,
            startDate=date,
            duration="60",
        )
        for n, date in enumerate(CALL_DATES)
    ]
    store_entities(engine, calls, Provenance("cdr", case="c1"))
    victims = []
    for n, (person, card, name) in enumerate(zip(VICTIMS, CARDS, VICTIM_NAMES, strict=True)):
        victims += [
            make_entity("Person", person, name=name, birthPlace="Kharkiv"),
            make_entity("BankAccount", card, accountNumber=f"4149{n}00011112222"),
            make_entity("Ownership", f"own-card-{n}", owner=person, asset=card),
        ]
    store_entities(engine, victims, victim)
    payments = [
        make_entity(
            "Payment",
            f"pay-{n}",
            payerAccount=card,
            beneficiaryAccount=ORGANISER_ACCOUNT,
            amount="500",
            currency="EUR",
            date=f"2024-04-0{n + 1}",
        )
        for n, card in enumerate(CARDS)
    ]
    store_entities(engine, payments, Provenance("bank", case="c1"))
    store_entities(
        engine,
        [
            make_entity("Person", RELATIVE, name="Petro Petrenko"),
            make_entity(
                "Family", "fam-1", person=RECRUITER, relative=RELATIVE, relationship="brother"
            ),
        ],
        Provenance("npu", case="c2", category=DataSubjectCategory.CONTACT),
    )


def viewer(role: Role, *cases: str) -> Viewer:
    return Viewer("someone", role, frozenset(cases))
