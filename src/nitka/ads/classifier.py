"""The trained half of the engine: a logistic regression over character
n-grams of the ad and the rules' findings.

It is trained from the training split of Nitka's own labelled set
(``data/ads.jsonl``; never its test split and never EMSCAD, whose terms allow
research use only): some seconds, deterministic (liblinear's shuffling is
seeded). The trained model is kept in the cache folder
(``settings.cache_dir``, ``NITKA_CACHE_DIR``) under a hash of the training
data, the code that makes the features and the libraries' versions, so the
next process reads it in a fraction of a second; a change of any of them, or
a file that cannot be trusted, trains it again (``stored``).
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from nitka import ads
from nitka.ads import stored
from nitka.ads.corpus import split
from nitka.ads.findings import findings
from nitka.ads.indicators import CODES
from nitka.ads.rules import Hit, score
from nitka.settings import cache_dir

if TYPE_CHECKING:
    # numpy, scipy and scikit-learn load when a model is first used: a command that
    # never screens an ad (most of them, and the server's start) does not wait for them.
    from scipy.sparse import spmatrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

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
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        grams = self.vectoriser.transform(texts)
        rules = csr_matrix(np.array([rule_features(h) for h in hits]) * RULE_SCALE)
        return hstack([grams, rules]).tocsr()

    def risk(self, texts: Sequence[str], hits: Sequence[Sequence[Hit]]) -> list[float]:
        """The probability that each ad is risky."""
        probs = self.regression.predict_proba(self.matrix(texts, hits))[:, 1]
        return [float(p) for p in probs]

    def risk_of_one(self, text: str, hits: Sequence[Hit]) -> float:
        """``risk`` of one ad, computed in plain Python from the fitted weights: the
        same sublinear TF-IDF, L2 norm and logistic function, without scikit-learn's
        checks and sparse matrices, which cost a millisecond for one short text (a
        chatbot's every reply)."""
        weights = self._weights
        counts: dict[str, int] = {}
        for gram in weights.analyse(text):
            counts[gram] = counts.get(gram, 0) + 1
        dot = squares = 0.0
        for gram, count in counts.items():
            known = weights.grams.get(gram)
            if known is not None:
                value = (1.0 + math.log(count)) * known[0]
                squares += value * value
                dot += value * known[1]
        decision = weights.intercept + (dot / math.sqrt(squares) if squares else 0.0)
        for feature, coefficient in zip(rule_features(hits), weights.rules, strict=True):
            decision += feature * RULE_SCALE * coefficient
        if decision >= 0:
            return 1.0 / (1.0 + math.exp(-decision))
        small = math.exp(decision)
        return small / (1.0 + small)

    @cached_property
    def _weights(self) -> _Weights:
        coefficients = self.regression.coef_[0]
        vocabulary = self.vectoriser.vocabulary_
        idf = self.vectoriser.idf_
        return _Weights(
            analyse=self.vectoriser.build_analyzer(),
            grams={g: (float(idf[i]), float(coefficients[i])) for g, i in vocabulary.items()},
            rules=[float(c) for c in coefficients[len(vocabulary) :]],
            intercept=float(self.regression.intercept_[0]),
        )


@dataclass(frozen=True)
class _Weights:
    """A fitted model's weights as plain Python values, for ``Model.risk_of_one``."""

    analyse: Callable[[str], list[str]]
    grams: dict[str, tuple[float, float]]
    """Each n-gram's inverse document frequency and coefficient."""
    rules: list[float]
    intercept: float


def fit(texts: Sequence[str], hits: Sequence[Sequence[Hit]], labels: Sequence[int]) -> Model:
    """A model fitted on the given ads (1 for risky)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

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
    """The model trained on the training split of Nitka's own set: read from the
    cache folder, or trained there once (``stored.kept``); once per process."""
    return stored.kept(cache_file(), training_key(), Model, train)


def train() -> Model:
    """The model trained on the training split of Nitka's own set (some seconds)."""
    train = split("train")
    texts = [ad.text for ad in train]
    hits = [findings(ad.text, ad.lang).hits for ad in train]
    model = fit(texts, hits, [1 if ad.label == "risky" else 0 for ad in train])
    # The n-grams left out, kept for introspection only: most of the file otherwise.
    model.vectoriser.stop_words_ = None
    return model


LIBRARIES = ("scikit-learn", "scipy", "numpy", "simplemma", "py3langid")
"""The libraries the model's training and pickle depend on."""


def training_key() -> str:
    """A hash of what the model is made from: the labelled set, the code of the
    rules and of this module, and the versions of Python and the libraries."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        digest.update(f"{name} {version(name)}\n".encode())
    digest.update(files(ads).joinpath("data", "ads.jsonl").read_bytes())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()


def cache_file() -> Path:
    """Where the trained model is kept (one file: a new key replaces the old model)."""
    return cache_dir() / "ads-classifier.pickle"
