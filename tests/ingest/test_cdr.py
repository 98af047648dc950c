from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.ingest.cdr import CdrConverter, tower_of
from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.runner import IngestReport, OnError, ingest
from nitka.model.statement import Provenance
from nitka.store.reader import count_by_schema, count_statements


def _vast(shared_data: Path) -> Path:
    return shared_data / "vast2008_cdr" / "vast2008_mc3_cell_phone_calls.csv"


def test_the_first_vast_call(shared_data: Path) -> None:
    converter = CdrConverter(str(_vast(shared_data)), "vast")
    _, record = next(iter(converter.records()))
    call, tower = converter.convert(record)
    assert call.get("callerNumber") == ["349"]  # type: ignore[union-attr]
    assert call.get("receiverNumber") == ["23"]  # type: ignore[union-attr]
    assert call.get("startDate") == ["2006-06-01T00:08:00"]  # type: ignore[union-attr]
    assert call.get("duration") == ["1634"]  # type: ignore[union-attr]
    assert call.get("endDate") == ["2006-06-01T00:35:14"]  # type: ignore[union-attr]
    assert tower_of(call) == "1"  # type: ignore[arg-type]
    assert tower.get("name") == ["Cell tower 1"]  # type: ignore[union-attr]


def test_the_generic_layout_with_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "operator.csv"
    path.write_text(
        "caller,receiver,start,duration,cell_id,cell_lat,cell_lon\n"
        "+380501234567,+359888123456,23.01.2024 14:05,65,KYIV-0042,50.4501,30.5234\n",
        encoding="utf-8",
    )
    converter = CdrConverter(str(path), "op")
    ((_, record),) = list(converter.records())
    call, tower = converter.convert(record)
    assert call.get("startDate") == ["2024-01-23T14:05:00"]  # type: ignore[union-attr]
    assert call.get("endDate") == ["2024-01-23T14:06:05"]  # type: ignore[union-attr]
    assert tower.get("latitude") == ["50.4501"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("349,23,20060601 0008,long,1", "Duration(seconds)"),
        ("349,23,2006-13-45,10,1", "Datetime"),
        ("349,,20060601 0008,10,1", "To"),
        ("abc,23,20060601 0008,10,1", "From"),
    ],
)
def test_bad_calls_name_the_column(tmp_path: Path, row: str, field: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"From,To,Datetime,Duration(seconds),Cell Tower\n{row}\n", encoding="utf-8")
    converter = CdrConverter(str(path), "v")
    ((_, record),) = list(converter.records())
    with pytest.raises(RecordError) as caught:
        list(converter.convert(record))
    assert caught.value.field == field


def test_an_unknown_layout_lists_the_expected_headers(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="caller,receiver,start,duration"):
        list(CdrConverter(str(path), "v").records())


def test_all_vast_calls_ingest_idempotently(
    engine: Engine, shared_data: Path, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.jsonl"

    def run() -> IngestReport:
        converter = CdrConverter(str(_vast(shared_data)), "vast")
        options = {"on_error": OnError.REJECT, "reject_path": str(rejects)}
        return ingest(engine, converter, Provenance("vast"), **options)  # type: ignore[arg-type]

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
