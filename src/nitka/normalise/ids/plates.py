"""Number plates: Cyrillic letters that look like Latin ones are the same letter.

Ukrainian plates use only the twelve Cyrillic letters that have a Latin twin
(А В Е І К М Н О Р С Т Х), so "АА 1234 ВХ" typed in Cyrillic and "AA1234BX"
typed in Latin are one plate.
"""

from __future__ import annotations

import re

from nitka.normalise.ids.errors import IdentifierError

_LOOK_ALIKES = str.maketrans("АВЕІКМНОРСТХ", "ABEIKMHOPCTX")
_NOT_PLATE = re.compile(r"[^0-9A-ZА-ЯІЇЄҐ]+")


def plate_key(value: str) -> str:
    """The plate upper-cased, without separators, look-alike letters in Latin."""
    key = _NOT_PLATE.sub("", value.upper()).translate(_LOOK_ALIKES)
    if not key:
        raise IdentifierError("a plate needs letters or digits", field="plate")
    return key
