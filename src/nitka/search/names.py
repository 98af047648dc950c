"""Cross-script search keys for names.

A name is split into words, and each word becomes a small set of *keys*:
lowercase ASCII spellings under which it can be found. Two spellings of one
name in different scripts share a key, so a search for either finds both:

- a Cyrillic word is romanised by the Ukrainian, Russian and Bulgarian official
  systems (``romanize.py``), and by those of its Ukrainian/Russian equivalents
  (Олександр ↔ Александр, from the PEP registry's dictionaries);
- a Latin word that is a known romanisation of such a name gets the keys of
  the name's whole group, so ``Oleksandr`` and ``Aleksandr`` meet;
- any other script goes through ICU's ``Any-Latin; Latin-ASCII``;
- every key is then folded (``fold_latin``) so that common foreign spellings
  meet: ``Olexandr``, ``Yuriy``/``Iurii``/``Jurij``, ``Mykhaylo``/``Mykhailo``.

Weaker *skeleton* keys (first letter, then consonants) catch what folding
misses, such as ``Alexander`` against ``Aleksandr``; search ranks them lower.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import icu

from nitka.search.romanize import romanize_bg, romanize_ru, romanize_uk

DATA = Path(__file__).parent / "data"
DICTIONARIES = ("pep_names.csv", "pep_lastnames.csv", "pep_patronymics.csv", "pep_extra.csv")

_APOSTROPHES = re.compile("['’ʼ`ʻ]")
_SEPARATORS = re.compile(r"[^\w]+|_")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_NOT_KEY = re.compile("[^a-z0-9]")
_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile("[aeiouy]")

# Ordered spelling folds: each maps variants foreign records use to one form.
_FOLDS = (
    ("tsch", "ch"),  # Ч in German (Demtschenko) and French (Tchepikov) spelling -> ch
    ("tch", "ch"),
    ("shch", "sh"),  # Щ: shch (UA/RU) and German sch -> sh (Щукин: Shchukin, Schukin)
    ("sch", "sh"),
    ("ph", "f"),  # Sophia / Sofiia
    ("ck", "k"),
    ("ct", "kt"),  # Victor / Viktor
    ("ou", "u"),  # French У: Roudolf / Rudolf
    ("kh", "h"),  # Х: kh (UA/RU) and h (BG, German): Kharkiv / Harkiv
    ("x", "ks"),  # Olexandr / Oleksandr
    ("q", "k"),
    ("w", "v"),  # Wladimir / Vladimir
    ("tz", "ts"),
    ("j", "i"),  # Jurij / Iurii
    ("y", "i"),  # Yuriy / Iurii; Mykhaylo / Mykhailo
)


def fold_latin(word: str) -> str:
    """Fold one Latin word to its canonical spelling; idempotent.

    ``Yuriy``, ``Iurii`` and ``Jurij`` all become ``iuri``; ``Olexandr``
    becomes ``oleksandr``; ``Yevhen`` becomes ``evhen`` (word-initial ie/ye is
    written e in many transliterations); doubled letters are single.
    """
    text = _NOT_KEY.sub("", word.lower())
    while True:
        before = text
        for old, new in _FOLDS:
            text = text.replace(old, new)
        if text.startswith("ie") and len(text) > 2:
            text = text[1:]
        text = _DOUBLE.sub(r"\1", text)
        if text == before:
            return text


def skeleton(key: str) -> str:
    """First letter, then consonants only: ``aleksandr`` and ``alexander`` -> ``alksndr``."""
    if len(key) < 2:
        return key
    return _DOUBLE.sub(r"\1", key[0] + _VOWELS.sub("", key[1:]))


@cache
def _transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def to_ascii(text: str) -> str:
    """Any script to ASCII through ICU (Greek, Georgian, Arabic, accented Latin, ...)."""
    if text.isascii():
        return text
    return str(_transliterator().transliterate(text))


def words(text: str) -> list[str]:
    """Normalised words of a name: NFC, lowercase, apostrophes dropped, split on the rest.

    Combining marks left after NFC (stress accents in dictionaries and
    Wikipedia: ПУ́ТИН) are dropped; letters like й and ё stay whole.
    """
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    return [w for w in _SEPARATORS.split(text) if w]


def _romanisations(word: str) -> set[str]:
    return {romanize_uk(word), romanize_ru(word), romanize_bg(word)}


@cache
def _dictionary() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Cyrillic spelling -> its group, and folded Latin spelling -> the groups' spellings.

    A group is every spelling that one dictionary row links (the Ukrainian and
    Russian forms); rows that share a spelling join into one group.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for name in DICTIONARIES:
        with (DATA / name).open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if any(cell.strip() == "!" for cell in row[1:]):
                    continue
                limit = 2 if name == "pep_extra.csv" else 3
                forms = [c.strip().lower() for c in row[:limit] if _CYRILLIC.search(c)]
                forms = [f for f in forms if " " not in f]
                for form in forms[1:]:
                    parent[find(form)] = find(forms[0])
                if forms:
                    find(forms[0])
    groups: dict[str, set[str]] = {}
    for form in parent:
        groups.setdefault(find(form), set()).add(form)
    by_form: dict[str, frozenset[str]] = {}
    by_latin: dict[str, set[str]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        frozen = frozenset(members)
        for form in members:
            by_form[form] = frozen
            for latin in _romanisations(form):
                by_latin.setdefault(fold_latin(latin), set()).update(members)
    return by_form, {k: frozenset(v) for k, v in by_latin.items()}


def _cyrillic_keys(word: str) -> set[str]:
    by_form, _ = _dictionary()
    forms = {word} | by_form.get(word, frozenset())
    keys = {fold_latin(latin) for form in forms for latin in _romanisations(form)}
    keys.add(fold_latin(to_ascii(word)))
    return keys


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """The search keys of one normalised word (see ``words``)."""
    if _CYRILLIC.search(word):
        keys = _cyrillic_keys(word)
    else:
        folded = fold_latin(to_ascii(word))
        keys = {folded}
        _, by_latin = _dictionary()
        for form in by_latin.get(folded, frozenset()):
            keys |= {fold_latin(latin) for latin in _romanisations(form)}
    keys.discard("")
    return frozenset(keys)


def name_tokens(text: str) -> list[set[str]]:
    """For each word of a name, its set of search keys; words without keys are dropped."""
    result = []
    for word in words(text):
        keys = word_keys(word)
        if keys:
            result.append(set(keys))
    return result


def name_keys(text: str) -> set[str]:
    """Every key of every word of a name: what the search index stores."""
    return {key for keys in name_tokens(text) for key in keys}


def skeleton_keys(text: str) -> set[str]:
    """The skeletons of a name's keys: the index's weaker, fallback column."""
    return {skeleton(key) for key in name_keys(text)}
