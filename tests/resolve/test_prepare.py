"""The columns prepared for Splink: cross-script names, dates, identifiers."""

from nitka.resolve.prepare import anchor, name_pairs, prepare, sorted_name, swapped
from nitka.resolve.records import PersonRecord

PETRENKO = ("Олександр Петренко", "Aleksandr Petrenko", "PETRENKO OLEKSANDR", "Oleksandr Petrenko")


def record(**values: list[str]) -> PersonRecord:
    return PersonRecord("p", 2, values)


def test_one_name_in_two_scripts_and_any_order_is_one_sorted_name() -> None:
    assert {sorted_name(name) for name in PETRENKO} == {"alecsandr petrenko"}
    assert anchor("олександр") == anchor("aleksandr") == anchor("Oleksandr".lower())
    assert sorted_name("Олена Коваль") != sorted_name("Олександр Петренко")
    assert sorted_name("---") is None


def test_blocking_keys_meet_across_scripts_but_not_across_people() -> None:
    keys = [name_pairs(name) for name in PETRENKO]
    assert set.intersection(*keys)
    assert not name_pairs("Олена Коваль") & keys[0]
    # A name of one word is its own key; words with a typo still meet by
    # skeleton when only vowels differ (Voronin, Варонін).
    assert name_pairs("Madonna") == {"mdn"}
    assert name_pairs("Vladimir Voronin") & name_pairs("Владімір Варонін")


def test_day_and_month_swapped() -> None:
    assert swapped("1980-03-04") == "1980-04-03"
    assert swapped("1980-03-13") is None  # no 13th month
    assert swapped("1980-03-03") is None  # the same date
    assert swapped("1980") is None


def test_birth_dates_split_into_full_dates_swaps_and_years() -> None:
    row = prepare(record(name=["Ivan Petrenko"], birthDate=["1980-03-04", "1975", "1990-02"]))
    assert row["birth_dates"] == ["1980-03-04"]
    assert row["birth_swapped"] == ["1980-04-03"]
    assert row["birth_years"] == [1980, 1975, 1990]
    assert row["birth_years_near"] == [1974, 1975, 1976, 1979, 1980, 1981, 1989, 1990, 1991]
    assert row["birth_date"] == "1980-03-04"
    assert "1980-04-03|ptrnk" in row["birth_keys"]
    empty = prepare(record(name=["Ivan Petrenko"]))
    assert empty["birth_years"] == [] and empty["birth_date"] is None


def test_identifiers_are_normalised_whatever_their_spelling() -> None:
    one = prepare(record(name=["I P"], passportNumber=["КВ 123456"], phone=["+380 67 123 4567"]))
    two = prepare(record(name=["I P"], idNumber=["kb-123456"], phone=["067 123 45 67"]))
    assert one["documents"] == two["documents"] == ["KB123456"]
    assert one["contacts"] == two["contacts"] == ["+380671234567"]
    mail = prepare(record(name=["I P"], email=[" Ivan.P@Example.org "]))
    assert mail["contacts"] == ["ivan.p@example.org"]


def test_countries_and_gender() -> None:
    row = prepare(record(name=["I P"], nationality=["Ukrainian", "RU"], gender=["m"]))
    assert row["countries"] == ["ru", "ua"]
    assert row["gender"] == "male"
    assert prepare(record(name=["I P"]))["gender"] is None


def test_every_name_of_a_record_counts() -> None:
    row = prepare(record(name=["Олександр Петренко"], alias=["Sasha Petrenko"]))
    assert row["names"] == ["Олександр Петренко", "Sasha Petrenko"]
    assert len(row["name_sorted"]) == 2 and row["name_tf"] == row["name_sorted"][0]
    assert "petrenko" in row["name_keys"]


def test_two_spellings_split_by_a_slash_are_two_names() -> None:
    row = prepare(record(name=["Игорь Николаевич ХАЛЕПА / Iгор Миколайович ХАЛЕПА"]))
    assert row["names"] == ["Игорь Николаевич ХАЛЕПА", "Iгор Миколайович ХАЛЕПА"]
    # A part without a surname is a note, not a name: it would meet every namesake.
    noted = "МАЛЬКОВ Александр Викторович МАЛЬКОВ / Олександр Вiкторович"
    assert prepare(record(name=[noted]))["names"] == [noted]
    assert prepare(record(name=["AC/DC"]))["names"] == ["AC/DC"]
