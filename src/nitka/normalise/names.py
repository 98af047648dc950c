"""Cross-script search keys for names.

Analysts search for a person whose name reached the police in whatever script
and spelling a border guard, a bank or a victim's statement used: Олександр
Петренко in a Ukrainian document, Aleksandr Petrenko in a Russian-style
record, Oleksandr Petrenko in a passport. All of these must find each other.

So a name is split into words, and each word becomes a small set of *keys*:
lowercase ASCII spellings under which it can be found. The index stores the
keys of every name; a query is turned into keys the same way, and a name is a
candidate when its words share keys with the query's words.

- A **Cyrillic** word is romanised by every system a state uses for its
  passports (Ukrainian 2010, Russian ICAO 9303, Bulgarian 2009, Belarusian),
  by the BGN/PCGN spelling of English-language sources, and read the way
  Belarusian, Czech/Croatian/Polish, Romanian (Moldovan) and Serbian or
  Macedonian records spell it (all in ``romanize.py``). We cannot know who
  wrote the Latin spelling we will be asked about, so we keep all of them;
  Latin letters inside a Cyrillic word (Сергiй, typed on the wrong keyboard
  layout) are read as the Cyrillic letters they look like.
- Its Ukrainian/Russian **equivalents** (Олександр ↔ Александр, from the PEP
  registry's dictionaries in ``data/``) add their romanisations too, because
  a Ukrainian's Russian-language documents spell the name differently.
- A **Latin** word that is a romanisation of such a dictionary name gets the
  keys of the name's whole group, so that ``Oleksandr`` finds ``Aleksandr``.
- Any **other script** (Greek, Georgian, Armenian, Arabic, Hebrew, CJK,
  Devanagari, ...) goes through ICU's ``Any-Latin; Latin-ASCII``.
- Every key is then **folded** (``fold_latin``) so that the spelling habits of
  other languages meet: ``Olexandr``, ``Yuriy``/``Iurii``/``Jurij``,
  ``Mykhaylo``/``Mykhailo``.

Weaker *skeleton* keys (first letter, then consonants) catch what folding
misses, such as ``Alexandre`` against ``Aleksandr``; search ranks them lower.

Words are cached (``lru_cache``): names repeat a small vocabulary of words, so
indexing millions of names romanises each distinct word once.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

import icu

from nitka.normalise.romanize import (
    SERBIAN_LETTERS,
    romanize_be,
    romanize_be_national,
    romanize_bg,
    romanize_ro,
    romanize_ru,
    romanize_ru_bgn,
    romanize_scholarly,
    romanize_sr,
    romanize_uk,
)

__all__ = [
    "fold_latin",
    "name_keys",
    "name_tokens",
    "skeleton",
    "skeleton_keys",
    "to_ascii",
    "word_keys",
    "words",
]

DATA = Path(__file__).parent / "data"
#: The PEP registry's Ukrainian/Russian dictionaries, and how many columns of
#: each hold name forms (the rest are counts, comments or the reject mark).
DICTIONARIES = {
    "pep_names.csv": 3,
    "pep_lastnames.csv": 3,
    "pep_patronymics.csv": 3,
    "pep_extra.csv": 2,
}
#: Dictionaries where a ``!`` in a later column marks a row upstream rejected.
_WITH_REJECTS = frozenset({"pep_names.csv", "pep_lastnames.csv"})

# Apostrophes (and the prime signs some systems write for Ь and Ъ) are dropped
# inside a word, not split on: Мар'ян is one word, O'Brien is OBrien.
_APOSTROPHES = "'’ʼ`ʻʹʺ′‘"
# Generic diacritics still separate after NFC: the stress marks of dictionaries
# and Wikipedia (ПУ́ТИН), which have no precomposed letter. Й and Ё are
# precomposed by NFC and stay whole.
_DROP = re.compile(f"[{_APOSTROPHES}\u0300-\u036f]")
_NO_QUOTES = str.maketrans("", "", "'`")
_ASCII_SEPARATORS = re.compile("[^a-z0-9]+")
_CYRILLIC = re.compile("[\u0400-\u052f]")
# Latin letters after lowercasing, with their accented forms.
_LATIN_LETTER = re.compile("[a-z\u00df-\u00f6\u00f8-\u024f]")
_NOT_KEY = re.compile("[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")
_NO_VOWELS = str.maketrans("", "", "aeiouy")
_CONSONANT_YO = re.compile("(?<=[bcdfghklmnprstvzx])(?:yo|io|jo)(?=[bcdfghklmnprstvz])")
_CACHE = 200_000

# Letters that look alike in the two scripts. Real records mix them: the EU
# sanctions annexes write Сергiй and ЦАPËВ with a Latin i, P and Ë inside
# Cyrillic words, and typed data mixes the keyboard layouts the same way.
# Uppercase look-alikes are listed by their lowercase (B/В is b -> в).
_LATIN_TO_CYRILLIC = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "і", "j": "ј", "k": "к",
    "m": "м", "o": "о", "p": "р", "t": "т", "x": "х", "y": "у", "ë": "ё", "ï": "ї",
    "ĸ": "к",
})  # fmt: skip
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "в": "b", "с": "c", "е": "e", "н": "h", "і": "i", "ј": "j", "к": "k",
    "м": "m", "о": "o", "р": "p", "т": "t", "х": "x", "у": "y", "ё": "ë", "ї": "ï",
    "ѕ": "s",
})  # fmt: skip

# Latin letters with diacritics that the romanisations write (Serbian,
# Macedonian, Romanian, Belarusian), folded here without a round trip through ICU.
_LATIN_ASCII = str.maketrans({
    "č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "d", "ǵ": "g", "ḱ": "k", "ş": "s",
    "ș": "s", "ţ": "t", "ț": "t", "ă": "a", "â": "a", "î": "i", "ĺ": "l", "ń": "n",
    "ś": "s", "ź": "z", "ŭ": "u",
})  # fmt: skip
# The same letters as English-speaking clerks write them: Ševčenko is also
# Shevchenko, Vučić is Vuchich, Đoković is Djokovic, Żuk is Zhuk, Şupac Shupac.
_DIGRAPHS = str.maketrans({
    "č": "ch", "ć": "ch", "š": "sh", "ž": "zh", "đ": "dj", "ǵ": "gj", "ḱ": "kj",
    "ş": "sh", "ș": "sh", "ţ": "ts", "ț": "ts", "ç": "ch", "ż": "zh",
})  # fmt: skip

#: Passport and English-language romanisations: applied to every Cyrillic
#: word, and the ones whose spellings identify a dictionary name (a Latin word
#: that is one of them gets the keys of the name's whole group).
OFFICIAL: tuple[Callable[[str], str], ...] = (
    romanize_uk,
    romanize_ru,
    romanize_ru_bgn,
    romanize_bg,
    romanize_be,
)
#: Spellings by other alphabets' rules, applied to every Cyrillic word too but
#: not used to identify dictionary names: Romanian j is Ж and folds like the
#: i of Й, so Журжій read as Romanian (jurjii) looks like Юрій; as keys they
#: only add spellings, through the dictionary they would join unrelated names.
READINGS: tuple[Callable[[str], str], ...] = (
    romanize_be_national,
    romanize_scholarly,
    romanize_ro,
)

# Spelling folds, applied in this order until nothing changes. Each maps the
# variants that other languages' spellings and older systems use to one form.
_FOLDS = (
    ("sz", "sh"),  # Polish Ш: Szewczenko -> shevchenko (with cz, below)
    ("cz", "ch"),  # Polish Ч: Kowalczuk -> kovalchuk
    ("tsch", "ch"),  # Ч in German: Demtschenko -> demchenko
    ("tch", "ch"),  # Ч in French: Tchepikov -> chepikov
    ("shch", "sh"),  # Щ: Shchukin -> shukin (and German Schukin, below)
    ("sch", "sh"),  # German Ш/Щ: Schewtschenko -> shevchenko
    ("ph", "f"),  # Sophia -> sofia, as Sofiia -> sofia
    ("ck", "k"),  # Zuckerman -> zukerman
    ("ct", "kt"),  # Victor -> viktor
    ("ou", "u"),  # French У: Roudolf -> rudolf
    ("kh", "h"),  # Х: Kharkiv (kh) and Harkiv (h, as in Bulgarian and German) -> harkiv
    ("x", "ks"),  # Olexandr -> oleksandr
    ("q", "k"),  # Qasym (Kazakh Қ) -> kasim
    ("w", "v"),  # Wladimir -> vladimir
    ("tz", "ts"),  # Kravetz -> kravets
    ("tc", "ts"),  # Ц in Russian passports of 2010-2013: Kuznetcov -> kuznetsov
    ("tsts", "ts"),  # doubled Cyrillic consonants: Таццяна -> tatstsiana -> tatsiana
    ("shsh", "sh"),
    ("chch", "ch"),
    ("zhzh", "zh"),
    ("j", "i"),  # Jurij -> iurii -> iuri
    ("y", "i"),  # Yuriy -> iurii -> iuri; Mykhaylo -> mihailo, as Mykhailo
)


def _first(match: re.Match[str]) -> str:
    return match[1]


def _fold_once(text: str) -> str:
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    # Word-initial ie/ye is e: Ukrainian Є and Russian initial Е are written
    # Ye, Ie or E (Yevhen, Ievgen, Evgen -> evhen/evgen).
    if text.startswith("ie") and len(text) > 2:
        text = text[1:]
    # The English -ander of Slavic -андр: Alexander -> aleksandr.
    if text.endswith("ander"):
        text = text[:-5] + "andr"
    # Doubled letters are single (Anna/Ana, Illich/Ilich), which also makes
    # word-final iy, yi, ii, ij and yy one i: Yuriy, Iurii, Jurij -> iuri.
    return _DOUBLE.sub(_first, text)


@lru_cache(maxsize=_CACHE)
def fold_latin(word: str) -> str:
    """Fold one Latin-script word to its canonical spelling; idempotent.

    Foreign records spell one Cyrillic name in many ways, and the index can
    only find what it stores, so every key is brought to one spelling:
    lowercase, diacritics dropped, only ``[a-z0-9]`` kept, and then (until
    nothing changes) ``tsch``/``tch`` -> ``ch`` (Demtschenko, Tchepikov),
    ``shch``/``sch`` -> ``sh`` (Shchukin, Schukin), ``ph`` -> ``f`` (Sophia),
    ``ck`` -> ``k``, ``ct`` -> ``kt`` (Victor), ``ou`` -> ``u`` (Roudolf),
    ``kh`` -> ``h`` (Kharkiv, Harkiv), ``x`` -> ``ks`` (Olexandr ->
    ``oleksandr``), ``q`` -> ``k``, ``w`` -> ``v`` (Wladimir), ``tz``/``tc`` ->
    ``ts`` (Kravetz, Kuznetcov), ``j`` and ``y`` -> ``i``; word-initial
    ``ie``/``ye`` -> ``e`` (Yevhen -> ``evhen``); final ``-ander`` -> ``-andr``
    (Alexander); doubled letters single. So ``Yuriy``, ``Iurii`` and ``Jurij``
    all become ``iuri`` (final iy/yi/ii/ij/yy -> i), and ``Mykhailo``,
    ``Mykhaylo`` and ``Mikhailo`` all become ``mihailo``.
    """
    text = word.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    text = _NOT_KEY.sub("", text)
    while True:
        folded = _fold_once(text)
        if folded == text:
            return text
        text = folded


def skeleton(key: str) -> str:
    """First letter, then consonants only: ``aleksandr`` and ``alexander`` -> ``alksndr``.

    Vowels are where transliterations disagree most (Ю as yu, iu, ju, u; an
    English e inserted in Alexander), so the skeleton still meets when the
    folded keys do not. It is weaker evidence, so search ranks it lower.
    """
    if len(key) < 2:
        return key
    return _DOUBLE.sub(_first, key[0] + key[1:].translate(_NO_VOWELS))


@cache
def _transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def to_ascii(text: str) -> str:
    """Any script to ASCII through ICU (Greek, Georgian, Arabic, accented Latin, ...)."""
    if text.isascii():
        return text
    return str(_transliterator().transliterate(text))


def _ascii(text: str) -> str:
    if text.isascii():
        return text
    text = text.translate(_LATIN_ASCII)
    return text if text.isascii() else to_ascii(text)


def _ascii_forms(text: str) -> set[str]:
    """ASCII spellings of a Latin word: without its diacritics, and with ``_DIGRAPHS``."""
    forms = {_ascii(text)}
    digraphs = text.translate(_DIGRAPHS)
    if digraphs != text:
        forms.add(_ascii(digraphs))
    return forms


@cache
def _separators() -> re.Pattern[str]:
    """Split on anything but letters, digits and combining marks.

    Marks are part of their word: the vowel signs of Devanagari or Thai are
    letters of the name (मोदी is modi), and splitting on them would tear it.
    """
    marks = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)).startswith("M"))
    return re.compile(f"[^\\w{re.escape(marks)}]+|_")


def words(text: str) -> list[str]:
    """Normalised words of a name: NFC, lowercase, apostrophes dropped, split on the rest.

    Hyphens separate words, so a double surname (Ілліч-Світич) is two words
    and each part is found on its own.
    """
    if text.isascii():  # most names in most sources: already NFC
        return [w for w in _ASCII_SEPARATORS.split(text.lower().translate(_NO_QUOTES)) if w]
    text = unicodedata.normalize("NFC", text).lower()
    text = _DROP.sub("", text)
    return [w for w in _separators().split(text) if w]


def _dictionary_key(word: str) -> str:
    """Russian writes Ё as Е more often than not; the dictionaries mostly do."""
    return word.replace("ё", "е")


def _rows(name: str) -> Iterable[list[list[str]]]:
    """The dictionary's rows as lists of name forms, each form a list of words."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if name in _WITH_REJECTS and any(cell.strip() == "!" for cell in row[1:]):
                continue
            forms = [[_cyrillic_reading(w) for w in words(c)] for c in row[: DICTIONARIES[name]]]
            yield [f for f in forms if f and all(_CYRILLIC.search(w) for w in f)]


def _cyrillic_reading(word: str) -> str:
    """A Cyrillic word with look-alike Latin letters (the dictionaries have Iван) made whole."""
    if not _LATIN_LETTER.search(word) or not _CYRILLIC.search(word):
        return word
    cyrillic = word.translate(_LATIN_TO_CYRILLIC)
    return word if _LATIN_LETTER.search(cyrillic) else cyrillic


@cache
def _dictionary() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Cyrillic word -> its group, and Latin key -> the Cyrillic words it romanises.

    A group is every spelling that dictionary rows link (the Ukrainian and the
    Russian forms); rows that share a spelling join into one group. Forms of
    several words (Ілліч-Світич, П'єр-Марі) link word by word when every form
    of the row has as many words. Loaded once, on first use.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for name in DICTIONARIES:
        for forms in _rows(name):
            if len(forms) < 2 or len({len(f) for f in forms}) != 1:
                continue
            for parts in zip(*forms, strict=True):
                first = find(_dictionary_key(parts[0]))
                for part in parts[1:]:
                    parent[find(_dictionary_key(part))] = first
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
            for key in _official(form):
                by_latin.setdefault(key, set()).update(members)
    return by_form, {k: frozenset(v) for k, v in by_latin.items()}


def _fold_all(spellings: Iterable[str]) -> frozenset[str]:
    # Many systems spell a word alike: fold each distinct spelling once.
    keys = {fold_latin(form) for text in set(spellings) for form in _ascii_forms(text)}
    keys.discard("")
    return frozenset(keys)


@lru_cache(maxsize=_CACHE)
def _official(word: str) -> frozenset[str]:
    """The folded keys of one Cyrillic word by the ``OFFICIAL`` romanisations."""
    return _fold_all(romanize(word) for romanize in OFFICIAL)


@lru_cache(maxsize=_CACHE)
def _romanised(word: str) -> frozenset[str]:
    """The folded keys of one Cyrillic word by every romanisation.

    ICU's own Cyrillic transliteration (ISO 9) is not used: folded to ASCII it
    writes Я as a and Ю as u, so that Яна would meet Анна. ICU only spells
    what our tables do not know (``_ascii``).
    """
    spellings = [romanize(word) for romanize in READINGS]
    if not SERBIAN_LETTERS.isdisjoint(word):
        spellings.append(romanize_sr(word))
    return _official(word) | _fold_all(spellings)


def _cyrillic_keys(word: str) -> set[str]:
    by_form, by_latin = _dictionary()
    keys = set(_romanised(word))
    group = by_form.get(_dictionary_key(word))
    if group is None:
        # Not in the dictionaries as written (a Russified Ukrainian spelling,
        # say): if it romanises like a dictionary name, it is that name.
        group = frozenset(f for key in _official(word) for f in by_latin.get(key, ()))
    for form in group:
        keys |= _romanised(form)
    return keys


def _latin_keys(word: str) -> set[str]:
    """Keys of a Latin word (or of any non-Cyrillic script, through ICU)."""
    keys: set[str] = set()
    for form in _ascii_forms(word):
        keys.add(fold_latin(form))
        # Ё after a consonant is yo or io in Latin (Semyonov, Fiodor) but Е
        # in Russian passports and most Russian writing (Семенов, Федор).
        if _CONSONANT_YO.search(form):
            keys.add(fold_latin(_CONSONANT_YO.sub("e", form)))
    _, by_latin = _dictionary()
    for key in list(keys):
        for cyrillic in by_latin.get(key, ()):
            keys |= _romanised(cyrillic)
    return keys


def _readings(word: str) -> list[tuple[bool, str]]:
    """The word as pure Cyrillic and/or pure Latin: ``(is_cyrillic, word)`` pairs.

    A word that mixes the scripts is read in the script most of its letters
    are in, its look-alike letters of the other script replaced (both ways
    when the scripts are even); if that does not remove the other script, it
    is romanised as it is.
    """
    cyrillic = len(_CYRILLIC.findall(word))
    if not cyrillic:
        return [(False, word)]
    latin = len(_LATIN_LETTER.findall(word))
    if not latin:
        return [(True, word)]
    readings = []
    if cyrillic >= latin:
        as_cyrillic = word.translate(_LATIN_TO_CYRILLIC)
        if not _LATIN_LETTER.search(as_cyrillic):
            readings.append((True, as_cyrillic))
    if latin >= cyrillic:
        as_latin = word.translate(_CYRILLIC_TO_LATIN)
        if not _CYRILLIC.search(as_latin):
            readings.append((False, as_latin))
    return readings or [(True, word)]


@lru_cache(maxsize=_CACHE)
def word_keys(word: str) -> frozenset[str]:
    """The search keys of one normalised word (see ``words``)."""
    keys: set[str] = set()
    for cyrillic, reading in _readings(word):
        keys |= _cyrillic_keys(reading) if cyrillic else _latin_keys(reading)
    keys.discard("")
    return frozenset(keys)


def name_tokens(text: str) -> list[set[str]]:
    """Split a name into words; for each word, its set of search keys.

    Keys are lowercase ASCII letters and digits, never empty; words that fold
    to nothing (punctuation, an unknown symbol) are dropped. Search needs the
    words apart: a query word must meet some word of the name.
    """
    result = []
    for word in words(text):
        keys = word_keys(word)
        if keys:
            result.append(set(keys))
    return result


def name_keys(text: str) -> set[str]:
    """Union of the keys of all words: what the index stores in its ``keys`` column."""
    return set().union(*map(word_keys, words(text)))


@lru_cache(maxsize=_CACHE)
def _word_skeletons(word: str) -> frozenset[str]:
    return frozenset(map(skeleton, word_keys(word)))


def skeleton_keys(text: str) -> set[str]:
    """Weaker per-word keys for the fallback column ``skel``: the skeletons of the keys.

    Each folded key keeps its first letter and drops vowels and y (see
    ``skeleton``): ``aleksandr`` and ``alexander`` are both ``alksndr``.
    """
    return set().union(*map(_word_skeletons, words(text)))
