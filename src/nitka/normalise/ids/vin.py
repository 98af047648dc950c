"""Vehicle identification numbers (ISO 3779), with the check digit at position 9.

The check digit is mandatory in North America (VINs starting 1-5); most
other manufacturers, European ones among them, do not use it, so elsewhere a
wrong check digit is reported, not refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nitka.normalise.ids.errors import IdentifierError

_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s\-.]+")


@dataclass(frozen=True)
class Vin:
    vin: str
    wmi: str
    """The world manufacturer identifier: the first three characters."""
    check_digit_valid: bool | None
    """True or False where the check digit is used; None where it need not be."""


def vin_check_digit(vin: str) -> str:
    total = sum(_VALUES[ch] * weight for ch, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def parse_vin(value: str) -> Vin:
    vin = _SEPARATORS.sub("", value).upper()
    if len(vin) != 17:
        raise IdentifierError(f"a VIN has 17 characters, not {len(vin)}", field="vin")
    for letter in "IOQ":
        if letter in vin:
            raise IdentifierError(f"VIN contains {letter}; VINs never use I, O or Q", field="vin")
    bad = sorted({ch for ch in vin if ch not in _VALUES})
    if bad:
        raise IdentifierError(f"VIN contains {''.join(bad)!r}", field="vin")
    expected = vin_check_digit(vin)
    valid = expected == vin[8]
    if not valid and vin[0] in "12345":
        raise IdentifierError(
            f"VIN check digit is {expected}, the 9th character is {vin[8]}",
            field="vin.check_digit",
        )
    return Vin(vin, vin[:3], valid if vin[0] in "12345" or valid else None)


def normalise_vin(value: str) -> str:
    return parse_vin(value).vin
