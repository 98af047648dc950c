"""Screening recruitment ads: quality and speed (issue 24).

``python -m bench.ads_quality`` measures, in one run:

- on the held-out test split of Nitka's own labelled set (uk, ru, bg, en):
  precision, recall and F1 of ``label`` for the engine (rules plus classifier,
  as shipped: trained on the training split), for the rules alone, and for a
  plain TF-IDF + logistic regression trained on the same split; and each
  indicator's precision and recall against the labelled indicators;
- on a held-out quarter of EMSCAD's distinct ads (``../shared/data``, fixed by
  job_id): the shipped engine as it is (it never saw EMSCAD), the engine's
  model trained in this run on the own training split plus the other three
  quarters, and the plain TF-IDF + logistic regression trained on the same;
- speed on one core: ads a second with the rules alone and with the classifier.

The results go to ``bench/results/ads_quality.json``; the figures are in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bench.report import machine, save
from nitka.ads import classifier
from nitka.ads.corpus import split
from nitka.ads.findings import findings
from nitka.ads.indicators import CODES
from nitka.ads.verdict import THRESHOLD, screen_many

EMSCAD = (
    Path(__file__).resolve().parents[2]
    / "shared" / "data" / "emscad_fake_job_postings" / "emscad_fraud_enriched_subset_unique.csv"
)  # fmt: skip


def prf(truth: Sequence[int], guess: Sequence[int]) -> dict[str, float]:
    tp = sum(1 for t, g in zip(truth, guess, strict=True) if t and g)
    fp = sum(1 for t, g in zip(truth, guess, strict=True) if g and not t)
    fn = sum(1 for t, g in zip(truth, guess, strict=True) if t and not g)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "tp": tp, "fp": fp, "fn": fn}  # fmt: skip


def plain(
    train: Sequence[str], labels: Sequence[int]
) -> tuple[TfidfVectorizer, LogisticRegression]:
    """The baseline: TF-IDF of words (unigrams and bigrams) and a logistic regression."""
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    model = LogisticRegression(C=4.0, solver="liblinear", max_iter=1000)
    model.fit(vectoriser.fit_transform(train), np.array(labels))
    return vectoriser, model


def plain_guess(
    fitted: tuple[TfidfVectorizer, LogisticRegression], texts: Sequence[str]
) -> list[int]:
    vectoriser, model = fitted
    return [int(p >= THRESHOLD) for p in model.predict_proba(vectoriser.transform(texts))[:, 1]]


def own_set() -> dict[str, Any]:
    train, test = split("train"), split("test")
    truth = [int(ad.label == "risky") for ad in test]
    ads = [(ad.text, None, None) for ad in test]
    engine = screen_many(ads)
    rules = screen_many(ads, classifier_on=False)
    baseline = plain([a.text for a in train], [int(a.label == "risky") for a in train])
    per_indicator = {}
    for code in CODES:
        shown = [int(code in ad.indicators) for ad in test]
        found = [int(any(h.code == code for h in v.indicators)) for v in engine]
        per_indicator[code] = prf(shown, found)
    worded = all(any(h.words for h in v.indicators) for v in engine if v.label == "risky")
    by_lang = {}
    for lang in ("uk", "ru", "bg", "en"):
        idx = [i for i, ad in enumerate(test) if ad.lang == lang]
        by_lang[lang] = prf([truth[i] for i in idx],
                            [int(engine[i].label == "risky") for i in idx])["f1"]  # fmt: skip
    detected = sum(v.lang == ad.lang for v, ad in zip(engine, test, strict=True)) / len(test)
    return {
        "train": len(train), "test": len(test), "test_risky": sum(truth),
        "engine": prf(truth, [int(v.label == "risky") for v in engine]),
        "rules_alone": prf(truth, [int(v.label == "risky") for v in rules]),
        "plain_tfidf_lr": prf(truth, plain_guess(baseline, [a.text for a in test])),
        "engine_f1_by_language": by_lang,
        "language_detected_right": round(detected, 3),
        "every_risky_verdict_names_words": worded,
        "per_indicator": per_indicator,
    }  # fmt: skip


def emscad_rows() -> list[tuple[str, str, int]]:
    with EMSCAD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        parts = [row["title"], row["company_profile"], row["description"], row["requirements"],
                 row["benefits"]]  # fmt: skip
        out.append((row["job_id"], "\n".join(p for p in parts if p), int(row["fraudulent"])))
    return out


def held_out(job_id: str) -> bool:
    return int(hashlib.sha256(f"emscad:{job_id}".encode()).hexdigest(), 16) % 4 == 0


def emscad() -> dict[str, Any]:
    rows = emscad_rows()
    train = [r for r in rows if not held_out(r[0])]
    test = [r for r in rows if held_out(r[0])]
    own = split("train")
    texts = [a.text for a in own] + [r[1] for r in train]
    labels = [int(a.label == "risky") for a in own] + [r[2] for r in train]
    truth = [r[2] for r in test]
    test_texts = [r[1] for r in test]
    shipped = screen_many([(t, "en", None) for t in test_texts])
    hits_train = [findings(t, "en" if i >= len(own) else None).hits for i, t in enumerate(texts)]
    model = classifier.fit(texts, hits_train, labels)
    test_hits = [findings(t, "en").hits for t in test_texts]
    risks = model.risk(test_texts, test_hits)
    worded = [any(h.words for h in hits) for hits in test_hits]
    retrained = [int(r >= THRESHOLD and w) for r, w in zip(risks, worded, strict=True)]
    unguarded = [int(r >= THRESHOLD) for r in risks]
    baseline = plain(texts, labels)
    found = Counter(h.code for hits in test_hits for h in hits if h.words)
    return {
        "distinct_ads": len(rows), "train": len(train), "test": len(test), "test_fraud": sum(truth),
        "shipped_engine": prf(truth, [int(v.label == "risky") for v in shipped]),
        "engine_trained_here": prf(truth, retrained),
        "engine_trained_here_without_the_words_rule": prf(truth, unguarded),
        "plain_tfidf_lr": prf(truth, plain_guess(baseline, test_texts)),
        "indicators_with_words_in_test": dict(found.most_common()),
    }  # fmt: skip


def speed(seconds: float) -> dict[str, Any]:
    own = [(a.text, None, None) for a in split("test")]
    long = [(r[1], None, None) for r in emscad_rows()[:200]]
    out: dict[str, Any] = {}
    for name, ads in (("own_test_split", own), ("emscad_ads", long)):
        chars = sum(len(t) for t, _, _ in ads) / len(ads)
        figures: dict[str, Any] = {"mean_chars": round(chars)}
        for mode, on in (("rules_alone", False), ("with_classifier", True)):
            screen_many(ads, classifier_on=on)  # warm: lemma tables, the model
            done, start, cpu = 0, time.perf_counter(), time.process_time()
            while time.perf_counter() - start < seconds:
                screen_many(ads, classifier_on=on)
                done += len(ads)
            wall, used = time.perf_counter() - start, time.process_time() - cpu
            figures[mode] = {"ads_per_s": round(done / wall), "ads_per_cpu_s": round(done / used)}
        out[name] = figures
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="How long each speed run lasts.")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    classifier.shipped()
    result: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "command": "python -m bench.ads_quality " + " ".join(argv or sys.argv[1:]),
        "own_set": own_set(),
        "emscad": emscad(),
        "speed_one_core": speed(args.seconds),
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    path = save("ads_quality", result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
