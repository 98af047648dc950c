"""Pull, sync and upload: a copy made, kept up to date, and its checks sent home.

Each page goes into the copy in one transaction with the position it brings
the copy to, so a sync cut off at any point (the line drops, the laptop is
shut, ``kill -9``) leaves the copy as it was after some whole page, and the
next sync goes on from there; pages replace whole entities, so a page taken
in twice changes nothing. A pull writes a file beside the copy and puts it
in place only when it is complete. An upload marks the checks the server
has acknowledged; the server stores each check once by the copy's id and the
check's number, so checks sent again after a cut-off are not doubled.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from nitka.offline import apply, origin, shape
from nitka.offline.client import Server
from nitka.offline.origin import Origin
from nitka.offline.wire import PAGE_CHANGES, PAGE_ENTRIES, OfflineError, fingerprint, verified
from nitka.store.db import make_engine
from nitka.store.migrate import upgrade
from nitka.store.tables import check_log, statement

UPLOAD_BATCH = 500
Progress = Callable[[int], None]
_BULK_PRAGMAS = (
    "journal_mode=OFF",
    "synchronous=OFF",
    "cache_size=-262144",  # 256 MiB: the indexes made at the end sort in memory
    "temp_store=MEMORY",
)


@dataclass(frozen=True)
class Pulled:
    origin: Origin
    entities: int
    statements: int


@dataclass(frozen=True)
class Synced:
    position: int
    entities: int
    """Entities the changes named (added, changed, withdrawn, erased, merged)."""
    uploaded: int
    already: int


def pull(
    url: str,
    token: str,
    target: Path,
    *,
    key: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    limit: int = PAGE_ENTRIES,
) -> Pulled:
    """Make a copy at ``target`` of the lists the token's account may see on ``url``."""
    _may_replace(target, force)
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    engine = make_engine(f"sqlite:///{partial}")
    entities = statements = 0
    try:
        upgrade(engine)
        with Server(url, token) as server, ThreadPoolExecutor(1) as fetcher:
            made = _started(server, url, key)
            expected = {"account": made.account, "lists": list(made.lists), "sight": made.sight}

            def fetch(after: str) -> tuple[dict[str, Any], str]:
                params = {"after": after, "limit": limit}
                return server.page(
                    "/offline/entries", params, kind="entries", after=after, **expected
                )

            with engine.connect() as conn:
                # A pull cut off is thrown away whole, so its file needs no journal
                # and no flush: each page is written once, not into the WAL and again.
                for pragma in _BULK_PRAGMAS:
                    conn.exec_driver_sql(f"PRAGMA {pragma}")
                conn.commit()
                coming = fetcher.submit(fetch, "")
                with apply.bulk_load(conn):
                    while True:
                        page, _ = coming.result()
                        if page["next"] is not None:
                            coming = fetcher.submit(fetch, page["next"])
                        rows = shape.read(page)
                        with conn.begin():
                            apply.add(conn, rows, fts=False)
                        entities += rows.entities
                        statements += rows.statements
                        if progress is not None:
                            progress(rows.entities)
                        if page["next"] is None:
                            break
                with conn.begin():
                    origin.write(conn, made)
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
                conn.commit()
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):
        _remove(target.with_name(target.name + suffix))
    partial.replace(target)
    return Pulled(made, entities, statements)


def sync(
    engine: Engine,
    token: str,
    *,
    progress: Progress | None = None,
    limit: int = PAGE_CHANGES,
    batch: int = UPLOAD_BATCH,
) -> Synced:
    """Upload the copy's checks, then take in the server's changes since the copy's
    position, page by page."""
    found = copy_origin(engine)
    with Server(found.url, token, found.server_key) as server:
        uploaded, already = _upload(engine, server, found, batch)
        position, entities = found.position, 0
        while True:
            page, signature = server.page(
                "/offline/changes",
                {"after": position, "limit": limit},
                kind="changes",
                account=found.account,
                after=position,
            )
            _same_sight(found, page)
            with engine.begin() as conn:
                apply.replace(conn, page["ids"], shape.read(page))
                origin.advance(conn, page["position"], signature)
            position = page["position"]
            entities += len(page["ids"])
            if progress is not None:
                progress(len(page["ids"]))
            if not page["more"]:
                return Synced(position, entities, uploaded, already)


def upload(engine: Engine, token: str, *, batch: int = UPLOAD_BATCH) -> tuple[int, int]:
    """Send the checks made on the copy that the server has not acknowledged; returns
    how many it stored now and how many it already had."""
    found = copy_origin(engine)
    with Server(found.url, token, found.server_key) as server:
        return _upload(engine, server, found, batch)


def copy_origin(engine: Engine) -> Origin:
    with engine.connect() as conn:
        found = origin.read(conn)
    if found is None:
        raise OfflineError(
            "this store is no offline copy: make one with `nitka offline pull --from URL`",
            field="database_url",
        )
    return found


def pending(conn: Connection, found: Origin) -> int:
    """Checks made on the copy the server has not acknowledged."""
    query = (
        select(func.count()).select_from(check_log).where(check_log.c.id > found.uploaded_through)
    )
    return int(conn.execute(query).scalar_one())


def entry_count(conn: Connection) -> int:
    return int(
        conn.execute(select(func.count(func.distinct(statement.c.canonical_id)))).scalar_one()
    )


def _upload(engine: Engine, server: Server, found: Origin, batch: int) -> tuple[int, int]:
    stored = already = 0
    through = found.uploaded_through
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(check_log)
                .where(check_log.c.id > through)
                .order_by(check_log.c.id)
                .limit(batch)
            ).all()
        if not rows:
            return stored, already
        checks = [
            {
                "id": row.id,
                "checked_at": row.checked_at.isoformat(),
                "user": row.user,
                "purpose": row.purpose,
                "channel": row.channel,
                "query": row.query,
                "result": row.result,
                "hits": row.hits,
                "error": row.error,
            }
            for row in rows
        ]
        answer = server.upload(found.copy_id, checks)
        stored += int(answer["stored"])
        already += int(answer["already"])
        through = rows[-1].id
        with engine.begin() as conn:
            origin.mark_uploaded(conn, through)


def _started(server: Server, url: str, key: str | None) -> Origin:
    """The copy's origin from the server's first page, its key pinned: the one given
    (``--key``), else the one the page names (shown to the officer to compare)."""
    body, signature = server.start()
    try:
        named = str(orjson.loads(body)["key"])
    except (ValueError, KeyError, TypeError):
        raise OfflineError(f"{url} does not answer as a Nitka server", field="url") from None
    if key is not None and key.strip().lower() not in (named, fingerprint(named)):
        raise OfflineError(
            f"the server's key {fingerprint(named)} is not the one given with --key", field="key"
        )
    page = verified(body, signature, named, kind="start")
    server.key = named
    at = origin.now()
    return Origin(
        copy_id=uuid.uuid4().hex,
        url=url,
        account=page["account"],
        lists=tuple(page["lists"]),
        server_key=named,
        sight=page["sight"],
        position=int(page["position"]),
        pulled_at=at,
        synced_at=at,
        uploaded_through=0,
        signature=signature,
    )


def _same_sight(found: Origin, page: dict[str, Any]) -> None:
    if page.get("sight") != found.sight or tuple(page.get("lists", ())) != found.lists:
        raise OfflineError(
            "what the account may see has changed since the copy was pulled (cases, shared "
            "lists or role): upload its checks (`nitka offline upload`), then pull it again "
            "(`nitka offline pull --force`)",
            field="sight",
        )


def _may_replace(target: Path, force: bool) -> None:
    if not target.exists():
        return
    engine = make_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            found = origin.read(conn) if _has_origin(conn) else None
            waiting = pending(conn, found) if found is not None else 0
    finally:
        engine.dispose()
    if waiting:
        raise OfflineError(
            f"{target} holds {waiting:,} checks not yet uploaded: run `nitka offline upload` "
            "first (a new pull would lose them)",
            field="checks",
        )
    if not force:
        raise OfflineError(f"{target} exists: give --force to replace it", field="database_url")


def _has_origin(conn: Connection) -> bool:
    return bool(
        conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'offline_origin'"
        ).scalar_one()
    )


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
