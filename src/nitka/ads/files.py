"""A CSV of ads scored into a CSV of verdicts (``nitka ads score``).

In: ``ad_id,text`` and optionally ``lang`` and ``title``. Out:
``ad_id,risk,label,indicators,lang`` (indicators joined by ``;``). A bad row
(no id, a language that is not uk, ru, bg or en, bytes that are not UTF-8,
more cells than columns) is named with its row and column and left out;
the other rows are scored. The output is written to ``OUT.partial`` and
renamed at the end, so an interrupted run leaves nothing that looks finished.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

from nitka.ads.findings import checked_lang
from nitka.ads.verdict import Verdict, screen_many
from nitka.errors import FieldError, IngestError, RecordError

COLUMNS: Final = ("ad_id", "risk", "label", "indicators", "lang")
REQUIRED: Final = ("ad_id", "text")
BATCH: Final = 256
"""Ads scored per call of the classifier."""


class Writer(Protocol):
    """What rows are written to (a ``csv.writer``)."""

    def writerow(self, row: Iterable[str], /) -> object: ...


class Progress(Protocol):
    """Where scoring reports how far it is."""

    def advance(self, steps: int = 1) -> None: ...


@dataclass
class Scored:
    """What a file's scoring did."""

    rows: int = 0
    risky: int = 0
    bad: list[RecordError] = field(default_factory=list)
    notes: int = 0
    """Rows scored with a note (an empty text, bytes set aside, a text cut)."""


def score_csv(
    source: Path, target: Path, *, progress: Progress | None = None, classifier_on: bool = True
) -> Scored:
    """Score every ad of ``source`` into ``target``.

    ``IngestError`` for a file that is no CSV of ads (no header, no column ad_id or text).
    """
    csv.field_size_limit(sys.maxsize)
    done = Scored()
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            source.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh,
            partial.open("w", encoding="utf-8", newline="") as out,
        ):
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            batch: list[tuple[str, str, str | None, str | None]] = []
            for item in _rows(fh, str(source)):
                if isinstance(item, RecordError):
                    done.bad.append(item)
                    if progress is not None:
                        progress.advance()
                    continue
                batch.append(item)
                if len(batch) >= BATCH:
                    _flush(batch, writer, done, progress, classifier_on)
            _flush(batch, writer, done, progress, classifier_on)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return done


def _rows(
    fh: Iterator[str], path: str
) -> Iterator[tuple[str, str, str | None, str | None] | RecordError]:
    reader = csv.reader(fh)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise IngestError(f"{path} is empty: no header row") from None
    except csv.Error as exc:
        raise IngestError(f"{path} is not a CSV file ({exc})") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise IngestError(f"{path} has no column {', '.join(missing)} (it has {', '.join(header)})")
    names: tuple[str, ...] = ("ad_id", "text", "lang", "title")
    at = {name: header.index(name) for name in names if name in header}
    row = 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(f"not a CSV row ({exc})", field="", record=row, path=path)
            continue
        if not any(c.strip() for c in cells):
            row -= 1  # a blank line is no row
            continue
        yield _row(cells, header, at, row, path)


def _row(
    cells: list[str], header: list[str], at: dict[str, int], row: int, path: str
) -> tuple[str, str, str | None, str | None] | RecordError:
    def bad(message: str, column: str) -> RecordError:
        return RecordError(message, field=column, record=row, path=path)

    if len(cells) > len(header):
        return bad(f"{len(cells)} cells, but the header names {len(header)} columns", "")
    cells = cells + [""] * (len(header) - len(cells))
    for name, index in at.items():
        if any("\udc80" <= ch <= "\udcff" for ch in cells[index]):
            return bad("not UTF-8 text", name)
    ad_id = cells[at["ad_id"]].strip()
    if not ad_id:
        return bad("empty", "ad_id")
    lang = cells[at["lang"]] if "lang" in at else None
    try:
        lang = checked_lang(lang)
    except FieldError as error:
        return bad(error.message, "lang")
    title = cells[at["title"]] if "title" in at else None
    return ad_id, cells[at["text"]], lang, title


def _flush(
    batch: list[tuple[str, str, str | None, str | None]],
    writer: Writer,
    done: Scored,
    progress: Progress | None,
    classifier_on: bool,
) -> None:
    if not batch:
        return
    verdicts = screen_many([(text, lang, title) for _, text, lang, title in batch],
                           classifier_on=classifier_on)  # fmt: skip
    for (ad_id, *_), verdict in zip(batch, verdicts, strict=True):
        writer.writerow(row_of(ad_id, verdict))
        done.rows += 1
        done.risky += verdict.label == "risky"
        done.notes += bool(verdict.notes)
    if progress is not None:
        progress.advance(len(batch))
    batch.clear()


def row_of(ad_id: str, verdict: Verdict) -> tuple[str, str, str, str, str]:
    """The output row of one ad."""
    codes = ";".join(h.code for h in verdict.indicators)
    return ad_id, f"{verdict.risk:.4f}", verdict.label, codes, verdict.lang
