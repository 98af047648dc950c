"""Agencies and their units: who works for whom.

An account belongs to a unit, a unit to an agency. Units are what lists are
shared with; agencies are what two Nitka instances exchange information
between (the NCB in Kyiv, the anti-trafficking unit in Sofia), each with the
country it works for.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthemoney import registry
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from nitka.errors import FieldError
from nitka.store.tables import agency, unit


class OrganisationError(FieldError):
    """An agency or unit that cannot be made as asked."""


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    country: str | None


def add_agency(conn: Connection, agency_id: str, name: str, country: str | None = None) -> Agency:
    """Record an agency; ``country`` is an ISO 3166 code (``UA``, ``BG``)."""
    agency_id = agency_id.strip()
    if not agency_id or any(ch.isspace() for ch in agency_id):
        raise OrganisationError("an agency id is one word, not empty", field="id")
    if find_agency(conn, agency_id) is not None:
        raise OrganisationError(f"an agency {agency_id!r} exists already", field="id")
    code = None
    if country:
        code = registry.country.clean(country)
        if code is None:
            raise OrganisationError(f"{country!r} is not a country code", field="country")
    conn.execute(insert(agency).values(id=agency_id, name=name or agency_id, country=code))
    return Agency(agency_id, name or agency_id, code)


def find_agency(conn: Connection, agency_id: str) -> Agency | None:
    row = conn.execute(select(agency).where(agency.c.id == agency_id)).first()
    return Agency(row.id, row.name, row.country) if row is not None else None


def add_unit(conn: Connection, unit_id: str, agency_id: str, name: str = "") -> bool:
    """Record a unit of an agency, or place a unit made earlier (by ``nitka user add
    --unit``) in its agency; False if it was there already."""
    unit_id = unit_id.strip()
    if not unit_id or any(ch.isspace() for ch in unit_id):
        raise OrganisationError("a unit id is one word, not empty", field="id")
    if find_agency(conn, agency_id) is None:
        raise OrganisationError(f"no agency {agency_id!r}", field="agency")
    row = conn.execute(select(unit).where(unit.c.id == unit_id)).first()
    if row is None:
        conn.execute(insert(unit).values(id=unit_id, agency_id=agency_id, name=name or unit_id))
        return True
    if row.agency_id == agency_id:
        return False
    if row.agency_id is not None:
        raise OrganisationError(
            f"the unit {unit_id!r} belongs to {row.agency_id!r} already", field="agency"
        )
    conn.execute(
        update(unit).where(unit.c.id == unit_id).values(agency_id=agency_id, name=name or row.name)
    )
    return True


def agency_of_unit(conn: Connection, unit_id: str | None) -> Agency | None:
    if unit_id is None:
        return None
    agency_id = conn.execute(select(unit.c.agency_id).where(unit.c.id == unit_id)).scalar()
    return find_agency(conn, agency_id) if agency_id else None
