"""Machine-readable zones of travel documents (ICAO Doc 9303): TD1 (ID cards) and TD3 (passports).

Every check digit is verified (7-3-1 weights). Fields that are digits by
definition (dates, check digits) read the letters OCR confuses with digits
as those digits (O as 0, I as 1, B as 8, S as 5, Z as 2, G as 6). A document
number whose check digit fails as read is tried with the same confusions,
and the one variant that passes is taken, with the correction recorded.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from nitka.normalise.ids.errors import IdentifierError

_WEIGHTS = (7, 3, 1)
_TO_DIGIT = str.maketrans("OIBSZGQD", "01852600")
_CONFUSED = {"0": "O", "O": "0", "1": "I", "I": "1", "8": "B", "B": "8", "5": "S", "S": "5"}
_SPACES = re.compile(r"[ \t]+")


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == "<":
        return 0
    return ord(ch) - ord("A") + 10


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of a field."""
    return str(sum(_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10)


@dataclass(frozen=True)
class Mrz:
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: str
    """ISO 8601; the century is the one that puts the date in the past."""
    sex: str
    """M, F or X (unspecified)."""
    expiry_date: str
    corrections: list[str] = field(default_factory=list)
    """OCR confusions corrected in the document number, if any."""


def parse_mrz(text: str, *, today: date | None = None) -> Mrz:
    lines = [_SPACES.sub("", line).upper() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 1 and len(lines[0]) in (88, 90):
        size = 44 if len(lines[0]) == 88 else 30
        lines = [lines[0][i : i + size] for i in range(0, len(lines[0]), size)]
    shape = tuple(len(line) for line in lines)
    if shape == (44, 44):
        return _td3(lines, today or date.today())
    if shape == (30, 30, 30):
        return _td1(lines, today or date.today())
    raise IdentifierError(
        f"an MRZ has two lines of 44 characters (passport) or three of 30 (ID card), "
        f"not {len(lines)} of {', '.join(map(str, shape)) or '0'}",
        field="mrz",
    )


def _td3(lines: list[str], today: date) -> Mrz:
    first, second = lines
    surname, given = _names(first[5:44])
    number, corrections = _document_number(second[0:9], second[9], "mrz.line2")
    second = number.ljust(9, "<") + second[9:]
    second = _digits_at(second, (13, 20), (21, 28))
    birth = _date(second[13:19], second[19], "mrz.line2.birth_date", today, past=True)
    expiry = _date(second[21:27], second[27], "mrz.line2.expiry_date", today, past=False)
    _checked(second[28:42], second[42], "mrz.line2.personal_number", optional=True)
    composite = second[0:10] + second[13:20] + second[21:43]
    _composite(composite, second[43], "mrz.line2", corrections)
    return Mrz(
        first[0:2].rstrip("<"),
        first[2:5].rstrip("<"),
        surname,
        given,
        number,
        second[10:13].rstrip("<"),
        birth,
        _sex(second[20]),
        expiry,
        corrections,
    )


def _td1(lines: list[str], today: date) -> Mrz:
    first, second, third = lines
    number, corrections = _document_number(first[5:14], first[14], "mrz.line1")
    first = first[:5] + number.ljust(9, "<") + first[14:]
    second = _digits_at(second, (0, 7), (8, 15))
    birth = _date(second[0:6], second[6], "mrz.line2.birth_date", today, past=True)
    expiry = _date(second[8:14], second[14], "mrz.line2.expiry_date", today, past=False)
    composite = first[5:30] + second[0:7] + second[8:15] + second[18:29]
    _composite(composite, second[29], "mrz.line1", corrections)
    surname, given = _names(third)
    return Mrz(
        first[0:2].rstrip("<"),
        first[2:5].rstrip("<"),
        surname,
        given,
        number,
        second[15:18].rstrip("<"),
        birth,
        _sex(second[7]),
        expiry,
        corrections,
    )


def _digits_at(line: str, *spans: tuple[int, int]) -> str:
    """The line with its date fields and their check digits read as digits."""
    for start, end in spans:
        line = line[:start] + line[start:end].translate(_TO_DIGIT) + line[end:]
    return line


def _names(field_text: str) -> tuple[str, str]:
    surname, _, given = field_text.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _sex(ch: str) -> str:
    return {"M": "M", "F": "F"}.get(ch, "X")


def _checked(data: str, digit: str, where: str, *, optional: bool = False) -> None:
    digit = digit.translate(_TO_DIGIT)
    if optional and set(data) <= {"<"} and digit in ("<", "0"):
        return
    expected = check_digit(data.translate(_TO_DIGIT) if "date" in where else data)
    if digit != expected:
        raise IdentifierError(
            f"check digit is {expected}, the MRZ says {digit}", field=f"{where}.check_digit"
        )


def _composite(data: str, digit: str, number_line: str, corrections: list[str]) -> None:
    """The composite check; if it fails after a corrected number, the number is what failed."""
    try:
        _checked(data, digit, "mrz.line2.composite")
    except IdentifierError:
        if not corrections:
            raise
        raise IdentifierError(
            "the document number's check digit fails, and no reading of it passes every check",
            field=f"{number_line}.document_number.check_digit",
        ) from None


def _document_number(data: str, digit: str, where: str) -> tuple[str, list[str]]:
    digit = digit.translate(_TO_DIGIT)
    if check_digit(data) == digit:
        return data.rstrip("<"), []
    positions = [i for i, ch in enumerate(data) if ch in _CONFUSED]
    passing = []
    for count in (1, 2):
        for chosen in itertools.combinations(positions, count):
            chars = list(data)
            for i in chosen:
                chars[i] = _CONFUSED[chars[i]]
            variant = "".join(chars)
            if check_digit(variant) == digit:
                passing.append((variant, chosen))
        if passing:
            break
    if len(passing) != 1:
        raise IdentifierError(
            f"check digit of the document number {data.rstrip('<')} is {check_digit(data)}, "
            f"the MRZ says {digit}",
            field=f"{where}.document_number.check_digit",
        )
    variant, chosen = passing[0]
    notes = [f"read {data[i]} as {variant[i]} at position {i + 1}" for i in chosen]
    return variant.rstrip("<"), notes


def _date(raw: str, digit: str, where: str, today: date, *, past: bool) -> str:
    text = raw.translate(_TO_DIGIT)
    _checked(text, digit, where)
    if not text.isdigit():
        raise IdentifierError(f"{raw!r} is not a date", field=where)
    year, month, day = int(text[0:2]), int(text[2:4]), int(text[4:6])
    century = 2000 if 2000 + year <= today.year + (0 if past else 20) else 1900
    if past and date(min(century + year, 9999), 1, 1) > date(today.year, 12, 31):
        century = 1900
    try:
        return date(century + year, month, day).isoformat()
    except ValueError:
        raise IdentifierError(f"{raw!r} is not a date", field=where) from None
