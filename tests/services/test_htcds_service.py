"""HTCDS through the service layer, on both databases: a file ingested and exported again,
need-to-know on the export, the audit record, and real CTDC records through the store to
the anonymised file, whose every combination of quasi-identifiers is counted here."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.audit import iter_records
from nitka.access.cases import add_case, add_member
from nitka.ingest.htcds import COLUMNS, HtcdsConverter
from nitka.model.statement import Provenance
from nitka.reports.anonymised import MIN_K, QUASI_IDENTIFIERS
from nitka.services import htcds
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.services.ingest import ingest_file
from tests.ingest.test_htcds import PERPETRATOR_ROW, VICTIM_ROW

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "ctdc_north_america_sample.csv"


def _actor(name: str, role: str) -> Actor:
    return Actor(name, Role(role), "u-kyiv", Proof.TOKEN, "test", "case c1")


INVESTIGATOR = _actor("investigator.in", "investigator")
ANALYST = _actor("analyst.in", "analyst")
OUTSIDER = _actor("investigator.out", "investigator")
AUDITOR = _actor("auditor.a", "auditor")


@pytest.fixture
def unit(engine: Engine) -> Engine:
    with engine.begin() as conn:
        add_case(conn, "c1", by="investigator.in")
        for actor in (INVESTIGATOR, ANALYST, OUTSIDER, AUDITOR):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role.value, unit_id="u-kyiv")
        for actor in (INVESTIGATOR, ANALYST):
            add_member(conn, "c1", actor.name, by="investigator.in")
    return engine


def _ingest(engine: Engine, path: Path, rows: list[dict[str, str]]) -> Any:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    provenance = Provenance("ngo", case="c1", seen="2024-06-01T00:00:00")
    return ingest_file(engine, INVESTIGATOR, HtcdsConverter(str(path), "ngo"), provenance,
                       kind="htcds", reject_path=str(path) + ".rejects")  # fmt: skip


def _export(engine: Engine, actor: Actor) -> list[dict[str, str]]:
    out = io.StringIO()
    with transaction(engine) as conn:
        htcds.export_htcds(conn, actor, "c1", out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _cells(row: dict[str, str]) -> dict[str, set[str]]:
    """A row's values, multi-select cells as sets (the store keeps no order)."""
    return {k: set(v.split(";")) for k, v in row.items() if v and k != "Id"}


def test_a_case_goes_out_as_it_came_in(unit: Engine, tmp_path: Path) -> None:
    report = _ingest(unit, tmp_path / "in.csv", [VICTIM_ROW, PERPETRATOR_ROW])
    assert report.records == 2 and report.dropped_values == 0
    rows = {row["PersonContext"]: row for row in _export(unit, INVESTIGATOR)}
    for given in (VICTIM_ROW, PERPETRATOR_ROW):
        assert _cells(rows[given["PersonContext"]]) == _cells(given)
    with unit.connect() as conn:
        record = list(iter_records(conn))[-1].as_dict()
    assert record["action"] == "export" and record["subject"]["htcds export"] == "c1"
    assert len(record["entities"]) == 2


def test_an_analyst_exports_no_victim_and_an_outsider_no_case(unit: Engine, tmp_path: Path) -> None:
    _ingest(unit, tmp_path / "in.csv", [VICTIM_ROW, PERPETRATOR_ROW])
    assert [row["PersonContext"] for row in _export(unit, ANALYST)] == ["Perpetrator"]
    with pytest.raises(NotFoundError):
        _export(unit, OUTSIDER)
    with pytest.raises(RefusedError):
        _export(unit, AUDITOR)


def test_unknown_codes_are_named_and_the_row_is_stored(unit: Engine, tmp_path: Path) -> None:
    row = {**VICTIM_ROW, "vic_TypeOfExploitation": "SexualExploitation;Cyber crime"}
    report = _ingest(unit, tmp_path / "bad.csv", [PERPETRATOR_ROW, row])
    assert report.records == 2 and report.dropped_values == 1
    (note,) = [json.loads(line) for line in Path(report.reject_path).read_text().splitlines()]
    assert (note["record"], note["field"], note["value"]) == (
        2,
        "vic_TypeOfExploitation",
        "Cyber crime",
    )
    assert note["record_kept"] is True
    (victim,) = [r for r in _export(unit, INVESTIGATOR) if r["PersonContext"] == "Victim"]
    assert victim["vic_TypeOfExploitation"] == "SexualExploitation"
    assert victim["vic_MethodsOfControl"] == "DebtBondage;WithholdsDocuments"


CONTROLS = {
    "Means Debt Bondage Earnings": ("DebtBondage", "meansDebtBondageEarnings"),
    "Means Threats": ("PhysicalThreats", "meansThreats"),
    "Means Abuse": ("PhysicalAbuse", "meansAbusePsyPhySex"),
    "Means False Promises": ("FalsePromises", "meansFalsePromises"),
    "Means Drugs Alcohol": ("PsychoactiveSubstance", "meansDrugsAlcohol"),
    "Means Deny Basic Needs": ("WithholdsNecessities", "meansDenyBasicNeeds"),
    "Means Excessive Work Hours": ("ExcessiveWorkingHours", "meansExcessiveWorkHours"),
    "Means Withhold Docs": ("WithholdsDocuments", "meansWithholdDocs"),
}
BANDS = ["", "0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"]


def _as_htcds(number: int, record: dict[str, str]) -> dict[str, str]:
    """One CTDC record as an HTCDS row (``Woman`` and ``Trans/NonConforming`` both 0 is a
    man or unknown in the derived file: no gender)."""
    gender = "Feminine" if record["Woman"] == "1" else ""
    gender = "NonConforming" if record["Trans/NonConforming"] == "1" else gender
    types = [("ForcedLabour", "isForcedLabour"), ("SexualExploitation", "isSexualExploit")]
    return {
        "Id": f"ctdc-{number}",
        "PersonContext": "Victim",
        "prs_Gender": gender,
        "vic_AgeWhenTrafficked": BANDS[int(record["Age Band"])],
        "vic_MethodsOfControl": ";".join(c for f, (c, _) in CONTROLS.items() if record[f] == "1"),
        "vic_TypeOfExploitation": ";".join(t for t, f in types if record[f] == "1"),
        "vic_RelationshipToTrafficker": (
            "Familial" if record["Recruiter Relation Family"] == "1" else ""
        ),
    }


def _expected(record: dict[str, str]) -> tuple[str, ...]:
    """What the anonymised file should say of a CTDC record, age as minor or adult."""
    band = int(record["Age Band"])
    gender = "Woman" if record["Woman"] == "1" else ""
    gender = "Trans/Transgender/NonConforming" if record["Trans/NonConforming"] == "1" else gender
    age = "" if band == 0 else ("0--17" if band <= 2 else "18+")
    means = [record[f] for f in CONTROLS]
    flags = [*means, "0", record["isForcedLabour"], record["isSexualExploit"], "0"]
    return ("2024", gender, age, "", "", *flags, record["Recruiter Relation Family"])


def test_real_ctdc_records_round_trip_to_a_k_anonymous_file(unit: Engine, tmp_path: Path) -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        sample = list(csv.DictReader(fh))
    rows = [_as_htcds(n, r) for n, r in enumerate(sample, start=1)]
    report = _ingest(unit, tmp_path / "ctdc.csv", rows)
    assert report.records == len(sample) == 607 and report.dropped_values == 0
    out = io.StringIO()
    with transaction(unit) as conn:
        result = htcds.export_anonymised(conn, INVESTIGATOR, out, k=MIN_K)
    written = list(csv.DictReader(io.StringIO(out.getvalue())))
    combinations = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in written)
    assert combinations and min(combinations.values()) >= MIN_K
    assert len(written) + result.suppressed == 607
    # Ages as CTDC's nine bands leave 48 records in classes under 11 (more than 5%):
    # the age is given as minor or adult, and only the classes still too small go.
    assert result.levels == {q: int(q == "ageBroad") for q in QUASI_IDENTIFIERS}
    expected = Counter(map(_expected, sample))
    classes = Counter(key[:5] for key in expected.elements())
    kept = Counter({key: n for key, n in expected.items() if classes[key[:5]] >= MIN_K})
    assert Counter(tuple(row.values()) for row in written) == kept
    assert result.suppressed == sum(expected.values()) - sum(kept.values()) > 0
    with unit.connect() as conn:
        record = list(iter_records(conn))[-1].as_dict()
    assert record["subject"]["suppressed"] == result.suppressed
    assert len(record["entities"]) == 607


def test_the_anonymised_file_refuses_a_small_k(unit: Engine) -> None:
    with transaction(unit) as conn, pytest.raises(ValueError, match="at least 11"):
        htcds.export_anonymised(conn, INVESTIGATOR, io.StringIO(), k=5)
