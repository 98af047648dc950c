"""Money-flow queries against AMLSim's typologies: recall and precision of the alert
accounts, per typology.

Two sets, each ingested with ``nitka ingest transactions``' converter into a fresh
SQLite store and projected:

- **real**: AMLSim's alert transactions (``../shared/data/amlsim_transactions``,
  TigerGraph's AMLSim lab): 391 alerts, of the ``fan_in`` and ``cycle``
  typologies only, and no other payments;
- **synthetic**: made here (a fixed seed), since no labelled file of the other
  typologies is at hand: background payments among ``--accounts`` accounts
  (each paying a few others of its own, some many: a long-tailed degree), and
  ``--alerts`` alerts of each of AMLSim's eight typologies laid over them with
  AMLSim's shapes (``amlsim.model.aml``: fan-in, fan-out, cycle, scatter-gather,
  gather-scatter, bipartite, stack, random), 5 to 10 accounts each (AMLSim's
  sample ``alertPatterns.csv``), drawn from the background's accounts, within
  20 days. It measures the queries against AMLSim's shapes, not against
  AMLSim's own output.

Each typology's query runs with its documented defaults (``docs/analysis.md``);
the labels are only used to score. An account is found when it is in an answer
of the typology's query (for fan-in: the collector and its sources); recall is
the share of the typology's alert accounts found, precision the share of found
accounts that are in an alert of that typology ("any alert": of any typology).

    python -m bench.flows_quality [--accounts 2000] [--alerts 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from bench.corpus import SHARED
from bench.report import machine, save
from nitka.analysis import flows, layering
from nitka.analysis.payments import PaymentsProjection
from nitka.analysis.projection import catch_up
from nitka.ingest.runner import ingest
from nitka.ingest.transactions import TransactionsConverter
from nitka.model.statement import Provenance
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade

REAL = SHARED / "amlsim_transactions" / "tigergraph_amlsim_alert_transactions.csv"
HEADER = ["ALERT_ID", "ALERT_TYPE", "IS_FRAUD", "TX_ID", "SENDER_ACCOUNT_ID",
          "RECEIVER_ACCOUNT_ID", "TX_TYPE", "TX_AMOUNT", "TIMESTAMP"]  # fmt: skip
STEPS = 200
"""Days of a run (the real file's steps are 0 to 199)."""
TYPOLOGIES = ("fan_in", "fan_out", "cycle", "scatter_gather", "gather_scatter",
              "bipartite", "stack", "random")  # fmt: skip
LIMIT = 1_000_000

Query = Callable[[Connection], Iterable[set[str]]]
QUERIES: dict[str, tuple[str, Query]] = {
    "fan_in": (
        "flows fan-in (--min-sources 3)",
        lambda c: ({f.collector, *f.sources} for f in flows.fan_in(c, None, limit=LIMIT)),
    ),
    "fan_out": (
        "flows fan-out --within 20 (--min-targets 3)",
        lambda c: ({f.source, *f.targets} for f in flows.fan_out(c, None, within=20, limit=LIMIT)),
    ),
    "cycle": (
        "flows cycles --max-length 10",
        lambda c: (set(x.accounts) for x in flows.cycles(c, None, max_length=10, limit=LIMIT)),
    ),
    "scatter_gather": (
        "flows scatter-gather (--min-middle 3)",
        lambda c: (
            {s.source, s.collector, *s.middle}
            for s in layering.scatter_gather(c, None, limit=LIMIT)
        ),
    ),
    "gather_scatter": (
        "flows gather-scatter (--min-sources 3 --min-targets 3)",
        lambda c: (
            {g.hub, *g.sources, *g.targets} for g in layering.gather_scatter(c, None, limit=LIMIT)
        ),
    ),
    "bipartite": (
        "flows bipartite (--min-payers 2 --min-payees 2)",
        lambda c: ({*b.payers, *b.payees} for b in layering.bipartite(c, None, limit=LIMIT)),
    ),
    "stack": (
        "flows stacked (--min-width 2 --min-layers 3)",
        lambda c: (
            {a for layer in s.layers for a in layer} for s in layering.stacked(c, None, limit=LIMIT)
        ),
    ),
}


def synthetic(path: Path, accounts: int, alerts: int, seed: int) -> None:
    """Background payments and AMLSim-shaped alerts, in AMLSim's alert-file layout."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []

    def pay(alert: str, kind: str, payer: int, payee: int, step: int, amount: float) -> None:
        rows.append([alert, kind, "True" if alert else "False", len(rows) + 1, payer, payee,
                     "TRANSFER", f"{amount:.2f}", min(step, STEPS - 1)])  # fmt: skip

    for payer in range(accounts):
        # A long tail: most accounts pay one to three others, a few pay dozens.
        degree = min(60, int(rng.paretovariate(1.6)))
        for payee in rng.sample(range(accounts), degree):
            if payee == payer:
                continue
            for _ in range(rng.randint(1, 4)):
                pay("", "", payer, payee, rng.randrange(STEPS), rng.uniform(10, 1000))
    for number, (kind, members, start) in enumerate(_alerts(rng, accounts, alerts)):
        for payer, payee, offset in _shape(rng, kind, members):
            pay(str(number), kind, payer, payee, start + offset, rng.uniform(100, 1000))
    rng.shuffle(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows)


def _alerts(rng: random.Random, accounts: int, alerts: int) -> Iterable[tuple[str, list[int], int]]:
    for kind in TYPOLOGIES:
        for _ in range(alerts):
            size = rng.randint(5, 10)
            yield kind, rng.sample(range(accounts), size), rng.randrange(STEPS - 20)


def _shape(rng: random.Random, kind: str, members: list[int]) -> list[tuple[int, int, int]]:
    """The alert's payments (payer, payee, day from the start), after AMLSim's typologies."""
    main, rest = members[0], members[1:]

    def day(low: int = 0, high: int = 20) -> int:
        return rng.randint(low, high)

    if kind == "fan_in":
        return [(m, main, day()) for m in rest]
    if kind == "fan_out":
        return [(main, m, day()) for m in rest]
    if kind == "cycle":
        return [(a, members[(i + 1) % len(members)], i * 2) for i, a in enumerate(members)]
    if kind == "scatter_gather":
        middle, collector = members[1:-1], members[-1]
        return [(main, m, day(0, 9)) for m in middle] + [
            (m, collector, day(10, 20)) for m in middle
        ]
    if kind == "gather_scatter":
        half = len(rest) // 2
        sources, targets = rest[:half], rest[half:]
        return [(s, main, day(0, 9)) for s in sources] + [(main, t, day(10, 20)) for t in targets]
    if kind == "bipartite":
        half = len(members) // 2
        return [(p, q, day()) for p in members[:half] for q in members[half:]]
    if kind == "stack":
        third = len(members) // 3
        layers = [members[:third], members[third : 2 * third], members[2 * third :]]
        return [(p, q, day(0, 9) if i == 0 else day(10, 20))
                for i in range(2) for p in layers[i] for q in layers[i + 1]]  # fmt: skip
    # random: a walk from the main account through the others
    steps, at = [], main
    for _ in range(len(members)):
        nxt = rng.choice([m for m in members if m != at])
        steps.append((at, nxt, day()))
        at = nxt
    return steps


def labels(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["ALERT_ID"]:
                found[row["ALERT_TYPE"]] |= {row["SENDER_ACCOUNT_ID"], row["RECEIVER_ACCOUNT_ID"]}
    return found


def score(path: Path, store: Path) -> dict[str, Any]:
    engine: Engine = make_engine(f"sqlite:///{store}")
    upgrade(engine)
    started = time.perf_counter()
    ingest(engine, TransactionsConverter(str(path), "amlsim"), Provenance("amlsim"))
    with engine.begin() as conn:
        projected = catch_up(conn, PaymentsProjection())
    loaded = time.perf_counter() - started
    labelled = labels(path)
    alert_accounts = set().union(*labelled.values())
    results: dict[str, Any] = {"payments": projected.projected, "load_seconds": round(loaded, 1)}
    for kind in TYPOLOGIES:
        wanted = labelled.get(kind, set())
        if kind not in QUERIES:
            results[kind] = {"alert_accounts": len(wanted), "query": None}
            continue
        name, query = QUERIES[kind]
        started = time.perf_counter()
        with engine.connect() as conn:
            answers = list(query(conn))
        seconds = time.perf_counter() - started
        found = set().union(*answers) if answers else set()
        hit = found & wanted
        results[kind] = {
            "query": name,
            "alert_accounts": len(wanted),
            "answers": len(answers),
            "found_accounts": len(found),
            "recall": round(len(hit) / len(wanted), 3) if wanted else None,
            "precision": round(len(hit) / len(found), 3) if found and wanted else None,
            "precision_any_alert": round(len(found & alert_accounts) / len(found), 3)
            if found
            else None,
            "missed": sorted(wanted - found, key=int)[:20],
            "seconds": round(seconds, 2),
        }
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--alerts", type=int, default=20, help="Alerts of each typology.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "amlsim_synthetic.csv"
        synthetic(made, args.accounts, args.alerts, args.seed)
        report = {
            "machine": machine(),
            "parameters": vars(args),
            "real": score(REAL, Path(folder) / "real.db"),
            "synthetic": score(made, Path(folder) / "synthetic.db"),
        }
    for name in ("real", "synthetic"):
        print(f"\n{name}: {report[name]['payments']} payments")
        print(
            f"{'typology':16} {'alert acc.':>10} {'found':>6} {'recall':>7} {'prec.':>6} {'any':>6}"
        )
        for kind in TYPOLOGIES:
            r = report[name][kind]
            if r["query"] is None:
                print(f"{kind:16} {r['alert_accounts']:>10}   (no query: no shape to look for)")
                continue
            if not r["alert_accounts"]:
                print(f"{kind:16} {'-':>10} {r['found_accounts']:>6}   (no alerts of it)")
                continue
            figures = (r["recall"], r["precision"], r["precision_any_alert"])
            print(f"{kind:16} {r['alert_accounts']:>10} {r['found_accounts']:>6} "
                  + " ".join(f"{f!s:>6}" for f in figures))  # fmt: skip
    save("flows_quality", report)


if __name__ == "__main__":
    main()
