"""The exchange's own set-up: partner agencies, this instance's keys, the outbox.

Registering a partner decides whose signature Nitka trusts, so it is an
administrator's action (while a production store has no administrator who can
sign in, its local operator sets it up: ``nitka.cli.context.administering``).
The partner list holds addresses and public keys, no case data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import Connection, Engine

from nitka.access import organisations
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.errors import FieldError
from nitka.exchange import partners
from nitka.exchange.delivery import deliver_due, pending
from nitka.exchange.keys import ExchangeKeyError, InstanceKeys, load_or_create
from nitka.exchange.partners import Partner
from nitka.services.guard import (
    EXCHANGE_KEEPERS,
    OUTBOX_KEEPERS,
    PARTNER_READERS,
    audit,
    require,
    transaction,
)
from nitka.settings import Settings


@dataclass(frozen=True)
class Delivery:
    """What a delivery by hand did: messages delivered, failed tries, still waiting."""

    delivered: int
    failed: int
    waiting: int


def keys_of(settings: Settings) -> InstanceKeys:
    """This instance's key pairs (made in ``keys_dir`` the first time)."""
    try:
        return load_or_create(Path(settings.keys_dir))
    except (ExchangeKeyError, OSError, ValueError) as error:
        raise FieldError(str(error), field="keys_dir") from None


def identity(conn: Connection, actor: Actor, settings: Settings) -> dict[str, str]:
    """Make this instance's key pairs (once); what a partner registers of it."""
    subject = {"exchange keys": settings.agency_id}
    require(conn, actor, EXCHANGE_KEEPERS, Action.CHANGE, subject)
    keys = keys_of(settings)
    audit(conn, actor, Action.CHANGE, subject)
    return {
        "agency": settings.agency_id or "",
        "signing_key": keys.signing_public,
        "encryption_key": keys.encryption_public,
    }


def add_partner(
    conn: Connection,
    actor: Actor,
    agency_id: str,
    address: str,
    signing_key: str,
    encryption_key: str | None = None,
    *,
    name: str = "",
    country: str | None = None,
) -> Partner:
    """Register a partner agency by its address and public keys; with ``name``, the
    agency is recorded first if it is not yet."""
    subject = {"partner add": agency_id}
    require(conn, actor, EXCHANGE_KEEPERS, Action.CHANGE, subject)
    if name and organisations.find_agency(conn, agency_id) is None:
        made = organisations.add_agency(conn, agency_id, name, country)
        audit(conn, actor, Action.CHANGE,
              {"agency add": made.id, "name": made.name, "country": made.country})  # fmt: skip
    added = partners.add_partner(
        conn, agency_id, address, signing_key, encryption_key, by=actor.name
    )
    audit(conn, actor, Action.CHANGE, {"partner add": added.agency_id, "address": added.address})
    return added


def list_partners(conn: Connection, actor: Actor) -> list[Partner]:
    """The partners, their addresses and public keys."""
    require(conn, actor, PARTNER_READERS, Action.VIEW, {"partners": "all"})
    return partners.all_partners(conn)


def deliver_outbox(engine: Engine, actor: Actor, *, wait: float = 0.0) -> Delivery:
    """Deliver the outbox now, trying again for up to ``wait`` seconds until all is
    delivered. Takes the engine, not a connection: each batch is claimed, sent and
    recorded in transactions of its own (``nitka.exchange.delivery``), so that
    several deliverers never send one message at once."""
    with transaction(engine) as conn:
        require(conn, actor, OUTBOX_KEEPERS, Action.CHANGE, {"exchange deliver": "outbox"})
        audit(conn, actor, Action.CHANGE, {"exchange deliver": "outbox", "wait": wait})
    deadline = time.monotonic() + wait
    delivered = failed = 0
    with httpx.Client() as client:
        while True:
            done = deliver_due(engine, client)
            delivered += done.delivered
            failed += done.failed
            left = pending(engine)
            if not left or time.monotonic() >= deadline:
                return Delivery(delivered, failed, left)
            time.sleep(0.2)
