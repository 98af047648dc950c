"""Bank accounts (IBAN, via schwifty) and payment cards (Luhn, kept masked)."""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from nitka.normalise.ids.errors import IdentifierError

_DIGITS = re.compile(r"[\s\-]+")


def normalise_iban(value: str) -> str:
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as error:
        raise IdentifierError(str(error), field="iban") from None


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        digit = int(ch)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def card_key(value: str) -> str:
    """A valid card number, masked: first 6 and last 4 digits kept (PCI DSS)."""
    digits = _DIGITS.sub("", value)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise IdentifierError("a card number has 12 to 19 digits", field="card")
    if not luhn_valid(digits):
        raise IdentifierError("card number fails the Luhn check", field="card")
    return mask_card(digits)


def mask_card(digits: str) -> str:
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
