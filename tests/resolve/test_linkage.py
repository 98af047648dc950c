"""Linking with Splink: the same person across scripts links, namesakes do not."""

import random
from collections import Counter
from typing import Any

import pytest

from nitka.resolve.linkage import Linked, link
from nitka.resolve.model import Training
from nitka.resolve.prepare import prepare
from nitka.resolve.records import PersonRecord
from tests.resolve.builders import mps


def person(record_id: str, name: str, birth: str = "", **more: str) -> dict[str, Any]:
    values = {"name": name.split(";"), **{k: v.split(";") for k, v in more.items()}}
    if birth:
        values["birthDate"] = birth.split(";")
    return prepare(PersonRecord(record_id, 2, values))


def together(linked: Linked, *ids: str) -> bool:
    return len({linked.clusters[i] for i in ids}) == 1


def apart(linked: Linked, *ids: str) -> bool:
    return len({linked.clusters[i] for i in ids}) == len(ids)


def moldovan_mps() -> list[dict[str, Any]]:
    """Each MP as a Latin record and a Cyrillic one, both with the birth date."""
    rows = []
    for i, mp in enumerate(mps()):
        rows.append(person(f"lat{i}", mp["latin"], mp["birth_date"], gender=mp["gender"]))
        rows.append(person(f"cyr{i}", mp["cyrillic"], mp["birth_date"]))
    return rows


def test_the_same_person_in_cyrillic_and_latin_links() -> None:
    linked = link(
        [
            person("ua", "Олександр Петренко", "1980-03-04"),
            person("ru", "Aleksandr Petrenko", "04.03.1980"),
            person("reversed", "PETRENKO OLEKSANDR", "1980-03-04"),
            person("swapped", "Oleksandr Petrenko", "1980-04-03"),
            person("year", "Petrenko Oleksandr", "1980"),
            person("other", "Олена Коваль", "1980-03-04"),
        ]
    )
    assert together(linked, "ua", "ru", "reversed", "swapped", "year")
    assert apart(linked, "ua", "other")
    assert linked.largest == 5 and linked.sizes == Counter({5: 1, 1: 1})
    assert not linked.trained


def test_every_moldovan_mp_links_to_their_other_script_and_to_no_one_else() -> None:
    rows = moldovan_mps()
    linked = link(rows)
    for i in range(len(rows) // 2):
        assert together(linked, f"lat{i}", f"cyr{i}"), rows[2 * i]["names"]
    assert linked.sizes == Counter({2: len(rows) // 2})
    # Two of them were born on one day (Demian Caraseni, Marian Lupu).
    caraseni, lupu = (i for i, mp in enumerate(mps()) if mp["birth_date"] == "1966-06-20")
    assert apart(linked, f"lat{caraseni}", f"lat{lupu}")


def test_namesakes_with_other_birth_dates_do_not_link() -> None:
    same = {"nationality": "UA", "gender": "male"}
    linked = link(
        [
            person("a", "Олександр Петренко", "1980-03-04", **same),
            person("b", "Oleksandr Petrenko", "1975-11-20", **same),
            person("c", "PETRENKO Oleksandr", "1962", **same),
            person("d", "Іван Іванов", "1990-01-01"),
            person("e", "Ivan Ivanov", "1991-06-15"),
        ]
    )
    assert apart(linked, "a", "b", "c")
    assert apart(linked, "d", "e")
    assert linked.largest == 1


def test_several_values_in_a_cell_each_count() -> None:
    linked = link(
        [
            person("a", "Олександр Петренко;Sasha P.", "1980-03-04;1981"),
            person("b", "Sasha P.", "1981"),
            person("c", "Aleksandr Petrenko", "1980-03-04"),
        ]
    )
    assert together(linked, "a", "b", "c")


def test_a_document_number_links_records_without_birth_dates() -> None:
    linked = link(
        [
            person("a", "Петренко Олександр", passportNumber="КВ 123456"),
            person("b", "O. Petrenko", passportNumber="KB-123456"),
            person("c", "Olena Petrenko", passportNumber="KB-654321"),
        ]
    )
    assert together(linked, "a", "b") and apart(linked, "a", "c")


def test_no_records_or_one_record() -> None:
    assert link([]).clusters == {}
    alone = link([person("a", "Ivan Petrenko")])
    assert alone.clusters == {"a": "a"} and alone.largest == 1


def test_a_trained_model_still_links_across_scripts_and_keeps_namesakes_apart() -> None:
    rows = moldovan_mps()
    for row in rows:
        row["countries"] = ["md"]
    namesakes = [
        person(f"namesake{i}", mp["latin"], f"19{10 + i}-01-01", nationality="MD")
        for i, mp in enumerate(mps()[:8])
    ]
    stages: list[str] = []
    linked = link(rows + namesakes, training=Training.ALWAYS, stage=stages.append)
    assert linked.trained and stages == ["training", "scoring pairs", "clustering"]
    for i in range(len(rows) // 2):
        assert together(linked, f"lat{i}", f"cyr{i}"), rows[2 * i]["names"]
    for i in range(8):
        assert apart(linked, f"lat{i}", f"namesake{i}")


def test_pairs_known_to_be_one_person_train_the_model() -> None:
    rows = moldovan_mps()
    namesakes = [person(f"namesake{i}", mp["latin"], f"19{10 + i}-01-01")
                 for i, mp in enumerate(mps()[:8])]  # fmt: skip
    same = [(f"lat{i}", f"cyr{i}") for i in range(0, 30, 2)]
    linked = link(rows + namesakes, same=same)
    assert linked.trained
    for i in range(len(rows) // 2):
        assert together(linked, f"lat{i}", f"cyr{i}"), rows[2 * i]["names"]
    for i in range(8):
        assert apart(linked, f"lat{i}", f"namesake{i}")


def test_labelled_pairs_must_name_records_of_the_file() -> None:
    with pytest.raises(ValueError, match="nobody"):
        link([person("a", "Ivan Petrenko"), person("b", "Ivan Petrenko")], same=[("a", "nobody")])


def strangers(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """Records of made-up, distinct names and birth dates: a file large enough that a
    shared name alone is weak evidence."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ren", "tu", "vas", "bor", "ze", "nik", "dal", "sho", "pir"]
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    while len(rows) < count:
        first = "".join(rng.choice(syllables) for _ in range(2)).title()
        last = "".join(rng.choice(syllables) for _ in range(3)).title() + "ov"
        if (first, last) in seen:
            continue
        seen.add((first, last))
        born = f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(person(f"s{len(rows)}", f"{first} {last}", born))
    return rows


def test_a_full_name_with_patronymic_links_without_a_birth_date_in_a_large_file() -> None:
    """Given name, patronymic and surname, in two scripts, one record without a date:
    strangers share all three a few times in a million pairs. A given name and a
    surname alone are not enough in a file of this size."""
    rows = [
        *strangers(1500),
        person("full-cyr", "Денис Владимирович Пушилин", "1981-05-09"),
        person("full-lat", "Denis Vladimirovich PUSHILIN"),
        person("short-cyr", "Ірина Коваль", "1990-01-01"),
        person("short-lat", "Iryna KOVAL"),
    ]
    linked = link(rows)
    assert together(linked, "full-cyr", "full-lat")
    assert apart(linked, "short-cyr", "short-lat")
    assert linked.largest == 2


def test_a_full_name_spelled_otherwise_links_without_a_birth_date_in_a_large_file() -> None:
    """A typo in the patronymic, Ukrainian forms the anchors miss (Oleh Hryhorovych,
    Олег Григорович): the matcher finds all three words alike. Another surname a
    few letters from the first (Кашин, Шастин) is another person."""
    rows = [
        *strangers(1500),
        person("typo-lat", "Oleh Yevhenovych BUHROV", "1970-01-02"),
        person("typo-cyr", "Олег Євгенови БУГРОВ"),
        person("ua-lat", "KOZYURA Oleh Hryhorovych", "1965-03-04"),
        person("ua-cyr", "Олег Григорович КОЗЮРА"),
        person("kashin", "Владимир Иванович КАШИН"),
        person("shastin", "Vladimir Ivanovich SHASTIN"),
    ]
    linked = link(rows)
    assert together(linked, "typo-lat", "typo-cyr")
    assert together(linked, "ua-lat", "ua-cyr")
    assert apart(linked, "kashin", "shastin")


def test_training_goes_on_when_no_two_records_share_a_training_block() -> None:
    """EM over the name block finds no pairs where every name differs; the birth
    date block (or the model's own m) stands, and the run is not an error."""
    rows = [
        person(f"p{i}", f"{first} {last}", f"19{60 + i}-0{1 + i % 9}-1{i % 10}",
               nationality="UA", passportNumber=f"FA{100000 + i}")
        for i, (first, last) in enumerate(
            [("Ivan", "Bondar"), ("Olena", "Shevchuk"), ("Petro", "Melnyk"),
             ("Iryna", "Tkachenko"), ("Taras", "Lysenko"), ("Oksana", "Rudenko")]
        )
    ]  # fmt: skip
    linked = link(rows, training=Training.ALWAYS)
    assert linked.trained
    assert len(set(linked.clusters.values())) == len(rows)
