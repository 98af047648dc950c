"""Where a copy came from and how far it has followed the server (``offline_origin``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from nitka.store.tables import offline_origin


@dataclass(frozen=True)
class Origin:
    copy_id: str
    url: str
    account: str
    lists: tuple[str, ...]
    server_key: str
    """The server's Ed25519 public key (hex), pinned at the pull: every page is checked with it."""
    sight: str
    """The digest of the account's need-to-know when the copy was pulled (``source.sight_key``)."""
    position: int
    """The last record of the server's change sequence the copy has taken in."""
    pulled_at: datetime
    synced_at: datetime
    uploaded_through: int
    """The last check of the copy's ``check_log`` the server has stored."""
    signature: str


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def read(conn: Connection) -> Origin | None:
    """The copy's origin; None for a store that is no offline copy."""
    row = conn.execute(select(offline_origin).where(offline_origin.c.id == 1)).first()
    if row is None:
        return None
    return Origin(
        copy_id=row.copy_id,
        url=row.url,
        account=row.account,
        lists=tuple(orjson.loads(row.lists)),
        server_key=row.server_key,
        sight=row.sight,
        position=row.position,
        pulled_at=row.pulled_at,
        synced_at=row.synced_at,
        uploaded_through=row.uploaded_through,
        signature=row.signature,
    )


def write(conn: Connection, origin: Origin) -> None:
    values = {**origin.__dict__, "lists": orjson.dumps(list(origin.lists)).decode("utf-8")}
    conn.execute(insert(offline_origin).values(id=1, **values))


def advance(conn: Connection, position: int, signature: str) -> None:
    """Note the position a page brought the copy to, in the page's transaction."""
    conn.execute(
        update(offline_origin)
        .where(offline_origin.c.id == 1)
        .values(position=position, signature=signature, synced_at=now())
    )


def mark_uploaded(conn: Connection, through: int) -> None:
    conn.execute(
        update(offline_origin)
        .where(offline_origin.c.id == 1, offline_origin.c.uploaded_through < through)
        .values(uploaded_through=through)
    )


def staleness(
    origin: Origin | None, max_age_hours: float, at: datetime | None = None
) -> str | None:
    """The warning every check on a copy older than ``max_age_hours`` carries; None
    for a fresh copy or a store that is no copy."""
    if origin is None:
        return None
    age = (at or now()) - origin.synced_at
    if age <= timedelta(hours=max_age_hours):
        return None
    hours = age.total_seconds() / 3600
    return (
        f"offline copy last brought up to date {origin.synced_at:%Y-%m-%d %H:%M} UTC, "
        f"{hours:,.0f} hours ago (more than {max_age_hours:g}): entries added, withdrawn "
        "or erased since are not in it; run `nitka offline sync` when the line is back"
    )
