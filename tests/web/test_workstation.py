"""The workstation's pages over real HTTP: signing in, every page, roles,
need-to-know in the HTML and the JSON the chart reads, CSRF, merge and undo,
notes, charts saved and exported, the screening form and the auditor's view;
on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import networkx as nx
import orjson
import pytest
from sqlalchemy import Engine, select

from nitka.access.audit import iter_records, who_saw
from nitka.store.tables import audit_log, check_log
from tests.analysis.ring import (
    CARDS,
    ORGANISER_ACCOUNT,
    RECRUITER,
    RECRUITER_PHONE,
    TRIP,
    VICTIM_NAMES,
    VICTIMS,
)
from tests.web.serving import Service
from tests.web.workstation import form_token, signed_in, workstation

PAGES = (
    "/ui/",
    "/ui/search?q=Petrenko",
    f"/ui/entities/{RECRUITER}",
    f"/ui/chart?id={RECRUITER}",
    "/ui/screen",
    "/ui/exchange",
    "/ui/cases",
    "/ui/cases/c1",
)


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        yield running


@pytest.fixture
def investigator(service: Service) -> Iterator[httpx.Client]:
    with signed_in(service.url, "investigator.in") as client:
        yield client


def test_a_page_without_a_session_leads_to_sign_in_and_back(service: Service) -> None:
    with httpx.Client(base_url=service.url, follow_redirects=False) as anonymous:
        answer = anonymous.get("/ui/search?q=Petrenko")
        page = anonymous.get(answer.headers["location"])
        api = anonymous.get(f"/ui/api/graph/expand?id={RECRUITER}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/sign-in?next=%2Fui%2Fsearch%3Fq%3DPetrenko"
    assert 'name="next" value="/ui/search?q=Petrenko"' in page.text
    assert api.status_code == 303


def test_wrong_password_stale_form_and_foreign_redirect_are_refused(service: Service) -> None:
    client = httpx.Client(base_url=service.url, follow_redirects=False)
    token = form_token(client.get("/ui/sign-in").text)
    wrong = client.post(
        "/ui/sign-in", data={"name": "analyst.in", "password": "guess", "form_token": token}
    )
    assert wrong.status_code == 401
    assert "not right" in wrong.text and "nitka_session" not in wrong.headers.get("set-cookie", "")
    stale = httpx.post(
        f"{service.url}/ui/sign-in",
        data={"name": "analyst.in", "password": "correct horse battery staple", "form_token": "x"},
    )
    assert stale.status_code == 400
    token = form_token(client.get("/ui/sign-in").text)
    away = client.post(
        "/ui/sign-in",
        data={
            "name": "analyst.in",
            "password": "correct horse battery staple",
            "form_token": token,
            "next": "//evil.example/steal",
        },
    )
    client.close()
    assert away.status_code == 303 and away.headers["location"] == "/ui/"


def test_every_page_renders_with_a_policy_that_loads_nothing_from_outside(
    investigator: httpx.Client,
) -> None:
    for path in PAGES:
        page = investigator.get(path)
        assert page.status_code == 200, (path, page.text[:300])
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "http" not in policy
        assert page.headers["x-frame-options"] == "DENY"
        assert "https://" not in re.sub(r'href="https://[^"]*"', "", page.text), path
    assert "investigator.in" in investigator.get("/ui/").text


def test_roles_see_only_their_pages(service: Service, engine: Engine) -> None:
    with (
        signed_in(service.url, "auditor.a") as auditor,
        signed_in(service.url, "analyst.in") as analyst,
    ):
        assert auditor.get("/ui/").headers["location"] == "/ui/audit"
        refused = auditor.get("/ui/search?q=Petrenko")
        assert refused.status_code == 403 and "may not see this page" in refused.text
        assert auditor.get(f"/ui/api/graph/expand?id={RECRUITER}").status_code == 403
        assert auditor.get("/ui/audit").status_code == 200
        assert analyst.get("/ui/audit").status_code == 403
        assert analyst.get("/ui/").status_code == 200
    with engine.connect() as conn:
        refusals = [r.as_dict() for r in iter_records(conn) if r.outcome == "refused"]
    # The forbidden page says the refusal has been recorded: it has.
    assert [(r["actor"], r["subject"]["page"]) for r in refusals] == [
        ("auditor.a", "/ui/search"),
        ("auditor.a", "/ui/api/graph/expand"),
        ("analyst.in", "/ui/audit"),
    ]
    assert all(r["subject"]["refused"].endswith("may not see this page") for r in refusals)


@pytest.mark.parametrize("user", ["analyst.in", "investigator.out"])
def test_no_victim_data_anywhere_for_those_who_may_not_see_it(service: Service, user: str) -> None:
    with signed_in(service.url, user) as client:
        answers = [
            client.get("/ui/search", params={"q": VICTIM_NAMES[0]}),
            client.get(f"/ui/entities/{VICTIMS[0]}"),
            client.get("/ui/api/graph/expand", params={"id": [*CARDS, ORGANISER_ACCOUNT]}),
            client.get("/ui/api/graph/expand", params={"id": VICTIMS[0]}),
            client.get("/ui/api/timeline", params={"id": list(VICTIMS)}),
            client.get("/ui/api/places", params={"id": list(VICTIMS)}),
            client.get("/ui/cases/c1"),
            client.get(f"/ui/api/graph/path?from={RECRUITER}&to={VICTIMS[0]}"),
        ]
    search = answers.pop(0)
    assert search.status_code == 200 and not any(v in search.text for v in VICTIMS)
    for answer in answers:
        assert answer.status_code in (200, 404), answer.text[:300]
        for name in VICTIM_NAMES:
            assert name not in answer.text
        assert "Kharkiv" not in answer.text
    victim_page = answers[0]
    if user == "analyst.in":
        assert victim_page.status_code == 200 and "Protected person" in victim_page.text
    else:
        assert victim_page.status_code == 404


def test_a_member_investigator_sees_the_victims_and_is_recorded(
    service: Service, investigator: httpx.Client, engine: Engine
) -> None:
    page = investigator.get(f"/ui/entities/{VICTIMS[0]}")
    assert VICTIM_NAMES[0] in page.text and "Kharkiv" in page.text
    assert "npu" in page.text and "victim" in page.text  # the statement's source and category
    graph = investigator.get("/ui/api/graph/expand", params={"id": CARDS[0]}).json()
    assert VICTIMS[0] in {n["id"] for n in graph["nodes"]}
    with engine.connect() as conn:
        seen = who_saw(conn, VICTIMS[0])
    assert [r.actor for r in seen].count("investigator.in") >= 2
    assert {r.origin.split("@")[0] for r in seen} == {"workstation"}


def test_changing_requests_need_the_csrf_token(
    service: Service, investigator: httpx.Client
) -> None:
    bare = httpx.post(
        f"{service.url}/ui/cases/c1/notes",
        data={"text": "forged"},
        cookies=investigator.cookies,
    )
    assert bare.status_code == 403
    written = investigator.post(
        "/ui/cases/c1/notes",
        data={"text": "Recruiter and organiser share a flat in Odesa.", "about": RECRUITER},
    )
    assert written.status_code == 204 and written.headers["hx-redirect"] == "/ui/cases/c1"
    case = investigator.get("/ui/cases/c1").text
    assert "share a flat in Odesa" in case and "assessment by investigator.in" in case
    assert "forged" not in case
    outsider_note = investigator.post("/ui/cases/c2/notes", data={"text": "x"})
    assert outsider_note.status_code == 400 and "not a member" in outsider_note.text


def test_merge_and_undo_from_the_entity_page(investigator: httpx.Client, engine: Engine) -> None:
    merged = investigator.post(
        f"/ui/entities/{RECRUITER}/merge", data={"other": VICTIMS[1], "reason": "same passport"}
    )
    assert merged.status_code == 204
    target = merged.headers["hx-redirect"]
    page = investigator.get(target).text
    assert "Олександр Петренко" in page and VICTIM_NAMES[1] in page and "same passport" in page
    judgement = re.search(r"/ui/judgements/(\d+)/undo", page)
    assert judgement
    no_reason = investigator.post(judgement.group(0), data={"entity": target.rsplit("/", 1)[1]})
    assert no_reason.status_code == 422
    undone = investigator.post(
        judgement.group(0), data={"entity": target.rsplit("/", 1)[1], "reason": "twins"}
    )
    assert undone.status_code == 204
    again = investigator.get(f"/ui/entities/{RECRUITER}").text
    assert VICTIM_NAMES[1] not in again
    hidden = investigator.post(
        f"/ui/entities/{RECRUITER}/merge", data={"other": "p-relative", "reason": "x"}
    )
    assert hidden.status_code == 400 and "may not see it" in hidden.text


def test_a_chart_is_saved_reopened_and_exported(
    service: Service, investigator: httpx.Client, engine: Engine
) -> None:
    phone = f"phone:{RECRUITER_PHONE}"
    body = {
        "case": "c1",
        "name": "ring",
        "ids": [RECRUITER, phone],
        "positions": {RECRUITER: {"x": 5, "y": 7}},
    }
    saved = investigator.post("/ui/api/charts", json=body)
    assert saved.status_code == 200, saved.text
    chart_id = saved.json()["id"]
    opened = investigator.get(f"/ui/api/charts/{chart_id}").json()
    assert {n["id"] for n in opened["graph"]["nodes"]} == {RECRUITER, phone}
    assert opened["positions"][RECRUITER] == {"x": 5.0, "y": 7.0}
    assert f"/ui/chart?chart={chart_id}" in investigator.get("/ui/cases/c1").text
    with signed_in(service.url, "investigator.out") as outsider:
        assert outsider.get(f"/ui/api/charts/{chart_id}").status_code == 404
        assert outsider.post("/ui/api/charts", json={**body, "name": "mine"}).status_code == 403
    graphml = investigator.post("/ui/api/charts/export?format=graphml", json=body)
    read = nx.parse_graphml(graphml.text)
    assert set(read.nodes) == {RECRUITER, phone} and read.number_of_edges() == 1
    anx = ET.fromstring(investigator.post("/ui/api/charts/export?format=anx", json=body).content)
    assert anx.tag == "Chart" and len(anx.findall("./ChartItemCollection/ChartItem")) == 3
    gexf = investigator.post("/ui/api/charts/export?format=gexf", json=body)
    assert gexf.headers["content-type"] == "application/gexf+xml"
    assert set(nx.read_gexf(io.BytesIO(gexf.content)).nodes) == {RECRUITER, phone}
    table = investigator.post("/ui/api/charts/export?format=csv", json=body)
    assert table.headers["content-type"].startswith("text/csv")
    assert table.text.splitlines()[0].startswith("source_id,source_label")
    assert investigator.post("/ui/api/charts/export?format=exe", json=body).status_code == 422
    with engine.connect() as conn:
        exports = [r for r in who_saw(conn, RECRUITER) if r.action == "export"]
    assert len(exports) == 4


def test_the_screening_form_checks_logs_and_explains(
    investigator: httpx.Client, engine: Engine
) -> None:
    headers = {"HX-Request": "true"}
    no_purpose = investigator.post("/ui/screen", data={"name": "Sergei Aksenov"}, headers=headers)
    assert no_purpose.status_code == 400 and "purpose" in no_purpose.text
    with engine.connect() as conn:
        refusal = conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.outcome).where(
                audit_log.c.subject.like('%"check":"ui"%')
            )
        ).all()
    assert [tuple(row) for row in refusal] == [("investigator.in", "check", "refused")]
    hit = investigator.post(
        "/ui/screen",
        data={"kind": "Person", "name": "Сергій Аксьонов", "purpose": "border check, Chop"},
        headers=headers,
    )
    assert hit.status_code == 200 and 'data-testid="screen-hit"' in hit.text
    assert "AKSYONOV" in hit.text and "script" in hit.text  # the explanation
    miss = investigator.post(
        "/ui/screen",
        data={"kind": "Vehicle", "plate": "AA1234BB", "purpose": "border check, Chop"},
        headers=headers,
    )
    assert 'data-testid="screen-no-hit"' in miss.text
    with engine.connect() as conn:
        logged = conn.execute(
            select(check_log.c.user, check_log.c.purpose, check_log.c.channel, check_log.c.hits)
        ).all()
    assert [tuple(row) for row in logged if row.channel == "ui"] == [
        ("investigator.in", "border check, Chop", "ui", 1),
        ("investigator.in", "border check, Chop", "ui", 0),
    ]


def test_the_auditor_sees_who_looked_and_that_the_chain_holds(
    service: Service, investigator: httpx.Client
) -> None:
    investigator.get(f"/ui/entities/{VICTIMS[0]}")
    with signed_in(service.url, "auditor.a") as auditor:
        page = auditor.get("/ui/audit", params={"entity": VICTIMS[0], "check": "true"}).text
    assert 'data-testid="verified"' in page and "is intact" in page
    assert "investigator.in" in page and "workstation" in page
    rows = page.split('data-testid="audit-records"')[1]
    assert "viewed" in rows and "<dt>id</dt>" in rows and VICTIMS[0] in rows
    assert "&#34;" not in rows and "{&#" not in rows, "raw JSON in the audit page"
    assert "workstation@" in rows


def test_the_interface_speaks_ukrainian_on_request(investigator: httpx.Client) -> None:
    page = investigator.get("/ui/search?q=Petrenko&lang=uk").text
    assert '<html lang="uk">' in page
    assert "Пошук" in page and "Search" not in re.sub(r"<[^>]+>", " ", page).split()
    following = investigator.get("/ui/screen").text
    assert '<html lang="uk">' in following, "the chosen language was not kept"
    back = investigator.get("/ui/search?lang=en").text
    assert '<html lang="en">' in back and '<html lang="en">' in investigator.get("/ui/").text


def test_the_interface_speaks_bulgarian_on_request(investigator: httpx.Client) -> None:
    page = investigator.get("/ui/search?q=Petrenko&lang=bg").text
    assert '<html lang="bg">' in page
    words = re.sub(r"<[^>]+>", " ", page).split()
    assert "Търсене" in words and "Search" not in words and "Пошук" not in words
    assert "Субект на данните" in page, "the facet titles are not in Bulgarian"
    assert '<html lang="bg">' in investigator.get("/ui/cases").text


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("uk", ("Особа", "Ім'я", "Телефон", "Адреса →", "Власник документа ←", "Поїздка",
                "дзвінок 1 хв")),
        ("bg", ("Лице", "Име", "Телефон", "Адрес →", "Притежател на документа ←", "Пътуване",
                "обаждане 1 мин")),
    ],
)  # fmt: skip
def test_the_models_labels_are_in_the_chosen_language(
    investigator: httpx.Client, language: str, said: tuple[str, ...]
) -> None:
    kind, name, phone, address, holder, trip, call = said
    page = html.unescape(investigator.get(f"/ui/entities/{RECRUITER}?lang={language}").text)
    assert f'data-testid="schema">{kind}<' in page
    rows = dict(re.findall(r'<tr data-prop="(\w+)">\s*<th scope="row"[^>]*>([^<]+)</th>', page))
    assert (rows["name"], rows["phone"]) == (name, phone)
    links = page.split('aria-labelledby="links"')[1]
    assert address in links and holder in links and "Address" not in links
    results = html.unescape(investigator.get("/ui/search", params={"q": "Petrenko"}).text)
    assert re.search(rf'name="schema" value="Person">\s*{kind} ', results), "the Kind facet"
    graph = investigator.get("/ui/api/graph/expand", params={"id": RECRUITER}).json()
    assert {n["kind"] for n in graph["nodes"] if n["id"] == RECRUITER} == {kind}
    assert holder.rstrip(" ←") in {e["kind"] for e in graph["edges"]}
    items = investigator.get("/ui/api/timeline", params={"id": RECRUITER}).json()["items"]
    assert [i["kind"] for i in items if i["id"] == TRIP] == [trip]
    assert next(i["label"] for i in items if i["id"] == TRIP).startswith(
        f"Олександр Петренко: {trip.lower()} "
    )
    # Calls in the page's words: the kind and the length ("дзвінок 1 хв").
    number = f"phone:{RECRUITER_PHONE}"
    calls = investigator.get("/ui/api/timeline", params={"id": number}).json()["items"]
    assert calls and all(i["label"].endswith(f": {call}") for i in calls), calls
    assert all(i["title"].endswith(f": {call}") for i in calls)


def test_a_search_too_long_is_refused_in_a_short_message(investigator: httpx.Client) -> None:
    answer = investigator.get("/ui/search", params={"q": "Petrenko " * 1200})
    assert answer.status_code == 400
    assert "at most 500 characters" in answer.text
    assert "Petrenko Petrenko" not in answer.text and '"loc"' not in answer.text


def test_the_entity_page_leads_with_key_facts_and_folds_sources(
    investigator: httpx.Client,
) -> None:
    page = investigator.get(f"/ui/entities/{RECRUITER}").text
    facts = page.split('data-testid="key-facts"')[1].split("</dl>")[0]
    assert "Олександр Петренко" in facts and RECRUITER_PHONE in facts
    assert 'data-fact="cases"' in facts and "c1" in facts
    assert 'data-fact="latest-hit"' in facts
    address_row = page.split('data-prop="addressEntity"')[1].split("</tr>")[0]
    assert "вул. Дерибасівська 1, Одеса" in address_row and "addr-odesa" not in address_row
    summaries = re.findall(r'data-testid="sources-summary">(.*?)</summary>', page, re.S)
    assert summaries and all("npu (" in summary for summary in summaries)
    links = page.split('aria-labelledby="links"')[1]
    assert "addressEntity" not in links
    assert "Address →" in links and "Identification holder ←" in links


def test_search_facets_count_and_filter(investigator: httpx.Client) -> None:
    everything = investigator.get("/ui/search", params={"q": "Oleksandr Petrenko"}).text
    assert re.search(r'name="dataset" value="npu"', everything)
    assert re.search(r'name="dataset" value="eu_sanctions_269_2014"', everything)
    only_case = investigator.get(
        "/ui/search", params={"q": "Oleksandr Petrenko", "dataset": "npu"}
    ).text
    listed = re.findall(
        r'<li class="result" data-testid="result">\s*<a href="/ui/entities/([^"]+)"', only_case
    )
    assert listed == [RECRUITER]
    # The facets still count what the query alone found, so the others can be chosen.
    assert 'value="eu_sanctions_269_2014"' in only_case
    suspects = investigator.get(
        "/ui/search", params={"q": "Oleksandr Petrenko", "category": "suspect", "case": "c1"}
    ).text
    assert re.findall(r'href="/ui/entities/([^"]+)"', suspects.split('class="results"')[1]) == [
        RECRUITER
    ]


def test_the_start_page_shows_what_waits_for_the_user(
    investigator: httpx.Client, engine: Engine
) -> None:
    investigator.post(
        "/ui/screen",
        data={"name": "Сергій Аксьонов", "purpose": "border check"},
        headers={"HX-Request": "true"},
    )
    start = investigator.get("/ui/").text
    assert "Recruitment ring, Odesa" in start
    assert "Сергій Аксьонов" in start.split("My recent screening hits")[1]


def test_a_chart_export_with_restricted_data_needs_the_providers_permission(
    investigator: httpx.Client, engine: Engine
) -> None:
    """The workstation's export passes the same H2/H3 gate as ``nitka export``: the
    INTERPOL notice is H3, so its chart leaves only with the permission named."""
    notice = "interpol-red-2022-46614"
    body = {"ids": [notice, RECRUITER]}
    refused = investigator.post("/ui/api/charts/export?format=graphml", json=body)
    assert refused.status_code == 403, refused.text
    detail = refused.json()["detail"]
    assert detail["field"] == "permission" and "under H3" in detail["error"]
    assert "tell the NCB of the requesting country" in detail["error"]
    allowed = investigator.post(
        "/ui/api/charts/export?format=anx&permission=NCB%20Lyon%202026%2F88", json=body
    )
    assert allowed.status_code == 200 and b"AL AJEIL" in allowed.content
    with engine.connect() as conn:
        exports = [r for r in who_saw(conn, notice) if r.action == "export"]
    assert [orjson.loads(r.subject).get("permission") for r in exports] == ["NCB Lyon 2026/88"]
    assert all(r.actor == "investigator.in" for r in exports)
