"""The statistics as files: the workbook opened again by openpyxl with its charts, the
PDF's text extracted, the CSV read back; in English, Ukrainian and Bulgarian; and
``nitka report statistics`` through the CLI runner, on both databases."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.cli.main import app
from nitka.reports.labels import label
from nitka.reports.render_csv import render_csv
from nitka.reports.render_pdf import render_pdf
from nitka.reports.render_xlsx import render_xlsx
from nitka.reports.statistics import Statistics
from nitka.services.guard import transaction
from nitka.services.reports import statistics_report
from tests.reports.test_statistics import OPERATOR
from tests.reports.world import NOW, build_world


@pytest.fixture
def report(engine: Engine) -> Statistics:
    build_world(engine)
    with transaction(engine) as conn:
        return statistics_report(conn, OPERATOR, "2025-01-01", "2025-12-31", now=NOW,
                                 minimum_cell=2)  # fmt: skip


def test_the_workbook_has_its_tables_and_native_charts(report: Statistics, tmp_path: Path) -> None:
    path = tmp_path / "stats.xlsx"
    path.write_bytes(render_xlsx(report, "uk"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["report", "summary", "partner_countries"]
    sheet = book["victims_sex_age"]
    assert sheet["A1"].value == "Жертви за статтю та віковою групою"
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows[label("total", "uk")][:4] == ("<2", 2, "<2", 5)  # 1 unknown, and one more hidden
    # openpyxl reads the drawings back as chart objects (``_charts``, not in its stubs)
    charted = [s.title for s in book.worksheets if vars(s).get("_charts")]
    chart = vars(book["victims_exploitation"])["_charts"][0]
    assert chart.tagname == "barChart" and len(chart.series) == 4  # female, male, other, unknown
    assert charted == [t.key for t in report.tables if t.chart]
    glotip = book["glotip"]
    assert [c.value for c in glotip[3]][:3] == [
        "Country",
        "Indicator",
        "Dimension",
    ]  # as GLOTIP names them


def test_the_pdf_shows_the_figures_and_its_labels(report: Statistics) -> None:
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(report, "uk"))).pages
    )
    assert "Статистика щодо торгівлі людьми" in text
    assert "Жертви за формою експлуатації" in text
    assert "Сексуальна експлуатація" in text
    assert "2025-01-01 – 2025-12-31" in text
    assert "Detected trafficking victims" in text  # GLOTIP's own words
    english = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(report))).pages)
    assert "Victims by sex and age group" in english
    assert "Counts from 1 to 1 are shown as <2" in english


def test_the_csv_reads_back(report: Statistics) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report, "bg").decode("utf-8-sig"))))
    assert rows[0] == ["Статистика за трафика на хора"]
    at = rows.index(["Обобщение"])
    assert rows[at + 1] == ["", "Брой"]
    figures = {r[0]: r[1] for r in rows[at + 2 : at + 23]}
    assert figures["Жертви"] == "5" and figures["Осъдени"] == "<2"


def test_an_empty_period_gives_an_empty_report_that_says_so(engine: Engine) -> None:
    build_world(engine)
    with transaction(engine) as conn:
        empty = statistics_report(conn, OPERATOR, "2030-01-01", "2030-01-31", now=NOW)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(empty))).pages)
    assert "No figures for this period" in text
    assert "Victims by sex and age group" not in text
    assert "No figures for this period" in render_csv(empty).decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(empty, "bg")))
    cover = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert label("empty", "bg") in cover


def test_the_command_writes_each_format(database_url: str, engine: Engine, tmp_path: Path) -> None:
    build_world(engine)
    runner = CliRunner()
    env = {"NITKA_DATABASE_URL": database_url, "NITKA_REPORT_MIN_CELL": "3"}
    for form in ("xlsx", "pdf", "csv"):
        out = tmp_path / f"stats.{form}"
        result = runner.invoke(app, ["report", "statistics", "--from", "2025-01-01", "--to",
                                     "2025-12-31", "--format", form, "--out", str(out),
                                     "--lang", "bg"], env=env)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert "<3" in (tmp_path / "stats.csv").read_text(encoding="utf-8-sig")
    command = ["report", "statistics", "--to", "2025-12-31"]
    bad = runner.invoke(app, [*command, "--from", "2025-02-30", "--out", str(tmp_path / "x.xlsx")],
                        env=env)  # fmt: skip
    assert bad.exit_code == 1
    assert "from: cannot read '2025-02-30'" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
    wrong = runner.invoke(app, [*command, "--from", "2025-01-01", "--format", "docx", "--out", "x"],
                          env=env)  # fmt: skip
    assert wrong.exit_code == 1 and "--format" in wrong.output
