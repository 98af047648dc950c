"""The keys documents, vehicles and identifiers are compared and looked up by.

A check finds a stored document or vehicle by exact key (``document:``,
``vin:``, ``plate:`` and the normalised number) in the search index's lookup
column; the matcher compares the same keys. Both take them from here.
"""

from __future__ import annotations

from followthemoney.schema import Schema

from nitka.normalise.ids import IdentifierError, normalise_identifier

DOCUMENT_NUMBERS = ("number", "passportNumber")


def identifier_key(kind: str, value: str) -> str:
    """An identifier normalised for its kind; one that does not validate, its letters and
    digits as given."""
    try:
        return normalise_identifier(kind, value)
    except IdentifierError:
        return "".join(ch for ch in value.upper() if ch.isalnum())


def document_key(value: str) -> str:
    """A travel document's number as documents are compared and looked up."""
    return identifier_key("passport", value)


def vehicle_key(value: str) -> tuple[str, str]:
    """A registration number's kind (``vin`` or ``plate``) and normalised form."""
    try:
        return "vin", normalise_identifier("vin", value)
    except IdentifierError:
        return "plate", identifier_key("plate", value)


def lookup_key(schema: Schema, prop: str, value: str) -> str | None:
    """The key a stored document or vehicle is looked up by (``document:``, ``vin:``,
    ``plate:`` and the normalised number), or None for other values.

    Documents and vehicles are checked by exact number only, so the store
    keeps this key beside the search index and a check finds them without
    holding tens of millions of them in memory.
    """
    if schema.is_a("Identification") and prop in DOCUMENT_NUMBERS:
        return f"document:{document_key(value)}"
    if schema.is_a("Vehicle") and prop == "registrationNumber":
        kind, key = vehicle_key(value)
        return f"{kind}:{key}"
    return None
