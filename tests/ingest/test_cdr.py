"""Call detail records: the real VAST 2008 calls, the generic layout, bad rows by column."""

from collections.abc import Iterable
from pathlib import Path

import pytest
from followthemoney import EntityProxy
from sqlalchemy import Engine

from nitka.errors import IngestError, RecordError
from nitka.ingest.base import Converted
from nitka.ingest.cdr import CdrConverter, tower_of
from nitka.ingest.runner import IngestReport, OnError, ingest
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, count_statements

VAST_HEADER = "From,To,Datetime,Duration(seconds),Cell Tower"
GENERIC_HEADER = "caller,receiver,start,duration,cell_id,cell_lat,cell_lon,call_type,imei,imsi,end"


def _vast(shared_data: Path) -> Path:
    return shared_data / "vast2008_cdr" / "vast2008_mc3_cell_phone_calls.csv"


def _entities(items: Iterable[Converted]) -> list[EntityProxy]:
    entities = list(items)
    assert all(isinstance(e, EntityProxy) for e in entities)
    return entities  # type: ignore[return-value]


def _one(tmp_path: Path, header: str, row: str) -> list[EntityProxy]:
    """Convert a file of one row."""
    path = tmp_path / "calls.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    converter = CdrConverter(str(path), "op")
    ((_, record),) = list(converter.records())
    return _entities(converter.convert(record))


def test_the_first_vast_call(shared_data: Path) -> None:
    converter = CdrConverter(str(_vast(shared_data)), "vast")
    number, record = next(iter(converter.records()))
    call, tower = _entities(converter.convert(record))
    assert number == 1 and converter.layout == "vast2008"
    assert call.schema.name == "Call" and tower.schema.name == "Address"
    assert call.get("callerNumber") == ["349"]
    assert call.get("receiverNumber") == ["23"]
    assert call.get("startDate") == ["2006-06-01T00:08:00"]
    assert call.get("duration") == ["1634"]
    assert call.get("endDate") == ["2006-06-01T00:35:14"]
    assert call.get("description") == ["Cell tower: 1"]
    assert tower_of(call) == "1"
    assert tower.get("name") == ["Cell tower 1"]
    assert tower.id == converter.make_id("tower", "1")
    assert call.id == converter.make_id("349", "23", "2006-06-01T00:08:00", "1634", "1")


def test_all_vast_calls_convert_but_four_negative_durations(shared_data: Path) -> None:
    converter = CdrConverter(str(_vast(shared_data)), "vast")
    assert converter.count() == 9834
    calls: list[EntityProxy] = []
    towers: set[str] = set()
    errors: list[tuple[int, str]] = []
    for number, record in converter.records():
        try:
            call, tower = _entities(converter.convert(record))
        except RecordError as exc:
            errors.append((number, exc.field))
            continue
        calls.append(call)
        towers.add(str(tower.id))
    assert len(calls) + len(errors) == 9834
    assert errors == [(n, "Duration(seconds)") for n in (822, 4221, 6450, 7245)]
    assert len({c.id for c in calls}) == 9830  # no two calls share an id
    assert len(towers) == 30
    assert {n for c in calls for n in c.get("callerNumber") + c.get("receiverNumber")} <= {
        str(n) for n in range(400)
    }


def test_the_generic_layout_with_every_optional_column(tmp_path: Path) -> None:
    call, tower = _one(
        tmp_path,
        GENERIC_HEADER + ",record_id",
        "+380 50 123-45-67,(0359) 888 123456,23.01.2024 14:05,65,KYIV-0042,50.4501,30.5234,"
        "voice,35-209900-176148-1,255010123456789,,R-17",
    )
    assert call.get("callerNumber") == ["+380 50 123-45-67"]  # kept as the operator gives it
    assert call.get("receiverNumber") == ["(0359) 888 123456"]
    assert call.get("startDate") == ["2024-01-23T14:05:00"]
    assert call.get("endDate") == ["2024-01-23T14:06:05"]
    assert call.get("recordId") == ["R-17"]
    assert tower_of(call) == "KYIV-0042"
    assert sorted(call.get("description")) == [
        "Call type: voice",
        "Cell tower: KYIV-0042",
        "IMEI: 35-209900-176148-1",
        "IMSI: 255010123456789",
    ]
    assert tower.get("name") == ["Cell tower KYIV-0042"]
    assert tower.get("latitude") == ["50.4501"] and tower.get("longitude") == ["30.5234"]


def test_generic_start_in_iso_with_an_offset_and_a_given_end(tmp_path: Path) -> None:
    (call,) = _one(
        tmp_path,
        "caller,receiver,start,duration,end",
        "111,222,2024-01-23T14:05:00+02:00,60,2024-01-23T14:06:30+02:00",
    )
    # FtM keeps times in UTC; the operator's own end is kept when it gives one.
    assert call.get("startDate") == ["2024-01-23T12:05:00"]
    assert call.get("endDate") == ["2024-01-23T12:06:30"]
    assert tower_of(call) is None


def test_the_same_call_in_two_files_is_one_entity_and_towers_are_shared(tmp_path: Path) -> None:
    first = _one(tmp_path, VAST_HEADER, "349,23,20060601 0008,1634,1")
    second = _one(
        tmp_path, "caller,receiver,start,duration,cell_id", "349,23,2006-06-01 00:08,1634,1"
    )
    assert [e.id for e in first] == [e.id for e in second]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("349,23,20060601 0008,long,1", "Duration(seconds)"),
        ("349,23,20060601 0008,-2,1", "Duration(seconds)"),
        ("349,23,20060601 0008,1.5,1", "Duration(seconds)"),
        ("349,23,20060601 0008,²,1", "Duration(seconds)"),
        ("349,23,20060601 0008,,1", "Duration(seconds)"),
        ("349,23,2006-13-45,10,1", "Datetime"),
        ("349,23,20060601 2599,10,1", "Datetime"),
        ("349,23,20060601,10,1", "Datetime"),
        ("349,23,,10,1", "Datetime"),
        ("349,,20060601 0008,10,1", "To"),
        ("abc,23,20060601 0008,10,1", "From"),
        ("+-(),23,20060601 0008,10,1", "From"),
    ],
)
def test_bad_calls_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    with pytest.raises(RecordError) as caught:
        _one(tmp_path, VAST_HEADER, row)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("1,2,23.01.2024 14:05,60,T1,91.0,30,,,,", "cell_lat"),
        ("1,2,23.01.2024 14:05,60,T1,50,east,,,,", "cell_lon"),
        ("1,2,23.01.2024 14:05,60,,,,,IMEI?,,", "imei"),
        ("1,2,23.01.2024 14:05,60,,,,,,x1,", "imsi"),
        ("1,2,23.01.2024 14:05,60,,,,,,,23.01.2024 14:00", "end"),
        ("1,2,23.01.2024 14:05,60,,,,,,,soon", "end"),
        ("1,2,2024-01-23,60,,,,,,,", "start"),
    ],
)
def test_bad_generic_calls_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    with pytest.raises(RecordError) as caught:
        _one(tmp_path, GENERIC_HEADER, row)
    assert caught.value.field == field


def test_a_short_row_names_the_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(f"{VAST_HEADER}\n349,23,20060601 0008,10,1\n349,23\n", encoding="utf-8")
    converter = CdrConverter(str(path), "v")
    (_, good), (_, short) = list(converter.records())
    assert len(_entities(converter.convert(good))) == 2
    with pytest.raises(RecordError) as caught:
        list(converter.convert(short))
    assert caught.value.field == "Datetime"


def test_a_short_first_row_is_a_bad_record_not_an_unknown_layout(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(f"{VAST_HEADER}\n349,23\n", encoding="utf-8")
    converter = CdrConverter(str(path), "v")
    ((_, short),) = list(converter.records())
    with pytest.raises(RecordError):
        list(converter.convert(short))


def test_an_unknown_layout_lists_the_expected_headers(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="caller,receiver,start,duration") as caught:
        list(CdrConverter(str(path), "v").records())
    assert VAST_HEADER in str(caught.value)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        list(CdrConverter(str(path), "v").records())


def test_all_vast_calls_ingest_idempotently(
    engine: Engine, shared_data: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.jsonl"

    def run() -> IngestReport:
        converter = CdrConverter(str(_vast(shared_data)), "vast")
        return ingest(
            engine,
            converter,
            Provenance("vast"),
            on_error=OnError.REJECT,
            reject_path=str(rejects),
        )

    report = run()
    # Four real calls have negative durations (e.g. -2 s at record 822): refused, named.
    assert report.records == 9834 and report.rejected == 4
    assert "record 822, field 'Duration(seconds)'" in report.errors[0]
    with engine.connect() as conn:
        counts = count_by_schema(conn)
        before = count_statements(conn)
    assert counts["Call"] == 9830 and counts["Address"] == 30
    run()
    with engine.connect() as conn:
        assert count_statements(conn) == before
        assert count_by_schema(conn) == counts
