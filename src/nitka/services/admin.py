"""Accounts, API tokens, identities, agencies, units and list shares.

These change who may sign in and who may see what, so they are actions like
any other: an administrator makes them (a list keeper shares watch lists),
a user may set their own password and second factor, and each is an audit
record. A production store that no administrator can sign in to yet is set
up by a local operator with the store's credentials (``nitka user add ...
--role administrator --password``); see ``nitka.cli.context.administering``.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from nitka.access import accounts, identities, organisations, shares
from nitka.access.accounts import Account, Role
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.services.guard import ADMINISTRATORS, LIST_KEEPERS, audit, require

LIST_SHARERS = ADMINISTRATORS | LIST_KEEPERS
"""Who may share a watch list with units (and so hide it from the others)."""


def add_user(
    conn: Connection,
    actor: Actor,
    name: str,
    role: Role | str,
    *,
    unit: str | None = None,
    password: str | None = None,
) -> Account:
    """Add an account (a person, or a system that signs in with a token)."""
    subject = {"user add": name, "role": str(role), "unit": unit}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    made = accounts.add_account(conn, name, role, unit_id=unit, password=password)
    audit(conn, actor, Action.CHANGE, {**subject, "role": made.role.value, "unit": made.unit})
    return made


def set_password(conn: Connection, actor: Actor, name: str, password: str) -> None:
    """Set an account's password: an administrator's job, or the user's own."""
    subject = {"user password": name}
    if actor.name != name or actor.is_operator:
        require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    accounts.set_password(conn, name, password)
    audit(conn, actor, Action.CHANGE, subject)


def turn_on_second_factor(conn: Connection, actor: Actor, name: str) -> str:
    """Give an account a second factor (its own, or as an administrator); returns
    the secret for the authenticator app, shown once."""
    subject = {"user totp": name}
    if actor.name != name or actor.is_operator:
        require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    secret = accounts.enable_second_factor(conn, name)
    audit(conn, actor, Action.CHANGE, subject)
    return secret


def link_user(conn: Connection, actor: Actor, name: str, provider: str, sub: str) -> None:
    """Let an account sign in through an identity provider as ``sub``."""
    subject = {"user link": name, "provider": provider, "subject": sub}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    identities.link_identity(conn, name, provider, sub)
    audit(conn, actor, Action.CHANGE, subject)


def create_api_token(
    conn: Connection,
    actor: Actor,
    user: str,
    *,
    label: str = "",
    days: int | None = None,
    purpose: str = "",
) -> str:
    """A new API token for an account, returned once (only its hash is kept);
    ``purpose``: what its requests are logged as made for when they state none."""
    subject: dict[str, object] = {
        "token create": None,
        "user": user,
        "label": label,
        "days": days,
        "purpose": purpose,
    }
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    token = accounts.create_token(conn, user, label=label, days=days, purpose=purpose)
    audit(conn, actor, Action.CHANGE, {**subject, "token create": accounts.token_id(token)})
    return token


def revoke_api_token(conn: Connection, actor: Actor, token_id: str) -> bool:
    """Revoke a token; False if there is no such token or it was revoked already."""
    subject = {"token revoke": token_id}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    done = accounts.revoke_token(conn, token_id)
    if done:
        audit(conn, actor, Action.CHANGE, subject)
    return done


def add_agency(
    conn: Connection, actor: Actor, agency_id: str, name: str = "", country: str | None = None
) -> organisations.Agency:
    """Record an agency: one's own, or a partner."""
    subject = {"agency add": agency_id, "name": name, "country": country}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    made = organisations.add_agency(conn, agency_id, name, country)
    audit(conn, actor, Action.CHANGE, {**subject, "name": made.name, "country": made.country})
    return made


def add_unit(conn: Connection, actor: Actor, unit_id: str, agency: str, name: str = "") -> bool:
    """Record a unit of an agency; False if it was one already."""
    subject = {"unit add": unit_id, "agency": agency, "name": name}
    require(conn, actor, ADMINISTRATORS, Action.CHANGE, subject)
    added = organisations.add_unit(conn, unit_id, agency, name)
    if added:
        audit(conn, actor, Action.CHANGE, subject)
    return added


def share_list(conn: Connection, actor: Actor, dataset: str, unit: str) -> list[str]:
    """Share a watch list with a unit; returns the units that see it now."""
    subject = {"list share": dataset, "unit": unit}
    require(conn, actor, LIST_SHARERS, Action.CHANGE, subject)
    if shares.share_list(conn, dataset, unit, by=actor.name):
        audit(conn, actor, Action.CHANGE, subject)
    return shares.units_of_list(conn, dataset)


def unshare_list(conn: Connection, actor: Actor, dataset: str, unit: str) -> list[str] | None:
    """Stop sharing a list with a unit; returns the units that see it now (none:
    every unit), or None if it was not shared with that unit."""
    subject = {"list unshare": dataset, "unit": unit}
    require(conn, actor, LIST_SHARERS, Action.CHANGE, subject)
    if not shares.unshare_list(conn, dataset, unit):
        return None
    audit(conn, actor, Action.CHANGE, subject)
    return shares.units_of_list(conn, dataset)
