"""The rules find the same indicators at the same places as when the fixture was recorded.

``data/rules_expected.jsonl`` holds, for every ad of Nitka's labelled set and
for the first 300 distinct ads of EMSCAD (``../shared/data``; only their
``job_id`` and the spans are kept, not their text), the detected language and
each indicator with its character spans, as the rules found them before they
were made faster (issue 24). A change of speed must change none of it; a
change of the rules themselves records the file again, on purpose:

    PYTHONPATH=src python -m tests.ads.test_rules_unchanged
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from nitka.ads.corpus import labelled
from nitka.ads.findings import findings
from nitka.ads.patterns import NEEDLES, RAW

EXPECTED = Path(__file__).resolve().parent / "data" / "rules_expected.jsonl"
EMSCAD = Path("emscad_fake_job_postings") / "emscad_fraud_enriched_subset_unique.csv"
EMSCAD_ADS = 300


def emscad_ads(shared: Path) -> Iterator[tuple[str, str]]:
    """(job_id, text) of the first ads, joined as ``bench/ads_quality.py`` joins them."""
    with (shared / EMSCAD).open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if n == EMSCAD_ADS:
                return
            parts = [row[k] for k in ("title", "company_profile", "description",
                                      "requirements", "benefits")]  # fmt: skip
            yield row["job_id"], "\n".join(p for p in parts if p)


def outcome(text: str) -> dict[str, Any]:
    """What the rules make of a text: its language and each indicator's spans."""
    found = findings(text)
    return {"lang": found.lang, "hits": [[h.code, [list(s) for s in h.spans]] for h in found.hits]}


def ads(shared: Path) -> Iterator[tuple[str, str, str]]:
    for ad in labelled():
        yield "labelled", ad.id, ad.text
    for job_id, text in emscad_ads(shared):
        yield "emscad", job_id, text


def recorded() -> dict[tuple[str, str], dict[str, Any]]:
    rows = [orjson.loads(line) for line in EXPECTED.read_bytes().splitlines()]
    return {(r["source"], r["id"]): {"lang": r["lang"], "hits": r["hits"]} for r in rows}


def test_the_fixture_covers_the_labelled_set_and_emscad() -> None:
    sources = [source for source, _ in recorded()]
    assert sources.count("labelled") == len(labelled()) >= 520
    assert sources.count("emscad") == EMSCAD_ADS


@pytest.mark.parametrize("source", ["labelled", "emscad"])
def test_every_ad_gives_the_recorded_indicators_and_spans(source: str, shared_data: Path) -> None:
    expected = recorded()
    differ = []
    for src, ad_id, text in ads(shared_data):
        if src == source and outcome(text) != expected[src, ad_id]:
            differ.append(ad_id)
    assert not differ, f"{len(differ)} ads differ from the fixture: {differ[:10]}"


def test_a_needle_is_found_in_every_text_its_pattern_matches() -> None:
    """A pattern skipped for want of its needles could not have matched: every
    character that matches a needle's letter regardless of case folds into it."""
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for needle in {n for needles in NEEDLES.values() for n in needles}:
        for char in set(needle):
            alike = set(re.findall(re.escape(char), everything, re.IGNORECASE))
            assert {c.casefold() for c in alike} == {char}, (needle, char)
    assert set(NEEDLES) <= {p for patterns in RAW.values() for p in patterns}
    for ad in labelled():
        for pattern, needles in NEEDLES.items():
            for match in re.finditer(pattern, ad.text, re.IGNORECASE):
                assert any(n in match.group().casefold() for n in needles), (pattern, ad.id)


def main() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    with EXPECTED.open("wb") as fh:
        for source, ad_id, text in ads(shared):
            row = {"source": source, "id": ad_id, **outcome(text)}
            fh.write(orjson.dumps(row) + b"\n")
    print(f"written to {EXPECTED}")


if __name__ == "__main__":
    main()
