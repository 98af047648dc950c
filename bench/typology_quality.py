"""The ready queries for the typologies against planted schemes: recall and precision
of the entities each finds.

Generates a corpus (``bench.typology_corpus``: background people, calls, payments
and trips with the three schemes planted, a fixed seed), ingests it with
``nitka ingest ftm``'s converter into a fresh SQLite store, projects calls,
payments and trips, and runs each ready query with its documented defaults
(docs/analysis.md) as a local operator (every row). An entity is found when it is
in the query's answer in any role; recall is the share of the planted entities of
that scheme found, precision the share of found entities that were planted in
it. ``groups`` counts the instances (rings, recruiters, centres) whose hub was
found.

    python -m bench.typology_quality [--people 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from bench.report import machine, save
from bench.typology_corpus import generate
from nitka.analysis.calls import CallsProjection
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up
from nitka.analysis.ties import seeing
from nitka.analysis.trips import TripsProjection
from nitka.analysis.typologies import benefit_cards, boat_drivers, call_centre
from nitka.analysis.typologies.found import Findings
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.runner import ingest
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade


def _benefit_cards(conn: Connection) -> Findings:
    return benefit_cards.find(conn, None, seeing(None, None), benefit_cards.Parameters())


def _boat_drivers(conn: Connection) -> Findings:
    return boat_drivers.find(conn, None, seeing(None, None), boat_drivers.Parameters())


def _call_centre(conn: Connection) -> Findings:
    return call_centre.find(conn, None, seeing(None, None), call_centre.Parameters())


QUERIES: dict[str, Callable[[Connection], Findings]] = {
    benefit_cards.NAME: _benefit_cards,
    boat_drivers.NAME: _boat_drivers,
    call_centre.NAME: _call_centre,
}
HUBS = {"benefit-cards": "organiser", "boat-drivers": "recruiter-number",
        "call-centre": "collector"}  # fmt: skip


def score(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    corpus, truth_file = folder / "typologies.ftm.jsonl", folder / "truth.json"
    counts = generate(corpus, truth_file, people=args.people, rings=args.rings,
                      recruiters=args.recruiters, centres=args.centres, seed=args.seed)  # fmt: skip
    truth: dict[str, list[str]] = json.loads(truth_file.read_text())
    engine = make_engine(f"sqlite:///{folder / 'store.db'}")
    upgrade(engine)
    started = time.perf_counter()
    ingest(engine, FtMConverter(str(corpus), "typologies"), Provenance("typologies"))
    with engine.begin() as conn:
        for projection in (CallsProjection(), PaymentsProjection(), TripsProjection()):
            catch_up(conn, projection)
    report: dict[str, Any] = {
        "entities": counts,
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    for name, query in QUERIES.items():
        started = time.perf_counter()
        with engine.connect() as conn:
            found = query(conn)
        seconds = time.perf_counter() - started
        answer = found.all()
        entities = {f.entity for f in answer}
        wanted = set(truth.get(name, []))
        hit = entities & wanted
        hubs = {f.entity for f in answer if f.role == HUBS[name]}
        report[name] = {
            "planted": len(wanted), "found": len(entities), "right": len(hit),
            "recall": round(len(hit) / len(wanted), 3) if wanted else None,
            "precision": round(len(hit) / len(entities), 3) if entities else None,
            "groups_found": len({f.group for f in answer}),
            "hubs_planted": len(hubs & wanted), "seconds": round(seconds, 2),
            "missed": sorted(wanted - entities)[:20], "extra": sorted(entities - wanted)[:20],
        }  # fmt: skip
    engine.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--rings", type=int, default=5)
    parser.add_argument("--recruiters", type=int, default=5)
    parser.add_argument("--centres", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = score(Path(folder), args)
    report = {"machine": machine(), "parameters": vars(args), **results}
    print(f"corpus: {results['entities']}, loaded in {results['load_seconds']} s")
    print(f"{'typology':14} {'planted':>7} {'found':>6} {'right':>6} {'recall':>7} {'prec.':>6} "
          f"{'groups':>6} {'s':>6}")  # fmt: skip
    for name in QUERIES:
        r = results[name]
        print(f"{name:14} {r['planted']:>7} {r['found']:>6} {r['right']:>6} {r['recall']!s:>7} "
              f"{r['precision']!s:>6} {r['groups_found']:>6} {r['seconds']:>6}")  # fmt: skip
    save("typology_quality", report)


if __name__ == "__main__":
    main()
