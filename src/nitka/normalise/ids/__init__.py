"""Identifiers, validated and normalised so that two spellings of one compare equal."""

from __future__ import annotations

import re

import phonenumbers

from nitka.normalise.ids.accounts import card_key, normalise_iban
from nitka.normalise.ids.errors import IdentifierError
from nitka.normalise.ids.plates import plate_key
from nitka.normalise.ids.vin import normalise_vin

__all__ = ["IdentifierError", "normalise_document_number", "normalise_identifier"]

_NOT_ALNUM = re.compile(r"[\W_]+")
"""Anything but letters (of any script) and digits."""


def normalise_document_number(value: str) -> str:
    """Passport and ID-card numbers: upper-case, without spaces, dashes or MRZ fillers.

    Cyrillic letters with a Latin twin become Latin (series typed either way
    meet); other letters are kept, never dropped: КВ 123456 and СН 123456 are
    different documents.
    """
    number = _NOT_ALNUM.sub("", value.upper().translate(_CYRILLIC_TO_LATIN))
    if not number:
        raise IdentifierError("a document number needs letters or digits", field="number")
    return number


_CYRILLIC_TO_LATIN = str.maketrans("АВЕІКМНОРСТХ", "ABEIKMHOPCTX")


def normalise_phone(value: str, default_region: str = "UA") -> str:
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as error:
        raise IdentifierError(str(error), field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise IdentifierError(f"{value!r} is not a valid phone number", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_identifier(kind: str, value: str) -> str:
    """The comparable form of an identifier of this kind; IdentifierError if invalid."""
    if kind in ("passport", "idcard", "national", "rnokpp") or kind.startswith("national:"):
        return normalise_document_number(value)
    if kind == "vin":
        return normalise_vin(value)
    if kind == "plate":
        return plate_key(value)
    if kind == "phone":
        return normalise_phone(value)
    if kind == "iban":
        return normalise_iban(value)
    if kind == "card":
        return card_key(value)
    raise IdentifierError(f"unknown identifier kind {kind!r}", field="kind")
