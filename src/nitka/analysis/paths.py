"""The shortest chain of links between two nodes: who connects this recruiter to
that account, through which phones and payments.

A breadth-first search from both ends at once, one batched expansion per
step and side (``nitka.analysis.graph.expand``), so it sees only what the
viewer may see: a path through a hidden entity is not found, and cannot be
guessed from the chart.
"""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy.engine import Connection

from nitka.access.visibility import Viewer
from nitka.analysis.graph import Graph, expand

MAX_DEPTH = 6
"""Links between the two ends at most: "six degrees" joins nearly everyone."""
NODE_BUDGET = 20_000
"""Nodes reached before the search gives up."""


def shortest_path(
    conn: Connection, viewer: Viewer, start: str, goal: str, *, max_depth: int = MAX_DEPTH
) -> Graph | None:
    """The nodes and edges of one shortest path, or None if there is none within reach."""
    seen: Graph = Graph()
    parents: list[dict[str, str | None]] = [{start: None}, {goal: None}]
    frontiers: list[set[str]] = [{start}, {goal}]
    if start == goal:
        found = expand(conn, viewer, [start])
        return _path_graph(found, [start]) if start in found.nodes else None
    for _ in range(max_depth):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        step = expand(conn, viewer, frontiers[side])
        seen.nodes.update(step.nodes)
        seen.edges.update(step.edges)
        following: set[str] = set()
        for edge in step.edges.values():
            for here, there in ((edge.source, edge.target), (edge.target, edge.source)):
                if here in frontiers[side] and there not in parents[side]:
                    parents[side][there] = here
                    following.add(there)
        meeting = following & parents[1 - side].keys()
        if meeting:
            middle = min(meeting)
            return _path_graph(seen, _chain(parents, middle))
        if not following or sum(len(p) for p in parents) > NODE_BUDGET:
            return None
        frontiers[side] = following
    return None


def _chain(parents: list[dict[str, str | None]], middle: str) -> list[str]:
    forward: list[str] = []
    node: str | None = middle
    while node is not None:
        forward.append(node)
        node = parents[0][node]
    backward: list[str] = []
    node = parents[1][middle]
    while node is not None:
        backward.append(node)
        node = parents[1][node]
    return [*reversed(forward), *backward]


def _path_graph(seen: Graph, chain: list[str]) -> Graph:
    path = Graph()
    for node_id in chain:
        if node_id in seen.nodes:
            path.nodes[node_id] = seen.nodes[node_id]
    for here, there in pairwise(chain):
        for key, edge in seen.edges.items():
            if {edge.source, edge.target} == {here, there}:
                path.edges[key] = edge
    return path
