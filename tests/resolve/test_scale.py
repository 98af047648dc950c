"""What lets a file of a million records link in minutes: common name blocking keys
left out, dates and names worked out once, births only for records that may join."""

from typing import Any

import pyarrow as pa
import pytest

from nitka.normalise.names import name_keys, skeleton_keys, word_keys
from nitka.resolve import batches, linkage, model
from nitka.resolve.linkage import arrow, link, rare_keys
from nitka.resolve.model import Training
from nitka.resolve.prepare import name_pairs, prepare, sorted_name
from nitka.resolve.records import PersonRecord


def person(record_id: str, name: str, birth: str = "") -> dict[str, Any]:
    values = {"name": [name], **({"birthDate": [birth]} if birth else {})}
    return prepare(PersonRecord(record_id, 2, values))


def test_keys_more_records_share_than_the_most_are_left_out() -> None:
    keys = pa.array(
        [["ivan|ivnvch", "ivan|ptrnk"], [], ["ivan|ivnvch", "ivan|ptrnk"], ["ivan|ivnvch"]],
        pa.list_(pa.string()),
    )
    assert rare_keys(keys, 2).to_pylist() == [["ivan|ptrnk"], [], ["ivan|ptrnk"], []]


def test_keys_are_kept_as_they_are_when_none_is_common() -> None:
    keys = pa.array([["a|b"], ["a|b", "c|d"]], pa.list_(pa.string()))
    assert rare_keys(keys, 2) is keys


def test_a_person_still_links_when_a_common_key_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given name and patronymic are common; the surname with the given name is not,
    and the birth date finds the pair too."""
    monkeypatch.setattr(linkage, "NAME_BLOCK_MOST", 3)
    surnames = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник"]
    rows = [
        person(f"other{i}", f"Іван Іванович {surname}", f"{1950 + 5 * i}-06-15")
        for i, surname in enumerate(surnames)
    ]
    rows += [
        person("cyr", "Іван Іванович Петренко", "1980-03-04"),
        person("lat", "PETRENKO Ivan", "1980-03-04"),
    ]
    linked = link(rows)
    assert linked.clusters["cyr"] == linked.clusters["lat"]
    assert len({linked.clusters[f"other{i}"] for i in range(6)}) == 6


def test_prepare_gives_each_name_column_as_the_functions_of_one_name_do() -> None:
    names = ["Олександр Іванович Петренко", "PETRENKO Oleksandr", "Ivan", "O'Neil-Smith J."]
    row = prepare(PersonRecord("p1", 2, {"name": names}))
    assert row["name_sorted"] == list(dict.fromkeys(filter(None, map(sorted_name, names))))
    assert row["name_keys"] == sorted(set().union(*map(name_keys, names)))
    assert row["name_skeletons"] == sorted(set().union(*map(skeleton_keys, names)))
    assert row["name_pairs"] == sorted(set().union(*map(name_pairs, names)))


def test_birth_dates_are_read_alike_when_a_file_repeats_them() -> None:
    first = person("a", "Ivan Petrenko", "1980-03-04")
    second = person("b", "Petro Ivanenko", "1980-03-04")
    for column in ("birth_dates", "birth_swapped", "birth_packed", "birth_agree"):
        assert first[column] == second[column]
    first["birth_dates"].append("changed")  # each row has lists of its own
    assert second["birth_dates"] == ["1980-03-04"]


def test_records_in_no_linked_pair_have_no_births_to_keep_apart() -> None:
    rows = [person("a", "Ivan Petrenko", "1980-03-04"), person("b", "Petro Ivanenko", "1970")]
    births = linkage._births(arrow(rows), [("a", "c", 0.95)], [])
    assert births["a"].full and not births["b"].full


def test_two_processes_prepare_as_one_does(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [
        PersonRecord(f"p{i}", i + 2, {"name": [name], "birthDate": [f"19{50 + i}-01-02"]})
        for i, name in enumerate(["Олександр Петренко", "PETRENKO Oleksandr", "Ivan", "Іван"] * 5)
    ]
    one = batches.prepare_all(records)
    monkeypatch.setattr(batches, "PARALLEL_FROM", 1)
    monkeypatch.setattr(batches, "CHUNK", 3)
    steps: list[int] = []
    two = batches.prepare_all(records, steps.append)
    assert two.equals(one)
    assert one.to_pylist() == [prepare(record) for record in records]
    assert sum(steps) == len(records)


def test_the_preparing_processes_send_their_words_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from nitka.match import names as matcher

    records = [
        PersonRecord(f"p{i}", i + 2, {"name": [name]})
        for i, name in enumerate(["Олександр Петренко", "PETRENKO Oleksandr", "Іван Ковалишин"] * 3)
    ]
    monkeypatch.setattr(batches, "PARALLEL_FROM", 1)
    monkeypatch.setattr(batches, "CHUNK", 2)
    monkeypatch.setattr(matcher, "_known_keys", {})
    batches.prepare_all(records)
    expected = ["олександр", "петренко", "petrenko", "oleksandr", "іван", "ковалишин"]
    assert sorted(matcher._known_keys) == sorted(expected)
    assert all(keys == word_keys(word) for word, keys in matcher._known_keys.items())


def test_a_pair_whose_birth_dates_conflict_is_no_candidate() -> None:
    rows = [
        person("a", "Іван Іванович Петренко", "1980-03-04"),
        person("b", "Ivan Ivanovich Petrenko", "1961-11-20"),
        person("c", "Ivan Petrenko", "1980-04-03"),  # day and month swapped
        person("d", "Petrenko Ivan"),  # no date
    ]
    linked = link(rows, training=Training.NEVER)
    assert linked.pairs == 4  # all but a-b and b-c
    assert linked.clusters["b"] == "b"


def test_in_a_large_file_a_name_alone_makes_no_candidate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(model, "NAME_ALONE_UP_TO", 3)
    rows = [
        person("a", "Іван Іванович Петренко", "1980-03-04"),
        person("b", "Ivan Ivanovich Petrenko", "1980"),
        person("c", "Petrenko Ivan"),
        person("d", "Petrenko Ivan", "1990-01-01"),
    ]
    linked = link(rows, training=Training.NEVER)
    assert linked.pairs == 1  # a-b: the same year
    assert len(rows) > model.NAME_ALONE_UP_TO
