"""Networks over the projections (issue 23, point 4): Leiden communities, brokers,
key players and paths in time order, on hand-made ties whose answers can be seen,
checked against networkx, and through the service on both databases with
need-to-know."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import combinations

import networkx as nx
import pytest
from sqlalchemy import Engine

from nitka.analysis import network
from nitka.analysis.network import Step, Tie
from nitka.errors import FieldError
from nitka.model.statement import Provenance
from nitka.services import network_queries
from nitka.services.guard import transaction
from nitka.services.network_queries import Drawn
from tests.analysis.records import KEY, A, B, C, call, store_calls
from tests.helpers import store_entities
from tests.services.people import INVESTIGATOR, OUTSIDER, cases_and_accounts

T0 = datetime(2024, 3, 1)


def _clique(names: str, count: int = 3) -> list[Tie]:
    return [Tie(a, b, count, T0, T0) for a, b in combinations(names, 2)]


def _two_cells() -> list[Tie]:
    """Two groups of five who call each other often, joined only through x and y:
    a → x → y → f."""
    return [
        *_clique("abcde"),
        *_clique("fghij"),
        Tie("a", "x", 1, T0, T0),
        Tie("x", "y", 1, T0, T0),
        Tie("f", "y", 1, T0, T0),
    ]


def test_leiden_finds_the_two_cells() -> None:
    groups = network.communities(_two_cells(), min_size=3)
    members = sorted(set(g.members) for g in groups)
    assert [m - {"x", "y"} for m in members] == [set("abcde"), set("fghij")]
    assert all(g.ties >= 30 for g in groups)  # ten pairs of three calls inside each


def _planted(groups: int = 30, size: int = 12) -> list[Tie]:
    """Groups that call inside often and a few times across, by a fixed draw."""
    rng = random.Random(5)
    found: dict[tuple[str, str], int] = {}
    for group in range(groups):
        names = [f"g{group}-{n}" for n in range(size)]
        for a, b in combinations(names, 2):
            if rng.random() < 0.6:
                found[(a, b)] = rng.randint(1, 6)
    for _ in range(groups * 4):
        a, b = sorted(f"g{rng.randrange(groups)}-{rng.randrange(size)}" for _ in range(2))
        if a[: a.index("-")] != b[: b.index("-")]:
            found[(a, b)] = found.get((a, b), 0) + 1
    return [Tie(a, b, count, T0, T0) for (a, b), count in sorted(found.items())]


def test_leiden_is_seeded_and_counts_the_ties_inside() -> None:
    """The same ties give the same groups (the seed), whatever else drew random numbers
    meanwhile; each group's ties are the calls between its members; the planted groups
    are found (as networkx's Louvain finds them)."""
    ties = _planted()
    first = network.communities(ties)
    random.random()
    assert network.communities(ties) == first
    for group in first:
        inside = set(group.members)
        assert group.ties == sum(t.count for t in ties if {t.left, t.right} <= inside)
    found = {frozenset(g.members) for g in first}
    planted = {frozenset(f"g{g}-{n}" for n in range(12)) for g in range(30)}
    assert found == planted
    graph: nx.Graph[str] = nx.Graph()
    graph.add_weighted_edges_from((t.left, t.right, t.count) for t in ties)
    louvain = nx.community.louvain_communities(graph, weight="weight", seed=1)
    assert {frozenset(c) for c in louvain} == planted


def test_brokers_are_the_bridge_and_agree_with_networkx() -> None:
    ties = _two_cells()
    found = network.brokers(ties, limit=4)
    assert {b.party for b in found[:2]} == {"x", "y"}
    graph = nx.Graph([(t.left, t.right) for t in ties])
    expected = nx.betweenness_centrality(graph, normalized=False)
    for broker in found:
        assert broker.betweenness == pytest.approx(expected[broker.party])


def test_key_players_cut_the_most_off() -> None:
    players = network.key_players(_two_cells(), limit=5)
    # Without x (or y), one cell of five plus the other is cut in two: 5 or 6 cut off.
    assert {p.party for p in players[:2]} == {"x", "y"}
    assert players[0].cut_off >= 5
    assert all(p.party in "axyf" for p in players)


def _steps(*rows: tuple[str, str, str, int]) -> dict[str, list[Step]]:
    found: dict[str, list[Step]] = {}
    for step_id, a, b, hour in rows:
        found.setdefault(a, []).append(Step(step_id, a, b, T0 + timedelta(hours=hour)))
    return found


def test_a_path_follows_time_and_its_window() -> None:
    steps = _steps(
        ("s1", "a", "b", 1),  # a reaches b at 1
        ("s2", "b", "c", 0),  # before a reached b: not a step of the chain
        ("s3", "b", "c", 30),  # 29 h after: outside a 24 h window
        ("s4", "a", "b", 20),  # a later arrival at b opens the window to s3
    )
    day = timedelta(hours=24)
    found = network._earliest(steps, "a", "c", day)
    assert found is not None
    assert [s.id for s in found.steps] == ["s4", "s3"]
    assert network._earliest(steps, "a", "c", timedelta(hours=5)) is None
    assert network._earliest(steps, "c", "a", day) is None


def test_bad_parameters_name_the_field() -> None:
    with pytest.raises(FieldError) as bad:
        network.communities(_two_cells(), resolution=0)
    assert bad.value.field == "resolution"


def test_services_read_the_calls_the_actor_may_see(engine: Engine) -> None:
    cases_and_accounts(engine)
    store_calls(engine, Provenance("operator", case="c1"))
    # A call only the outsider's case holds: invisible to the members of c1.
    store_entities(engine, [call("c-9", A, "+380990000009", "2024-03-05T10:00:00", "5")],
                   Provenance("operator", case="c2"))  # fmt: skip
    with transaction(engine) as conn:
        calls = Drawn("calls")
        path = network_queries.time_path(conn, INVESTIGATOR, calls, A, B)
        brokers = network_queries.brokers(conn, INVESTIGATOR, calls)
        hidden = network_queries.time_path(conn, INVESTIGATOR, calls, A, "+380990000009")
        seen = network_queries.time_path(conn, OUTSIDER, calls, A, "+380990000009")
    assert path is not None
    assert [s.id for s in path.steps] == ["c-1", "c-2"]  # A → C at 10:00, C → B at 11:00
    assert path.as_dict()["parties"] == [KEY[A], C, KEY[B]]
    assert brokers and brokers[0].party in {KEY[A], KEY[B], C}
    assert hidden is None
    assert seen is not None and [s.id for s in seen.steps] == ["c-9"]
    with transaction(engine) as conn, pytest.raises(FieldError):
        network_queries.communities(conn, INVESTIGATOR, Drawn("boats"))  # type: ignore[arg-type]
