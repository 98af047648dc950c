"""What a backup says about itself, and the facts it is checked against."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, func, inspect, select

from nitka import __version__
from nitka.errors import FieldError
from nitka.store.migrate import MIGRATIONS
from nitka.store.tables import metadata

FORMAT = "nitka-backup/1"
"""The layout of the backup file; a reader refuses another."""

MANIFEST_NAME = "manifest.json"
PAYLOADS = {"sqlite": "store.sqlite", "postgresql": "store.pgdump"}
"""The payload's name inside the backup, by backend."""

UNCOUNTED = frozenset({"alembic_version"})
"""Tables the counts leave out: the revision is a field of its own."""


class BackupError(FieldError):
    """A backup or restore that cannot go on; says why and names what to look at."""


@dataclass(frozen=True)
class Manifest:
    nitka_version: str
    revision: str
    """The Alembic schema revision of the store the payload holds."""
    backend: str
    """``sqlite`` or ``postgresql``: a payload is restored only on its own backend."""
    created_at: str
    counts: dict[str, int]
    """Rows per table in the payload, as it was taken."""
    payload: str
    sha256: str
    size: int
    format: str = FORMAT
    source: str = field(default="")
    """Where it was taken from, without credentials (for the reader, not checked)."""

    def as_json(self) -> bytes:
        return orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise BackupError(f"the manifest is not JSON: {error}", field="manifest") from None
        if not isinstance(data, dict):
            raise BackupError("the manifest is not a JSON object", field="manifest")
        if data.get("format") != FORMAT:
            raise BackupError(
                f"not a Nitka backup of format {FORMAT} (the manifest says {data.get('format')!r})",
                field="format",
            )
        wanted: dict[str, type] = {
            "nitka_version": str,
            "revision": str,
            "backend": str,
            "created_at": str,
            "counts": dict,
            "payload": str,
            "sha256": str,
            "size": int,
            "source": str,
        }
        for name, kind in wanted.items():
            if not isinstance(data.get(name), kind):
                raise BackupError(
                    f"the manifest's {name} is missing or not a {kind.__name__}", field=name
                )
        counts = data["counts"]
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in counts.items()):
            raise BackupError(
                "the manifest's counts are not table names and numbers", field="counts"
            )
        if data["backend"] not in PAYLOADS or data["payload"] != PAYLOADS[data["backend"]]:
            raise BackupError(
                f"the manifest names backend {data['backend']!r} and payload "
                f"{data['payload']!r}, which do not go together",
                field="backend",
            )
        return cls(**{name: data[name] for name in [*wanted, "format"]})


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows in each of Nitka's tables that exist in the store, by name."""
    present = set(inspect(conn).get_table_names())
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        if table.name in present and table.name not in UNCOUNTED:
            counts[str(table.name)] = conn.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
    return dict(sorted(counts.items()))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def known_revisions() -> ScriptDirectory:
    """This Nitka's Alembic history, read from its migrations folder."""
    return ScriptDirectory(str(MIGRATIONS))


def check_revision(revision: str) -> None:
    """Refuse a schema revision this Nitka does not know: a newer Nitka made it."""
    script = known_revisions()
    head = script.get_current_head()
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            f"the backup is at schema revision {revision!r}, which this Nitka "
            f"({__version__}, newest revision {head}) does not know: it was made by a newer "
            "Nitka; restore it with that version or newer",
            field="revision",
        )


def described(counts: dict[str, int], limit: int = 6) -> str:
    """The largest counts in words: ``12,000 statement, 40 audit_log, ...``."""
    shown = sorted(((n, t) for t, n in counts.items() if n), reverse=True)
    words = [f"{n:,} {t}" for n, t in shown[:limit]]
    if len(shown) > limit:
        words.append(f"and {len(shown) - limit} more tables")
    return ", ".join(words) or "no rows"


def compared(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    """The tables whose counts differ, as sentences (none: they agree)."""
    return [
        f"{table}: {found.get(table, 0):,} rows, the manifest says {expected.get(table, 0):,}"
        for table in sorted(set(expected) | set(found))
        if expected.get(table, 0) != found.get(table, 0)
    ]
