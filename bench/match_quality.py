"""Name-matching quality: Nitka's matcher beside nomenklatura's logic-v2 and logic-v1.

Input: nomenklatura's name benchmark (826 labelled pairs of person, company
and vessel names, many Cyrillic/Latin), copied into ``../shared/data``.
Nitka scores the two names alone, as ``nitka match pairs`` does; the
nomenklatura algorithms get each pair as two entities of the case's schema
(which helps them: they know a company from a person).

    python -m bench.match_quality [--threshold 0.7]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from nomenklatura.matching import LogicV1, LogicV2, ScoringConfig

from bench.corpus import SHARED
from bench.report import machine, save
from nitka.match.names import compare_names

CASES = SHARED / "opensanctions_name_matching" / "nomenklatura_name_bench_cases.csv"
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class Case:
    schema: str
    name1: str
    name2: str
    is_match: bool

    @property
    def ascii(self) -> bool:
        return (self.name1 + self.name2).isascii()

    @property
    def cyrillic(self) -> bool:
        return bool(_CYRILLIC.search(self.name1 + self.name2))


def load_cases() -> list[Case]:
    with CASES.open(encoding="utf-8") as fh:
        return [
            Case(row["schema"], row["name1"], row["name2"], row["is_match"] == "true")
            for row in csv.DictReader(fh)
        ]


def nomenklatura_scorer(algorithm: Any) -> Callable[[Case], float]:
    config = ScoringConfig.defaults()

    def score(case: Case) -> float:
        # Unique ids per pair: nomenklatura caches work per entity id.
        key = hashlib.sha1(f"{case.name1}\x1f{case.name2}".encode()).hexdigest()
        query = model.make_entity(case.schema)
        query.id = f"query-{key}"
        query.add("name", case.name1)
        result = model.make_entity(case.schema)
        result.id = f"result-{key}"
        result.add("name", case.name2)
        return float(algorithm.compare(query, result, config).score)

    return score


def nitka_scorer(case: Case) -> float:
    return compare_names(case.name1, case.name2).score


def quality(cases: list[Case], scores: list[float], threshold: float) -> dict[str, float]:
    tp = sum(1 for c, s in zip(cases, scores, strict=True) if c.is_match and s >= threshold)
    fp = sum(1 for c, s in zip(cases, scores, strict=True) if not c.is_match and s >= threshold)
    fn = sum(1 for c, s in zip(cases, scores, strict=True) if c.is_match and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(cases),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--misses", action="store_true", help="print Nitka's wrong verdicts")
    args = parser.parse_args()
    cases = load_cases()
    scorers: dict[str, Callable[[Case], float]] = {
        "nitka": nitka_scorer,
        "logic-v2": nomenklatura_scorer(LogicV2),
        "logic-v1": nomenklatura_scorer(LogicV1),
    }
    subsets: dict[str, Callable[[Case], bool]] = {
        "all": lambda c: True,
        "non-ascii": lambda c: not c.ascii,
        "cyrillic": lambda c: c.cyrillic,
    }
    results: dict[str, Any] = {}
    for name, scorer in scorers.items():
        start = time.perf_counter()
        scores = [scorer(case) for case in cases]
        elapsed = time.perf_counter() - start
        results[name] = {
            subset: quality(
                [c for c in cases if keep(c)],
                [s for c, s in zip(cases, scores, strict=True) if keep(c)],
                args.threshold,
            )
            for subset, keep in subsets.items()
        }
        results[name]["pairs_per_second"] = round(len(cases) / elapsed)
        if args.misses and name == "nitka":
            for case, score in zip(cases, scores, strict=True):
                if (score >= args.threshold) != case.is_match:
                    print(
                        f"{'FN' if case.is_match else 'FP'} {score:.2f} {case.name1} | {case.name2}"
                    )
    print(f"threshold {args.threshold}; P / R / F1 (pairs)")
    for name, by_subset in results.items():
        line = "  ".join(
            f"{subset}: {q['precision']:.3f} / {q['recall']:.3f} / {q['f1']:.3f} ({q['pairs']})"
            for subset, q in by_subset.items()
            if isinstance(q, dict)
        )
        print(f"{name:9} {line}  [{by_subset['pairs_per_second']:,} pairs/s]")
    save("match_quality", {"threshold": args.threshold, "results": results, "machine": machine()})


if __name__ == "__main__":
    main()
