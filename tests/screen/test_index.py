"""The in-memory index: birth-year postings, the date filter, removal and reuse."""

from __future__ import annotations

from followthemoney import EntityProxy

from nitka.model.handling import HandlingCode
from nitka.screen.checks import check, parse_query
from nitka.screen.entries import ListEntry
from nitka.screen.index import ScreeningIndex
from tests.helpers import make_entity


def _entry(proxy: EntityProxy) -> ListEntry:
    return ListEntry(
        id=str(proxy.id),
        schema=proxy.schema.name,
        caption=proxy.caption,
        lists=("wanted",),
        records=(),
        handling=HandlingCode.H0,
        handling_notes=(),
        proxy=proxy,
    )


def _index(*entities: EntityProxy) -> ScreeningIndex:
    index = ScreeningIndex()
    for entity in entities:
        index.add(_entry(entity))
    return index


def _hits(index: ScreeningIndex, **properties: list[str]) -> list[str]:
    query = parse_query({"schema": "Person", "properties": properties})
    return [hit.entry.id for hit in check(index, query).hits]


def test_near_swapped_and_undated_entries_are_still_found() -> None:
    index = _index(
        make_entity("Person", "near", name="Олександр Петренко", birthDate="1983-03-04"),
        make_entity("Person", "swapped", name="Oleksandr Petrenko", birthDate="1984-04-03"),
        make_entity("Person", "undated", name="Aleksandr Petrenko"),
        make_entity("Person", "year-only", name="Alexander Petrenko", birthDate="1984"),
        make_entity("Person", "far", name="Oleksandr Petrenko", birthDate="1950-03-04"),
    )
    found = _hits(index, name=["Oleksandr Petrenko"], birthDate=["1984-03-04"])
    assert set(found) == {"near", "swapped", "undated", "year-only"}
    # Without a birth date nothing is ruled out by one.
    assert "far" in _hits(index, name=["Oleksandr Petrenko"])


def test_a_conflicting_birth_date_does_not_hide_an_agreeing_passport_number() -> None:
    index = _index(
        make_entity(
            "Person", "p1", name="Ivan Sydorenko", birthDate="1970-01-01", passportNumber="FE123456"
        )
    )
    assert _hits(index, name=["Ivan Sydorenko"], birthDate=["1990-05-05"]) == []
    found = _hits(
        index, name=["Ivan Sydorenko"], birthDate=["1990-05-05"], passportNumber=["FE 123456"]
    )
    assert found == ["p1"]


def test_a_low_threshold_keeps_conflicting_dates_as_candidates() -> None:
    index = _index(make_entity("Person", "p1", name="Ivan Sydorenko", birthDate="1970-01-01"))
    query = parse_query(
        {"schema": "Person", "properties": {"name": ["Ivan Sydorenko"], "birthDate": ["1990"]}}
    )
    assert [c.entry.id for c in index.candidates(query, threshold=0.5)] == ["p1"]
    assert index.candidates(query, threshold=0.7) == []


def test_removed_entries_leave_no_trace_and_their_slot_is_reused() -> None:
    first = make_entity("Person", "a", name="Petro Zalizniak", birthDate="1980-02-03")
    second = make_entity("Person", "b", name="Mykola Hrytsenko", birthDate="1975-06-07")
    index = _index(first, second)
    assert index.remove("a") and not index.remove("a")
    assert _hits(index, name=["Petro Zalizniak"], birthDate=["1980-02-03"]) == []
    index.add(_entry(make_entity("Person", "c", name="Petro Zalizniak", birthDate="1980-02-03")))
    assert _hits(index, name=["Petro Zalizniak"], birthDate=["1980-02-03"]) == ["c"]
    assert _hits(index, name=["Mykola Hrytsenko"], birthDate=["1975-06-07"]) == ["b"]
    assert len(index) == 2


def test_an_updated_notice_is_compared_as_it_now_is() -> None:
    """Entries are read for comparison once and kept; a replaced entry is read anew."""
    first = make_entity("Person", "notice-1", name=["Taras Hnatiuk"], birthDate=["1979-08-14"])
    index = _index(first)
    assert _hits(index, name=["Тарас Гнатюк"], birthDate=["1979-08-14"]) == ["notice-1"]
    corrected = make_entity(
        "Person", "notice-1", name=["Taras Hnatiuk"], birthDate=["1979-08-14"], gender=["female"]
    )
    index.add(_entry(corrected))
    query = parse_query(
        {
            "schema": "Person",
            "properties": {
                "name": ["Тарас Гнатюк"],
                "birthDate": ["1979-08-14"],
                "gender": ["male"],
            },
        }
    )
    (hit,) = check(index, query).hits
    assert any(line.startswith("gender: male / female") for line in hit.explanation)
