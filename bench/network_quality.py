"""Leiden communities against the planted groups: the adjusted Rand index (ARI).

Builds the typology corpus (``bench.typology_corpus``: background people with their
calls, payments and coach trips, and the three schemes planted with known truth,
a fixed seed), ingests it with ``nitka ingest ftm``'s converter into a fresh
SQLite store, projects calls, payments and trips, and runs ``nitka network
communities`` (``nitka.analysis.network.communities``, Leiden with its defaults,
every community kept) as a local operator on each network: calls (numbers),
payments (accounts), trips (travellers and organisers) and statements (entities
joined by relations: ownerships, payments between accounts, trips' travellers
and organisers, ...).

A planted group is one instance of a scheme (a benefit-card ring, a recruiter
with his men, a call centre with its payers): its people's ids, numbers and
accounts, its trips and calling numbers, as the nodes of each network name
them. The ARI (``igraph.compare_communities(..., method="ari")``) compares the
communities with the groups two ways:

- **planted**: over the planted members that are nodes of the network, labelled
  by their group: does Leiden keep each group together and apart from the others?
- **all**: over every node of the network, a background node a group of its own:
  are the groups also kept apart from the background?

and per typology over its planted members (as ``planted``). A background person a
call centre chose as a victim is a member of that centre's group (the first, if
two chose them).

    python -m bench.network_quality [--people 3000] [--seed 11] [--resolutions 1,4,16]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph
from sqlalchemy.engine import Connection

from bench.report import machine, save
from bench.typology_corpus import Corpus, build, write
from nitka.analysis import network, relations
from nitka.analysis.calls import CallsProjection
from nitka.analysis.contacts import number_keys
from nitka.analysis.network import On, Tie
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up
from nitka.analysis.trips import TripsProjection
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.ingest.transactions import account_key
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

PHONE = "phone:"
TYPOLOGIES = ("benefit-cards", "boat-drivers", "call-centre")


def _ties(conn: Connection, on: On) -> list[Tie]:
    if on == "statements":
        return relations.ties(conn, None)
    return network.ties(conn, on, None)


def _naming(corpus: Corpus, on: On) -> Callable[[str], str | None]:
    """How a network names a member of a planted group (an entity id or a ``phone:``
    number), or None where that network has no node of that kind."""
    accounts = {
        e["id"]: e["properties"]["accountNumber"][0]
        for e in corpus.entities
        if e["schema"] == "BankAccount"
    }

    def name(token: str) -> str | None:
        if on == "calls":
            return (
                number_keys([token.removeprefix(PHONE)], "number")[0]
                if token.startswith(PHONE)
                else None
            )
        if on == "payments":
            return account_key(accounts[token]) or None if token in accounts else None
        if on == "statements":
            return token  # entity ids, and numbers as the graph names them
        return None if token.startswith(PHONE) else token

    return name


def _labels(corpus: Corpus, on: On) -> dict[str, str]:
    """Each node name of a planted member with its group (the first group naming it)."""
    name = _naming(corpus, on)
    labels: dict[str, str] = {}
    for group in sorted(corpus.groups, key=_order):
        for token in sorted(corpus.groups[group]):
            node = name(token)
            if node is not None:
                labels.setdefault(node, group)
    return labels


def _order(group: str) -> tuple[str, int]:
    typology, _, number = group.rpartition("-")
    return typology, int(number)


def _ari(truth: list[str], found: list[int]) -> float | None:
    if len(truth) < 2:
        return None
    index = {label: n for n, label in enumerate(dict.fromkeys(truth))}
    return round(
        float(igraph.compare_communities([index[t] for t in truth], found, method="ari")), 3
    )


def score_network(
    conn: Connection, corpus: Corpus, on: On, resolutions: list[float]
) -> dict[str, Any]:
    """The network's size and, per resolution, how its communities meet the groups."""
    started = time.perf_counter()
    found_ties = _ties(conn, on)
    report: dict[str, Any] = {
        "nodes": len({p for t in found_ties for p in (t.left, t.right)}),
        "ties": len(found_ties),
        "read_seconds": round(time.perf_counter() - started, 2),
    }
    labels = _labels(corpus, on)
    for resolution in resolutions:
        report[str(resolution)] = _compared(found_ties, labels, resolution)
    return report


def _compared(found_ties: list[Tie], labels: dict[str, str], resolution: float) -> dict[str, Any]:
    started = time.perf_counter()
    groups = network.communities(found_ties, resolution=resolution, min_size=1)
    leiden = time.perf_counter() - started
    community = {member: n for n, group in enumerate(groups) for member in group.members}
    nodes = sorted(community)
    planted = [n for n in nodes if n in labels]
    report: dict[str, Any] = {
        "communities": len(groups),
        "communities_of_3_or_more": sum(len(g.members) >= 3 for g in groups),
        "planted_nodes": len(planted),
        "groups_present": len({labels[n] for n in planted}),
        "ari_planted": _ari([labels[n] for n in planted], [community[n] for n in planted]),
        "ari_all": _ari(
            [labels.get(n, "background:" + n) for n in nodes], [community[n] for n in nodes]
        ),
        "leiden_seconds": round(leiden, 2),
    }
    for typology in TYPOLOGIES:
        mine = [n for n in planted if labels[n].startswith(typology)]
        report[typology] = {
            "nodes": len(mine),
            "groups": len({labels[n] for n in mine}),
            "ari": _ari([labels[n] for n in mine], [community[n] for n in mine]),
            "groups_kept_whole": sum(
                len({community[n] for n in mine if labels[n] == g}) == 1
                for g in {labels[n] for n in mine}
            ),
        }
    return report


def score(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus = build(people=args.people, rings=args.rings, recruiters=args.recruiters,
                   centres=args.centres, seed=args.seed)  # fmt: skip
    ftm = folder / "typologies.ftm.jsonl"
    write(corpus, ftm)
    engine = make_engine(f"sqlite:///{folder / 'store.db'}")
    upgrade(engine)
    started = time.perf_counter()
    ingest(engine, FtMConverter(str(ftm), "typologies"), Provenance("typologies"))
    with engine.begin() as conn:
        for projection in (CallsProjection(), PaymentsProjection(), TripsProjection()):
            catch_up(conn, projection)
    counts: dict[str, int] = {}
    for entity in corpus.entities:
        counts[entity["schema"]] = counts.get(entity["schema"], 0) + 1
    report: dict[str, Any] = {
        "entities": counts,
        "planted_groups": len(corpus.groups),
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    with engine.connect() as conn:
        for on in network.ON:
            report[on] = score_network(conn, corpus, on, args.resolutions)
    engine.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--rings", type=int, default=5)
    parser.add_argument("--recruiters", type=int, default=5)
    parser.add_argument("--centres", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--resolutions", default="1,4,16",
                        help="Leiden's resolutions to try, comma-separated (1 is the default "
                        "of nitka network communities).")  # fmt: skip
    args = parser.parse_args()
    args.resolutions = [float(r) for r in args.resolutions.split(",")]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        results = score(Path(folder), args)
    report = {"machine": machine(), "parameters": vars(args), **results,
              "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    print(f"corpus: {results['entities']}, {results['planted_groups']} planted groups, "
          f"loaded in {results['load_seconds']} s")  # fmt: skip
    heads = " ".join(f"{t:>14}" for t in TYPOLOGIES)
    for resolution in args.resolutions:
        print(f"resolution {resolution}; per typology: ARI over its members, groups kept whole")
        print(f"{'network':11} {'nodes':>6} {'ties':>6} {'comm.':>6} {'planted':>7} {'groups':>6} "
              f"{'ARI planted':>11} {'ARI all':>8} {heads}")  # fmt: skip
        for on in network.ON:
            n, r = results[on], results[on][str(resolution)]
            per = " ".join(f"{r[t]['ari']!s:>6} {r[t]['groups_kept_whole']}/{r[t]['groups']:<5}"
                           for t in TYPOLOGIES)  # fmt: skip
            print(f"{on:11} {n['nodes']:>6} {n['ties']:>6} {r['communities']:>6} "
                  f"{r['planted_nodes']:>7} {r['groups_present']:>6} {r['ari_planted']!s:>11} "
                  f"{r['ari_all']!s:>8} {per}")  # fmt: skip
    print(f"in {report['seconds']} s")
    save(f"network_quality_seed{args.seed}", report)


if __name__ == "__main__":
    main()
