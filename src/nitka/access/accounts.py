"""Accounts, sign-in with lock-out and an optional second factor, and API tokens.

A password is kept as an argon2id hash (``argon2-cffi``, the parameters it
recommends). After ``MAX_FAILURES`` wrong passwords in a row an account is
locked for ``LOCK_MINUTES``; a sign-in refused for any reason says only that
the name, password or code was wrong, so that no one learns which accounts
exist. Every sign-in, let in or refused, is an audit record.

A system (a border-control backend, another agency's Nitka) signs in with an
API token: ``nitka_<id>_<secret>``. The store keeps the SHA-256 of the
secret; the token is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Row

from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.errors import FieldError
from nitka.store.tables import account, api_token, unit

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
"""Shortest password accepted: a passphrase, as national guidance on passwords advises."""
TOKEN_PREFIX = "nitka"


class Role(StrEnum):
    ANALYST = "analyst"
    INVESTIGATOR = "investigator"
    LIAISON = "liaison"
    """An NCB or liaison officer: exchanges information with foreign agencies."""
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    """Reads the audit trail, never case data."""
    ADMINISTRATOR = "administrator"
    """Manages accounts, never reads case data."""


class AccountError(FieldError):
    """An account that cannot be made or changed as asked."""


class SignInError(Exception):
    """A refused sign-in. The message never says which part was wrong."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    unit: str | None


_hasher = PasswordHasher()


def add_account(
    conn: Connection,
    name: str,
    role: Role | str,
    *,
    unit_id: str | None = None,
    password: str | None = None,
) -> Account:
    """Create an account; the caller commits. A unit named for the first time is created."""
    name = name.strip()
    if not name or any(ch.isspace() for ch in name):
        raise AccountError("an account name is one word, not empty", field="name")
    try:
        chosen = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"{role!r} is not a role (roles: {roles})", field="role") from None
    if find_account(conn, name) is not None:
        raise AccountError(f"an account {name!r} exists already", field="name")
    if unit_id and conn.execute(select(unit.c.id).where(unit.c.id == unit_id)).first() is None:
        conn.execute(insert(unit).values(id=unit_id, name=unit_id))
    conn.execute(
        insert(account).values(
            name=name,
            role=chosen.value,
            unit_id=unit_id or None,
            password_hash=_hash_password(password) if password is not None else None,
            created_at=_now(),
        )
    )
    return Account(name, chosen, unit_id or None)


def set_password(conn: Connection, name: str, password: str) -> None:
    _require(conn, name)
    conn.execute(
        update(account).where(account.c.name == name).values(password_hash=_hash_password(password))
    )


def enable_second_factor(conn: Connection, name: str) -> str:
    """Give the account a TOTP secret and return it (for the authenticator app)."""
    _require(conn, name)
    secret = pyotp.random_base32()
    conn.execute(update(account).where(account.c.name == name).values(totp_secret=secret))
    return secret


def find_account(conn: Connection, name: str) -> Account | None:
    row = conn.execute(
        select(account.c.name, account.c.role, account.c.unit_id).where(account.c.name == name)
    ).first()
    return Account(row.name, Role(row.role), row.unit_id) if row is not None else None


def administrator_can_sign_in(conn: Connection) -> bool:
    """Whether some enabled administrator account can prove itself: it has a
    password (``nitka login``) or an API token that is neither revoked nor
    expired. Until one can, a production store is being set up and its first
    accounts are made by whoever holds the store's credentials."""
    now = _now()
    with_password = (
        select(account.c.name)
        .where(account.c.role == Role.ADMINISTRATOR.value)
        .where(account.c.disabled.is_(False), account.c.password_hash.is_not(None))
    )
    if conn.execute(with_password.limit(1)).first() is not None:
        return True
    with_token = (
        select(api_token.c.id)
        .join(account, account.c.name == api_token.c.account)
        .where(account.c.role == Role.ADMINISTRATOR.value, account.c.disabled.is_(False))
        .where(api_token.c.revoked_at.is_(None))
        .where((api_token.c.expires_at.is_(None)) | (api_token.c.expires_at > now))
    )
    return conn.execute(with_token.limit(1)).first() is not None


def has_second_factor(conn: Connection, name: str) -> bool:
    """Whether sign-in asks this account for a code. For the command line, whose
    user holds the store's credentials and could read this anyway; a sign-in
    page must not tell it before the password is right."""
    found = conn.execute(select(account.c.totp_secret).where(account.c.name == name)).first()
    return found is not None and found.totp_secret is not None


def sign_in(
    conn: Connection, name: str, password: str, *, origin: str, code: str | None = None
) -> Account:
    """Check a password (and TOTP code, where the account has a second factor).

    Records the attempt in the audit trail either way; the caller commits, also
    when a SignInError is raised (the failure count and the record must stay).
    """
    row = conn.execute(select(account).where(account.c.name == name)).first()
    now = datetime.now(UTC)
    reason = _refusal(row, password, code, now)
    if reason is not None:
        if row is not None and reason != "locked":
            failures = row.failed_sign_ins + 1
            locked = (
                (now + timedelta(minutes=LOCK_MINUTES)).isoformat()
                if failures >= MAX_FAILURES
                else None
            )
            conn.execute(
                update(account)
                .where(account.c.name == name)
                .values(failed_sign_ins=failures, locked_until=locked)
            )
        _record_sign_in(conn, name, origin, Outcome.REFUSED, reason)
        raise SignInError("wrong name, password or code, or the account is locked")
    assert row is not None  # a missing account is always a refusal
    conn.execute(
        update(account).where(account.c.name == name).values(failed_sign_ins=0, locked_until=None)
    )
    _record_sign_in(conn, name, origin, Outcome.DONE, "password" + (" and code" if code else ""))
    return Account(row.name, Role(row.role), row.unit_id)


def create_token(
    conn: Connection,
    name: str,
    *,
    label: str = "",
    days: int | None = None,
    hours: int | None = None,
    purpose: str = "",
) -> str:
    """A new API token for the account, returned once; only its hash is kept.
    A web session is a token too, with a lifetime in hours. ``purpose`` is what
    the token's requests are logged as made for when they state none."""
    _require(conn, name)
    new_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    lifetime = timedelta(days=days or 0, hours=hours or 0)
    expires = (datetime.now(UTC) + lifetime).isoformat() if lifetime else None
    conn.execute(
        insert(api_token).values(
            id=new_id,
            secret_hash=_digest(secret),
            account=name,
            label=label,
            created_at=_now(),
            expires_at=expires,
            purpose=purpose.strip(),
        )
    )
    return f"{TOKEN_PREFIX}_{new_id}_{secret}"


def revoke_token(conn: Connection, token_id: str) -> bool:
    done = conn.execute(
        update(api_token)
        .where(api_token.c.id == token_id, api_token.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    return bool(done.rowcount)


def account_for_token(conn: Connection, token: str) -> Account | None:
    """The account a presented token belongs to; None if it is unknown, forged,
    expired or revoked, or its account is disabled."""
    found = token_holder(conn, token)
    return found.account if found is not None else None


@dataclass(frozen=True)
class TokenHolder:
    """Who a valid token speaks for, and the purpose it states by default."""

    account: Account
    purpose: str


def token_holder(conn: Connection, token: str) -> TokenHolder | None:
    """The account a presented token belongs to and its default purpose; None if
    the token is unknown, forged, expired or revoked, or its account is disabled."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret:
        return None
    row = conn.execute(
        select(api_token, account.c.role, account.c.unit_id, account.c.disabled)
        .join(account, account.c.name == api_token.c.account)
        .where(api_token.c.id == token_id)
    ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    if row.revoked_at is not None or row.disabled:
        return None
    if row.expires_at is not None and datetime.fromisoformat(row.expires_at) <= datetime.now(UTC):
        return None
    return TokenHolder(Account(row.account, Role(row.role), row.unit_id), row.purpose or "")


def _refusal(row: Row[Any] | None, password: str, code: str | None, now: datetime) -> str | None:
    """Why a sign-in is refused (for the audit trail, never for the caller), or None."""
    if row is None:
        _hasher.hash(password)  # as long as for a real account: no timing tells
        return "no such account"
    if row.disabled:
        return "disabled"
    locked_until = row.locked_until
    if locked_until is not None and datetime.fromisoformat(locked_until) > now:
        return "locked"
    stored = row.password_hash
    if stored is None:
        return "no password set"
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return "wrong password"
    secret = row.totp_secret
    if secret is not None and (code is None or not pyotp.TOTP(secret).verify(code, valid_window=1)):
        return "wrong or missing code"
    return None


def _record_sign_in(conn: Connection, name: str, origin: str, outcome: Outcome, how: str) -> None:
    event = AuditEvent(
        actor=name or "-",
        action=Action.SIGN_IN,
        origin=origin,
        subject={"how": how},
        outcome=outcome,
    )
    append(conn, event)


def _hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    return _hasher.hash(password)


def _require(conn: Connection, name: str) -> None:
    if find_account(conn, name) is None:
        raise AccountError(f"no account {name!r}", field="name")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def token_id(token: str) -> str:
    """The public part of a token (what ``nitka token revoke`` takes)."""
    parts = token.split("_")
    return parts[1] if len(parts) >= 3 else ""
