"""Who is behind a link's ends, named as the viewer may see them: the person whose
phone number made a call, the owner of the account that paid.

A timeline item says "Oleksandr Petrenko → Ihor Melnyk: call 3 min", not
"+380501112233 → +380671234567": an end is named by the one owner the viewer
may see (a number's ``phone`` holder, an account's owner through an
Ownership), else by itself (the number, the account's caption). A protected
person stays the placeholder, and an end the viewer may not see at all is a
question mark: the link itself may be visible when one of its ends is not.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from nitka.access.visibility import Redacted, Viewer
from nitka.analysis.graph import PHONE, phone_owners, visible_entities
from nitka.analysis.links import canonical_ids, members_of, references_to

UNSEEN = "?"
"""The name of an end the viewer may not see."""
ACCOUNT_SCHEMAS = frozenset({"BankAccount", "CryptoWallet"})


class Names:
    """Names of link ends (entity ids and ``phone:`` numbers) for one viewer."""

    def __init__(self, conn: Connection, viewer: Viewer, values: Iterable[str]) -> None:
        wanted = set(values)
        numbers = [v.removeprefix(PHONE) for v in wanted if v.startswith(PHONE)]
        self.resolved = canonical_ids(conn, [v for v in wanted if not v.startswith(PHONE)])
        self.entities = visible_entities(conn, viewer, self.resolved.values())
        self.owners: dict[str, Redacted] = {
            PHONE + number: owner for number, owner in phone_owners(conn, viewer, numbers).items()
        }
        accounts = [i for i, e in self.entities.items() if e.schema in ACCOUNT_SCHEMAS]
        self.owners.update(account_owners(conn, viewer, accounts))

    def entity(self, value: str) -> Redacted | None:
        return self.entities.get(self.resolved.get(value, value))

    def itself(self, value: str) -> str:
        """The end's own name: a number, an account's caption, a person's name."""
        if value.startswith(PHONE):
            return value.removeprefix(PHONE)
        found = self.entity(value)
        return found.caption() if found is not None else UNSEEN

    def owner(self, value: str) -> Redacted | None:
        return self.owners.get(self.resolved.get(value, value))

    def of(self, value: str) -> str:
        """The name of whoever is behind the end, else of the end itself."""
        owner = self.owner(value)
        return owner.caption() if owner is not None else self.itself(value)

    def place(self, value: str) -> str:
        """A place by its city where the address names one, else in full."""
        found = self.entity(value)
        if found is None:
            return UNSEEN
        cities = [s.value for s in found.statements if s.prop == "city"]
        return cities[0] if cities else found.caption()

    def detailed(self, value: str) -> str:
        """The owner's name with the end in brackets (``Ihor Melnyk (+380…)``)."""
        if self.owner(value) is not None:
            return f"{self.of(value)} ({self.itself(value)})"
        return self.itself(value)


def account_owners(
    conn: Connection, viewer: Viewer, account_ids: Iterable[str]
) -> dict[str, Redacted]:
    """Each account with its one owner that the viewer may see through an Ownership
    they may see (a placeholder if the owner is protected)."""
    named = {m: cid for cid, ids in members_of(conn, account_ids).items() for m in ids}
    references = [
        r for r in references_to(conn, named) if r.schema == "Ownership" and r.prop == "asset"
    ]
    ownerships = visible_entities(conn, viewer, {r.referrer for r in references})
    owner_of: dict[str, set[str]] = {}
    for ownership in ownerships.values():
        props = {(s.prop, s.value) for s in ownership.statements}
        owners = {value for prop, value in props if prop == "owner"}
        for prop, value in props:
            if prop == "asset" and value in named:
                owner_of.setdefault(named[value], set()).update(owners)
    resolved = canonical_ids(conn, {o for ids in owner_of.values() for o in ids})
    people = visible_entities(conn, viewer, resolved.values())
    found: dict[str, Redacted] = {}
    for account, owners in owner_of.items():
        seen = {resolved[o] for o in owners if resolved[o] in people}
        if len(seen) == 1:
            found[account] = people[seen.pop()]
    return found
