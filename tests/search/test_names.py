"""Name keys: official romanisations, cross-script equivalence, and the folding rules."""

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.normalise.names import (
    fold_latin,
    name_keys,
    name_tokens,
    skeleton,
    skeleton_keys,
    word_keys,
)
from nitka.normalise.romanize import (
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

FIXTURES = Path(__file__).parent / "fixtures"
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KEY = re.compile("^[a-z0-9]+$")


def _words_meet(left: str, right: str, *, skeletons: bool = False) -> bool:
    """Every word of the shorter name shares a key with some word of the other.

    That is what search needs: each word of the query must find a word of the
    stored name (or the other way round, for the longer query).
    """
    a, b = name_tokens(left), name_tokens(right)
    if not a or not b:
        return False
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    for word in short:
        met = any(word & theirs for theirs in other)
        if not met and skeletons:
            skel = {skeleton(k) for k in word}
            met = any(skel & {skeleton(k) for k in theirs} for theirs in other)
        if not met:
            return False
    return True


# --- The official romanisations, letter for letter ---------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Examples of the Cabinet of Ministers resolution No. 55 (2010).
        ("Згорани", "zghorany"),
        ("Розгон", "rozghon"),
        ("Юлія", "yuliia"),
        ("Їжакевич", "yizhakevych"),
        ("Кадиївка", "kadyivka"),
        ("Стрий", "stryi"),
        ("Олексій", "oleksii"),
        ("Йосипівка", "yosypivka"),
        ("Щербухи", "shcherbukhy"),
        ("Яготин", "yahotyn"),
        ("Гадяч", "hadiach"),
        ("Ґалаґан", "galagan"),
        ("Єнакієве", "yenakiieve"),
        ("Короп'є", "koropie"),
        ("Знам'янка", "znamianka"),
        ("Феодосія", "feodosiia"),
        ("Борщагівка", "borshchahivka"),
        ("Юрій", "yurii"),
    ],
)
def test_ukrainian_national_romanisation(word: str, expected: str) -> None:
    assert romanize_uk(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Александр", "aleksandr"),
        ("Юрий", "iurii"),
        ("Щукин", "shchukin"),
        ("Артём", "artem"),
        ("Подъячев", "podieiachev"),
        ("Хабаровск", "khabarovsk"),
        ("Цой", "tsoi"),
        ("Мышкин", "myshkin"),
        ("Гоголь", "gogol"),
    ],
)
def test_russian_passport_romanisation(word: str, expected: str) -> None:
    assert romanize_ru(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Николаевна", "nikolayevna"),
        ("Алексеевич", "alekseyevich"),
        ("Прокофьев", "prokofyev"),
        ("Елена", "yelena"),
        ("Фёдор", "fyodor"),
        ("Юрий", "yuriy"),
    ],
)
def test_russian_bgn_pcgn_romanisation(word: str, expected: str) -> None:
    assert romanize_ru_bgn(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("София", "sofia"),
        # The 2009 law writes -ия at the end of a word as ia: Balgaria. (The
        # country's own name keeps its traditional Bulgaria by exception.)
        ("България", "balgaria"),
        ("Щастлив", "shtastliv"),
        ("Христо", "hristo"),
        ("Илиян", "iliyan"),  # ия not at the end: iya
        ("Ямбол", "yambol"),
        ("Кьолмен", "kyolmen"),
        ("Ъглен", "aglen"),
        ("Пещера", "peshtera"),
    ],
)
def test_bulgarian_streamlined_system(word: str, expected: str) -> None:
    assert romanize_bg(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Test cases of the Belarusian passport table (ICAO Doc 9303).
        ("Аляксандр", "aliaksandr"),
        ("Бабрыковіч", "babrykovich"),
        ("Марыя", "maryia"),
        ("Мікалай", "mikalai"),
        ("Святлана", "sviatlana"),
        ("Ігар", "ihar"),
        ("Навумаў", "navumau"),
    ],
)
def test_belarusian_passport_romanisation(word: str, expected: str) -> None:
    assert romanize_be(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Магілёў", "mahilioŭ"),
        ("Віцебск", "viciebsk"),
        ("Гомель", "homieĺ"),
        ("Арцём", "arciom"),
        ("Васільеўна", "vasiĺjeŭna"),
    ],
)
def test_belarusian_national_romanisation(word: str, expected: str) -> None:
    assert romanize_be_national(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Вучић", "vučić"), ("Ђорђе", "đorđe"), ("Љубиша", "ljubiša"), ("Џаја", "džaja")],
)
def test_serbian_latin(word: str, expected: str) -> None:
    assert romanize_sr(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Шевченко", "ševčenko"), ("Григорій", "hryhorij"), ("Григорий", "grigorij")],
)
def test_scholarly_transliteration(word: str, expected: str) -> None:
    assert romanize_scholarly(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Решетников", "reşetnicov"),
        ("Лянкэ", "leancă"),
        ("Чебан", "ceban"),
        ("Батрынча", "batrîncea"),
        ("Палихович", "palihovici"),
        ("Вячеслав", "veaceslav"),
        ("Гилецкий", "ghileţchii"),
    ],
)
def test_moldovan_cyrillic_read_as_romanian(word: str, expected: str) -> None:
    assert romanize_ro(word) == expected


# --- Folding ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "folded"),
    [
        (["Yuriy", "Iurii", "Jurij", "Yurii", "Juriy"], "iuri"),
        (["Olexandr", "Oleksandr"], "oleksandr"),
        (["Mykhailo", "Mykhaylo", "Mikhailo"], "mihailo"),
        (["Demtschenko", "Demchenko"], "demchenko"),
        (["Tchepikov", "Chepikov"], "chepikov"),
        (["Shchukin", "Schukin"], "shukin"),
        (["Szewczenko", "Schewtschenko", "Shevchenko"], "shevchenko"),
        (["Sophia", "Sofiia", "Sofia"], "sofia"),
        (["Kharkiv", "Harkiv"], "harkiv"),
        (["Wladimir", "Vladimir"], "vladimir"),
        (["Kravetz", "Kravets"], "kravets"),
        (["Kuznetcov", "Kuznetsov"], "kuznetsov"),
        (["Victor", "Viktor"], "viktor"),
        (["Qasym", "Kasym"], "kasim"),
        (["Yevhen", "Ievhen", "Evhen"], "evhen"),
        (["Alexander", "Aleksandr"], "aleksandr"),
        (["Anna", "Ana"], "ana"),
        (["Tatstsiana", "Tatsiana"], "tatsiana"),
        (["Müller", "Muller"], "muler"),
    ],
)
def test_folding_brings_spellings_together(spellings: list[str], folded: str) -> None:
    assert {fold_latin(s) for s in spellings} == {folded}


def test_folding_keeps_digits_and_drops_the_rest() -> None:
    assert fold_latin("2000") == "2000"  # doubled letters are single, not digits
    assert fold_latin("O'Brien-Smith!") == "obriensmith"
    assert fold_latin("") == ""


# --- Whole names ---------------------------------------------------------------

PETRENKO = ["Oleksandr Petrenko", "Aleksandr Petrenko", "Олександр Петренко", "Александр Петренко"]


@pytest.mark.parametrize("left", PETRENKO)
@pytest.mark.parametrize("right", PETRENKO)
def test_the_four_petrenkos_share_a_key_per_word(left: str, right: str) -> None:
    mine, theirs = name_tokens(left), name_tokens(right)
    assert len(mine) == len(theirs) == 2
    for first, second in zip(mine, theirs, strict=True):
        assert first & second


def test_ukrainian_and_russian_equivalents_share_their_keys() -> None:
    # Олександр is romanised oleksandr; its Russian equivalent Александр adds aleksandr.
    assert {"oleksandr", "aleksandr"} <= name_keys("Олександр")
    assert {"oleksandr", "aleksandr"} <= name_keys("Александр")
    # A Latin spelling of either gets the keys of the whole group.
    assert "aleksandr" in name_keys("Oleksandr")
    assert "oleksandr" in name_keys("Aleksandr")
    # Surnames and patronymics have their dictionaries too.
    assert name_keys("Вільногірський") & name_keys("Volnogorskiy")
    assert name_keys("Миколаївна") & name_keys("Nikolaevna")


def test_dictionary_forms_are_normalised_like_names() -> None:
    # pep_names.csv pairs П'єр-Марі with Пьер-Мари word by word; the apostrophe
    # is dropped as in any name, and Пьер's Russian romanisation (per) joins.
    assert "per" in name_keys("П'єр")
    assert "pier" in name_keys("Пьер")


@pytest.mark.parametrize(
    "variants",
    [
        ["Yuriy", "Iurii", "Jurij", "Юрій", "Юрий"],
        ["Mykhailo", "Mykhaylo", "Михайло", "Михаил", "Mikhail"],
        ["Olexandr", "Oleksandr", "Alexandr", "Aleksandr", "Alexander", "Олександр"],
        ["Demtschenko", "Demchenko", "Демченко"],
        ["Tchepikov", "Chepikov", "Чепиков"],
        ["Viktor", "Victor", "Віктор"],
        ["Wladimir", "Vladimir", "Владимир", "Володимир"],
        ["Kharkiv", "Харків"],
        ["Hristo", "Христо", "Khristo"],
        ["Yevhen", "Ievgen", "Евгений", "Євген", "Yevgeniy"],
        ["Sofiia", "Sophia", "Софія", "София"],
        ["Shevchenko", "Ševčenko", "Szewczenko", "Schewtschenko", "Шевченко"],
        ["Sevcenko", "Шевченко"],  # diacritics stripped, as many databases do
        ["Pyotr", "Piotr", "Petr", "Пётр", "Петр"],
        ["Semyonov", "Semenov", "Семёнов", "Семенов"],
        ["Nikolayevna", "Nikolaevna", "Николаевна"],
        ["Vučić", "Vucic", "Vuchich", "Вучић"],
        ["Đoković", "Djokovic", "Dokovic", "Ђоковић"],
        ["Lukashenka", "Лукашэнка"],
        ["Tsikhanouskaya", "Ціханоўская"],
        ["Reşetnicov", "Resetnicov", "Решетников"],
        ["Kuznetcov", "Kuznetsov", "Кузнецов"],
    ],
)
def test_common_foreign_spellings_meet(variants: list[str]) -> None:
    """Every spelling shares a key with every Cyrillic one (Latin ones meet through it)."""
    cyrillic = [v for v in variants if _CYRILLIC.search(v)]
    assert cyrillic
    for variant in variants:
        for original in cyrillic:
            assert name_keys(variant) & name_keys(original), (variant, original)


@pytest.mark.parametrize(
    ("mixed", "pure"),
    [
        ("Cергiй", "Сергій"),  # Latin C and i, as in the EU annexes
        ("ЦАPËВ", "ЦАРЁВ"),  # Latin P and Ë
        ("Aлександр", "Александр"),
        ("Маĸсім", "Максім"),  # Latin kra for к
        ("Petrеnko", "Petrenko"),  # Cyrillic е in a Latin word
    ],
)
def test_look_alike_letters_of_the_other_script(mixed: str, pure: str) -> None:
    assert name_keys(mixed) == name_keys(pure)


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Σωκράτης", "Sokrates"),
        ("ბარაკ ობამა", "Barak Obama"),
        ("Բարակ Օբամա", "Barak Obama"),
        ("नरेन्द्र मोदी", "Narendra Modi"),  # vowel signs stay in their word
        ("Łukasz", "Lukasz"),
        ("Đorđe", "Djordje"),
        ("Ђорђе", "Dorde"),
    ],
)
def test_other_scripts_through_icu(text: str, latin: str) -> None:
    assert _words_meet(text, latin)


def test_hyphens_apostrophes_and_stress_marks() -> None:
    assert name_tokens("Ілліч-Світич") == [name_keys("Ілліч"), name_keys("Світич")]
    assert name_keys("В'ячеслав") == name_keys("Вячеслав") == name_keys("В’ячеслав")
    assert name_keys("O'Brien") == name_keys("OBrien")
    assert name_keys("ПУ́ТИН") == name_keys("ПУТИН")


def test_words_without_keys_are_dropped() -> None:
    assert name_tokens("— , . …") == []
    assert name_tokens("№ 5") == [{"5"}]
    assert name_keys("") == set() == skeleton_keys("")


def test_skeletons() -> None:
    assert skeleton("aleksandr") == "alksndr"
    assert skeleton(fold_latin("alexander")) == "alksndr"
    assert skeleton_keys("Alexandre") & skeleton_keys("Александр")
    assert not name_keys("Alexandre") & name_keys("Александр")


# --- Real names from public data ----------------------------------------------


def _fixture_rows() -> list[dict[str, str]]:
    with (FIXTURES / "cross_script_pairs.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


FIXTURE_ROWS = _fixture_rows()
CROSS_SCRIPT_PAIRS = [
    pytest.param(
        row["latin"],
        row["cyrillic"],
        marks=[pytest.mark.xfail(reason=row["reason"], strict=True)]
        if row["expect"] == "xfail"
        else [],
        id=f"{row['source']}:{row['record']}:{row['latin']}",
    )
    for row in FIXTURE_ROWS
]


def test_the_fixture_is_an_honest_sample() -> None:
    """119 pairs taken by a fixed rule (see fixtures/README.md); 13 fail, each with its reason."""
    assert len(FIXTURE_ROWS) == 119
    assert {row["expect"] for row in FIXTURE_ROWS} == {"match", "xfail"}
    failing = [row for row in FIXTURE_ROWS if row["expect"] == "xfail"]
    assert len(failing) == 13
    assert all(row["reason"] for row in failing)


@pytest.mark.parametrize(("latin", "cyrillic"), CROSS_SCRIPT_PAIRS)
def test_real_latin_and_cyrillic_names_share_keys(latin: str, cyrillic: str) -> None:
    assert _words_meet(latin, cyrillic)


def _eu_pairs(path: Path) -> list[tuple[str, str]]:
    """Persons of an EU annex: the Latin name against each Cyrillic alias."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            latin = row["name"]
            if row["schema"] != "Person" or not latin or _CYRILLIC.search(latin):
                continue
            latin = re.sub(r"\s*\(.*?\)", "", latin).strip()
            for alias in row["alias"].split(";"):
                bracket = re.search(r"\(([^)]*)\)", alias)
                cyrillic = (bracket.group(1) if bracket else alias).strip()
                # Cyrillic, though it may hold a look-alike Latin letter or two.
                if _CYRILLIC.search(cyrillic) and not re.search("[A-Za-z]{2,}", cyrillic):
                    pairs.append((latin, cyrillic))
    return pairs


def test_all_eu_269_2014_latin_and_cyrillic_names(shared_data: Path) -> None:
    """2,097 pairs from EU Regulation 269/2014 (measured: 94.9% by keys, 96.9% with skeletons).

    Most that do not meet are not transliterations at all: maiden names and
    aliases (Lesya LAPTEVA / Леся ТАРАСЮК), Belarusian against Russian forms
    (Vladimir / Уладзiмiр), English forms (Dimitry), typos in the annex.
    """
    pairs = _eu_pairs(shared_data / "eu_sanctions_official_journal" / "32014R0269.csv")
    assert len(pairs) == 2097
    by_keys = sum(_words_meet(latin, cyrillic) for latin, cyrillic in pairs)
    with_skeletons = sum(_words_meet(lat, cyr, skeletons=True) for lat, cyr in pairs)
    assert by_keys / len(pairs) >= 0.945
    assert with_skeletons / len(pairs) >= 0.965


def test_real_spellings_of_one_name_across_scripts(shared_data: Path) -> None:
    path = shared_data / "opensanctions_name_matching" / "putin_name_variants.txt"
    variants = [v for v in path.read_text(encoding="utf-8").splitlines() if v.strip()]
    latin_or_cyrillic = [v for v in variants if v.isascii() or _CYRILLIC.search(v)]
    missing = {v for v in latin_or_cyrillic if not _words_meet("Путин", v, skeletons=True)}
    assert len(latin_or_cyrillic) == 46
    # Lithuanian and Latvian add their endings: other forms, not transliterations.
    assert missing == {"Vladimiras Putinas", "Vladimirs Putins"}


# --- Properties -----------------------------------------------------------------

SLAVIC_LETTERS = "абвгґдеєёжзиіїйклмнопрстуўфхцчшщъыьэюяђјљњћџ"
NAME_WORD = st.text(alphabet=SLAVIC_LETTERS + "abcdefghijklmnopqrstuvwxyz", min_size=1)
AROUND = st.text(alphabet=' \t\n,.;:()[]"«»!?/–—-', max_size=4)


@given(st.text())
def test_fold_latin_is_idempotent(word: str) -> None:
    assert fold_latin(fold_latin(word)) == fold_latin(word)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=24))
def test_fold_latin_is_idempotent_on_latin_words(word: str) -> None:
    assert fold_latin(fold_latin(word)) == fold_latin(word)


@given(st.text())
def test_keys_are_plain_ascii_and_never_fail(text: str) -> None:
    for keys in name_tokens(text):
        assert keys
        assert all(_KEY.match(key) for key in keys)
    assert all(_KEY.match(key) for key in name_keys(text) | skeleton_keys(text))


NAMES = st.sampled_from(
    ["Олександр", "Петренко", "Aleksandr", "Марія", "Іваненко", "Yuriy", "ЦАPËВ", "Ђоковић"]
)


@given(st.one_of(NAMES, NAME_WORD), st.sampled_from([str.upper, str.lower, str.title]))
def test_keys_ignore_case(name: str, case: object) -> None:
    assert name_keys(case(name)) == name_keys(name)  # type: ignore[operator]


@given(st.one_of(NAMES, NAME_WORD), AROUND, AROUND)
def test_keys_ignore_punctuation_around_words(name: str, before: str, after: str) -> None:
    assert name_keys(f"{before}{name}{after}") == name_keys(name)
    assert name_tokens(f"{before}{name}{after}") == name_tokens(name)


@given(NAME_WORD)
def test_a_words_keys_are_its_tokens(word: str) -> None:
    tokens = name_tokens(word)
    assert tokens == ([set(word_keys(word.lower()))] if word_keys(word.lower()) else [])
