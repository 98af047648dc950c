"""The review page of flagged ads over real HTTP: the list by risk with the words behind
each indicator marked, provenance, contacts and leads within need-to-know; the
filters; filing an ad into a case and dismissing one; an outsider's filing refused
and audited; an ad's ``<script>`` shown as text; the roles that may not see it.
Both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from nitka.store.tables import statement
from tests.services.people import records
from tests.web.ads_served import HOSTILE, RECRUITER_PHONE, WATCH_LIST, ads_served, states
from tests.web.workstation import signed_in


@pytest.fixture
def served(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with ads_served(engine, tmp_path) as found:
        yield found


def _listed(page: str) -> list[str]:
    return re.findall(r'<li class="result" data-ad="([^"]+)"', page)


def _risks(page: str) -> list[float]:
    return [float(r) for r in re.findall(r'data-testid="risk">Risk ([0-9.]+)<', page)]


def test_the_list_by_risk_with_words_provenance_and_leads(
    served: tuple[str, dict[str, str]],
) -> None:
    base, ids = served
    with signed_in(base, "investigator.in") as me:
        page = me.get("/ui/ads")
    assert page.status_code == 200
    text = page.text
    assert 'href="/ui/ads" aria-current="page"' in text
    listed = _listed(text)
    assert set(listed) == {ids["hostess"], ids["script"], ids["boats"]}  # not the benign one
    risks = _risks(text)
    assert risks == sorted(risks, reverse=True) and all(r >= 0.5 for r in risks)

    hostess = text.split(f'data-ad="{ids["hostess"]}"')[1].split("</li>\n</ol>")[0]
    hostess = hostess.split('<li class="result"')[0]
    assert '<mark data-indicators="documents_retained"' in hostess
    assert ">Паспорт залишаєте у роботодавця</mark>" in hostess
    assert 'data-indicator="targeted_young_women"' in hostess
    assert "https://board.example/hostess" in hostess and "2025-03-03T09:00:00" in hostess
    assert re.search(r"<dt>Content hash</dt><dd><bdi>[0-9a-f]{16,}</bdi>", hostess)
    assert f'data-contact="{RECRUITER_PHONE}"' in hostess
    assert 'data-lead="recruiter-1"' in hostess and "in case c1" in hostess

    script = text.split(f'data-ad="{ids["script"]}"')[1].split('<li class="result"')[0]
    assert HOSTILE not in text and "&lt;script&gt;alert(&#39;ad&#39;)&lt;/script&gt;" in script
    assert "javascript:" not in text  # the collector keeps no such address
    assert 'data-lead="wanted-1"' in script and f"on the watch list {WATCH_LIST}" in script
    assert 'name="case_id"' in text and '<option value="c1">' in text


def test_an_outsider_sees_no_lead_of_a_case_and_may_not_file_into_it(
    served: tuple[str, dict[str, str]], engine: Engine
) -> None:
    base, ids = served
    with signed_in(base, "investigator.out") as outsider:
        page = outsider.get("/ui/ads").text
        assert ids["hostess"] in _listed(page)
        assert 'data-lead="recruiter-1"' not in page and "in case c1" not in page
        assert '<option value="c2">' in page and '<option value="c1">' not in page
        refused = outsider.post(f"/ui/ads/{ids['hostess']}/file", data={"case_id": "c1"},
                                headers={"HX-Request": "true"})  # fmt: skip
    assert refused.status_code == 403
    assert "You may not file into case c1" in refused.text
    assert refused.headers["HX-Retarget"] == f"#result-{ids['hostess']}"
    last = records(engine)[-1]
    assert last["actor"] == "investigator.out" and last["outcome"] == "refused"
    assert last["subject"]["ads"] == "file" and last["subject"]["case"] == "c1"
    assert states(engine)[ids["hostess"]] == "open"


def test_one_click_files_an_ad_into_a_case_and_another_dismisses_one(
    served: tuple[str, dict[str, str]], engine: Engine
) -> None:
    base, ids = served
    with signed_in(base, "investigator.in") as me:
        filed = me.post(f"/ui/ads/{ids['hostess']}/file", data={"case_id": "c1"},
                        headers={"HX-Request": "true"})  # fmt: skip
        assert filed.status_code == 200 and 'data-testid="filed"' in filed.text
        assert "Filed into case c1 with its provenance" in filed.text
        assert f'id="actions-{ids["hostess"]}"' in filed.text and "<html" not in filed.text
        again = me.post(f"/ui/ads/{ids['hostess']}/file", data={"case_id": "c9"})
        assert again.status_code == 404
        dismissed = me.post(f"/ui/ads/{ids['boats']}/dismiss")
        assert dismissed.status_code == 200 and 'data-testid="dismissed"' in dismissed.text
        assert _listed(me.get("/ui/ads").text) == [ids["script"]]
        filed_list = me.get("/ui/ads", params={"state": "filed"}).text
        assert _listed(filed_list) == [ids["hostess"]] and "filed into case c1" in filed_list
        assert _listed(me.get("/ui/ads", params={"state": "dismissed"}).text) == [ids["boats"]]
    assert states(engine)[ids["hostess"]] == "filed"
    with engine.connect() as conn:
        in_case = set(
            conn.execute(
                select(statement.c.prop).where(
                    statement.c.canonical_id == ids["hostess"], statement.c.case_id == "c1"
                )
            ).scalars()
        )
    assert {"sourceUrl", "contentHash", "retrievedAt", "bodyText"} <= in_case  # fmt: skip
    actions = [(r["actor"], r["subject"].get("ads"), r["outcome"]) for r in records(engine)]
    assert ("investigator.in", "file", "done") in actions
    assert ("investigator.in", "dismiss", "done") in actions


def test_the_filters(served: tuple[str, dict[str, str]]) -> None:
    base, ids = served
    with signed_in(base, "analyst.in") as me:
        assert _listed(me.get("/ui/ads", params={"ad_lang": "bg"}).text) == [ids["boats"]]
        assert _listed(me.get("/ui/ads", params={"source": "channel"}).text) == [ids["boats"]]
        by_code = me.get("/ui/ads", params={"indicator": "documents_retained"}).text
        assert set(_listed(by_code)) == {ids["hostess"], ids["script"]}
        assert '<option value="documents_retained" selected>' in by_code
        partial = me.get("/ui/ads", params={"ad_lang": "en"}, headers={"HX-Request": "true"})
        assert _listed(partial.text) == [ids["script"]] and "<html" not in partial.text
        none = me.get("/ui/ads", params={"source": "elsewhere"}).text
        assert 'data-testid="no-ads"' in none
        assert me.get("/ui/ads", params={"indicator": "no_such"}).status_code == 400
        assert me.get("/ui/ads", params={"state": "benign"}).status_code == 400
        uk = me.get("/ui/ads", params={"lang": "uk"}).text
        assert "Оголошення" in uk and len(_listed(uk)) == 3


def test_roles_without_case_data_and_strangers_see_no_ads(
    served: tuple[str, dict[str, str]], engine: Engine
) -> None:
    base, ids = served
    for name in ("auditor.a", "admin.z"):
        with signed_in(base, name) as other:
            assert other.get("/ui/ads").status_code == 403
            assert 'href="/ui/ads"' not in other.get("/ui/cases").text
    with signed_in(base, "auditor.a") as auditor:
        refused = auditor.post(f"/ui/ads/{ids['script']}/dismiss")
        assert refused.status_code == 403
    with httpx.Client(base_url=base, follow_redirects=False) as stranger:
        answer = stranger.get("/ui/ads")
        assert answer.status_code == 303 and "/ui/sign-in" in answer.headers["location"]
    assert states(engine)[ids["script"]] == "open"
