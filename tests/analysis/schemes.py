"""The three seeds' schemes, small enough to check by eye, for the ready queries' tests.

All of case c1 unless said:

Benefit cards. ORGANISER organises trip-warsaw (Odesa → Warsaw, 1 May 2024) for
T1, T2, T3 (T1 and T2 with temporary protection). T1's and T2's cards pay EUR 300
into COLLECTOR (owned by the organiser) on 20 May and 20 June; ORGANISER holds
T3's card. A bus company organises trip-bus for N1, N2, whose cards pay their
own landlords. T4 (all of case c2) was on trip-warsaw too, and her card paid the
collector.

Boat drivers. RECRUITER's phone calls M1, M2, M3 (men born in 2000) on 1 to 3
March 2024; each travels Odesa → Istanbul on 1 April; RECRUITER's account pays
M1 EUR 1,000 on 20 April. The number also calls W (a woman) and OLD (born 1960),
who travel too, and M6 (of case c2).

Call centre. +37369123401 calls V1, V2, V3 and +37369123402 calls V3, V4, V5 a
day or two before each pays EUR 200 into CC on 10 March 2024; the five also pay
UTIL in May, with no call before. V6 (of case c2) was called and paid CC too.
"""

from __future__ import annotations

from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.helpers import make_entity, store_entities

C1 = Provenance("npu", case="c1")
C1_VICTIM = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
C2 = Provenance("npu", case="c2")

ORGANISER, COLLECTOR, TRIP = "p-organiser", "acc-collector", "trip-warsaw"
TRAVELLERS = ("p-t1", "p-t2", "p-t3")
CARDS = ("card-t1", "card-t2", "card-t3")
HIDDEN_TRAVELLER, HIDDEN_CARD = "p-t4", "card-t4"

RECRUITER, RECRUITER_PHONE, RECRUITER_ACCOUNT = "p-recruiter", "+380501110000", "acc-recruiter"
RECRUITS = ("p-m1", "p-m2", "p-m3")
NOT_RECRUITS = ("p-w", "p-old")
HIDDEN_RECRUIT = "p-m6"
PAY_RECRUIT = "pay-m1"

CC, UTIL = "acc-cc", "acc-util"
CALLERS = ("+37369123401", "+37369123402")
PAYERS = tuple(f"acc-v{n}" for n in range(1, 6))
HIDDEN_PAYER = "acc-v6"


def _account(entity_id: str, number: str, owner: str, own_id: str = "") -> list[EntityProxy]:
    return [
        make_entity("BankAccount", entity_id, accountNumber=number),
        make_entity("Ownership", own_id or f"own-{entity_id}", owner=owner, asset=entity_id),
    ]


def _pay(entity_id: str, payer: str, payee: str, amount: str, day: str) -> EntityProxy:
    return make_entity("Payment", entity_id, payerAccount=payer, beneficiaryAccount=payee,
                       amount=amount, currency="EUR", date=day)  # fmt: skip


def _call(entity_id: str, caller: str, callee: str, start: str) -> EntityProxy:
    return make_entity("Call", entity_id, callerNumber=caller, receiverNumber=callee,
                       startDate=start, duration="60")  # fmt: skip


def store_benefit_cards(engine: Engine) -> None:
    places = [
        make_entity("Address", "addr-odesa", full="Odesa, Privokzalna 1", country="ua"),
        make_entity("Address", "addr-warsaw", full="Warszawa Zachodnia", country="pl"),
        make_entity("Address", "addr-lviv", full="Lviv, bus station", country="ua"),
    ]
    entities: list[EntityProxy] = [
        *places,
        make_entity("Person", ORGANISER, name="Ihor Melnyk", phone="+380671230000"),
        *_account(COLLECTOR, "UA213223130000026007233566001", ORGANISER),
        make_entity("Trip", TRIP, involved=list(TRAVELLERS), organizer=ORGANISER,
                    startLocation="addr-odesa", endLocation="addr-warsaw",
                    startDate="2024-05-01"),
        make_entity("Ownership", "own-held", owner=ORGANISER, asset=CARDS[2]),
        make_entity("Company", "c-bus", name="Bus Lines LLC"),
        make_entity("Trip", "trip-bus", involved=["p-n1", "p-n2"], organizer="c-bus",
                    startLocation="addr-odesa", endLocation="addr-lviv",
                    startDate="2024-05-02"),
    ]  # fmt: skip
    victims: list[EntityProxy] = []
    for n, (person, card) in enumerate(zip(TRAVELLERS, CARDS, strict=True)):
        status = {"status": "refugee (temporary protection)"} if n < 2 else {}
        victims += [make_entity("Person", person, name=f"Traveller {n + 1}", **status),
                    *_account(card, f"414900001111222{n}", person)]  # fmt: skip
    payments = [
        _pay(f"pay-{card}-{month}", card, COLLECTOR, "300", f"2024-{month}-20")
        for card in CARDS[:2]
        for month in ("05", "06")
    ]
    for n in (1, 2):
        entities += [make_entity("Person", f"p-n{n}", name=f"Passenger {n}"),
                     *_account(f"card-n{n}", f"51680000000000{n}", f"p-n{n}"),
                     *_account(f"acc-landlord-{n}", f"UA99000000000000000000000{n}", "c-bus",
                               f"own-landlord-{n}"),
                     _pay(f"pay-n{n}", f"card-n{n}", f"acc-landlord-{n}", "150",
                          "2024-05-10")]  # fmt: skip
    store_entities(engine, [*entities, *payments], C1)
    store_entities(engine, victims, C1_VICTIM)
    store_entities(engine, [
        make_entity("Person", HIDDEN_TRAVELLER, name="Traveller 4", status="refugee"),
        make_entity("Trip", TRIP, involved=HIDDEN_TRAVELLER),
        *_account(HIDDEN_CARD, "4149000011112229", HIDDEN_TRAVELLER),
        _pay("pay-hidden", HIDDEN_CARD, COLLECTOR, "300", "2024-05-20"),
    ], C2)  # fmt: skip


def store_boat_drivers(engine: Engine) -> None:
    entities: list[EntityProxy] = [
        make_entity("Address", "addr-odesa-bus", full="Odesa bus station", country="ua"),
        make_entity("Address", "addr-istanbul", full="Istanbul, Esenler", country="tr"),
        make_entity("Person", RECRUITER, name="Oleksandr Petrenko", phone=RECRUITER_PHONE),
        *_account(RECRUITER_ACCOUNT, "UA100000000000000000000000001", RECRUITER),
    ]
    people = [(m, "male", "2000-01-01") for m in RECRUITS]
    people += [("p-w", "female", "2000-01-01"), ("p-old", "male", "1960-01-01")]
    for n, (person, gender, born) in enumerate(people, start=1):
        phone = f"+38067123450{n}"
        entities += [
            make_entity("Person", person, name=f"Young man {n}", gender=gender,
                        birthDate=born, phone=phone),
            _call(f"call-r{n}", RECRUITER_PHONE, phone, f"2024-03-0{min(n, 3)}T10:00:00"),
            make_entity("Trip", f"trip-ist-{n}", involved=person, startLocation="addr-odesa-bus",
                        endLocation="addr-istanbul", startDate="2024-04-01"),
        ]  # fmt: skip
    entities += [*_account("acc-m1", "4149000099990001", RECRUITS[0]),
                 _pay(PAY_RECRUIT, RECRUITER_ACCOUNT, "acc-m1", "1000", "2024-04-20")]  # fmt: skip
    store_entities(engine, entities, C1)
    store_entities(engine, [
        make_entity("Person", HIDDEN_RECRUIT, name="Hidden man", gender="male",
                    birthDate="1999-05-05", phone="+380671234599"),
        _call("call-r6", RECRUITER_PHONE, "+380671234599", "2024-03-04T10:00:00"),
        make_entity("Trip", "trip-ist-6", involved=HIDDEN_RECRUIT, startLocation="addr-odesa-bus",
                    endLocation="addr-istanbul", startDate="2024-04-01"),
    ], C2)  # fmt: skip


def store_call_centre(engine: Engine) -> None:
    entities: list[EntityProxy] = [
        make_entity("Person", "p-cc", name="Call centre front"),
        *_account(CC, "RO49AAAA1B31007593840000", "p-cc"),
        make_entity("Company", "c-util", name="City Utilities"),
        *_account(UTIL, "UA300000000000000000000000777", "c-util"),
    ]
    for n, payer in enumerate(PAYERS, start=1):
        phone = f"+38063123456{n}"
        entities += [
            make_entity("Person", f"p-v{n}", name=f"Payer {n}", phone=phone),
            *_account(payer, f"UA2000000000000000000000000{n}", f"p-v{n}"),
            _pay(f"pay-cc-{n}", payer, CC, "200", "2024-03-10"),
            _pay(f"pay-util-{n}", payer, UTIL, "40", "2024-05-01"),
        ]
        callers = [CALLERS[0]] if n <= 3 else []
        callers += [CALLERS[1]] if n >= 3 else []
        entities += [_call(f"call-cc-{n}-{i}", c, phone, f"2024-03-0{8 + i}T15:00:00")
                     for i, c in enumerate(callers)]  # fmt: skip
    store_entities(engine, entities, C1)
    store_entities(engine, [
        make_entity("Person", "p-v6", name="Payer 6", phone="+380631234569"),
        *_account(HIDDEN_PAYER, "UA20000000000000000000000006", "p-v6"),
        _pay("pay-cc-6", HIDDEN_PAYER, CC, "200", "2024-03-10"),
        _call("call-cc-6", CALLERS[0], "+380631234569", "2024-03-09T12:00:00"),
    ], C2)  # fmt: skip
