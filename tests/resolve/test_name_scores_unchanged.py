"""The linkage's name score gives the same scores as when the fixture was recorded.

``data/name_scores.jsonl`` holds, for some thousands of pairs of name lists,
the score ``model.NAME_SCORE`` gave them before it was made faster (issue 22):

- the name pairs of nomenklatura's name-matching benchmark (``../shared/data/
  opensanctions_name_matching``), Latin and Cyrillic, matches and not;
- full names built from the UA/RU dictionaries (``ua_ru_name_equivalents``):
  the Ukrainian form against the Russian one romanised, reordered, in capitals,
  without the patronymic, with initials, against a namesake's;
- the candidate pairs DuckDB gave the score in a link of the speed bench's
  synthetic records (``bench.resolution_corpus.synthetic``), several names a
  record included;
- a few edge cases (no names, a name without letters, the same name twice).

A change of speed must change no score; a change of the matcher itself records
the file again, on purpose (``../shared/data`` and the bench are needed then):

    PYTHONPATH=src:. python -m tests.resolve.test_name_scores_unchanged
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyarrow as pa

from nitka.match.names import name_score
from nitka.resolve import linkage, model

EXPECTED = Path(__file__).resolve().parent / "data" / "name_scores.jsonl"
LISTS = pa.list_(pa.string())
TOLERANCE = 1e-12
Pair = tuple[list[str], list[str]]


def recorded() -> list[tuple[list[str], list[str], float]]:
    with EXPECTED.open("rb") as fh:
        rows = [orjson.loads(line) for line in fh]
    return [(row["left"], row["right"], row["score"]) for row in rows]


def test_the_fixture_is_large_and_mixed() -> None:
    rows = recorded()
    assert len(rows) >= 3000
    names = {name for left, right, _ in rows for name in left + right}
    assert any(any("\u0400" <= c <= "\u04ff" for c in name) for name in names)
    assert any(name.isascii() for name in names)
    assert any(len(left) > 1 or len(right) > 1 for left, right, _ in rows)
    assert len({score for _, _, score in rows}) > 100


def test_the_arrow_function_gives_the_recorded_scores() -> None:
    rows = recorded()
    for start in range(0, len(rows), 2048):  # as DuckDB calls it, vector by vector
        chunk = rows[start : start + 2048]
        left = pa.array([r[0] for r in chunk], LISTS)
        right = pa.array([r[1] for r in chunk], LISTS)
        found = linkage._best_score(left, right).to_pylist()
        for (lnames, rnames, expected), score in zip(chunk, found, strict=True):
            assert abs(score - expected) <= TOLERANCE, (lnames, rnames, expected, score)


def test_a_sliced_vector_and_a_chunked_one_score_alike() -> None:
    rows = recorded()[:500]
    left = pa.array([r[0] for r in rows], LISTS)
    right = pa.array([r[1] for r in rows], LISTS)
    expected = [r[2] for r in rows]
    assert (
        linkage._best_score(left.slice(100, 50), right.slice(100, 50)).to_pylist()
        == (expected[100:150])
    )
    chunked = linkage._best_score(
        pa.chunked_array([left[:200], left[200:]]), pa.chunked_array([right[:200], right[200:]])
    )
    assert chunked.to_pylist() == expected


def test_duckdb_gives_the_recorded_scores() -> None:
    rows = recorded()
    table = pa.table({
        "names_l": pa.array([r[0] for r in rows], LISTS),
        "names_r": pa.array([r[1] for r in rows], LISTS),
        "n": pa.array(range(len(rows)), pa.int64()),
    })  # fmt: skip
    with linkage.duckdb_in_memory() as con:
        con.register("pairs", table)
        found = con.execute(
            f"SELECT n, {model.NAME_SCORE}(names_l, names_r) FROM pairs ORDER BY n"
        ).fetchall()
    for (n, score), (lnames, rnames, expected) in zip(found, rows, strict=True):
        assert abs(score - expected) <= TOLERANCE, (n, lnames, rnames, expected, score)


def test_name_score_gives_the_recorded_scores_one_pair_at_a_time() -> None:
    for lnames, rnames, expected in recorded():
        if len(lnames) == 1 and len(rnames) == 1:
            assert abs(name_score(lnames[0], rnames[0]) - expected) <= TOLERANCE


# -- recording -----------------------------------------------------------------------


def _benchmark_pairs(shared: Path) -> Iterator[Pair]:
    path = shared / "opensanctions_name_matching" / "nomenklatura_name_bench_cases.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield [row["name1"]], [row["name2"]]


def _dictionary(shared: Path, name: str) -> list[tuple[str, str]]:
    """(Ukrainian, Russian) forms of the rows that give both."""
    with (shared / "ua_ru_name_equivalents" / name).open(encoding="utf-8", newline="") as fh:
        rows = [(row[0].strip(), row[1].strip()) for row in csv.reader(fh) if len(row) > 1]
    return [(uk, ru) for uk, ru in rows if uk and ru]


def _dictionary_pairs(shared: Path, count: int, rng: random.Random) -> Iterator[Pair]:
    from nitka.normalise.romanize import romanize_ru, romanize_ru_bgn, romanize_uk

    firsts, lasts = _dictionary(shared, "pep_names.csv"), _dictionary(shared, "pep_lastnames.csv")
    middles = _dictionary(shared, "pep_patronymics.csv")
    romanizers = [romanize_uk, romanize_ru, romanize_ru_bgn]
    for _ in range(count):
        first, middle, last = rng.choice(firsts), rng.choice(middles), rng.choice(lasts)
        uk = f"{first[0]} {middle[0]} {last[0]}"
        romanize = rng.choice(romanizers)
        ru = [romanize(w).title() for w in (first[1], middle[1], last[1])]
        variant = rng.randrange(7)
        if variant == 0:
            other = " ".join(ru)
        elif variant == 1:
            other = f"{ru[2].upper()} {ru[0]} {ru[1]}"
        elif variant == 2:
            other = f"{ru[0]} {ru[2]}"
        elif variant == 3:
            other = f"{ru[0][0]}. {ru[1][0]}. {ru[2]}"
        elif variant == 4:
            at = rng.randrange(1, len(ru[2]))
            other = f"{ru[0]} {ru[2][:at]}{ru[2][at + 1 :]}"
        elif variant == 5:  # a namesake: the same given names, another surname
            other = f"{ru[0]} {ru[1]} {romanize(rng.choice(lasts)[1]).title()}"
        else:
            other = f"{first[1]} {middle[1]} {last[1]}"
        yield [uk], [other]


def _bench_pairs(count: int, rng: random.Random) -> list[Pair]:
    """The distinct pairs DuckDB scored in a link of 20,000 synthetic records."""
    from bench.resolution_corpus import cached, synthetic

    from nitka.resolve.files import resolve_csv

    source, _ = cached("resolution_synthetic_20000", lambda: synthetic(20_000))
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], None] = {}
    scoring = linkage._best_score

    def capturing(left: pa.Array, right: pa.Array) -> pa.Array:
        for a, b in zip(left.to_pylist(), right.to_pylist(), strict=True):
            seen[tuple(a), tuple(b)] = None
        return scoring(left, right)

    linkage._best_score = capturing
    try:
        resolve_csv(source, source.with_name("name_scores_clusters.csv"))
    finally:
        linkage._best_score = scoring
    several = [pair for pair in seen if len(pair[0]) > 1 or len(pair[1]) > 1]
    single = [pair for pair in seen if pair not in set(several)]
    chosen = several[: count // 4] + rng.sample(single, count - min(len(several), count // 4))
    return [(list(a), list(b)) for a, b in chosen]


def _several(pairs: list[Pair], rng: random.Random) -> list[Pair]:
    """Records of several names (a name in both scripts, an alias): two or three
    pairs' names on each side."""
    found: list[Pair] = []
    while pairs:
        taken = [pairs.pop() for _ in range(min(len(pairs), rng.choice((2, 3))))]
        left = [name for a, _ in taken for name in a]
        right = [name for _, b in taken for name in b]
        found.append((left, right[: rng.randint(1, len(right))]))
    return found


EDGES: list[Pair] = [
    ([], ["Olena Petrenko"]),
    (["Olena Petrenko"], []),
    ([], []),
    (["---"], ["Olena Petrenko"]),
    (["Олена Петренко", "Olena Petrenko"], ["Olena Petrenko", "ПЕТРЕНКО Олена"]),
    (["Mohammed bin Salman"], ["Salman bin Mohammed"]),
    (["Pricewaterhouse Coopers LLC"], ["PricewaterhouseCoopers"]),
    (["毛泽东"], ["Mao Zedong"]),
    (["Ivan"], ["Ivan Ivanov"]),
]


def record(shared: Path) -> None:
    rng = random.Random(22)
    pairs = list(_benchmark_pairs(shared))
    pairs += _dictionary_pairs(shared, 1500, rng)
    pairs += _several(list(_dictionary_pairs(shared, 900, rng)), rng)
    pairs += _bench_pairs(2000, rng)
    pairs += EDGES
    left = pa.array([p[0] for p in pairs], LISTS)
    right = pa.array([p[1] for p in pairs], LISTS)
    scores = linkage._best_score(left, right).to_pylist()
    EXPECTED.parent.mkdir(exist_ok=True)
    with EXPECTED.open("wb") as fh:
        for (a, b), score in zip(pairs, scores, strict=True):
            fh.write(orjson.dumps({"left": a, "right": b, "score": score}) + b"\n")
    print(f"{len(pairs)} pairs recorded in {EXPECTED}")


if __name__ == "__main__":
    record(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data"))
