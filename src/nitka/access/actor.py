"""Who acts: the one description of a caller that every service function takes.

The CLI and HTTP each prove who is asking in their own way (a signed-in token,
a session cookie, a password and second factor; in development mode, a name
on the command line) and hand the service layer an ``Actor``. From there on
the rules are the same whichever front end the caller came through: the
service function checks the actor's role, writes the audit record under the
actor's name and purpose, and applies need-to-know with the actor's viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from nitka.access.accounts import Account, Role


class Proof(StrEnum):
    """How the front end established who the actor is."""

    TOKEN = "token"
    """An API token or a saved sign-in (``nitka login``), checked against the store."""
    SESSION = "session"
    """A workstation session cookie."""
    PASSWORD = "password"
    """A password (and second factor) given just now."""
    NAMED = "named"
    """Only named (``--as``): development mode's local convenience, refused in production."""
    OPERATOR = "operator"
    """A local operator with the store's own credentials and no account (development only)."""


@dataclass(frozen=True)
class Actor:
    """An account (or, in development, a local operator) acting for a stated purpose."""

    name: str
    role: Role | None
    """None for a local operator with no account: development mode only."""
    unit: str | None
    proof: Proof
    origin: str
    """Where the action came from, as the audit trail records it (``cli@host``, ``api@addr``)."""
    purpose: str = ""

    @classmethod
    def of(cls, account: Account, *, proof: Proof, origin: str, purpose: str = "") -> Actor:
        return cls(account.name, account.role, account.unit, proof, origin, purpose)

    @classmethod
    def operator(cls, name: str, *, origin: str, purpose: str = "") -> Actor:
        """A local operator without an account (development mode)."""
        return cls(name, None, None, Proof.OPERATOR, origin, purpose)

    @property
    def account(self) -> Account | None:
        return Account(self.name, self.role, self.unit) if self.role is not None else None

    @property
    def is_operator(self) -> bool:
        return self.role is None

    def for_purpose(self, purpose: str) -> Actor:
        return replace(self, purpose=purpose)
