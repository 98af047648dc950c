"""The columns Splink compares, prepared per person record: what Splink lacks.

Splink compares columns with SQL; it has no notion that ``Олександр Петренко``,
``Aleksandr Petrenko`` and ``PETRENKO OLEKSANDR`` are one name. So each record
is turned into columns where they meet, from the keys search and matching
already use (``nitka.normalise``, ``nitka.match``):

- ``names``: the names as given, which the name comparison scores with
  Nitka's cross-script matcher (``match.names.name_score``); a name that
  holds two spellings split by a slash (``Игорь ХАЛЕПА / Iгор ХАЛЕПА``, as
  sanctions annexes write them) is two names;
- ``name_keys`` and ``name_skeletons``: every cross-script key of every word,
  and its skeleton (``normalise.names``), so that names without a word in
  common, even misspelt (``Voronin``, ``Варонін``), are told apart cheaply;
- ``name_sorted``: each name as its words' anchor keys (``anchor``), sorted, so
  that the same name in another script or order is the same text; the first
  is ``name_tf``, the column the frequency of a name is counted on;
- ``name_pairs``: blocking keys, two words of one name as the skeletons of
  their cross-script keys (``normalise.names.skeleton``), so that a Cyrillic
  and a Latin record of one person share at least one;
- ``birth_*``: full birth dates, the same with day and month swapped, the
  years (and the years either side) for dates given as a year alone, every
  date that agrees with a full one as the matcher has it (within a month, a
  year apart on the same day: ``match.dates.agreeable_dates``), and blocking
  keys of a full date with a word of the name;
- ``documents`` and ``contacts``: passport, ID and tax numbers normalised
  (``normalise.keys.identifier_key``), phones in E.164, e-mail addresses;
- ``countries`` and ``gender``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Any

from followthemoney import registry

from nitka.match.dates import agreeable_dates, pack_date, parse_date
from nitka.match.entities import MAX_NAMES, PERSON_IDENTIFIERS
from nitka.normalise.countries import read_countries
from nitka.normalise.keys import identifier_key
from nitka.normalise.names import skeleton, word_keys, words
from nitka.normalise.romanize import romanize_ru
from nitka.resolve.records import PersonRecord, full_names

COUNTRY_PROPS = ("nationality", "citizenship")
SLASH = re.compile(r"\s+/\s+")
"""Two spellings of one name in one value: ``Игорь ХАЛЕПА / Iгор ХАЛЕПА``."""
EMAIL = "email"
PHONE = "phone"


@lru_cache(maxsize=200_000)
def anchor(word: str) -> str | None:
    """One key for a word, the same in most of its spellings and scripts; None if it
    has no letters.

    A word's cross-script keys (``word_keys``) differ in number by script: a
    Cyrillic word has a key per romanisation, a Latin one mostly its own. The
    anchor reads a Cyrillic word the way Russian passports romanise it first (a
    Latin word is left as it is) and takes the least of that spelling's keys, so
    that ``Олександр`` and ``Aleksandr`` (one name in the UA/RU dictionaries) and
    ``Петренко`` and ``PETRENKO`` have one anchor. Spellings it misses (a
    Ukrainian ``Honcharenko`` against ``Гончаренко``) still meet in the name
    comparison; the anchor only makes the exact level and the name's frequency.
    """
    keys = word_keys(romanize_ru(word)) or word_keys(word)
    return min(keys) if keys else None


@lru_cache(maxsize=200_000)
def _skeletons(word: str) -> frozenset[str]:
    return frozenset(skeleton(key) for key in word_keys(word))


def sorted_name(name: str) -> str | None:
    """A name as its words' anchors in order: ``PETRENKO Oleksandr`` -> ``alecsandr petrenko``."""
    anchors = sorted(a for a in map(anchor, words(name)) if a is not None)
    return " ".join(anchors) or None


def name_pairs(name: str) -> set[str]:
    """Blocking keys of a name: each two of its words, as any skeletons of theirs.

    A name of one word is its skeletons alone. Two records share a key when two
    words of a name of each meet, in whatever order and script.
    """
    parts = [skeletons for skeletons in map(_skeletons, words(name)) if skeletons]
    if len(parts) == 1:
        return set(parts[0])
    keys: set[str] = set()
    for left, right in combinations(parts, 2):
        keys.update("|".join(sorted((a, b))) for a in left for b in right)
    return keys


def split_names(names: list[str]) -> list[str]:
    """Names with each spelling of a value that gives several split by a slash apart.

    Scored as one name, ``Игорь ХАЛЕПА / Iгор ХАЛЕПА`` would be a name of four
    words, two of them left over against ``Igor HALEPA``: a part missing on
    one side, not the same name.
    """
    found = [part for name in names for part in _spellings(name)]
    return list(dict.fromkeys(found))[:MAX_NAMES]


def _spellings(name: str) -> list[str]:
    """The spellings a slash splits, if each is a name of two words or more and their
    lengths differ by one word at most; else the name whole: ``МАЛЬКОВ Александр
    Викторович МАЛЬКОВ / Олександр Вiкторович`` is one name with a note, and its
    second part alone (no surname) would meet every Oleksandr Viktorovych."""
    parts = [part.strip() for part in SLASH.split(name)]
    lengths = [len(words(part)) for part in parts]
    if len(parts) > 1 and min(lengths) >= 2 and max(lengths) - min(lengths) <= 1:
        return parts
    return [name]


def swapped(iso: str) -> str | None:
    """A full date with day and month swapped, if that is another real date."""
    part = parse_date(iso)
    if part is None or part.month is None or part.day is None or part.day == part.month:
        return None
    try:
        return date(part.year, part.day, part.month).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str | None, frozenset[str], frozenset[str]]:
    """A word's anchor, cross-script keys and their skeletons, worked out once."""
    return anchor(word), word_keys(word), _skeletons(word)


@lru_cache(maxsize=100_000)
def _name(name: str) -> tuple[str | None, frozenset[str], frozenset[str], frozenset[str]]:
    """A name's ``sorted_name``, keys, skeletons and blocking keys, from its words once.

    The same as ``sorted_name``, ``name_keys``, ``skeleton_keys`` and
    ``name_pairs`` each splitting the name again, in a third of the time: a
    million records are prepared in a minute or two, not five.
    """
    known = [_word(word) for word in words(name)]
    anchors = sorted(a for a, _, _ in known if a is not None)
    keys = frozenset().union(*(k for _, k, _ in known))
    skeletons = frozenset().union(*(s for _, _, s in known))
    parts = [s for _, _, s in known if s]
    if len(parts) == 1:
        pairs = parts[0]
    else:
        pairs = frozenset(
            "|".join(sorted((a, b))) for left, right in combinations(parts, 2)
            for a in left for b in right
        )  # fmt: skip
    return " ".join(anchors) or None, keys, skeletons, pairs


def prepare(record: PersonRecord) -> dict[str, Any]:
    """The columns of one record, as Splink's input row (``unique_id`` is the record's id)."""
    names = split_names(full_names(record))
    known = [_name(name) for name in names]
    sorted_names = list(dict.fromkeys(s for s, _, _, _ in known if s is not None))
    full, years, packed, agree, swaps = _births(tuple(record.get("birthDate")))
    skeletons = frozenset().union(*(s for _, _, s, _ in known))
    return {
        "unique_id": record.id,
        "names": names,
        "name_sorted": sorted_names,
        "name_tf": sorted_names[0] if sorted_names else None,
        "name_keys": sorted(frozenset().union(*(k for _, k, _, _ in known))),
        "name_skeletons": sorted(skeletons),
        "name_pairs": sorted(frozenset().union(*(p for _, _, _, p in known))),
        "birth_dates": list(full),
        "birth_swapped": list(swaps),
        "birth_years": list(years),
        "birth_years_near": sorted({y + d for y in years for d in (-1, 0, 1)}),
        "birth_packed": list(packed),
        "birth_agree": list(agree),
        "birth_keys": sorted(f"{day}|{s}" for day in full + swaps for s in skeletons),
        "birth_date": full[0] if full else None,
        "documents": _documents(record),
        "contacts": _contacts(record),
        "countries": _countries(record),
        "gender": next(filter(None, map(registry.gender.clean, record.get("gender"))), None),
    }


@lru_cache(maxsize=100_000)
def _births(
    values: tuple[str, ...],
) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """``_birth_dates`` and the swapped dates, once for each set of dates a file
    gives (a few tens of thousands in a million records)."""
    full, years, packed, agree = _birth_dates(list(values))
    swaps = [s for s in map(swapped, full) if s is not None and s not in full]
    return tuple(full), tuple(years), tuple(packed), tuple(agree), tuple(swaps)


def _birth_dates(values: list[str]) -> tuple[list[str], list[int], list[int], list[int]]:
    """Full dates (``YYYY-MM-DD``), the years, every date given packed (``YYYYMMDD``,
    00 for what it leaves out), and every packed date that agrees with a full one."""
    full: list[str] = []
    years: list[int] = []
    packed: list[int] = []
    agree: set[int] = set()
    for value in values:
        part = parse_date(value)
        if part is None:
            continue
        years.append(part.year)
        packed.append(pack_date(part))
        agreeable = agreeable_dates(part)
        if agreeable is not None:
            full.append(f"{part.year:04d}-{part.month:02d}-{part.day:02d}")
            agree |= agreeable
    unique = list(dict.fromkeys(full)), list(dict.fromkeys(years)), list(dict.fromkeys(packed))
    return (*unique, sorted(agree))


def _documents(record: PersonRecord) -> list[str]:
    """Document and tax numbers, of whatever kind: a passport number one source
    gives as ``idNumber`` is the same number."""
    keys = {
        identifier_key(kind, value)
        for prop, kind in PERSON_IDENTIFIERS.items()
        if prop != PHONE
        for value in record.get(prop)
    }
    return sorted(key for key in keys if key)


def _contacts(record: PersonRecord) -> list[str]:
    phones = {identifier_key(PHONE, value) for value in record.get(PHONE)}
    emails = {value.strip().lower() for value in record.get(EMAIL)}
    return sorted(key for key in phones | emails if key)


def _countries(record: PersonRecord) -> list[str]:
    codes = {
        code for prop in COUNTRY_PROPS for v in record.get(prop) for code in read_countries(v).codes
    }
    return sorted(codes)
