"""Reading statement values into a projection's typed columns, or saying why not.

A projection takes an entity in whole or not at all: a value it cannot read (a
time that is no time, a number with letters in it, a negative amount, a missing
currency) rejects the entity, naming the property and the value, and the
projection keeps no half of it (``nitka.analysis.projection``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, TypeVar

T = TypeVar("T")

_PHONE_NOISE = re.compile(r"[\s\-().\u00a0]+")
_PHONE = re.compile(r"\+?[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}|[0-9]{3}")
_SECONDS = re.compile(r"[0-9]+(\.0*)?")
MAX_PHONE = 32
"""Characters of a phone number as compared; E.164 allows 15 digits."""
MAX_VALUE = 500
"""Characters of a rejected value kept with the reject."""


class Fact(NamedTuple):
    """A statement as a projection reads it: the value and where it comes from."""

    prop: str
    value: str
    case: str | None
    dataset: str
    protected: bool
    """About a victim, witness or informant (``DataSubjectCategory.is_protected``)."""
    origin: str | None = None
    """The source record (``bank.csv:3``), to name it in a reject."""


@dataclass
class RejectedError(Exception):
    """An entity a projection cannot take in: which property, its value, and why."""

    field: str
    value: str
    reason: str

    def __post_init__(self) -> None:
        super().__init__(f"{self.field}: {self.reason}")
        self.value = self.value[:MAX_VALUE]


def facts_of(facts: Iterable[Fact], *props: str) -> list[Fact]:
    return [fact for fact in facts if fact.prop in props]


def one(
    facts: Iterable[Fact], field: str, read: Callable[[str], T], *, what: str, required: bool = True
) -> T | None:
    """The one value the facts give (after reading each with ``read``); a missing one
    is rejected when ``required``, and two different ones always (which would be
    guessing)."""
    found: dict[T, str] = {}
    for fact in facts:
        found.setdefault(read(fact.value), fact.value)
    if not found:
        if required:
            raise RejectedError(field, "", f"no {what}")
        return None
    if len(found) > 1:
        given = " | ".join(sorted(found.values()))
        raise RejectedError(field, given, f"{len(found)} different values of the {what}")
    return next(iter(found))


def phone_key(raw: str, field: str) -> str:
    """A phone number as compared: digits and a leading ``+``, without spaces, dashes,
    dots or brackets (``+380 (67) 123-45-67`` is ``+380671234567``; VAST's ``200``
    stays ``200``)."""
    key = _PHONE_NOISE.sub("", raw)
    if not _PHONE.fullmatch(key) or len(key) > MAX_PHONE:
        raise RejectedError(field, raw, f"{raw!r} is not a phone number")
    return key


def moment(raw: str, field: str, *, needs_time: bool) -> datetime:
    """A date and time in UTC without an offset (how the tables keep times). A bare
    day is midnight, unless ``needs_time``; a month or a year alone is refused."""
    text = raw.strip()
    if _DAY.fullmatch(text):
        if needs_time:
            raise RejectedError(field, raw, f"{raw!r} is a day without a time of day")
    elif "T" not in text and " " not in text:
        raise RejectedError(field, raw, f"{raw!r} is not a date and time")
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise RejectedError(field, raw, f"{raw!r} is not a date and time") from None
    if found.tzinfo is not None:
        found = found.astimezone(UTC).replace(tzinfo=None)
    return found


def seconds(raw: str, field: str) -> int:
    """A call's length in whole seconds, not negative."""
    text = raw.strip()
    if text.startswith("-") and _SECONDS.fullmatch(text[1:]):
        raise RejectedError(field, raw, f"{raw!r} is a negative length")
    if not _SECONDS.fullmatch(text):
        raise RejectedError(field, raw, f"{raw!r} is not a whole number of seconds")
    return int(text.split(".")[0])


def amount(raw: str, field: str) -> Decimal:
    """An amount of money, not negative (a refund is a payment the other way)."""
    try:
        found = Decimal(raw.strip())
    except InvalidOperation:
        raise RejectedError(field, raw, f"{raw!r} is not an amount") from None
    if not found.is_finite():
        raise RejectedError(field, raw, f"{raw!r} is not an amount")
    if found < 0:
        raise RejectedError(field, raw, f"{raw!r} is a negative amount")
    return found


def currency(raw: str, field: str) -> str:
    """An ISO 4217 code, letters (``EUR``) or digits (``978``)."""
    code = raw.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise RejectedError(field, raw, f"{raw!r} is not an ISO 4217 currency code")
    return code
