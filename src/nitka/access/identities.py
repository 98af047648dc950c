"""Identities at agencies' OpenID Connect providers, bound to local accounts.

An agency with an identity provider signs its officers in there; Nitka
still decides what each may do. So an identity (provider, subject) is bound
by an administrator to one local account, which holds the role, the unit and
the case memberships. An identity that is bound to no account is refused:
the provider vouches for who someone is, not for what they may see.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account, AccountError, Role, find_account
from nitka.store.tables import account, account_identity


def link_identity(conn: Connection, name: str, provider: str, subject: str) -> None:
    """Bind the provider's subject to the account; the caller commits and audits."""
    if find_account(conn, name) is None:
        raise AccountError(f"no account {name!r}", field="name")
    if not provider.strip() or not subject.strip():
        raise AccountError("an identity needs a provider and a subject", field="subject")
    bound = conn.execute(
        select(account_identity.c.account).where(
            account_identity.c.provider == provider, account_identity.c.subject == subject
        )
    ).scalar_one_or_none()
    if bound is not None:
        raise AccountError(
            f"{subject!r} at {provider!r} is bound to {bound!r} already", field="subject"
        )
    conn.execute(
        insert(account_identity).values(
            provider=provider,
            subject=subject,
            account=name,
            linked_at=datetime.now(UTC).isoformat(),
        )
    )


def account_for_identity(conn: Connection, provider: str, subject: str) -> Account | None:
    """The enabled account the identity is bound to, or None."""
    row = conn.execute(
        select(account.c.name, account.c.role, account.c.unit_id, account.c.disabled)
        .join(account_identity, account_identity.c.account == account.c.name)
        .where(account_identity.c.provider == provider, account_identity.c.subject == subject)
    ).first()
    if row is None or row.disabled:
        return None
    return Account(row.name, Role(row.role), row.unit_id)
