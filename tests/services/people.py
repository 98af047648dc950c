"""The accounts of the service tests on the analysis ring (``tests.analysis.ring``):
members of case c1, an outsider who is a member of case c2 only, and the roles
that read no case data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.audit import iter_records
from nitka.access.cases import add_case, add_member
from tests.analysis.ring import store_ring


def _actor(name: str, role: Role) -> Actor:
    return Actor(name, role, "u-odesa", Proof.SESSION, "api@10.0.0.7", "workstation")


INVESTIGATOR = _actor("investigator.in", Role.INVESTIGATOR)
ANALYST = _actor("analyst.in", Role.ANALYST)
OUTSIDER = _actor("investigator.out", Role.INVESTIGATOR)
SUPERVISOR = _actor("supervisor.in", Role.SUPERVISOR)
AUDITOR = _actor("auditor.a", Role.AUDITOR)
ADMINISTRATOR = _actor("admin.z", Role.ADMINISTRATOR)
MEMBERS = (INVESTIGATOR, ANALYST, SUPERVISOR)
NO_CASE_DATA = (AUDITOR, ADMINISTRATOR)


def ring_with_accounts(engine: Engine) -> Engine:
    """The ring, cases c1 and c2, and the accounts above."""
    store_ring(engine)
    return cases_and_accounts(engine)


def cases_and_accounts(engine: Engine) -> Engine:
    """Cases c1 and c2 and the accounts above: the members of c1, the outsider a member
    of c2, the roles that read no case data."""
    with engine.begin() as conn:
        add_case(conn, "c1", by="supervisor.in", title="Recruitment ring, Odesa")
        add_case(conn, "c2", by="supervisor.in", title="Petrenko family")
        for actor in (*MEMBERS, OUTSIDER, *NO_CASE_DATA):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role, unit_id="u-odesa")
        for actor in MEMBERS:
            add_member(conn, "c1", actor.name, by="supervisor.in")
        add_member(conn, "c2", OUTSIDER.name, by="supervisor.in")
    return engine


def records(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [record.as_dict() for record in iter_records(conn)]


def last_record(engine: Engine) -> dict[str, Any]:
    return records(engine)[-1]
