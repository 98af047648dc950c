"""The link chart's graph: neighbours, links as edges, phones as nodes, paths,
and need-to-know on every node and edge; on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.analysis.graph import PHONE, Graph, expand
from nitka.analysis.paths import shortest_path
from nitka.resolve.merges import merge
from tests.analysis.ring import (
    CALL_DATES,
    CARDS,
    ORGANISER,
    ORGANISER_ACCOUNT,
    ORGANISER_PHONE,
    PASSPORT,
    RECRUITER,
    RECRUITER_PHONE,
    RELATIVE,
    VICTIM_NAMES,
    VICTIMS,
    store_ring,
    viewer,
)

INVESTIGATOR = viewer(Role.INVESTIGATOR, "c1")
ANALYST = viewer(Role.ANALYST, "c1")


@pytest.fixture
def ring(engine: Engine) -> Engine:
    store_ring(engine)
    return engine


def _edge(graph: Graph, one: str, other: str) -> dict[str, object]:
    found = [e.as_dict() for e in graph.edges.values() if {e.source, e.target} == {one, other}]
    assert len(found) == 1, (one, other, list(graph.edges))
    return found[0]


def test_a_person_has_their_phone_passport_and_address_as_neighbours(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [RECRUITER])
    assert {RECRUITER, PHONE + RECRUITER_PHONE, PASSPORT, "addr-odesa"} <= set(graph.nodes)
    assert graph.nodes[RECRUITER].label == "Олександр Петренко"
    assert graph.nodes[RECRUITER].category == "suspect"
    assert _edge(graph, PASSPORT, RECRUITER)["label"] == "holder"
    assert _edge(graph, RECRUITER, PHONE + RECRUITER_PHONE)["label"] == "phone"


def test_calls_between_two_numbers_are_one_edge_with_count_and_dates(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [PHONE + RECRUITER_PHONE])
    call = _edge(graph, PHONE + RECRUITER_PHONE, PHONE + ORGANISER_PHONE)
    assert call["schema"] == "Call"
    assert call["count"] == 3
    assert call["first"] == CALL_DATES[0]
    assert str(call["last"]) >= CALL_DATES[-1]
    assert call["source"] == PHONE + RECRUITER_PHONE
    # The person with the number is a neighbour of the number too.
    assert _edge(graph, RECRUITER, PHONE + RECRUITER_PHONE)["label"] == "phone"


def test_payments_into_one_account_carry_their_amounts(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [ORGANISER_ACCOUNT])
    for card in CARDS:
        payment = _edge(graph, card, ORGANISER_ACCOUNT)
        assert payment["schema"] == "Payment"
        assert (payment["amount"], payment["currency"], payment["count"]) == (500.0, "EUR", 1)
        assert payment["source"] == card
    assert _edge(graph, ORGANISER, ORGANISER_ACCOUNT)["schema"] == "Ownership"


def test_an_investigator_sees_the_victims_behind_the_cards(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, list(CARDS))
    for victim, name in zip(VICTIMS, VICTIM_NAMES, strict=True):
        assert graph.nodes[victim].label == name
        assert graph.nodes[victim].category == "victim"


def test_an_analyst_sees_no_victim_on_the_chart(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, ANALYST, [*CARDS, ORGANISER_ACCOUNT])
    dumped = orjson.dumps(graph.as_dict()).decode()
    for victim, name in zip(VICTIMS, VICTIM_NAMES, strict=True):
        assert name not in dumped
        assert victim not in dumped
    # The payments themselves are no victim data: they stay.
    assert _edge(graph, CARDS[0], ORGANISER_ACCOUNT)["count"] == 1


def test_another_case_and_a_non_member_see_nothing_of_it(ring: Engine) -> None:
    with ring.connect() as conn:
        member = expand(conn, INVESTIGATOR, [RECRUITER])
        outsider = expand(conn, viewer(Role.INVESTIGATOR, "c2"), [RECRUITER, ORGANISER_ACCOUNT])
        auditor = expand(conn, viewer(Role.AUDITOR, "c1", "c2"), [RECRUITER])
    assert RELATIVE not in member.nodes
    assert not any(e.schema == "Family" for e in member.edges.values())
    assert RECRUITER not in outsider.nodes
    assert ORGANISER_ACCOUNT not in outsider.nodes
    assert not auditor.nodes and not auditor.edges


def test_a_member_of_both_cases_sees_the_family_tie(ring: Engine) -> None:
    with ring.connect() as conn:
        graph = expand(conn, viewer(Role.INVESTIGATOR, "c1", "c2"), [RECRUITER])
    family = _edge(graph, RECRUITER, RELATIVE)
    assert family["schema"] == "Family"
    assert graph.nodes[RELATIVE].label == "Petro Petrenko"


def test_the_shortest_path_goes_through_phones_and_the_account_owner(ring: Engine) -> None:
    with ring.connect() as conn:
        path = shortest_path(conn, INVESTIGATOR, RECRUITER, ORGANISER_ACCOUNT)
    assert path is not None
    assert set(path.nodes) == {
        RECRUITER,
        PHONE + RECRUITER_PHONE,
        PHONE + ORGANISER_PHONE,
        ORGANISER,
        ORGANISER_ACCOUNT,
    }
    assert len(path.edges) == 4
    assert {e.schema for e in path.edges.values()} == {"reference", "Call", "Ownership"}


def test_no_path_through_what_the_viewer_may_not_see(ring: Engine) -> None:
    with ring.connect() as conn:
        both = shortest_path(conn, viewer(Role.INVESTIGATOR, "c1", "c2"), RELATIVE, ORGANISER)
        one = shortest_path(conn, INVESTIGATOR, RELATIVE, ORGANISER)
        none = shortest_path(conn, INVESTIGATOR, RECRUITER, "p-nobody")
    assert both is not None and RELATIVE in both.nodes
    assert one is None
    assert none is None


def test_a_merged_entity_keeps_the_links_of_both(ring: Engine) -> None:
    with ring.begin() as conn:
        merged = merge(conn, RECRUITER, ORGANISER, "analyst", "same person, two names")
    with ring.connect() as conn:
        graph = expand(conn, INVESTIGATOR, [merged])
    assert merged in graph.nodes
    assert _edge(graph, PASSPORT, merged)["label"] == "holder"
    assert _edge(graph, merged, ORGANISER_ACCOUNT)["schema"] == "Ownership"
    assert PHONE + ORGANISER_PHONE in graph.nodes
    assert RECRUITER not in graph.nodes and ORGANISER not in graph.nodes
