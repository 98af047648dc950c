"""Contacts in an ad's text: phones (E.164), messenger handles (Telegram @names
and t.me links, WhatsApp and Viber numbers), e-mail addresses, payment card
numbers (Luhn-checked, kept masked) and IBANs (checked by their check digits).

Pure functions: each contact comes with the words it was read from (a
character span), so an analyst sees where in the ad it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

from nitka.normalise.ids import normalise_phone
from nitka.normalise.ids.accounts import card_key, normalise_iban
from nitka.normalise.ids.errors import IdentifierError


class ContactKind(StrEnum):
    PHONE = "phone"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    VIBER = "viber"
    EMAIL = "email"
    CARD = "card"
    IBAN = "iban"


@dataclass(frozen=True, order=True)
class Contact:
    kind: ContactKind
    value: str
    """Normalised: E.164 for numbers, a lower-case handle without @, a masked card."""
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), "value": self.value, "span": [self.start, self.end]}


REGIONS = ("UA", "BG", "PL", "MD", "RO", "DE", "CZ")
"""Where a number written without its country code is tried, in order: the
countries whose ads Nitka's users read most."""
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_TME = re.compile(r"(?:https?://)?(?:t|telegram)\.me/(?:joinchat/|\+)?([A-Za-z0-9_]{4,32})",
                  re.IGNORECASE)  # fmt: skip
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{3,31})\b")
_WAME = re.compile(r"(?:https?://)?wa\.me/\+?(\d{7,15})", re.IGNORECASE)
_MESSENGER = re.compile(
    r"\b(whats\s?app|ватсап|вотсап|viber|вайбер|вайбър)\b[\s:(),-]*(\+?[\d][\d\s().-]{6,20}\d)",
    re.IGNORECASE,
)
_CARD = re.compile(r"(?<![\d+])(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{3,7})(?!\d)")
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30})\b")


def extract(text: str) -> list[Contact]:
    """Every contact in the text, once per kind and value (the first place it stands)."""
    found: dict[tuple[ContactKind, str], Contact] = {}

    def add(kind: ContactKind, value: str, start: int, end: int) -> None:
        found.setdefault((kind, value), Contact(kind, value, start, end))

    for match in _EMAIL.finditer(text):
        add(ContactKind.EMAIL, match.group(0).lower(), *match.span())
    for match in _TME.finditer(text):
        add(ContactKind.TELEGRAM, match.group(1).lower(), *match.span())
    for match in _HANDLE.finditer(text):
        if not _inside_email(text, match.start()):
            add(ContactKind.TELEGRAM, match.group(1).lower(), *match.span())
    for match in _WAME.finditer(text):
        phone = _phone("+" + match.group(1))
        if phone:
            add(ContactKind.WHATSAPP, phone, *match.span())
    for match in _MESSENGER.finditer(text):
        phone = _phone(match.group(2))
        if phone:
            kind = ContactKind.VIBER if "ib" in match.group(1).lower() or "айб" in match.group(
                1).lower() else ContactKind.WHATSAPP  # fmt: skip
            add(kind, phone, *match.span())
    ibans = []
    for match in _IBAN.finditer(text):
        try:
            add(ContactKind.IBAN, normalise_iban(match.group(1)), *match.span())
            ibans.append(match.span())
        except IdentifierError:
            pass
    cards = []
    for match in _CARD.finditer(text):
        if _within(match.span(), ibans):
            continue
        try:
            add(ContactKind.CARD, card_key(match.group(1)), *match.span())
            cards.append(match.span())
        except IdentifierError:
            pass
    for start, end, phone in _phones(text):
        if not _within((start, end), cards + ibans):
            add(ContactKind.PHONE, phone, start, end)
    return sorted(found.values(), key=lambda c: (c.start, c.kind))


def _phones(text: str) -> list[tuple[int, int, str]]:
    seen: dict[int, tuple[int, int, str]] = {}
    for region in REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            if match.start in seen:
                continue
            number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            seen[match.start] = (match.start, match.end, number)
    return sorted(seen.values())


def _phone(raw: str) -> str | None:
    for region in REGIONS:
        try:
            return normalise_phone(raw, region)
        except IdentifierError:
            continue
    return None


def _inside_email(text: str, at: int) -> bool:
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] in "._-")


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)
