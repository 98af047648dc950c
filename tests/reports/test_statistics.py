"""The statistics counted from the fixture store (``world``), on both databases:
every figure against a hand count, need-to-know, small cells, an empty period and
bad dates."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.errors import FieldError
from nitka.reports.labels import LABELS
from nitka.reports.statistics import Statistics
from nitka.services.guard import RefusedError, transaction
from nitka.services.reports import statistics_report
from tests.reports.world import NOW, build_world
from tests.services.people import ADMINISTRATOR, ANALYST, INVESTIGATOR, SUPERVISOR, last_record

OPERATOR = Actor.operator("local", origin="cli@test")


@pytest.fixture
def world(engine: Engine) -> Engine:
    return build_world(engine)


def _report(engine: Engine, actor: Actor, start: str = "2025-01-01", end: str = "2025-12-31",
            **options: object) -> Statistics:  # fmt: skip
    with transaction(engine) as conn:
        return statistics_report(conn, actor, start, end, now=NOW, **options)  # type: ignore[arg-type]


def _rows(report: Statistics, key: str) -> dict[str, tuple[object, ...]]:
    return {row.label: row.cells for row in report.table(key).rows}


def test_figures_match_the_hand_count(world: Engine) -> None:
    report = _report(world, OPERATOR, release=False)
    summary = {k: v[0] for k, v in _rows(report, "summary").items()}
    assert summary == {
        "messages_out": 3, "messages_in": 3, "requests_out": 3, "requests_in": 2,
        "in_time_out": 1, "late_out": 1, "pending_out": 1, "in_time_in": 1, "late_in": 1,
        "pending_in": 0, "persons_located": 1, "extradition_requested": 1,
        "extradition_granted": 1, "extradition_refused": 0, "reports_possible_thb": 2,
        "criminal_cases_opened": 1, "victims": 5, "child_victims": 2, "suspects": 2,
        "prosecuted": 2, "convicted": 1,
    }  # fmt: skip
    partners = _rows(report, "partner_countries")
    # messages out, in, requests out, in, in time out, late out, pending out, in time in,
    # late in, pending in, located, extraditions requested, granted, refused
    assert partners["pl"] == (2, 1, 2, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0)
    assert partners["de"] == (1, 2, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0)
    deadlines = _rows(report, "deadlines")
    assert deadlines["urgent-direct"] == (0, 1, 0, 0, 0, 1, 0, 0)
    assert deadlines["urgent"] == (1, 0, 0, 1, 0, 0, 0, 0)
    assert deadlines["normal"] == (2, 1, 1, 0, 1, 0, 1, 0)
    # columns: children, adults, unknown, total
    sex_age = _rows(report, "victims_sex_age")
    assert sex_age["female"] == (2, 1, 0, 3)
    assert sex_age["male"] == (0, 1, 0, 1)
    assert sex_age["unknown"] == (0, 0, 1, 1)
    assert sex_age["total"] == (2, 2, 1, 5)
    bands = {k: v[-1] for k, v in _rows(report, "victims_age_bands").items()}
    assert bands == {"0-11": 0, "12-17": 2, "18-24": 1, "25-34": 1, "35-49": 0, "50+": 0,
                     "unknown": 1}  # fmt: skip
    citizens = {k: v[-1] for k, v in _rows(report, "victims_citizenship").items()}
    assert citizens == {"ua": 3, "md": 1, "unknown": 1}
    forms = {k: v[-1] for k, v in _rows(report, "victims_exploitation").items() if v[-1]}
    assert forms == {"sexual": 3, "forced_labour": 2, "unknown": 1}
    # columns: female, male, other, unknown, total
    offenders = _rows(report, "offenders")
    assert offenders["suspects"] == (1, 1, 0, 0, 2)
    assert offenders["prosecuted"] == (1, 1, 0, 0, 2)
    assert offenders["convicted"] == (0, 1, 0, 0, 1)
    assert _rows(report, "cases_countries") == {"ua": (1, 2)}
    assert report.warnings == ("e11: keywords exploitation:weird is not a known code",)


def test_long_tables_are_shaped_as_glotip_and_eurostat(world: Engine) -> None:
    report = _report(world, SUPERVISOR, release=False)
    glotip = {row.cells[:5]: row.cells[-1] for row in report.table("glotip").rows}
    victims = "Detected trafficking victims"
    assert glotip[(victims, "Total", "Total", "Total", "Total")] == 4  # v6 is in c2
    assert glotip[(victims, "Total", "Total", "Female", "0 to 17 years")] == 1
    assert (
        glotip[(victims, "by form of exploitation", "Sexual exploitation", "Total", "Total")] == 2
    )
    assert glotip[("Persons convicted", "Total", "Total", "Male", "Total")] == 1
    assert {row.label for row in report.table("glotip").rows} == {"UA"}
    eurostat = {row.label + "/" + "/".join(map(str, row.cells[:4])): row.cells[-1]
                for row in report.table("eurostat").rows}  # fmt: skip
    assert eurostat["crim_thb_vict/victims/T/TOTAL/TOTAL"] == 4
    assert eurostat["crim_thb_vctz/victims/T/TOTAL/reporting_country"] == 2
    assert eurostat["crim_thb_vctz/victims/T/TOTAL/non_eu"] == 1  # MD
    assert eurostat["crim_thb/convicted/M/TOTAL/TOTAL"] == 1


def test_figures_count_only_what_the_actor_may_see(world: Engine) -> None:
    supervisor = _report(world, SUPERVISOR, release=False)
    summary = {k: v[0] for k, v in _rows(supervisor, "summary").items()}
    assert summary["victims"] == 4  # not v6, of case c2
    assert summary["messages_in"] == 3  # the exchange desk sees every message
    investigator = _report(world, INVESTIGATOR, release=False)
    summary = {k: v[0] for k, v in _rows(investigator, "summary").items()}
    assert (summary["victims"], summary["messages_in"]) == (4, 2)  # m6 is of case c2
    analyst = _report(world, ANALYST, release=False)
    summary = {k: v[0] for k, v in _rows(analyst, "summary").items()}
    assert summary["victims"] == 0  # victims' statements are for investigators, supervisors
    assert summary["suspects"] == 2
    record = last_record(world)
    assert (record["actor"], record["action"]) == ("analyst.in", "export")


def test_an_administrator_is_refused(world: Engine) -> None:
    with pytest.raises(RefusedError):
        _report(world, ADMINISTRATOR)
    assert last_record(world)["outcome"] == "refused"


def test_small_cells_are_suppressed_in_what_leaves_the_unit(world: Engine) -> None:
    report = _report(world, OPERATOR, minimum_cell=5)
    assert report.minimum_cell == 5
    summary = {k: v[0] for k, v in _rows(report, "summary").items()}
    assert summary["victims"] == 5 and summary["child_victims"] == "<5"
    assert summary["pending_in"] == 0  # zero tells nobody who
    sex_age = _rows(report, "victims_sex_age")
    assert sex_age["total"] == ("<5", "<5", "<5", 5)
    assert sex_age["female"] == ("<5", "<5", 0, "<5")
    glotip = [row.cells for row in report.table("glotip").rows]
    assert all(c[-1] == 0 or c[-1] == "<5" or c[-1] >= 5 for c in glotip)  # type: ignore[operator]
    loose = _report(world, OPERATOR, minimum_cell=2)
    # one child hidden, so the adults (2) are hidden too: the total 3 cannot give it away
    assert _rows(loose, "victims_sex_age")["female"] == ("<2", "<2", 0, 3)


def test_a_total_does_not_give_away_the_only_hidden_cell(world: Engine) -> None:
    report = _report(world, OPERATOR, minimum_cell=2)
    # male: one adult; the total (1) is hidden too
    assert _rows(report, "victims_sex_age")["male"] == (0, "<2", 0, "<2")
    # offenders, convicted: one male, and the total: both hidden, as are the rest
    assert _rows(report, "offenders")["convicted"] == (0, "<2", 0, 0, "<2")


def test_an_empty_period_says_so(world: Engine) -> None:
    report = _report(world, OPERATOR, "2030-01-01", "2030-12-31")
    assert report.empty
    assert all(t.empty for t in report.tables)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2025-13-01", "2025-12-31", "from"), ("2025-01-01", "last year", "to"),
     ("2025-06-01", "2025-01-01", "to")],
)  # fmt: skip
def test_bad_dates_name_the_field(world: Engine, start: str, end: str, field: str) -> None:
    with pytest.raises(FieldError) as raised:
        _report(world, OPERATOR, start, end)
    assert raised.value.field == field


def test_every_label_of_the_report_is_translated(world: Engine) -> None:
    report = _report(world, OPERATOR, release=False)
    keys = {"title", "period", "generated", "scope", "empty", "suppressed", "internal", "total"}
    for table in report.tables:
        keys |= {table.key, *([table.note] if table.note else [])}
        if not table.long:
            keys |= set(table.columns)
            keys |= {row.label for row in table.rows if not _code_or_band(row.label)}
    for key in keys:
        en, uk, bg = LABELS[key]
        assert en and uk and bg and uk != en and bg != en, key


def _code_or_band(label: str) -> bool:
    return (len(label) == 2 and label.isalpha()) or label[0].isdigit()
