"""Partner agencies: where their Nitka answers, and the keys that prove it is them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.organisations import find_agency
from nitka.errors import FieldError
from nitka.exchange.keys import check_public_key
from nitka.store.tables import partner


class PartnerError(FieldError):
    """A partner that cannot be registered as asked."""


@dataclass(frozen=True)
class Partner:
    agency_id: str
    address: str
    signing_key: str
    encryption_key: str | None


def add_partner(
    conn: Connection,
    agency_id: str,
    address: str,
    signing_key: str,
    encryption_key: str | None,
    *,
    by: str,
) -> Partner:
    """Register an agency (recorded with ``nitka agency add``) as a partner."""
    if find_agency(conn, agency_id) is None:
        raise PartnerError(f"no agency {agency_id!r}: add it first", field="agency")
    if find_partner(conn, agency_id) is not None:
        raise PartnerError(f"{agency_id!r} is a partner already", field="agency")
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PartnerError(f"{address!r} is not an http(s) address", field="address")
    made = Partner(
        agency_id,
        address.rstrip("/"),
        check_public_key(signing_key, "signing_key"),
        check_public_key(encryption_key, "encryption_key") if encryption_key else None,
    )
    conn.execute(
        insert(partner).values(
            agency_id=made.agency_id,
            address=made.address,
            signing_key=made.signing_key,
            encryption_key=made.encryption_key,
            added_at=datetime.now(UTC).isoformat(),
            added_by=by,
        )
    )
    return made


def find_partner(conn: Connection, agency_id: str) -> Partner | None:
    row = conn.execute(select(partner).where(partner.c.agency_id == agency_id)).first()
    if row is None:
        return None
    return Partner(row.agency_id, row.address, row.signing_key, row.encryption_key)


def all_partners(conn: Connection) -> list[Partner]:
    rows = conn.execute(select(partner).order_by(partner.c.agency_id))
    return [Partner(r.agency_id, r.address, r.signing_key, r.encryption_key) for r in rows]
