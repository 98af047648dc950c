"""Official romanisations of Cyrillic: Ukrainian (2010), Russian (passport) and Bulgarian (2009).

Each function turns one lowercase word into Latin letters by the rules a
state uses for its own passports, so the Latin spelling in a foreign record
is most often one of these. Letters a table does not cover (from other
Cyrillic alphabets) fall back to the ``_OTHER`` table.
"""

from __future__ import annotations

# Ukrainian: Cabinet of Ministers Resolution No. 55 of 27 January 2010.
# The first value is the word-initial form, the second the form elsewhere.
_UK_POSITIONAL = {
    "є": ("ye", "ie"),
    "ї": ("yi", "i"),
    "й": ("y", "i"),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
}
_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip

# Russian: the ICAO Doc 9303 table Russian passports use since 2014.
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip

# Bulgarian: the Streamlined System of the 2009 Transliteration Act.
_BG = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

# Letters of Belarusian, Serbian and Macedonian Cyrillic, by their national romanisations.
_OTHER = {
    "ў": "u", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ђ": "dj", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ё": "e", "ы": "y",
    "э": "e", "ъ": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip


def _apply(word: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, _OTHER.get(ch, ch)) for ch in word)


def romanize_uk(word: str) -> str:
    """Ukrainian national romanisation: Згорани -> zghorany, Юлія -> yuliia."""
    word = word.lower()
    out = []
    for position, ch in enumerate(word):
        if ch in _UK_POSITIONAL:
            initial, inner = _UK_POSITIONAL[ch]
            out.append(initial if position == 0 else inner)
        elif ch == "г" and position > 0 and word[position - 1] == "з":
            out.append("gh")  # зг is zgh, so that it is not read as zh
        else:
            out.append(_UK.get(ch, _OTHER.get(ch, ch)))
    return "".join(out)


def romanize_ru(word: str) -> str:
    """Russian passport romanisation: Александр -> aleksandr, Юрий -> iurii."""
    return _apply(word.lower(), _RU)


def romanize_bg(word: str) -> str:
    """Bulgarian Streamlined System: България -> balgariya, София -> sofia."""
    word = word.lower()
    if word.endswith("ия"):
        return _apply(word[:-2], _BG) + "ia"
    return _apply(word, _BG)
