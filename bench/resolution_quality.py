"""Entity resolution quality and speed (issue 22): Nitka beside Splink's defaults.

Each contender gets the same CSV (``bench.resolution_corpus``) and gives one
cluster per record; the clusters are scored against the known persons:

- pairwise precision, recall and F1 over the pairs of records put together,
  and the recall of the cross-script pairs alone (a Cyrillic record and a
  Latin one of the same person);
- B-cubed precision and recall (per record: how much of its cluster is its
  person, and how much of its person is in its cluster);
- the largest cluster and how many clusters of each size.

Contenders, in one run:

``nitka``
    ``nitka resolve file IN --out OUT``, the fixed interface, as an operator
    runs it (a process of its own: its time and peak memory are measured).
``nitka-spark``
    The same command with ``--engine spark`` (on ``local[2]``, or the master in
    ``NITKA_SPARK_MASTER``): Spark's time beside DuckDB's. Not run unless named
    (``--contenders``); it needs ``nitka[spark]`` and Java.
``splink-default``
    Splink as its tutorial sets it up for people, on the raw names: the first
    word and the last word of the name as written (in lower case), the birth
    date as a string, no transliteration. The same DuckDB engine, in a process of its own.
``nomenklatura``
    OpenSanctions' xref (``nomenklatura.xref``) with its ``regression-v1``
    scorer, on the records as FtM Person entities: its blocker's candidate
    pairs scored, those of at least ``NOMENKLATURA_THRESHOLD`` linked, clusters
    their connected components. A process of its own, its resolver in a SQLite
    file of its own.

    python -m bench.resolution_quality                 # the labelled EU set
    python -m bench.resolution_quality --synthetic 1000000
    python -m bench.resolution_quality --misses 20     # and 20 pairs nitka missed
    python -m bench.resolution_quality --synthetic 2000 --contenders nitka,nitka-spark
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from bench.corpus import CACHE
from bench.report import machine, save
from bench.resolution_corpus import CYRILLIC, cached, eu_labelled, read_truth, synthetic

Clusters = dict[str, str]
"""Record id -> cluster id."""


# -- measures -----------------------------------------------------------------------


def _groups(assignment: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for record, group in assignment.items():
        groups.setdefault(group, []).append(record)
    return groups


def _pairs(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for members in groups:
        ordered = sorted(members)
        for i, left in enumerate(ordered):
            found.update((left, right) for right in ordered[i + 1 :])
    return found


def pairwise(truth: dict[str, str], clusters: Clusters) -> dict[str, float]:
    true_pairs = _pairs(_groups(truth).values())
    found = _pairs(_groups(clusters).values())
    right = len(true_pairs & found)
    precision = right / len(found) if found else 1.0
    recall = right / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_true": len(true_pairs),
        "pairs_found": len(found),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def cross_script_recall(truth: dict[str, str], clusters: Clusters, names: dict[str, str]) -> float:
    """Recall of the true pairs of one Cyrillic and one Latin record."""
    cyrillic = {record for record, name in names.items() if CYRILLIC.search(name)}
    crossing = [
        (left, right)
        for left, right in _pairs(_groups(truth).values())
        if (left in cyrillic) != (right in cyrillic)
    ]
    if not crossing:
        return 1.0
    kept = sum(1 for left, right in crossing if clusters[left] == clusters[right])
    return round(kept / len(crossing), 4)


def bcubed(truth: dict[str, str], clusters: Clusters) -> dict[str, float]:
    by_cluster = {group: set(members) for group, members in _groups(clusters).items()}
    by_person = {person: set(members) for person, members in _groups(truth).items()}
    precision = recall = 0.0
    for record in truth:
        cluster = by_cluster[clusters[record]]
        person = by_person[truth[record]]
        common = len(cluster & person)
        precision += common / len(cluster)
        recall += common / len(person)
    n = len(truth)
    p, r = precision / n, recall / n
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def sizes(clusters: Clusters) -> dict[str, Any]:
    counts = Counter(len(members) for members in _groups(clusters).values())
    return {"largest": max(counts), "clusters_by_size": dict(sorted(counts.items()))}


def score(truth: dict[str, str], clusters: Clusters, names: dict[str, str]) -> dict[str, Any]:
    missing = set(truth) - set(clusters)
    if missing:
        raise ValueError(f"{len(missing)} records have no cluster, e.g. {sorted(missing)[:3]}")
    return {
        "pairwise": pairwise(truth, clusters),
        "cross_script_recall": cross_script_recall(truth, clusters, names),
        "bcubed": bcubed(truth, clusters),
        "sizes": sizes(clusters),
    }


# -- contenders ---------------------------------------------------------------------


def read_clusters(path: Path) -> Clusters:
    with path.open(encoding="utf-8") as fh:
        return {row["id"]: row["cluster"] for row in csv.DictReader(fh)}


_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
"""Runs a command and prints the peak resident memory (KiB) of its largest process:
a wrapper of its own, so that an earlier contender's peak is not counted."""


def timed(command: list[str]) -> dict[str, float]:
    """Run a command; its wall time and its peak memory (MiB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], check=True, stdout=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - start
    peak_kib = int(done.stdout.strip().splitlines()[-1])
    return {"seconds": round(seconds, 1), "peak_mib": round(peak_kib / 1024)}


def run_nitka(source: Path, out: Path, *more: str) -> dict[str, float]:
    nitka = str(Path(sys.executable).parent / "nitka")
    return timed([nitka, "resolve", "file", str(source), "--out", str(out), *more])


def run_nitka_spark(source: Path, out: Path) -> dict[str, float]:
    """``nitka resolve file`` on Spark: its time includes starting Spark (seconds)."""
    return run_nitka(source, out, "--engine", "spark")


def run_splink_default(source: Path, out: Path) -> dict[str, float]:
    return timed([sys.executable, "-m", "bench.resolution_quality", "--splink-default",
                  str(source), str(out)])  # fmt: skip


def splink_default(source: Path, out: Path) -> None:
    """Splink's tutorial model for people on the raw names (no transliteration)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rows = []
    with source.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            words = re.split(r"\s+", row["name"].split(";")[0].strip().lower())
            rows.append(
                {
                    "unique_id": row["id"],
                    "first_name": words[0] if words else None,
                    "surname": words[-1] if len(words) > 1 else None,
                    "dob": row["birthDate"] if len(row["birthDate"]) == 10 else None,
                }
            )
    db = DuckDBAPI()
    frame = db.register(rows)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
        ],
    )
    linker = Linker(frame, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "cluster"])
        writer.writerows((r["unique_id"], r["cluster_id"]) for r in clusters.as_record_list())


NOMENKLATURA_THRESHOLD = 0.7
"""The score from which yente (OpenSanctions' matching API, on the same scorers)
reports a match by default."""


def run_nomenklatura(source: Path, out: Path) -> dict[str, float]:
    return timed([sys.executable, "-m", "bench.resolution_quality", "--nomenklatura",
                  str(source), str(out)])  # fmt: skip


def nomenklatura_xref(source: Path, out: Path) -> None:
    """nomenklatura's xref over the records as FtM entities; links at the threshold."""
    import json
    import tempfile

    from nomenklatura.db import make_session
    from nomenklatura.matching import get_algorithm
    from nomenklatura.resolver import Resolver
    from nomenklatura.store import load_entity_file_store
    from nomenklatura.xref import xref

    from nitka.resolve.clusters import Forest

    ids: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        entities = Path(tmp) / "persons.json"
        with source.open(encoding="utf-8") as fh, entities.open("w", encoding="utf-8") as sink:
            for row in csv.DictReader(fh):
                ids.append(row["id"])
                properties = {
                    prop: [v.strip() for v in row.get(column, "").split(";") if v.strip()]
                    for prop, column in (("name", "name"), ("birthDate", "birthDate"),
                                         ("nationality", "nationality"),
                                         ("passportNumber", "passportNumber"))
                }  # fmt: skip
                entity = {"id": row["id"], "schema": "Person", "properties": properties}
                sink.write(json.dumps(entity, ensure_ascii=False) + "\n")
        session = make_session(f"sqlite:///{tmp}/resolver.db")
        resolver = Resolver[Any](session, create=True)
        resolver.load_into_memory()
        store = load_entity_file_store(entities, resolver=resolver)
        algorithm = get_algorithm("regression-v1")
        assert algorithm is not None
        xref(resolver, session, store, Path(tmp) / "index", limit=len(ids) * 20,
             algorithm=algorithm, discount_internal=1.0)  # fmt: skip
        links = [
            (left, right)
            for left, right, score in resolver.get_candidates()
            if score is not None and score >= NOMENKLATURA_THRESHOLD
        ]
    components = Forest(ids)
    for left, right in links:
        components.union(left, right)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "cluster"])
        writer.writerows((record, components.root(record)) for record in ids)


def names_of(source: Path) -> dict[str, str]:
    with source.open(encoding="utf-8") as fh:
        return {row["id"]: row["name"] for row in csv.DictReader(fh)}


class Contender(Protocol):
    def __call__(self, source: Path, out: Path) -> dict[str, float]: ...


CONTENDERS: dict[str, Contender] = {
    "nitka": run_nitka,
    "nitka-spark": run_nitka_spark,
    "splink-default": run_splink_default,
    "nomenklatura": run_nomenklatura,
}
"""Each contender by name: writes ``id,cluster`` to ``out``, gives its time and peak memory."""
DEFAULT_CONTENDERS = ("nitka", "splink-default", "nomenklatura")


def compare(
    source: Path, truth_path: Path, contenders: Iterable[str] = DEFAULT_CONTENDERS
) -> dict[str, Any]:
    truth, names = read_truth(truth_path), names_of(source)
    results: dict[str, Any] = {"records": len(truth), "persons": len(set(truth.values()))}
    for name in contenders:
        out = CACHE / f"{source.stem}_{name}_clusters.csv"
        out.unlink(missing_ok=True)
        try:
            cost = CONTENDERS[name](source, out)
        except subprocess.CalledProcessError as error:
            results[name] = {"failed": f"exit status {error.returncode}"}
            print(name, results[name], flush=True)
            continue
        results[name] = {**cost, **score(truth, read_clusters(out), names)}
        print(name, results[name], flush=True)
    return results


def print_misses(source: Path, truth_path: Path, count: int) -> None:
    """Some true pairs nitka's clusters split, and some pairs they join wrongly."""
    truth = read_truth(truth_path)
    clusters = read_clusters(CACHE / f"{source.stem}_nitka_clusters.csv")
    with source.open(encoding="utf-8") as fh:
        rows = {row["id"]: row for row in csv.DictReader(fh)}
    true_pairs = _pairs(_groups(truth).values())
    found = _pairs(_groups(clusters).values())

    def show(pair: tuple[str, str]) -> str:
        return " | ".join(f"{rows[i]['name']} ({rows[i]['birthDate'] or '-'})" for i in pair)

    for kind, pairs in (("missed", true_pairs - found), ("wrong", found - true_pairs)):
        print(f"{kind}: {len(pairs)} pairs")
        for pair in sorted(pairs)[:count]:
            print("  ", show(pair))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--splink-default":
        splink_default(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--nomenklatura":
        nomenklatura_xref(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0, help="records of the synthetic set")
    parser.add_argument("--misses", type=int, default=0, help="print this many missed pairs")
    parser.add_argument(
        "--contenders",
        default=",".join(DEFAULT_CONTENDERS),
        help=f"which to run, separated by commas, of: {', '.join(CONTENDERS)}",
    )
    args = parser.parse_args()
    contenders = [name.strip() for name in args.contenders.split(",") if name.strip()]
    unknown = sorted(set(contenders) - set(CONTENDERS))
    if unknown:
        parser.error(f"no contender {', '.join(unknown)}: give some of {', '.join(CONTENDERS)}")
    if args.synthetic:
        source, truth = cached(
            f"resolution_synthetic_{args.synthetic}", lambda: synthetic(args.synthetic)
        )
    else:
        source, truth = cached("resolution_eu_labelled", eu_labelled)
    results = compare(source, truth, contenders)
    if args.misses and "nitka" in results:
        print_misses(source, truth, args.misses)
    save(
        f"resolution_{source.stem}",
        {"source": source.name, **results, "machine": machine()},
    )


if __name__ == "__main__":
    main()
