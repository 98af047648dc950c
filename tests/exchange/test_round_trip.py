"""Kyiv -> Sofia -> Kyiv over real HTTP between two running instances: a request with
a person, four-eyes approval, signed delivery, an answer with new statements, and
the provenance and handling codes on each receiving side."""

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.audit import by_actor, verify
from nitka.access.organisations import add_agency
from nitka.access.retention import erase
from nitka.exchange.partners import add_partner
from nitka.model.grading import Credibility, Grading, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.reader import get_entity
from tests.exchange.agencies import (
    KYIV,
    SOFIA,
    Agency,
    make_agency,
    make_partners,
    send_through,
    wait_for,
)
from tests.helpers import make_entity, store_entities

PERSON = "ua-npu-person-17"


@pytest.fixture
def agencies(
    engine: Engine, database_url: str, second_database_url: str, tmp_path: Path
) -> Iterator[tuple[Agency, Agency]]:
    sofia_engine = make_engine(second_database_url)
    kyiv = make_agency(KYIV, engine, database_url, tmp_path, "2026-THB-017")
    sofia = make_agency(SOFIA, sofia_engine, second_database_url, tmp_path, "BG-THB-88")
    make_partners(kyiv, sofia)
    yield kyiv, sofia
    sofia_engine.dispose()


def test_a_request_and_its_answer_cross_between_two_agencies(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    kyiv, sofia = agencies
    store_entities(
        kyiv.engine,
        [make_entity("Person", PERSON, name="Оксана Мельник", birthDate="1994-03-02")],
        Provenance(
            "npu-thb",
            case="2026-THB-017",
            grading=Grading(Reliability.B, Credibility.CONFIRMED),
            category=DataSubjectCategory.SUSPECT,
            handling=HandlingCode.H1,
        ),
    )
    with kyiv.running(tmp_path), sofia.running(tmp_path):
        drafted = kyiv.post(
            "ua.officer",
            "/exchange/messages",
            {
                "kind": "request-locate",
                "to": SOFIA,
                "subject": "Recruiter believed in Varna",
                "text": "Please establish her address and contacts.",
                "priority": "urgent",
                "entities": [PERSON],
                "case": "2026-THB-017",
                "legal_basis": "Directive (EU) 2023/977 Art. 4",
            },
        )
        assert drafted.status_code == 200, drafted.text
        request_id = drafted.json()["id"]
        assert drafted.json()["status"] == "draft" and drafted.json()["deadline"]
        # Four eyes: the author may not approve, nor send a draft.
        own = kyiv.post("ua.officer", f"/exchange/messages/{request_id}/approve")
        assert own.status_code == 403
        early = kyiv.post("ua.officer", f"/exchange/messages/{request_id}/send")
        assert early.status_code == 400 and early.json()["detail"]["field"] == "status"
        assert kyiv.post("ua.supervisor", f"/exchange/messages/{request_id}/approve").is_success
        assert kyiv.post("ua.officer", f"/exchange/messages/{request_id}/send").is_success

        def delivered() -> bool:
            shown = kyiv.get("ua.officer", f"/exchange/messages/{request_id}").json()
            return bool(shown["status"] == "delivered")

        wait_for(delivered)
        incoming = sofia.get("bg.officer", "/exchange/messages", direction="in").json()
        assert [m["id"] for m in incoming] == [request_id]
        assert incoming[0]["reference"].startswith(KYIV) and incoming[0]["status"] == "received"

        with sofia.engine.connect() as conn:
            received = get_entity(conn, PERSON)
        assert received is not None
        names = [s for s in received.statements if s.prop == "name"]
        assert [s.value for s in names] == ["Оксана Мельник"]
        assert names[0].dataset == f"partner:{KYIV}"
        assert names[0].origin == f"message:{request_id}"
        assert names[0].grading.code == "B1" and names[0].handling is HandlingCode.H1
        assert names[0].category is DataSubjectCategory.SUSPECT
        assert names[0].case == "exchange"

        # Sofia finds her and answers with what it knows.
        store_entities(
            sofia.engine,
            [make_entity("Person", PERSON, address="Varna, ul. Tsar Simeon 12")],
            Provenance(
                "bg-police",
                case="BG-THB-88",
                grading=Grading(Reliability.A, Credibility.PROBABLY_TRUE),
                category=DataSubjectCategory.SUSPECT,
                handling=HandlingCode.H2,
            ),
        )
        assert sofia.post("bg.officer", f"/exchange/messages/{request_id}/take-up").is_success
        answer_id = send_through(
            sofia,
            {
                "kind": "answer",
                "to": KYIV,
                "subject": "Re: Recruiter believed in Varna",
                "text": "Located; lives at the address below.",
                "entities": [PERSON],
                "reply_to": request_id,
                "case": "BG-THB-88",
            },
        )

        def answered() -> bool:
            shown = kyiv.get("ua.officer", f"/exchange/messages/{request_id}").json()
            return bool(shown["status"] == "answered")

        wait_for(answered)
        answer = kyiv.get("ua.officer", f"/exchange/messages/{answer_id}").json()
        assert answer["in_reply_to"] == request_id and answer["direction"] == "in"
        assert answer["their_reference"] == incoming[0]["reference"]
        steps = [e["step"] for e in kyiv.get("ua.officer", f"/exchange/messages/{request_id}")
                 .json()["events"]]  # fmt: skip
        assert steps == ["drafted", "approved", "sent", "delivered", "answered"]

    with kyiv.engine.connect() as conn:
        person = get_entity(conn, PERSON)
        assert verify(conn).intact
        disclosed = [r for r in by_actor(conn, "ua.officer") if r.action == "disclosure"]
        deliveries = [orjson.loads(r.subject)["delivered"] for r in by_actor(conn, "exchange")]
        received_record = [r for r in by_actor(conn, f"partner:{SOFIA}") if r.outcome == "done"]
    assert person is not None
    addresses = [s for s in person.statements if s.prop == "address"]
    assert [s.value for s in addresses] == ["Varna, ul. Tsar Simeon 12"]
    # Sofia's grading and H2 came with it; it sits in the request's case.
    assert addresses[0].dataset == f"partner:{SOFIA}" and addresses[0].grading.code == "A2"
    assert addresses[0].handling is HandlingCode.H2 and addresses[0].case == "2026-THB-017"
    # Kyiv's own statements did not come back as Sofia's.
    names = [s for s in person.statements if s.prop == "name"]
    assert {s.dataset for s in names} == {"npu-thb"}
    assert disclosed[0].entities == [PERSON] and received_record[0].entities == [PERSON]
    assert [request_id] in deliveries, "the delivery is on record too"
    with sofia.engine.connect() as conn:
        assert verify(conn).intact
        sofia_request = [r for r in by_actor(conn, f"partner:{KYIV}") if r.outcome == "done"]
    assert len(sofia_request) == 1


def test_h2_data_a_partner_gave_goes_to_no_third_agency(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    kyiv, _ = agencies
    store_entities(
        kyiv.engine,
        [make_entity("Person", "p-h2", name="Ivan Sirko")],
        Provenance(f"partner:{SOFIA}", case="2026-THB-017", handling=HandlingCode.H2),
    )
    with kyiv.engine.begin() as conn:
        add_agency(conn, "md-police", "General Police Inspectorate, Chisinau", "MD")
        add_partner(conn, "md-police", "http://127.0.0.1:9", "ab" * 32, None, by="setup")
    with kyiv.running(tmp_path):
        payload = {
            "kind": "spontaneous",
            "to": "md-police",
            "subject": "A recruiter",
            "entities": ["p-h2"],
            "case": "2026-THB-017",
        }
        refused = kyiv.post("ua.officer", "/exchange/messages", payload)
        assert refused.status_code == 400
        assert refused.json()["detail"]["field"] == "permission"
        allowed = kyiv.post(
            "ua.officer", "/exchange/messages", {**payload, "permission": "BG-4471"}
        )
        assert allowed.status_code == 200, allowed.text


def test_corrections_and_retractions_reach_the_receiver_and_are_applied(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    kyiv, sofia = agencies
    wrong = Provenance("npu-thb", case="2026-THB-017", category=DataSubjectCategory.SUSPECT)
    store_entities(
        kyiv.engine,
        [make_entity("Person", "p-c", name="Petro Kit", birthDate="1980-01-01")],
        wrong,
    )
    store_entities(kyiv.engine, [make_entity("Person", "p-r", name="Ivan Hnat")], wrong)

    def sofia_values(entity_id: str) -> set[tuple[str, str]]:
        with sofia.engine.connect() as conn:
            found = get_entity(conn, entity_id)
        return {(s.prop, s.value) for s in found.statements} if found else set()

    with kyiv.running(tmp_path), sofia.running(tmp_path):
        first = send_through(
            kyiv,
            {
                "kind": "spontaneous",
                "to": SOFIA,
                "subject": "Two recruiters",
                "entities": ["p-c", "p-r"],
                "case": "2026-THB-017",
            },
        )
        wait_for(lambda: ("birthDate", "1980-01-01") in sofia_values("p-c"))
        with sofia.engine.connect() as conn:
            origins = {s.origin for s in get_entity(conn, "p-c").statements}  # type: ignore[union-attr]
        assert origins == {f"message:{first}"}
        assert ("name", "Ivan Hnat") in sofia_values("p-r")

        # Kyiv learns the birth date was wrong: it fixes its store, then corrects.
        with kyiv.engine.begin() as conn:
            erase(conn, "p-c")
        store_entities(
            kyiv.engine,
            [make_entity("Person", "p-c", name="Petro Kit", birthDate="1981-01-01")],
            wrong,
        )
        for kind, entity in (("correction", "p-c"), ("retraction", "p-r")):
            drafted = kyiv.post(
                "ua.officer",
                "/exchange/changes",
                {"kind": kind, "entities": [entity], "reason": "wrong identification"},
            )
            assert drafted.status_code == 200, drafted.text
            [change] = drafted.json()
            assert change["receiver"] == SOFIA
            assert kyiv.post(
                "ua.supervisor", f"/exchange/messages/{change['id']}/approve"
            ).is_success
            assert kyiv.post("ua.officer", f"/exchange/messages/{change['id']}/send").is_success
        wait_for(lambda: not sofia_values("p-r"))
        corrected = wait_for(
            lambda: (v := sofia_values("p-c")) and ("birthDate", "1981-01-01") in v and v
        )
        assert ("birthDate", "1980-01-01") not in corrected
        stats = kyiv.get("ua.supervisor", "/exchange/statistics").json()
    assert stats["contacts_per_country"] == {"bg": {"sent": 3, "received": 0}}
