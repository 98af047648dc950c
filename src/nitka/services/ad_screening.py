"""Screening recruitment ads for indicators of trafficking, without a store.

``score_file`` scores the caller's own CSV of ads (``nitka ads score``) and
``explain`` one text (``nitka ads explain``): neither reads nor writes an
entity, so, as with ``resolution.resolve_file``, they take no actor and no
connection, and there is no access to check and nothing to audit. (Ads kept
in the store, and their review list, go through the store's services.)
"""

from __future__ import annotations

from pathlib import Path

from nitka.ads.files import Progress, Scored, score_csv
from nitka.ads.indicators import CODES, LANGUAGES, describe
from nitka.ads.rules import Hit
from nitka.ads.verdict import Verdict, screen_ad


def score_file(source: Path, target: Path, *, progress: Progress | None = None) -> Scored:
    """Score every ad of a CSV (``ad_id,text``, optionally ``lang``, ``title``) into ``target``.

    A bad row is named in ``Scored.bad`` (row and column) and left out; the
    others are scored. ``IngestError`` for a file that is no CSV of ads.
    """
    return score_csv(source, target, progress=progress)


def explain(text: str, *, lang: str | None = None, title: str | None = None) -> Verdict:
    """The verdict on one ad, with the words behind each indicator. ``FieldError``
    (field ``lang``) for a language that is not uk, ru, bg or en."""
    return screen_ad(text, lang=lang, title=title)


def described(verdict: Verdict, language: str = "en") -> list[dict[str, object]]:
    """The indicators of a verdict as data: code, description (in ``language``), words, spans."""
    return [
        {"code": hit.code, "description": describe(hit.code, language),
         "words": hit.words, "spans": [list(s) for s in hit.spans]}
        for hit in verdict.indicators
    ]  # fmt: skip


__all__ = ["CODES", "LANGUAGES", "Hit", "Progress", "Scored", "Verdict", "described",
           "explain", "score_file"]  # fmt: skip
