"""Fuzzing: 10,000 generated ad texts and arbitrary Unicode never crash the engine."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nitka.ads.corpus import labelled
from nitka.ads.verdict import screen_ad, screen_many

ODD = [
    "",
    " ",
    "\x00",
    "\ufffd",
    "😀",
    "\u202e",
    "\u200b",
    "ё",
    "ї",
    "ъ",
    "@",
    "€",
    "18-25",
    "\r\n",
    "\t",
    "ß",
    "ǅ",
    "\U0001f1fa\U0001f1e6",
    "\udc80",
    "«",
    "„",
    "'",
    "’",
    "*",
    "_",
]


def _generated(count: int) -> list[str]:
    """Texts cut, spliced and salted from the labelled ads, and random code points."""
    rng = random.Random(2024)
    texts = [ad.text for ad in labelled()]
    made: list[str] = []
    for _ in range(count):
        kind = rng.randrange(5)
        base = rng.choice(texts)
        if kind == 0:
            a, b = sorted(rng.randrange(len(base) + 1) for _ in range(2))
            made.append(base[a:b])
        elif kind == 1:
            made.append(
                rng.choice(texts)[: rng.randrange(60)] + rng.choice(texts)[rng.randrange(60) :]
            )
        elif kind == 2:
            chars = list(base)
            for _ in range(rng.randrange(1, 12)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD))
            made.append("".join(chars))
        elif kind == 3:
            made.append(
                "".join(chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(rng.randrange(80)))
            )
        else:
            made.append(
                " ".join(rng.choice(base.split() or [""]) for _ in range(rng.randrange(40)))
            )
    return made


def test_ten_thousand_generated_ads_get_a_verdict() -> None:
    texts = _generated(10_000)
    verdicts = screen_many([(t, None, None) for t in texts])
    assert len(verdicts) == len(texts)
    for text, verdict in zip(texts, verdicts, strict=True):
        assert 0.0 <= verdict.risk <= 1.0 and verdict.label in ("risky", "benign")
        assert verdict.label == "benign" or any(h.words for h in verdict.indicators)
        for hit in verdict.indicators:
            assert all(0 <= a < b <= len(text) for a, b in hit.spans)
            assert [text[a:b] for a, b in hit.spans] == hit.words


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=400),
    st.sampled_from([None, "", "uk", "ru", "bg", "en"]),
    st.one_of(st.none(), st.text(max_size=40)),
)
def test_any_text_gets_a_verdict(text: str, lang: str | None, title: str | None) -> None:
    verdict = screen_ad(text, lang=lang, title=title)
    assert 0.0 <= verdict.risk <= 1.0
    assert verdict.label == "benign" or any(h.words for h in verdict.indicators)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_get_a_verdict(data: bytes) -> None:
    verdict = screen_ad(data)  # type: ignore[arg-type]
    assert 0.0 <= verdict.risk <= 1.0
