"""Clusters taken strongest pair first, never joining records that must stay apart."""

from typing import Any

from nitka.resolve.clusters import Births, constrained_clusters
from nitka.resolve.linkage import link
from nitka.resolve.prepare import prepare
from nitka.resolve.records import PersonRecord


def row(record_id: str, name: str, birth: str = "") -> dict[str, Any]:
    values = {"name": [name], **({"birthDate": [birth]} if birth else {})}
    return prepare(PersonRecord(record_id, 2, values))


def births(*rows: dict[str, Any]) -> dict[str, Births]:
    return {r["unique_id"]: Births.of(r) for r in rows}


def test_a_record_without_a_birth_date_does_not_chain_a_person_to_their_namesake() -> None:
    person = row("person", "Roman Viktorovich LYAGIN", "1980-05-30")
    undated = row("undated", "Роман Викторович ЛЯГИН")
    namesake = row("namesake", "Roman Viktorovich LYAGIN", "1973-05-30")
    pairs = [("undated", "namesake", 0.97), ("person", "undated", 0.99)]
    clusters = constrained_clusters(
        ["person", "undated", "namesake"], pairs, births(person, undated, namesake)
    )
    assert clusters == {"person": "person", "undated": "person", "namesake": "namesake"}


def test_close_and_swapped_dates_are_not_a_conflict() -> None:
    dated = row("a", "Ivan Petrenko", "1980-03-04")
    swapped = row("b", "Ivan Petrenko", "1980-04-03")
    close = row("c", "Ivan Petrenko", "1980-03-10")
    year = row("d", "Ivan Petrenko", "1980")
    known = births(dated, swapped, close, year)
    assert not known["a"].conflicts(known["b"])
    assert not known["a"].conflicts(known["c"])
    assert not known["a"].conflicts(known["d"])
    assert known["a"].conflicts(Births.of(row("e", "Ivan Petrenko", "1991-07-08")))


def test_analysts_judgements_bind_the_clusters() -> None:
    a, b, c = row("a", "Olena Koval", "1990-01-01"), row("b", "Олена Коваль"), row("c", "O Koval")
    pairs = [("a", "b", 0.99), ("b", "c", 0.95)]
    apart = constrained_clusters(["a", "b", "c"], pairs, births(a, b, c), different=[("a", "c")])
    assert apart["a"] == apart["b"] != apart["c"]  # "not the same" is never overridden
    moved = row("m", "Olena Koval", "1975-12-31")
    kept = constrained_clusters(["a", "m"], [], births(a, moved), same=[("a", "m")])
    assert kept["a"] == kept["m"]  # "the same" is kept, though the dates conflict


def test_link_keeps_a_pair_judged_two_people_apart() -> None:
    rows = [
        row("ua", "Олександр Петренко", "1980-03-04"),
        row("en", "Oleksandr Petrenko", "1980-03-04"),
        row("ru", "Aleksandr Petrenko", "1980-03-04"),
    ]
    assert len(set(link(rows).clusters.values())) == 1
    linked = link(rows, different=[("ua", "en")])
    assert linked.clusters["ua"] != linked.clusters["en"]
