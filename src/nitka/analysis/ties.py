"""Who is behind a number or an account: the statements that tie them to persons.

The projections know numbers and accounts; the typologies ask about people
(young men, travellers with refugee status, a recruiter). These statements tie
the two, read as the asker may see them:

- a person's ``phone`` (FtM keeps a number in international form, which is the
  number as compared, ``readings.phone_key``);
- an ``Ownership`` whose ``owner`` is the person and ``asset`` the account (or
  card): FtM's ``BankAccount`` names no holder of its own;
- a person's ``gender``, ``birthDate``, ``status`` and ``name``.

A statement is used only when the asker may see it (``scopes.may_see``) and,
with a case asked for, when it is of that case or of no case (a shared
dataset): another case's statements never tie anything.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Connection

from nitka.access.visibility import Viewer
from nitka.analysis.links import canonical_ids, members_of, references_to
from nitka.analysis.projection import load_entities
from nitka.analysis.readings import Fact, RejectedError, phone_key
from nitka.analysis.scopes import Source, may_see

Seen = Callable[[Fact], bool]
"""Whether a statement may be used for this asker (and case)."""
PERSON_PROPS = ("name", "phone", "gender", "birthDate", "status")


def seeing(viewer: Viewer | None, case: str | None) -> Seen:
    """The statements a viewer may use in an answer, of one case (and none) if asked."""

    def seen(fact: Fact) -> bool:
        if case is not None and fact.case not in (None, case):
            return False
        return viewer is None or may_see(viewer, [Source(fact.case, fact.dataset, fact.protected)])

    return seen


@dataclass
class Person:
    """What the typologies read of a person, from the statements the asker may see."""

    id: str
    names: list[str] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)
    birth_dates: set[str] = field(default_factory=set)
    statuses: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.names[0]} ({self.id})" if self.names else self.id

    def age_on(self, day: date) -> int | None:
        """Age in whole years on a day; None unless the birth dates agree on one year."""
        years = {b[:4] for b in self.birth_dates if b[:4].isdigit()}
        if len(years) != 1:
            return None
        born = min(self.birth_dates)
        month, dom = (int(born[5:7]), int(born[8:10])) if len(born) >= 10 else (1, 1)
        age = day.year - int(years.pop())
        return age - 1 if (day.month, day.day) < (month, dom) else age


def persons(conn: Connection, ids: Iterable[str], seen: Seen) -> dict[str, Person]:
    """The persons (and other legal entities) among these canonical ids."""
    found: dict[str, Person] = {}
    for entity in load_entities(conn, sorted(set(ids)), PERSON_PROPS, "LegalEntity"):
        person = found.setdefault(entity.id, Person(entity.id))
        for fact in entity.facts:
            if not seen(fact):
                continue
            if fact.prop == "name":
                person.names.append(fact.value)
            elif fact.prop == "phone":
                key = _number(fact.value)
                if key:
                    person.phones.add(key)
            elif fact.prop == "gender":
                person.genders.add(fact.value.lower())
            elif fact.prop == "birthDate":
                person.birth_dates.add(fact.value)
            elif fact.prop == "status":
                person.statuses.append(fact.value)
    return found


def owners_of_numbers(
    conn: Connection, numbers: Collection[str], seen: Seen
) -> dict[str, set[str]]:
    """Each number (as compared) with the persons whose ``phone`` it is."""
    holders = {ref.referrer for ref in references_to(conn, numbers) if ref.prop == "phone"}
    owners: dict[str, set[str]] = {}
    for person in persons(conn, holders, seen).values():
        for number in person.phones & set(numbers):
            owners.setdefault(number, set()).add(person.id)
    return owners


def owners_of_accounts(
    conn: Connection, accounts: Collection[str], seen: Seen
) -> dict[str, set[str]]:
    """Each account (canonical entity id) with the owners its ownerships name."""
    return _ownerships(conn, accounts, seen, by="asset")


def accounts_of_owners(
    conn: Connection, owners: Collection[str], seen: Seen
) -> dict[str, set[str]]:
    """Each owner (canonical entity id) with the accounts and cards it owns or holds."""
    return _ownerships(conn, owners, seen, by="owner")


def _ownerships(
    conn: Connection, ids: Collection[str], seen: Seen, *, by: str
) -> dict[str, set[str]]:
    """Ownerships naming these ids as ``by`` (owner or asset): each id with the other end."""
    other = "asset" if by == "owner" else "owner"
    members = members_of(conn, ids)
    named = {member for group in members.values() for member in group}
    links = {ref.referrer for ref in references_to(conn, named)
             if ref.schema == "Ownership" and ref.prop == by}  # fmt: skip
    pairs: list[tuple[str, str]] = []
    for entity in load_entities(conn, sorted(links), ("owner", "asset"), "Ownership"):
        ends = {prop: [f.value for f in entity.facts if f.prop == prop and seen(f)]
                for prop in ("owner", "asset")}  # fmt: skip
        pairs += [(mine, theirs) for mine in ends[by] for theirs in ends[other]]
    canonical = canonical_ids(conn, {v for pair in pairs for v in pair})
    found: dict[str, set[str]] = {}
    wanted = set(ids)
    for mine, theirs in pairs:
        key = canonical[mine]
        if key in wanted:
            found.setdefault(key, set()).add(canonical[theirs])
    return found


def _number(raw: str) -> str | None:
    try:
        return phone_key(raw, "phone")
    except RejectedError:
        return None


def account_numbers(conn: Connection, accounts: Iterable[str], seen: Seen) -> dict[str, str]:
    """Each account (canonical entity id) with its number or IBAN as written, where the
    asker may see one."""
    found: dict[str, str] = {}
    for entity in load_entities(conn, sorted(set(accounts)), ("accountNumber", "iban")):
        numbers = [f.value for f in entity.facts if seen(f)]
        if numbers:
            found[entity.id] = sorted(numbers)[0]
    return found
