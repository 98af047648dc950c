"""The network of the statements (``nitka network ... --on statements``): entities joined
by FtM relations, on both databases, with need-to-know and merges.

The hand-made store:

    a1 a2 a3 a4   four people who all know each other (Associate links, public)
    b1 b2 b3 b4   four others, the same (Family links, public)
    x             knows a1 and a2 (Associate) and employs b1 and b2 (Employment): the
                  only way from one group to the other
    pass-a3       a Passport whose holder is a3 (an entity-valued property, public)
    acc-b4        an account b4 owns (Ownership, public)

so Leiden finds the two groups, and x has the highest betweenness (25: every
shortest path between the five of one side, passport or account included, and the
five of the other runs through x).
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations

import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.analysis import network, relations
from nitka.errors import FieldError
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from nitka.services import network_queries
from nitka.services.guard import transaction
from nitka.services.network_queries import Drawn
from tests.helpers import make_entity, store_entities
from tests.services.people import INVESTIGATOR, OUTSIDER, cases_and_accounts, last_record

STATEMENTS = Drawn("statements")
A = ["a1", "a2", "a3", "a4"]
B = ["b1", "b2", "b3", "b4"]
T0 = datetime(2024, 3, 1)


def _people(ids: list[str]) -> list[EntityProxy]:
    return [make_entity("Person", i, name=f"Person {i.upper()}") for i in ids]


def two_groups() -> list[EntityProxy]:
    return [
        *_people([*A, *B, "x"]),
        *(make_entity("Associate", f"as-{p}-{q}", person=p, associate=q)
          for p, q in combinations(A, 2)),
        *(make_entity("Family", f"fam-{p}-{q}", person=p, relative=q, relationship="cousin")
          for p, q in combinations(B, 2)),
        make_entity("Associate", "as-x-a1", person="x", associate="a1"),
        make_entity("Associate", "as-x-a2", person="x", associate="a2"),
        make_entity("Employment", "emp-x-b1", employer="x", employee="b1"),
        make_entity("Employment", "emp-x-b2", employer="x", employee="b2"),
        make_entity("Passport", "pass-a3", holder="a3", number="FA123456"),
        make_entity("BankAccount", "acc-b4", accountNumber="UA213223130000026007233566001"),
        make_entity("Ownership", "own-b4", owner="b4", asset="acc-b4"),
    ]  # fmt: skip


@pytest.fixture
def store(engine: Engine) -> Engine:
    cases_and_accounts(engine)
    store_entities(engine, two_groups())
    return engine


def _pairs(found: list[network.Tie]) -> set[tuple[str, str]]:
    return {(t.left, t.right) for t in found}


def testtwo_groups_and_their_broker(store: Engine) -> None:
    with transaction(store) as conn:
        found = relations.ties(conn, None)
        groups = network_queries.communities(conn, INVESTIGATOR, STATEMENTS, min_size=2)
        brokers = network_queries.brokers(conn, INVESTIGATOR, STATEMENTS, limit=3)
        players = network_queries.key_players(conn, INVESTIGATOR, STATEMENTS)
    assert len(found) == 6 + 6 + 4 + 2  # the cliques, x's four ties, passport, account
    assert ("a3", "pass-a3") in _pairs(found) and ("acc-b4", "b4") in _pairs(found)
    assert all(t.count == 1 and t.first is None for t in found)
    members = [set(g.members) - {"x"} for g in groups]
    assert sorted(members, key=sorted) == [{*A, "pass-a3"}, {*B, "acc-b4"}]
    assert brokers[0].party == "x" and brokers[0].betweenness == 25
    assert brokers[1].betweenness < 25
    assert {"x", "a3", "b4"} <= {p.party for p in players}  # x cuts the two groups apart
    record = last_record(store)
    assert record["subject"]["on"] == "statements" and "x" in record["entities"]


def test_a_restricted_statement_ties_only_for_those_who_may_see_it(store: Engine) -> None:
    # A case's link between the groups, and a person known only in the case whom a
    # public link names: the outsider sees neither the tie nor the person.
    store_entities(store, [make_entity("Associate", "as-a3-b3", person="a3", associate="b3"),
                           *_people(["z"])],
                   Provenance("operator", case="c1"))  # fmt: skip
    store_entities(store, [make_entity("UnknownLink", "ul-z-a4", subject="a4", object="z")])
    with transaction(store) as conn:
        member = _pairs(network_queries._ties(conn, INVESTIGATOR, {}, STATEMENTS, None))
        outsider = _pairs(network_queries._ties(conn, OUTSIDER, {}, STATEMENTS, None))
        in_case = _pairs(
            network_queries._ties(conn, INVESTIGATOR, {}, Drawn("statements", "c1"), None)
        )
        brokers = network_queries.brokers(conn, OUTSIDER, STATEMENTS, limit=1)
    assert {("a3", "b3"), ("a4", "z")} <= member
    assert ("a3", "b3") not in outsider and ("a4", "z") not in outsider
    assert in_case == {("a3", "b3")}  # the public link to z is not the case's
    assert brokers[0].party == "x"  # still the only way between the groups


def test_merged_entities_are_one_node(store: Engine) -> None:
    two = [
        *_people(["m1", "m2"]),
        make_entity("Associate", "as-m1-a1", person="m1", associate="a1"),
        make_entity("Family", "fam-m2-b1", person="m2", relative="b1"),
    ]
    store_entities(store, two)
    with store.begin() as conn:
        merged = merge(conn, "m1", "m2", "investigator.in", "one person, two records")
    with transaction(store) as conn:
        found = relations.ties(conn, None)
        brokers = network_queries.brokers(conn, INVESTIGATOR, STATEMENTS, limit=20)
    parties = {p for t in found for p in (t.left, t.right)}
    assert merged in parties and not {"m1", "m2"} & parties
    assert {tuple(sorted((merged, "a1"))), tuple(sorted((merged, "b1")))} <= _pairs(found)
    assert merged in {b.party for b in brokers}  # now a second way between the groups


def test_numbers_are_nodes_as_on_the_chart(store: Engine) -> None:
    caller, receiver = "+380671234567", "+380501112233"
    calls = [make_entity("Call", f"call-{n}", callerNumber=caller, receiverNumber=receiver)
             for n in (1, 2)]  # fmt: skip
    store_entities(store, [make_entity("Person", "p-c", name="Caller", phone=caller), *calls])
    with transaction(store) as conn:
        found = relations.ties(conn, None)
    assert network.Tie("p-c", "phone:" + caller, 1) in found  # the person's own number
    assert network.Tie("phone:" + receiver, "phone:" + caller, 2) in found  # two calls


def test_bad_requests_name_the_field(store: Engine) -> None:
    with transaction(store) as conn, pytest.raises(FieldError) as dated:
        network_queries.brokers(conn, INVESTIGATOR, Drawn("statements", since=T0))
    assert dated.value.field == "since"
    with transaction(store) as conn, pytest.raises(FieldError) as path:
        network_queries.time_path(conn, INVESTIGATOR, STATEMENTS, "a1", "b1")
    assert path.value.field == "on"
    with pytest.raises(FieldError):
        network.ties(None, "statements", None)  # type: ignore[arg-type]
