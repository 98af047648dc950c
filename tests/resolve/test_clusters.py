"""Clusters taken strongest pair first, never joining records that must stay apart."""

from collections import Counter
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
    ).clusters
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
    apart = constrained_clusters(
        ["a", "b", "c"], pairs, births(a, b, c), different=[("a", "c")]
    ).clusters
    assert apart["a"] == apart["b"] != apart["c"]  # "not the same" is never overridden
    moved = row("m", "Olena Koval", "1975-12-31")
    kept = constrained_clusters(["a", "m"], [], births(a, moved), same=[("a", "m")]).clusters
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


def test_a_year_alone_conflicts_with_a_date_or_year_more_than_a_year_away() -> None:
    known = births(
        row("full", "Nikolai LEVICHEV", "1953-05-28"),
        row("year", "Николай ЛЕВИЧЕВ", "1953"),
        row("near", "Nikolai LEVICHEV", "1954"),
        row("far", "Nikolai LEVICHEV", "1944-05-28"),
        row("undated", "Nikolai LEVICHEV"),
    )
    assert not known["full"].conflicts(known["year"])
    assert not known["year"].conflicts(known["near"])  # within a year: close
    assert known["year"].conflicts(known["far"]) and known["far"].conflicts(known["year"])
    assert known["near"].conflicts(known["far"])
    assert not known["year"].conflicts(known["undated"])


def test_a_year_alone_does_not_chain_namesakes() -> None:
    """The record with the year alone links to the person born in 1953 more
    strongly, and the namesake born in 1944 stays apart, though both link to the
    undated record: no cluster holds 1944 and 1953."""
    rows = [
        row("p1944", "Nikolai Vladimirovich LEVICHEV", "1944-05-28"),
        row("undated", "Николай Владимирович ЛЕВИЧЕВ"),
        row("y1953", "Николай Владимирович ЛЕВИЧЕВ", "1953"),
        row("p1953", "Nikolay Vladimirovich LEVYCHEV", "1953-05-28"),
    ]
    pairs = [("undated", "y1953", 0.99), ("p1944", "undated", 0.98), ("y1953", "p1953", 0.97)]
    found = constrained_clusters([r["unique_id"] for r in rows], pairs, births(*rows)).clusters
    assert found["undated"] == found["y1953"] == found["p1953"] != found["p1944"]


def chain(count: int, probability: float) -> list[tuple[str, str, float]]:
    return [(f"r{i:03d}", f"r{i + 1:03d}", probability - i * 1e-6) for i in range(count - 1)]


def test_a_giant_chain_of_weak_links_is_cut_below_the_cap() -> None:
    ids = [f"r{i:03d}" for i in range(100)]
    undated = {record: Births.of(row(record, "Ivan Petrenko")) for record in ids}
    found = constrained_clusters(ids, chain(100, 0.93), undated, cap=20)
    sizes = Counter(Counter(found.clusters.values()).values())
    assert max(sizes) <= 20 and found.split == 1
    assert sum(size * count for size, count in sizes.items()) == 100
    # Without the cap (or with a large one) the chain is one cluster.
    whole = constrained_clusters(ids, chain(100, 0.93), undated, cap=1000)
    assert len(set(whole.clusters.values())) == 1 and whole.split == 0


def test_a_large_cluster_held_by_strong_links_stays_whole() -> None:
    ids = [f"r{i:03d}" for i in range(30)]
    undated = {record: Births.of(row(record, "Ivan Petrenko")) for record in ids}
    strong = chain(30, 0.999)
    weak = [("r029", "x", 0.91)]
    undated["x"] = Births.of(row("x", "Ivan Petrenko"))
    found = constrained_clusters([*ids, "x"], strong + weak, undated, cap=20)
    assert len({found.clusters[record] for record in ids}) == 1  # 30 records, all strong
    assert found.clusters["x"] == "x" and found.split == 1  # the weak link is cut
