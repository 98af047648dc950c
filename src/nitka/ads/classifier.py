"""The trained half of the engine: a logistic regression over character
n-grams of the ad and the rules' findings.

It is trained on first use, in the process that needs it, from the training
split of Nitka's own labelled set (``data/ads.jsonl``; never its test split
and never EMSCAD, whose terms allow research use only): a few seconds,
deterministic (liblinear's shuffling is seeded), and no
pickled model to go stale against another scikit-learn version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.sparse import csr_matrix, hstack, spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nitka.ads.corpus import split
from nitka.ads.findings import findings
from nitka.ads.indicators import CODES
from nitka.ads.rules import Hit, score

RULE_SCALE = 2.0
"""How strongly the rules' features count beside the n-grams."""


def rule_features(hits: Sequence[Hit]) -> list[float]:
    """One row of the rules' features: each indicator (with words or only by absence), the score."""
    codes = {h.code: h for h in hits}
    row = [1.0 if c in codes and codes[c].words else 0.0 for c in CODES]
    row.append(1.0 if "employer_hidden" in codes and not codes["employer_hidden"].words else 0.0)
    row.append(score(list(hits)) / 5.0)
    return row


@dataclass
class Model:
    """The vectoriser and the regression, fitted together."""

    vectoriser: TfidfVectorizer
    regression: LogisticRegression

    def matrix(self, texts: Sequence[str], hits: Sequence[Sequence[Hit]]) -> spmatrix:
        grams = self.vectoriser.transform(texts)
        rules = csr_matrix(np.array([rule_features(h) for h in hits]) * RULE_SCALE)
        return hstack([grams, rules]).tocsr()

    def risk(self, texts: Sequence[str], hits: Sequence[Sequence[Hit]]) -> list[float]:
        """The probability that each ad is risky."""
        probs = self.regression.predict_proba(self.matrix(texts, hits))[:, 1]
        return [float(p) for p in probs]


def fit(texts: Sequence[str], hits: Sequence[Sequence[Hit]], labels: Sequence[int]) -> Model:
    """A model fitted on the given ads (1 for risky)."""
    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), min_df=2, max_features=30_000, sublinear_tf=True
    )
    vectoriser.fit(texts)
    model = Model(
        vectoriser, LogisticRegression(C=4.0, solver="liblinear", max_iter=1000, random_state=0)
    )
    model.regression.fit(model.matrix(texts, hits), np.array(labels))
    return model


@cache
def shipped() -> Model:
    """The model trained on the training split of Nitka's own set, once per process."""
    train = split("train")
    texts = [ad.text for ad in train]
    hits = [findings(ad.text, ad.lang).hits for ad in train]
    return fit(texts, hits, [1 if ad.label == "risky" else 0 for ad in train])
