"""The statistics page and the assessment pages over real HTTP, on both databases: the
period's tables and the charts' figures, the report's files (each download audited
with its format); a group's ratings with their evidence (and the one without), its
score term by term, the profiles' rankings; a case's criteria and an override with
a reason (audited); the outsider and the roles without case data refused."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from sqlalchemy import Engine

from tests.assess.cases import BROTHERS, LANTERN
from tests.services.people import records
from tests.web.assess_served import GROUP, assessed_served
from tests.web.workstation import signed_in

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def base(engine: Engine) -> Iterator[str]:
    with assessed_served(engine) as url:
        yield url


def _charts(page: str) -> dict[str, dict[str, object]]:
    found = re.findall(r'data-nitka-stat-chart="(\w+)"[^>]*data-chart=\'([^\']+)\'', page)
    return {key: json.loads(unescape(data)) for key, data in found}


def test_the_statistics_page_tables_charts_and_files(base: str, engine: Engine) -> None:
    with signed_in(base, "supervisor.in") as me:
        page = me.get("/ui/statistics", params=PERIOD)
        assert page.status_code == 200, page.text[:500]
        assert 'data-table="victims_exploitation"' in page.text
        assert 'href="/ui/statistics" aria-current="page"' in page.text
        charts = _charts(page.text)
        assert set(charts) == {"victims_exploitation", "victims_sex_age", "partner_countries"}
        partners = charts["partner_countries"]
        assert partners["labels"] == ["de", "pl"] or "pl" in str(partners["labels"]).lower()
        assert len(partners["series"]) == 4  # type: ignore[arg-type]
        for form in ("xlsx", "pdf", "csv"):
            assert f'data-format="{form}"' in page.text
        csv = me.get("/ui/statistics/download", params={**PERIOD, "format": "csv"})
        assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
        assert csv.headers["content-type"].startswith("text/csv") and csv.content
        xlsx = me.get("/ui/statistics/download", params={**PERIOD, "format": "xlsx"})
        assert xlsx.content[:2] == b"PK"
        assert (
            me.get("/ui/statistics/download", params={**PERIOD, "format": "doc"}).status_code == 400
        )
        assert (
            me.get(
                "/ui/statistics", params={"start": "2025-12-31", "end": "2025-01-01"}
            ).status_code
            == 400
        )
        uk = me.get("/ui/statistics", params={**PERIOD, "lang": "uk"}).text
        assert "Статистика" in uk
    outputs = [r["subject"].get("output") for r in records(engine) if r["subject"].get("report")]
    assert {"workstation", "csv:workstation", "xlsx:workstation"} <= set(outputs)


def test_an_empty_period_says_so_and_draws_no_chart(base: str) -> None:
    with signed_in(base, "analyst.in") as me:
        page = me.get("/ui/statistics", params={"start": "1990-01-01", "end": "1990-12-31"}).text
    assert 'data-testid="notice"' in page and _charts(page) == {}


def test_a_groups_ratings_evidence_score_and_rankings(base: str, engine: Engine) -> None:
    with signed_in(base, "investigator.in") as me:
        page = me.get(f"/ui/assess/groups/{GROUP}", params={"profile": "socta"})
        assert page.status_code == 200, page.text[:500]
        text = page.text
        international = text.split('data-attribute="international"')[1].split("</tr>")[0]
        assert "data-evidence=" in international and "B2" in international
        violence = text.split('data-attribute="violence"')[1].split("</tr>")[0]
        assert 'data-testid="no-evidence"' in violence and "a hunch" in violence
        assert 'data-term="international"' in text and "Score under socta" in text
        assert 'data-profile="sleipnir"' in text and 'data-profile="socta"' in text
        bulgarian = me.get(f"/ui/assess/groups/{GROUP}", params={"lang": "bg"}).text
        violence_bg = bulgarian.split('data-attribute="violence"')[1].split("</tr>")[0]
        assert "Насилие" in violence_bg  # the attribute's name in the page's language
        hints_bg = bulgarian.split('data-testid="suggestions"')[1].split("</ul>")[0]
        assert "членове: 4" in hints_bg and "members" not in hints_bg  # a suggestion's why
        assert me.get(f"/ui/assess/groups/{GROUP}", params={"profile": "/etc/x"}).status_code == 400
        entity = me.get(f"/ui/entities/{GROUP}").text
        assert f'href="/ui/assess/groups/{GROUP}"' in entity
        assert 'data-testid="assess-link"' not in me.get("/ui/entities/lantern-p1").text
    with signed_in(base, "investigator.out") as outsider:
        assert outsider.get(f"/ui/assess/groups/{GROUP}").status_code == 404
    last = [r for r in records(engine) if r["subject"].get("assess group")][-1]
    assert last["actor"] == "investigator.out" and last["outcome"] == "refused"


def test_a_cases_criteria_and_an_override_with_a_reason(base: str, engine: Engine) -> None:
    with signed_in(base, "investigator.in") as me:
        case = me.get(f"/ui/cases/{LANTERN}").text
        assert f'href="/ui/cases/{LANTERN}/criteria"' in case
        page = me.get(f"/ui/cases/{BROTHERS}/criteria")
        assert page.status_code == 200
        assert re.search(r'data-criterion="untoc.2a" data-state="not_met"', page.text)
        assert re.search(r'data-criterion="untoc.3.2" data-state="unknown"', page.text)
        no_reason = me.post(
            f"/ui/cases/{BROTHERS}/criteria/untoc.3.2",
            data={"state": "met", "reason": " "},
            headers={"HX-Request": "true"},
        )
        assert no_reason.status_code == 400 and "needs a reason" in no_reason.text
        assert no_reason.headers["HX-Retarget"] == "#override-result-untoc-3-2"
        done = me.post(f"/ui/cases/{BROTHERS}/criteria/untoc.3.2",
                       data={"state": "met", "reason": "victims moved abroad per witness"},
                       headers={"HX-Request": "true"})  # fmt: skip
        assert done.status_code == 200 and "<html" not in done.text
        assert re.search(r'data-criterion="untoc.3.2" data-state="met"', done.text)
        assert "victims moved abroad per witness" in done.text
        # The criteria's titles in the page's language (the choice stays for the session).
        ukrainian = me.get(f"/ui/cases/{BROTHERS}/criteria", params={"lang": "uk"}).text
        assert "КТОЗ ООН, ст. 2(a): організована злочинна група" in ukrainian
        # ... and why each stands as computed, with the case's values as they are.
        persons = ukrainian.split('data-criterion="untoc.2a.persons"')[1].split("</tr>")[0]
        why = persons.split('data-testid="why">')[1].split("</td>")[0]
        assert why == "у провадженні названо 2 (учасників групи або підозрюваних), менше трьох"
        english = me.get(f"/ui/cases/{BROTHERS}/criteria", params={"lang": "en"}).text
        assert "the case names 2 (members of the group or suspects), fewer than three" in english
    last = [r for r in records(engine) if r["subject"].get("assess override")][-1]
    assert last["actor"] == "investigator.in" and last["outcome"] == "done"


def test_the_outsider_and_roles_without_case_data_are_refused(base: str, engine: Engine) -> None:
    with signed_in(base, "investigator.out") as outsider:
        assert outsider.get(f"/ui/cases/{LANTERN}/criteria").status_code == 403
        refused = outsider.post(f"/ui/cases/{LANTERN}/criteria/untoc.2a",
                                data={"state": "not_met", "reason": "no"})  # fmt: skip
        assert refused.status_code == 403 and "not a member" in refused.text
    last = [r for r in records(engine) if r["subject"].get("assess override")][-1]
    assert last["actor"] == "investigator.out" and last["outcome"] == "refused"
    for name in ("auditor.a", "admin.z"):
        with signed_in(base, name) as other:
            assert other.get("/ui/statistics", params=PERIOD).status_code == 403
            assert other.get(f"/ui/cases/{LANTERN}/criteria").status_code == 403
            assert other.get("/ui/statistics/download", params=PERIOD).status_code == 403
