"""Builders for resolution tests: person CSVs written to ``tmp_path``, and the
Moldovan MPs of ``tests/data/moldova_mps.csv`` (one person in Latin and in
Cyrillic; see ``tests/data/README.md``)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def mps() -> list[dict[str, str]]:
    with (DATA / "moldova_mps.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_clusters(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))
