"""The screening API over real HTTP: ``nitka serve`` in its own process, on both stores."""

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select, update

from nitka.access.accounts import create_token, revoke_token
from nitka.access.audit import by_actor, verify
from nitka.screen.audit import notices_for
from nitka.screen.checks import DEFAULT_THRESHOLD
from nitka.screen.service import POLL_SECONDS
from nitka.screen.withdrawals import WithdrawalKind, record
from nitka.store.tables import api_token, check_log
from tests.helpers import WATCH_LISTS as LISTS
from tests.web.serving import PURPOSE, Service, free_port, serving


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with serving(listed, database_url, tmp_path) as running:
        yield running


def test_a_person_check_hits_and_is_logged(service: Service, listed: Engine) -> None:
    query = {"schema": "Person", "properties": {"name": ["Сергій Аксьонов"]}}
    response = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["hit"] is True
    best = answer["hits"][0]
    assert best["lists"] == ["eu_sanctions_269_2014"]
    assert best["explanation"] and best["caveats"]
    with listed.connect() as conn:
        row = conn.execute(select(check_log).where(check_log.c.id == answer["log_id"])).one()
        assert (row.user, row.purpose, row.channel, row.hits) == (
            "officer.k",
            "border check, Chop crossing",
            "api",
            len(answer["hits"]),
        )
        assert "Сергій Аксьонов" in row.query
        notices = notices_for(conn, "eu_sanctions_269_2014")
    assert [n["check_id"] for n in notices] == [answer["log_id"]] * len(answer["hits"])


def test_a_check_without_a_purpose_is_refused(service: Service) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ivan Petrenko"]}}
    token_only = {"Authorization": service.officer["Authorization"]}
    response = httpx.post(f"{service.url}/screen", json=query, headers=token_only)
    assert response.status_code == 400
    assert response.json()["detail"]["field"] == "purpose"


def test_a_batch_answers_the_good_queries_and_names_the_bad_field(service: Service) -> None:
    queries = [
        {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}},
        {"schema": "Person", "properties": {"name": [""]}},
        {"schema": "Vehicle", "properties": {"registrationNumber": ["AA 1234 BX"]}},
    ]
    response = httpx.post(
        f"{service.url}/screen", json={"queries": queries}, headers=service.officer
    )
    assert response.status_code == 200
    first, second, third = response.json()["responses"]
    assert first["status"] == 200 and first["hit"] is True
    assert second["status"] == 400
    assert second["error"]["field"] == "queries[1].properties.name"
    assert third["status"] == 200 and third["hit"] is False


def test_a_check_with_query_parameters_answers_as_one_without(
    service: Service, listed: Engine
) -> None:
    """One route answers every ``/screen`` request: with or without parameters, a
    single query, a refusal or a batch, each logged once."""
    url = f"{service.url}/screen"
    hit = {"schema": "Person", "properties": {"name": ["Сергій Аксьонов"]}}
    bad = {"schema": "Person", "properties": {"name": ["Ivan"], "birthDate": ["1984-13-45"]}}
    batch = {"queries": [hit, bad]}
    answers = {}
    for name, body in (("hit", hit), ("bad", bad), ("batch", batch)):
        plain = httpx.post(url, json=body, headers=service.officer)
        with_parameters = httpx.post(f"{url}?limit=10", json=body, headers=service.officer)
        assert plain.status_code == with_parameters.status_code, name
        assert _without_log_ids(plain.json()) == _without_log_ids(with_parameters.json()), name
        assert plain.headers["content-type"] == "application/json"
        answers[name] = plain
    assert answers["hit"].status_code == 200 and answers["hit"].json()["hit"] is True
    assert answers["bad"].status_code == 422
    assert answers["bad"].json()["detail"]["field"] == "properties.birthDate"
    with listed.connect() as conn:
        logged = conn.execute(select(check_log.c.id)).scalars().all()
        assert verify(conn).intact
    log_ids = [answers["hit"].json()["log_id"]]
    log_ids += [r["log_id"] for r in answers["batch"].json()["responses"]]
    assert set(log_ids) <= set(logged)
    assert len(logged) == 8  # each request's checks, logged once: 1 + 1 + 2, twice


def _without_log_ids(data: object) -> object:
    if isinstance(data, dict):
        return {k: _without_log_ids(v) for k, v in data.items() if k != "log_id"}
    if isinstance(data, list):
        return [_without_log_ids(v) for v in data]
    return data


def test_a_batch_over_the_limit_is_refused_whole(service: Service) -> None:
    queries = [{"schema": "Person", "properties": {"name": ["X Y"]}}] * 1001
    response = httpx.post(
        f"{service.url}/screen", json={"queries": queries}, headers=service.officer
    )
    assert response.status_code == 413
    assert response.json()["detail"]["field"] == "queries"


def test_a_bad_single_query_is_a_client_error(service: Service) -> None:
    query = {"schema": "Person", "properties": {"birthDate": ["1984-13-45"]}}
    response = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "properties.birthDate"


def test_the_yente_match_endpoint_answers_a_request_from_yentes_documentation(
    service: Service,
) -> None:
    """The request shape of yente's documentation, with names from our lists."""
    body = {
        "queries": {
            "q1": {
                "schema": "Person",
                "properties": {"name": ["Sergei Aksenov"], "birthDate": ["1972"]},
            },
            "q2": {"schema": "Person", "properties": {"name": ["Jane Nobody"]}},
            # yente's clients screen companies as often as persons.
            "q3": {"schema": "Company", "properties": {"name": ["Nobody Trading LLC"]}},
        }
    }
    response = httpx.post(
        f"{service.url}/match/default", params={"limit": 3}, json=body, headers=service.officer
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data["responses"]) == {"q1", "q2", "q3"}
    q1 = data["responses"]["q1"]
    assert q1["status"] == 200 and q1["total"]["value"] >= 1
    result = q1["results"][0]
    assert {"id", "caption", "schema", "properties", "datasets", "score", "match", "features"} <= (
        set(result)
    )
    assert result["match"] is True and "eu_sanctions_269_2014" in result["datasets"]
    assert data["responses"]["q2"]["results"] == []
    assert data["responses"]["q3"]["status"] == 200
    assert data["responses"]["q3"]["results"] == []
    assert data["limit"] == 3
    missing = httpx.post(f"{service.url}/match/nope", json=body, headers=service.officer)
    assert missing.status_code == 404


def test_the_openapi_schema_lists_the_endpoints(service: Service) -> None:
    paths = httpx.get(f"{service.url}/openapi.json").json()["paths"]
    assert "/screen" in paths and "/match/{dataset}" in paths
    parameters = {p["name"]: p for p in paths["/screen"]["post"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["threshold"]["schema"]["default"] == pytest.approx(DEFAULT_THRESHOLD)
    assert parameters["X-Nitka-Purpose"]["in"] == "header"
    assert "requestBody" in paths["/screen"]["post"]


def test_bad_parameters_are_refused_as_fastapi_refuses_them(service: Service) -> None:
    """A 422 naming the parameter, after the token: a caller without one learns nothing."""
    url = f"{service.url}/screen"
    body = {"schema": "Person", "properties": {"name": ["Сергій Аксьонов"]}}
    for query, field in (("limit=500", "limit"), ("threshold=high", "threshold")):
        refused = httpx.post(f"{url}?{query}", json=body, headers=service.officer)
        assert refused.status_code == 422, query
        [error] = refused.json()["detail"]
        assert error["loc"] == ["query", field]
        unknown = httpx.post(f"{url}?{query}", json=body, headers={"X-Nitka-Purpose": "x"})
        assert unknown.status_code == 401
    narrowed = httpx.post(f"{url}?limit=1&threshold=0.99", json=body, headers=service.officer)
    assert narrowed.status_code == 200 and len(narrowed.json()["hits"]) <= 1


def test_screening_a_file(listed: Engine, database_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nitka.cli.main import app

    source = tmp_path / "passengers.csv"
    source.write_text(
        "seat,name,birth_date,nationality\n"
        "1A,Сергій Аксьонов,1972-11-26,\n"
        "1B,Олена Ковальчук,1991-05-05,ua\n"
        "1C,,,\n",
        encoding="utf-8",
    )
    args = ["screen", str(source), "--purpose", "flight PS101 passenger check", "--user", "k"]
    for name in LISTS:
        args += ["--list", name]
    result = CliRunner().invoke(app, args, env={"NITKA_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "passengers.screened.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("seat,name,birth_date,nationality,hit,score")
    assert ",yes," in lines[1] and ",no," in lines[2]
    assert "queries[2].properties: properties must be a non-empty object" in lines[3]
    with listed.connect() as conn:
        logged = conn.execute(select(check_log.c.channel, check_log.c.purpose)).all()
    assert [tuple(r) for r in logged] == [("file", "flight PS101 passenger check")] * 3


def test_an_unreadable_mrz_is_a_client_error_naming_the_check_digit(service: Service) -> None:
    mrz = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408132F1204159ZE184226B<<<<<10"
    )
    query = {"schema": "Passport", "properties": {"mrz": [mrz]}}
    response = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "properties.mrz.line2.birth_date.check_digit"


def test_withdrawing_a_notice_over_http_takes_effect_at_once(service: Service) -> None:
    query = {"schema": "Person", "properties": {"name": ["Adel Abdalkader Al Ajeil"]}}
    hits = httpx.post(f"{service.url}/screen", json=query, headers=service.officer).json()["hits"]
    entry_id = hits[0]["id"]
    body = {"entity_id": entry_id, "reason": "notice cancelled"}
    url = f"{service.url}/lists/interpol_red_notices"
    # An investigator may check but not withdraw; the NCB's liaison officer may.
    assert httpx.post(f"{url}/withdraw", json=body, headers=service.officer).status_code == 403
    assert httpx.post(f"{url}/withdraw", json=body, headers=service.keeper).status_code == 200
    after = httpx.post(f"{service.url}/screen", json=query, headers=service.officer).json()
    assert entry_id not in [hit["id"] for hit in after["hits"]]
    assert httpx.post(f"{url}/reinstate", json=body, headers=service.keeper).status_code == 200
    again = httpx.post(f"{service.url}/screen", json=query, headers=service.officer).json()
    assert again["hits"][0]["id"] == entry_id
    refused = httpx.post(
        f"{url}/withdraw", json={"entity_id": entry_id, "reason": " "}, headers=service.keeper
    )
    assert refused.status_code == 400 and refused.json()["detail"]["field"] == "reason"
    refresh = httpx.post(
        f"{service.url}/lists/refresh", json={"ids": [entry_id]}, headers=service.keeper
    )
    assert refresh.status_code == 200


def _children(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them."""
    found = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    return sorted(found)


def _is_log_writer(pid: int) -> bool:
    return b"nitka.screen.log_writer" in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_workers_share_the_lists_and_all_take_in_a_withdrawal(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    query = {"schema": "Person", "properties": {"name": ["Adel Abdalkader Al Ajeil"]}}
    with serving(listed, database_url, tmp_path, "--workers", "2") as service:
        base, pid = service.url, service.pid
        children = _children(pid)
        workers = [child for child in children if not _is_log_writer(child)]
        assert len(workers) == 2, "gunicorn's master forked two workers"
        assert len(children) == 3, "and started the check log's writer"

        def hits() -> dict[str, list[str]]:
            # A new connection per check, so that both workers answer some.
            found: dict[str, list[str]] = {}
            for _ in range(12):
                answer = httpx.post(f"{base}/screen", json=query, headers=service.officer).json()
                found.update({hit["id"]: hit["lists"] for hit in answer["hits"]})
            return found

        ((entry_id, (listed_on,)),) = hits().items()
        with listed.begin() as conn:
            # Recorded by another process, as ``nitka withdraw`` would.
            record(
                conn,
                WithdrawalKind.WITHDRAW,
                entry_id,
                listed_on,
                user="ncb.duty",
                reason="delisted",
            )
        time.sleep(POLL_SECONDS * 1.5)
        assert entry_id not in hits()
        health = [httpx.get(f"{base}/healthz", headers=service.officer) for _ in range(12)]
        answering = {answer.json()["worker"] for answer in health}
        assert answering <= set(workers)
    assert not any(Path(f"/proc/{child}").exists() for child in children), "stopped with the server"


def test_a_killed_log_writer_is_replaced_and_checks_refused_meanwhile_are_not_answered(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    """No check is answered unlogged: while the writer is gone a check gets a 503
    that says why; the server starts a new writer and checks are logged again."""
    query = {"schema": "Person", "properties": {"name": ["Adel Abdalkader Al Ajeil"]}}
    with serving(listed, database_url, tmp_path) as service:
        assert httpx.post(f"{service.url}/screen", json=query, headers=service.officer).is_success
        (writer,) = [child for child in _children(service.pid) if _is_log_writer(child)]
        os.kill(writer, signal.SIGKILL)
        statuses = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
            statuses.append(answer.status_code)
            if answer.status_code == 503:
                assert "until they can be logged" in answer.json()["detail"]["error"]
            if answer.status_code == 200 and statuses.count(200) >= 3:
                break
            time.sleep(0.05)
        assert set(statuses) <= {200, 503} and statuses[-1] == 200, statuses
        (new_writer,) = [child for child in _children(service.pid) if _is_log_writer(child)]
        assert new_writer != writer
    with listed.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(check_log)).scalar_one()
        assert verify(conn).intact
    assert logged == 1 + statuses.count(200), "every answered check logged, no refused one"


def test_a_log_that_cannot_be_written_refuses_every_check_with_503_and_no_database_text(
    service: Service, listed: Engine
) -> None:
    """The check log's table made unwritable for real: ``/screen`` (with and without
    query parameters) and yente's ``/match`` all refuse, saying why, without
    the database's SQL; once the table is back, checks are answered and logged."""
    query = {"schema": "Person", "properties": {"name": ["Sergei Aksenov"]}}
    match = {"queries": {"q1": query}}
    with listed.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE check_log RENAME TO check_log_away")
    try:
        refused = [
            httpx.post(f"{service.url}/screen", json=query, headers=service.officer),
            httpx.post(
                f"{service.url}/screen",
                params={"threshold": 0.8},
                json=query,
                headers=service.officer,
            ),
            httpx.post(f"{service.url}/match/default", json=match, headers=service.officer),
        ]
    finally:
        with listed.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE check_log_away RENAME TO check_log")
    for answer in refused:
        assert answer.status_code == 503, answer.text
        assert "until they can be logged" in answer.json()["detail"]["error"]
        assert "INSERT" not in answer.text and "check_log" not in answer.text
    answer = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
    assert answer.status_code == 200 and answer.json()["log_id"] is not None
    with listed.connect() as conn:
        assert conn.execute(select(func.count()).select_from(check_log)).scalar_one() == 1


def test_every_route_needs_a_valid_token_and_refusals_are_logged(
    service: Service, listed: Engine
) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ivan Petrenko"]}}
    forged = service.officer["Authorization"][:-4] + "AAAA"
    for headers in ({}, {"Authorization": forged}, {"Authorization": "Basic b2ZmaWNlcjprCg=="}):
        for method, path in (("post", "/screen"), ("post", "/match/default"), ("get", "/healthz")):
            answer = httpx.request(
                method, f"{service.url}{path}", json=query, headers={**PURPOSE, **headers}
            )
            assert answer.status_code == 401, (path, headers)
            assert answer.headers["www-authenticate"] == "Bearer"
    # yente's clients send their key as "ApiKey".
    yente = {
        "Authorization": service.officer["Authorization"].replace("Bearer", "ApiKey"),
        **PURPOSE,
    }
    assert httpx.post(f"{service.url}/screen", json=query, headers=yente).status_code == 200
    with listed.connect() as conn:
        refusals = [r for r in by_actor(conn, "-") if r.outcome == "refused"]
        assert len(refusals) == 9
        assert refusals[0].origin == "api@127.0.0.1" and refusals[0].action == "sign-in"
        assert verify(conn).intact


def test_an_expired_or_revoked_token_is_refused(service: Service, listed: Engine) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ivan Petrenko"]}}
    with listed.begin() as conn:
        expiring = create_token(conn, "officer.k", days=1)
        revoked = create_token(conn, "officer.k")
        conn.execute(
            update(api_token)
            .where(api_token.c.id == expiring.split("_")[1])
            .values(expires_at="2020-01-01T00:00:00+00:00")
        )
        assert revoke_token(conn, revoked.split("_")[1])
    for token in (expiring, revoked):
        answer = httpx.post(
            f"{service.url}/screen",
            json=query,
            headers={"Authorization": f"Bearer {token}", **PURPOSE},
        )
        assert answer.status_code == 401
        assert answer.json()["detail"]["field"] == "authorization"


def test_the_auditor_may_not_check(service: Service, listed: Engine) -> None:
    query = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}
    # The second time the token is known to the server, and still refused and recorded.
    for _ in range(2):
        answer = httpx.post(f"{service.url}/screen", json=query, headers=service.auditor)
        assert answer.status_code == 403 and answer.json()["detail"]["field"] == "role"
    with listed.connect() as conn:
        refusals = by_actor(conn, "audit.a")
        assert [(r.action, r.outcome) for r in refusals] == [("check", "refused")] * 2
        assert conn.execute(select(check_log)).first() is None, "no check was made"


def test_answers_carry_security_headers_and_huge_bodies_are_refused(service: Service) -> None:
    query = {"schema": "Person", "properties": {"name": ["Ivan Petrenko"]}}
    answer = httpx.post(f"{service.url}/screen", json=query, headers=service.officer)
    assert answer.status_code == 200
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert "strict-transport-security" not in answer.headers, "development mode: no HTTPS promise"
    docs = httpx.get(f"{service.url}/docs")
    assert docs.status_code == 200 and "content-security-policy" not in docs.headers
    huge = b'{"queries": [' + b'{"schema": "Person"},' * 450_000 + b"{}]}"
    refused = httpx.post(
        f"{service.url}/screen",
        content=huge,
        headers={**service.officer, "Content-Type": "application/json"},
    )
    assert refused.status_code == 413 and refused.json()["detail"]["field"] == "body"


def test_production_mode_refuses_a_placeholder_secret(listed: Engine, database_url: str) -> None:
    from typer.testing import CliRunner

    from nitka.cli.main import app

    args = ["serve", "--list", LISTS[0], "--port", str(free_port())]
    env = {"NITKA_DATABASE_URL": database_url, "NITKA_MODE": "production"}
    for secret in ("change-me", "too-short"):
        result = CliRunner().invoke(app, args, env={**env, "NITKA_SECRET_KEY": secret})
        assert result.exit_code == 1
        assert "NITKA_SECRET_KEY" in result.stderr
