"""Issue 21, point 11: a timeline item says who and what, with its ends named as
the viewer may see them (the people behind numbers and accounts, a protected
person as the placeholder, an end they may not see as a question mark)."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.access.visibility import PLACEHOLDER
from nitka.analysis.graph import PHONE
from nitka.analysis.timeline import Item, timeline_of
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from tests.analysis import ring as the
from tests.helpers import make_entity, store_entities

INVESTIGATOR = the.viewer(Role.INVESTIGATOR, "c1")
ANALYST = the.viewer(Role.ANALYST, "c1")
CHARTED = [the.RECRUITER, the.ORGANISER, the.ORGANISER_ACCOUNT, *the.CARDS, *the.VICTIMS]
CHARTED.append(PHONE + the.RECRUITER_PHONE)
VICTIM_PHONE = "+380939999999"


@pytest.fixture
def ring(engine: Engine) -> Engine:
    the.store_ring(engine)
    victim = Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    suspect = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
    store_entities(
        engine,
        [make_entity("Person", "p-victim-3", name="Nadia Bondar", phone=VICTIM_PHONE)],
        victim,
    )
    store_entities(
        engine,
        [
            make_entity("Address", "addr-2", full="Vokzalna 1, Odesa", city="Odesa"),
            make_entity("Address", "addr-3", full="Dvirtseva 1, Lviv", city="Lviv"),
            make_entity("Trip", "trip-2", startLocation="addr-2", endLocation="addr-3",
                        startDate="2024-06-01"),
            make_entity("Event", "event-1", name="Meeting at the station",
                        involved=the.VICTIMS[0], date="2024-06-02"),
            make_entity("Call", "call-victim", callerNumber=VICTIM_PHONE,
                        receiverNumber=the.ORGANISER_PHONE, startDate="2024-06-03", duration="185"),
            make_entity("Payment", "pay-hidden", payerAccount="acc-elsewhere",
                        beneficiaryAccount=the.ORGANISER_ACCOUNT, amount="90", currency="USD",
                        date="2024-06-04"),
        ],
        suspect,
    )  # fmt: skip
    store_entities(
        engine,
        [make_entity("BankAccount", "acc-elsewhere", accountNumber="DE89370400440532013000")],
        Provenance("bank", case="c2"),
    )
    return engine


def _by_id(items: list[Item]) -> dict[str, Item]:
    return {item.id: item for item in items}


def test_items_name_the_people_behind_numbers_and_accounts(ring: Engine) -> None:
    with ring.connect() as conn:
        items = _by_id(timeline_of(conn, INVESTIGATOR, [*CHARTED, PHONE + VICTIM_PHONE]))
    call = items["call-0"]
    assert call.label == "Олександр Петренко → Ihor Melnyk: call 1 min"
    assert call.title.startswith("2024-03-01 10:00: ")
    numbers = f"({the.RECRUITER_PHONE}) → Ihor Melnyk ({the.ORGANISER_PHONE})"
    assert f"Олександр Петренко {numbers}" in call.title
    # Selecting the recruiter on the chart selects his calls.
    assert {the.RECRUITER, PHONE + the.RECRUITER_PHONE} <= call.entities
    payment = items["pay-0"]
    assert payment.label == f"{the.VICTIM_NAMES[0]} → Ihor Melnyk: payment 500 EUR"
    assert "UA213223130000026007233566001" in payment.title
    assert items["call-victim"].label == "Nadia Bondar → Ihor Melnyk: call 3 min"
    trip = items[the.TRIP].label
    assert trip.startswith("Олександр Петренко: trip ") and "→ Lviv, railway station" in trip
    assert trip.endswith("· Odesa to Lviv with two recruits")


def test_a_trip_without_people_goes_from_city_to_city(ring: Engine) -> None:
    with ring.connect() as conn:
        items = _by_id(timeline_of(conn, INVESTIGATOR, ["trip-2"]))
    assert items["trip-2"].label == "Trip: Odesa → Lviv"


def test_an_end_the_viewer_may_not_see_is_a_question_mark(ring: Engine) -> None:
    with ring.connect() as conn:
        items = _by_id(timeline_of(conn, INVESTIGATOR, [the.ORGANISER_ACCOUNT]))
        member_of_both = the.viewer(Role.INVESTIGATOR, "c1", "c2")
        both = _by_id(timeline_of(conn, member_of_both, [the.ORGANISER_ACCOUNT]))
    assert items["pay-hidden"].label == "? → Ihor Melnyk: payment 90 USD"
    assert "DE89" not in orjson.dumps([i.as_dict() for i in items.values()]).decode()
    assert both["pay-hidden"].label == "DE89370400440532013000 → Ihor Melnyk: payment 90 USD"


def test_a_protected_person_stays_the_placeholder_in_every_label(ring: Engine) -> None:
    with ring.connect() as conn:
        items = timeline_of(conn, ANALYST, [*CHARTED, "event-1", PHONE + VICTIM_PHONE])
    by_id = _by_id(items)
    dumped = orjson.dumps([item.as_dict() for item in items]).decode()
    for name in (*the.VICTIM_NAMES, "Nadia Bondar"):
        assert name not in dumped
    assert by_id["pay-0"].label == f"{PLACEHOLDER} → Ihor Melnyk: payment 500 EUR"
    assert by_id["event-1"].label == f"{PLACEHOLDER}: event · Meeting at the station"
    # Whose number it is may not be seen: the call names the number.
    assert by_id["call-victim"].label == f"{VICTIM_PHONE} → Ihor Melnyk: call 3 min"
