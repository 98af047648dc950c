"""Nitka's own labelled ads (``data/ads.jsonl``), read with their fixed split."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import orjson


@dataclass(frozen=True, slots=True)
class LabelledAd:
    id: str
    lang: str
    label: str
    """risky or benign"""
    kind: str
    """What the ad was composed as: a scheme, an agency abroad, a local job, ..."""
    indicators: tuple[str, ...]
    split: str
    """train or test, fixed by id"""
    text: str


@cache
def labelled() -> tuple[LabelledAd, ...]:
    raw = files("nitka.ads").joinpath("data", "ads.jsonl").read_bytes()
    ads = []
    for line in raw.splitlines():
        row = orjson.loads(line)
        ads.append(LabelledAd(row["id"], row["lang"], row["label"], row["kind"],
                              tuple(row["indicators"]), row["split"], row["text"]))  # fmt: skip
    return tuple(ads)


def split(name: str) -> list[LabelledAd]:
    """The ads of one split: ``train`` or ``test``."""
    return [ad for ad in labelled() if ad.split == name]
