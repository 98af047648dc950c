"""The assessment report of a case and of a group: the PDF's text extracted with
pypdf, the workbook opened again by openpyxl, ``nitka report assessment`` through the
CLI runner; an unknown argument and a refused user (audited); on both databases."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_case, add_member
from nitka.assess.phrases import PHRASES
from nitka.cli.main import app
from nitka.demo import DATA
from nitka.effects import ChangeKind, after_write
from nitka.reports.assessment import AssessmentReport
from nitka.reports.assessment_labels import alabel
from nitka.reports.render_assessment import render_assessment_pdf, render_assessment_xlsx
from nitka.services import assessment
from nitka.services.assessment_report import assessment_report
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.store.tables import statement
from nitka.store.writer import load_canonical_map, write_statements
from tests.assess.cases import BROTHERS, LANTERN, both
from tests.services.people import last_record

INVESTIGATOR = Actor("investigator.i", Role.INVESTIGATOR, "u", Proof.SESSION, "api@10.0.0.2", "")
OUTSIDER = Actor("analyst.out", Role.ANALYST, "u", Proof.SESSION, "api@10.0.0.3", "")
AUDITOR = Actor("auditor.z", Role.AUDITOR, "u", Proof.SESSION, "api@10.0.0.4", "")


@pytest.fixture
def store(engine: Engine) -> Engine:
    with engine.begin() as conn:
        written = write_statements(conn, both(), load_canonical_map(conn))
        after_write(conn, ChangeKind.STATEMENTS, sorted(written), datasets=["demo_thb_cases"])
        for case in (LANTERN, BROTHERS):
            add_case(conn, case, by="supervisor", title=case)
        for actor in (INVESTIGATOR, OUTSIDER, AUDITOR):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role, unit_id="u")
        for case in (LANTERN, BROTHERS):
            add_member(conn, case, INVESTIGATOR.name, by="supervisor")
    return engine


def _text(pdf: bytes) -> str:
    """The PDF's words, each run of white space (a cell's line breaks) as one space."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _cells(data: bytes) -> dict[str, list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        for sheet in book.worksheets
    }


def test_a_case_report_shows_each_criterion_and_the_summary(store: Engine) -> None:
    with transaction(store) as conn:
        assessment.override_criterion(
            conn, INVESTIGATOR, BROTHERS, "untoc.2a.benefit", "met", "the brothers kept the takings"
        )
        lantern = assessment_report(conn, INVESTIGATOR, LANTERN)
        brothers = assessment_report(conn, INVESTIGATOR, BROTHERS, output="pdf:b.pdf")
    record = last_record(store)
    assert record["action"] == "export" and record["subject"]["kind"] == "case"
    assert record["subject"]["output"] == "pdf:b.pdf"
    assert lantern.kind == brothers.kind == "case"
    english = _text(render_assessment_pdf(lantern))
    assert "Meets UNTOC's criteria of an organised criminal group" in english
    assert "Trafficking Protocol checklist" in english
    assert "three or more persons" in english and "not met" in english  # untoc.3.2.d
    ukrainian = _text(render_assessment_pdf(brothers, "uk"))
    assert alabel("case_title", "uk") in ukrainian
    assert "Не відповідає" in ukrainian
    assert "не виконано" in ukrainian and "невідомо" in ukrainian and "виконано" in ukrainian
    assert "the brothers kept the takings" in ukrainian and INVESTIGATOR.name in ukrainian
    cells = _cells(render_assessment_xlsx(brothers, "bg"))
    assert list(cells) == ["report", "untoc", "transnational", "protocol"]
    assert alabel("case_title", "bg") in cells["report"]
    untoc = cells["untoc"]
    at = untoc.index("untoc.2a.benefit")
    assert untoc[at + 2 : at + 4] == ["изпълнен", "неизвестно"]  # state, computed
    # Why each stands, in the report's language (the case's values as they are).
    assert (
        "по случая са посочени 2 (членове на групата или заподозрени), по-малко от трима" in untoc
    )
    assert "fewer than three" not in " ".join(map(str, untoc))
    assert "the case names 2 (members of the group or suspects), fewer than three" in _text(
        render_assessment_pdf(brothers)
    )


def test_a_group_report_shows_ratings_score_and_ranks(store: Engine) -> None:
    with store.connect() as conn:
        payment = conn.execute(
            select(statement.c.id).where(
                statement.c.entity_id == "lantern-pay1", statement.c.prop == "amount"
            )
        ).scalar_one()
    with transaction(store) as conn:
        assessment.rate(conn, INVESTIGATOR, "lantern-group", "money_laundering", "medium",
                        evidence=[payment], reason="shares paid to the leader abroad")  # fmt: skip
        assessment.rate(conn, INVESTIGATOR, "lantern-group", "violence", "high")
        found = assessment_report(conn, INVESTIGATOR, "lantern-group", profile="socta")
    assert found.kind == "group" and last_record(store)["entities"] == ["lantern-group"]
    text = _text(render_assessment_pdf(found))
    assert "No single number is the truth" in text
    assert "no evidence" in text and "not rated" in text and "(B2)" in text
    assert "Kendall's tau" in text and "sleipnir" in text
    workbook = render_assessment_xlsx(found, "uk")
    cells = _cells(workbook)
    assert list(cells) == ["report", "ratings", "score", "ranks", "kendall_tau"]
    # The score's terms as a native bar chart (openpyxl reads it back as ``_charts``).
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    charted = [s.title for s in book.worksheets if vars(s).get("_charts")]
    chart = vars(book["score"])["_charts"][0]
    assert charted == ["score"] and chart.tagname == "barChart" and len(chart.series) == 2
    assert alabel("no_single_number", "uk") in cells["report"]
    assert "Відмивання коштів" in cells["ratings"] and "без доказів" in cells["ratings"]
    score = cells["score"]
    assert score[score.index("Усього") + 1] == 7 * 2 + 3 * 3  # socta: laundering 7, violence 3
    ranks = cells["ranks"]
    assert ranks[ranks.index("sleipnir") + 1] == 1 and ranks[ranks.index("socta") + 1] == 1


def test_an_unknown_argument_and_refusals(store: Engine) -> None:
    with pytest.raises(NotFoundError) as caught, transaction(store) as conn:
        assessment_report(conn, INVESTIGATOR, "no-such-thing")
    assert "'no-such-thing' is no case and no group" in str(caught.value)
    assert caught.value.field == "case_or_group"
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment_report(conn, OUTSIDER, LANTERN)
    record = last_record(store)
    assert record["outcome"] == "refused" and record["actor"] == OUTSIDER.name
    with pytest.raises(RefusedError), transaction(store) as conn:
        assessment_report(conn, AUDITOR, "lantern-group")
    record = last_record(store)
    assert record["outcome"] == "refused" and record["subject"]["report"] == "assessment"


def test_the_command_writes_both_formats(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NITKA_DATABASE_URL": database_url}

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("case", "add", LANTERN)
    run("ingest", "ftm", str(DATA / "thb_cases.ftm.jsonl"), "--dataset", "demo_thb_cases")
    run("assess", "rate", "lantern-group", "corruption", "high", "--reason", "bribed a guard")
    pdf, xlsx = tmp_path / "case.pdf", tmp_path / "group.xlsx"
    assert "the case" in run("report", "assessment", LANTERN, "--format", "pdf", "--out", str(pdf),
                             "--lang", "bg")  # fmt: skip
    assert alabel("meets_untoc", "bg") in _text(pdf.read_bytes())
    run("report", "assessment", "lantern-group", "--format", "xlsx", "--out", str(xlsx),
        "--profile", "socta")  # fmt: skip
    assert "Corruption" in _cells(xlsx.read_bytes())["ratings"]
    bad = runner.invoke(app, ["report", "assessment", "nobody", "--out", str(tmp_path / "x.pdf")],
                        env=env)  # fmt: skip
    assert bad.exit_code == 1 and "'nobody' is no case and no group" in bad.output
    assert not (tmp_path / "x.pdf").exists()
    wrong = runner.invoke(app, ["report", "assessment", LANTERN, "--format", "csv", "--out", "x"],
                          env=env)  # fmt: skip
    assert wrong.exit_code == 1 and "--format" in wrong.output


def test_a_why_without_its_key_in_the_table_is_shown_in_english() -> None:
    part: dict[str, object] = {"code": "x.1", "title": "t", "state": "met", "computed": "met"}
    part |= {"evidence": [], "why": "said in English", "why_key": "persons.few"}
    part["why_values"] = {"n": "2"}
    case = {"checklists": [part]}
    bare = AssessmentReport("case", "c", "2026-01-01T00:00:00", "all", case=case)
    assert "said in English" in _text(render_assessment_pdf(bare, "bg"))  # no table given
    unknown = {**part, "why_key": "no.such.key"}
    given = AssessmentReport("case", "c", "2026-01-01T00:00:00", "all",
                             case={"checklists": [unknown]}, phrases=PHRASES)  # fmt: skip
    assert "said in English" in _text(render_assessment_pdf(given, "uk"))


def test_the_layout_needs_no_store() -> None:
    empty = AssessmentReport("case", "c", "2026-01-01T00:00:00", "all", case={"checklists": []})
    text = _text(render_assessment_pdf(empty, "bg"))
    assert alabel("not_meets_untoc", "bg") in text
