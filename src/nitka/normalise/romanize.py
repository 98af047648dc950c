"""Romanisations of Cyrillic names, written from the official tables.

Why several systems at once: the Latin spelling of a Cyrillic name in a
foreign record (a visa, a booking, a sanctions list, a bank transfer) is
almost always what some state's passport or standard produced, and we do not
know which state. So every Cyrillic word is romanised by each system below and
search keeps all the results (``nitka.normalise.names``):

- ``romanize_uk``: Ukraine, Cabinet of Ministers resolution No. 55 of
  27 January 2010 (passports): Олександр -> oleksandr, Юлія -> yuliia.
- ``romanize_ru``: Russia, the ICAO Doc 9303 table used in Russian passports
  since 2014: Юрий -> iurii, Подъячев -> podieiachev.
- ``romanize_ru_bgn``: the BGN/PCGN spelling most English-language sources
  (sanctions lists, the press) use for Russian names, without diacritics:
  Николаевна -> nikolayevna, Фёдор -> fyodor.
- ``romanize_bg``: Bulgaria, the Streamlined System of the 2009
  Transliteration Act: Щастлив -> shtastliv, София -> sofia.
- ``romanize_be``: Belarus, the passport table (Ministry of Internal Affairs
  instruction of 2008, as in ICAO Doc 9303): Аляксандр -> aliaksandr, Ў -> u.
- ``romanize_be_national``: Belarus, the national system (2000, revised 2007,
  adopted by the UN), close to the Belarusian Latin alphabet (Łacinka) that
  Belarusian and Polish records use: Арцём -> arciom, Каразей -> karaziej.
- ``romanize_scholarly``: the scientific transliteration of Slavic studies,
  which Czech, Slovak, Croatian, Slovene and Baltic spellings follow (and
  which records often keep with the diacritics stripped): Шевченко ->
  ševčenko, Юрій -> jurij.
- ``romanize_sr``: Serbian Cyrillic to the official Latin alphabet (Gaj's,
  with its diacritics), and the letters of Macedonian: Вучић -> vučić.
- ``romanize_ro``: Cyrillic read as Romanian, by the letter correspondence of
  the Moldovan Cyrillic alphabet (used until 1989, still in Transnistria) and
  the Romanian Latin one, so that a Moldovan's name written in Russian meets
  its Romanian spelling: Решетников -> reşetnicov, Лянкэ -> leancă.

Each function takes one word (any case) and returns it in lowercase. Letters
that a system's table lacks (those of the other Cyrillic alphabets) fall back
to ``_OTHER``; anything else is passed through unchanged, and the caller folds
it to ASCII. The tables are written from the published standards.
"""

from __future__ import annotations

import re

# Letters of the other Cyrillic alphabets, by their own romanisations (ASCII):
# Belarusian ў; Ukrainian і ї є ґ; Russian ё ы э ъ; Serbian and Macedonian;
# Kazakh, Kyrgyz, Tajik, Bashkir and Mongolian letters as their passports
# commonly write them (қ k, ұ u, ө o, ...). Used by every table below.
_OTHER = {
    "ў": "u", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ё": "e", "ы": "y", "э": "e",
    "ъ": "", "ь": "", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o",
    "ұ": "u", "ү": "u", "һ": "h", "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ҙ": "z",
    "ҡ": "k", "ҫ": "s", "ӂ": "j", "'": "", "’": "", "ʼ": "",
}  # fmt: skip


def _table(letters: dict[str, str]) -> dict[int, str]:
    """A ``str.translate`` table: the system's letters over the shared ``_OTHER`` ones."""
    return {ord(k): v for k, v in (_OTHER | letters).items()}


# Ukrainian, resolution No. 55 (2010). Є Ї Й Ю Я are written ye yi y yu ya at
# the start of a word and ie i i iu ia elsewhere; зг is zgh (Згорани ->
# Zghorany), so that it is not read as zh; Ь and the apostrophe are dropped.
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK = _table({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
})  # fmt: skip

# Russian passports (ICAO Doc 9303, since 2014): Ё e, Й i, Ъ ie, Ы y, Ь dropped,
# Ю iu, Я ia, Х kh, Ц ts, Щ shch.
_RU = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
})  # fmt: skip

# BGN/PCGN (1947) for Russian, as English-language sources write it: the
# letters of the passport table but Й y, Ю yu, Я ya, Ъ and Ь dropped, Ё yo,
# and Е ye at the start of a word and after a vowel, Й, Ъ or Ь
# (Алексеевич -> alekseyevich, Прокофьев -> prokofyev).
_RU_BGN = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
})  # fmt: skip
_BGN_YE = re.compile("(?:^|(?<=[аеёиоуыэюяйъь]))е")

# Bulgarian Streamlined System (Transliteration Act 2009): Щ sht, Ъ a, Ь y,
# Ю yu, Я ya, Х h, Й y; -ия at the end of a word is ia (София -> Sofia).
_BG = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
})  # fmt: skip

# Belarusian passports (Ministry of Internal Affairs, 2008; ICAO Doc 9303):
# Г h, Ё io, І i, Й i, Ў u, Ы y, Э e, Ю iu, Я ia, Х kh, Ц ts, Ь and ' dropped.
# Марыя -> maryia, Мікалай -> mikalai.
_BE = _table({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "io",
    "ж": "zh", "з": "z", "і": "i", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
})  # fmt: skip

# Belarusian national system (2007). Е Ё Ю Я are je jo ju ja at the start of
# a word and after a vowel, Ў or a separating Ь, and ie io iu ia after a
# consonant; the soft sign is an acute on the consonant before it (зь ź, ль ĺ,
# нь ń, сь ś, ць ć); Г h, Й j, Х ch, Ц c, Ч č, Ш š, Ж ž, Ў ŭ.
_BE_NATIONAL = _table({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "je", "ё": "jo",
    "ж": "ž", "з": "z", "і": "i", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "ŭ",
    "ф": "f", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "ju", "я": "ja",
})  # fmt: skip
_BE_SOFT = str.maketrans({"з": "ź", "л": "ĺ", "н": "ń", "с": "ś", "ц": "ć"})
_BE_SOFT_SIGN = re.compile("[злнсц]ь")
_BE_AFTER_CONSONANT = re.compile("(?<=[бвгґджзклмнпрстфхцчшщ])[еёюя]")
_BE_IOTATED = {"е": "ie", "ё": "io", "ю": "iu", "я": "ia"}

# Scientific transliteration: Ж ž, Ч č, Ш š, Щ šč, Ц c, Х h, Й j, Я ja, Ю ju,
# Є je, Ї ji, Ё jo (as Czech writes Pjotr), Ы y, Ь and Ъ dropped. Г and И are
# read as the word's language has them: h and y in a Ukrainian word (one with
# і ї є ґ), g and i otherwise.
_SCHOLARLY = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ё": "jo", "ж": "ž", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
})  # fmt: skip
_SCHOLARLY_UK = _SCHOLARLY | {ord("г"): "h", ord("и"): "y"}
UKRAINIAN_LETTERS = frozenset("іїєґ")
"""Letters Ukrainian has and Russian does not."""

# Serbian Cyrillic to Serbian Latin (Gaj's alphabet, official alongside the
# Cyrillic), with Macedonian Ѓ ǵ, Ќ ḱ, Ѕ dz. One letter to one letter or digraph.
_SR = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š", "ѓ": "ǵ", "ќ": "ḱ",
    "ѕ": "dz",
})  # fmt: skip
SERBIAN_LETTERS = frozenset("ђјљњћџѓќѕ")
"""Letters only Serbian and Macedonian Cyrillic have: ``romanize_sr`` applies."""

# Moldovan Cyrillic to Romanian Latin. The context rules come first (below);
# this is what is left: Ж j, Ы î, Э ă, Ц ţ, Ш ş, Щ şt, Х h, К c, Й i, Ю iu.
_RO = _table({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "c", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ţ",
    "ч": "ci", "ш": "ş", "щ": "şt", "ъ": "", "ы": "î", "ь": "", "э": "ă", "ю": "iu",
    "я": "ia", "ӂ": "gi", "і": "i",
})  # fmt: skip
_RO_RULES = (
    # Ч and Ӂ (or дж) are c and g before e and i, ce/ge before a (Батрынча ->
    # Batrîncea), ci/gi before o, u or a consonant and at the end (Палихович ->
    # Palihovici): Romanian spells the soft sound with the vowel that follows.
    (re.compile("(?:ч)(?=[еи])"), "c"),
    (re.compile("(?:дж|ӂ)(?=[еи])"), "g"),
    (re.compile("(?:ч)(?=а)"), "ce"),
    (re.compile("(?:дж|ӂ)(?=а)"), "ge"),
    (re.compile("(?:дж|ӂ)"), "gi"),
    # К and Г are ch and gh before e and i (Гилецкий -> Ghileţchi).
    (re.compile("к(?=[еиі])"), "ch"),
    (re.compile("[гґ](?=[еиі])"), "gh"),
    # Я after a consonant is ea (Лянкэ -> Leancă, Цырдя -> Ţîrdea).
    (re.compile("(?<=[бвгджзклмнпрстфхцчшщ])я"), "ea"),
)


def romanize_uk(word: str) -> str:
    """Ukrainian national romanisation (2010): Згорани -> zghorany, Юлія -> yuliia."""
    word = word.lower().replace("зг", "zgh")
    if not word:
        return word
    head = _UK_INITIAL.get(word[0])
    if head is None:
        return word.translate(_UK)
    return head + word[1:].translate(_UK)


def romanize_ru(word: str) -> str:
    """Russian passport romanisation (ICAO 9303): Александр -> aleksandr, Юрий -> iurii."""
    return word.lower().translate(_RU)


def romanize_ru_bgn(word: str) -> str:
    """BGN/PCGN for Russian without diacritics: Николаевна -> nikolayevna, Пётр -> pyotr."""
    return _BGN_YE.sub("ye", word.lower()).translate(_RU_BGN)


def romanize_bg(word: str) -> str:
    """Bulgarian Streamlined System: България -> balgaria, София -> sofia, Щастлив -> shtastliv.

    The law writes -ия at the end of a word as ia, so България is Balgaria
    (the country's own name keeps its traditional spelling, Bulgaria, by
    exception; a name search needs the rule, not the exception).
    """
    word = word.lower()
    if word.endswith("ия"):
        return word[:-2].translate(_BG) + "ia"
    return word.translate(_BG)


def romanize_be(word: str) -> str:
    """Belarusian passport romanisation: Аляксандр -> aliaksandr, Навумаў -> navumau."""
    return word.lower().translate(_BE)


def romanize_be_national(word: str) -> str:
    """Belarusian national romanisation (2007): Арцём -> arciom, Васільеўна -> vasiĺjeŭna."""
    word = _BE_SOFT_SIGN.sub(lambda m: m[0][0].translate(_BE_SOFT), word.lower())
    word = _BE_AFTER_CONSONANT.sub(lambda m: _BE_IOTATED[m[0]], word)
    return word.translate(_BE_NATIONAL)


def romanize_scholarly(word: str) -> str:
    """Scientific transliteration: Шевченко -> ševčenko, Григорій -> hryhorij, Пётр -> pjotr."""
    word = word.lower()
    ukrainian = not UKRAINIAN_LETTERS.isdisjoint(word)
    return word.translate(_SCHOLARLY_UK if ukrainian else _SCHOLARLY)


def romanize_sr(word: str) -> str:
    """Serbian (and Macedonian) Cyrillic to the official Latin: Вучић -> vučić."""
    return word.lower().translate(_SR)


def romanize_ro(word: str) -> str:
    """Moldovan Cyrillic to Romanian Latin: Решетников -> reşetnicov, Чебан -> ceban."""
    word = word.lower()
    for pattern, latin in _RO_RULES:
        word = pattern.sub(latin, word)
    return word.translate(_RO)
