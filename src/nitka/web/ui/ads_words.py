"""How the review page shows a flagged ad: its text cut into pieces, the words behind
each indicator marked, and its facts, leads and provenance as the template reads them.

An ad's text is hostile input: it is never given to the template as markup. The
pieces are plain strings; the template escapes them and wraps the marked ones in
``<mark>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from nitka.ads.indicators import LANGUAGES, describe
from nitka.services import ad_screening
from nitka.services.ads_review import AdLeads
from nitka.web.ui.i18n import gettext as _

SHOWN: Final = 8000
"""Characters of an ad's text shown on the page (an ad is read up to 20,000)."""
SCHEMES: Final = ("http://", "https://")
"""An ad's URL is a link only with one of these (never ``javascript:``)."""


@dataclass(frozen=True)
class Piece:
    text: str
    codes: tuple[str, ...] = ()
    """The indicators whose words these are; none for plain text."""


def marked(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Piece]:
    """The text cut where spans begin and end; each piece names the indicators whose
    spans cover it (spans may overlap; those outside the text are clipped)."""
    clipped = [(max(0, s), min(len(text), e), code) for s, e, code in spans]
    clipped = [(s, e, code) for s, e, code in clipped if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        codes = tuple(sorted({c for s, e, c in clipped if s <= start and end <= e}))
        if pieces and pieces[-1].codes == codes:
            pieces[-1] = Piece(pieces[-1].text + text[start:end], codes)
        else:
            pieces.append(Piece(text[start:end], codes))
    return pieces


def screened_text(title: str | None, text: str) -> str:
    """The text the review screened (and whose contacts it read): title, blank line, body."""
    return f"{title}\n\n{text}" if title else text


def ad_view(shown: AdLeads, language: str) -> dict[str, Any]:
    """An ad as the page shows it: risk, label, the text with the indicators' words
    marked, the indicators described in ``language``, provenance, contacts, leads.

    The words are found again by the screening engine (its spans are not stored);
    the indicators listed are the ones the review recorded when it screened the ad.
    """
    item = shown.item
    full = screened_text(item.title, item.text)
    verdict = ad_screening.explain(full, lang=item.lang if item.lang in LANGUAGES else None)
    recorded = set(item.indicators)
    words = {hit.code: hit for hit in verdict.indicators if hit.code in recorded}
    text = full[:SHOWN]
    spans = [(s, e, hit.code) for hit in words.values() for s, e in hit.spans]
    return {
        "id": item.id,
        "title": item.title or "",
        "risk": f"{item.risk:.2f}",
        "label": item.label,
        "lang": item.lang or "",
        "state": item.state,
        "case": item.case,
        "pieces": marked(text, spans),
        "cut": len(full) > SHOWN,
        "indicators": [
            {
                "code": code,
                "description": describe(code, language),
                "words": words[code].words if code in words else [],
            }
            for code in item.indicators
        ],
        "provenance": _provenance(
            item.url, item.seen, item.published, item.content_hash, item.dataset, item.source
        ),
        "contacts": [{"kind": str(c.kind), "value": c.value} for c in shown.contacts],
        "leads": [
            {
                "contact": lead.contact,
                "entity": lead.entity,
                "caption": lead.caption,
                "schema": lead.schema,
                "case": lead.case,
                "dataset": lead.dataset,
                "watch_list": lead.watch_list,
            }
            for lead in shown.leads
        ],
    }


def _provenance(
    url: str | None,
    seen: str | None,
    published: str | None,
    digest: str | None,
    dataset: str,
    source: str,
) -> list[dict[str, Any]]:
    """Where and when the ad was published and seen, as labelled rows; the address a
    link only when it is a web address."""
    rows: list[dict[str, Any]] = [
        {"label": _("Address"), "value": url, "link": _linkable(url)},
        {"label": _("Seen"), "value": seen, "link": False},
        {"label": _("Published"), "value": published, "link": False},
        {"label": _("Content hash"), "value": digest, "link": False},
        {"label": _("Source"), "value": f"{dataset} · {source}", "link": False},
    ]
    return [row for row in rows if row["value"]]


def _linkable(url: str | None) -> bool:
    return url is not None and url.lower().startswith(SCHEMES)


def choices(values: Sequence[str], chosen: str) -> list[dict[str, Any]]:
    """A filter's options: each value, and whether it is the one chosen."""
    return [{"value": v, "chosen": v == chosen} for v in values]
