"""Browser sign-in over real HTTP: the session cookie, CSRF, sign-out and the rate limit."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import add_account
from nitka.access.audit import by_actor, iter_records
from nitka.web.session import SIGN_INS_PER_MINUTE
from tests.web.serving import PURPOSE, Service, serving

PASSWORD = "correct horse battery staple"
QUERY = {"schema": "Person", "properties": {"name": ["Sergey Aksyonov"]}}


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with listed.begin() as conn:
        add_account(conn, "officer.p", "investigator", password=PASSWORD)
    with serving(listed, database_url, tmp_path) as running:
        yield running


def test_a_session_cookie_with_its_csrf_token_works_until_sign_out(
    service: Service, listed: Engine, tmp_path: Path
) -> None:
    with httpx.Client(base_url=service.url) as browser:
        wrong = browser.post("/session", json={"name": "officer.p", "password": "not it at all"})
        assert wrong.status_code == 401 and "nitka_session" not in browser.cookies
        signed_in = browser.post("/session", json={"name": "officer.p", "password": PASSWORD})
        assert signed_in.status_code == 200
        cookie = signed_in.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        assert "secure" not in cookie, "development mode: plain HTTP on a laptop"
        csrf = signed_in.json()["csrf_token"]
        assert browser.get("/healthz").status_code == 200
        # A page of another site can make the browser send the cookie, not the token.
        forged = browser.post("/screen", json=QUERY, headers=PURPOSE)
        assert forged.status_code == 403 and forged.json()["detail"]["field"] == "x-csrf-token"
        wrong_token = browser.post(
            "/screen", json=QUERY, headers={**PURPOSE, "X-CSRF-Token": "0" * 64}
        )
        assert wrong_token.status_code == 403
        checked = browser.post("/screen", json=QUERY, headers={**PURPOSE, "X-CSRF-Token": csrf})
        assert checked.status_code == 200 and checked.json()["hit"]
        token = browser.cookies["nitka_session"]
        out = browser.request("DELETE", "/session", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 200 and out.json()["signed_out"]
    # The old cookie, replayed after sign-out, is refused.
    replay = httpx.get(f"{service.url}/healthz", cookies={"nitka_session": token})
    assert replay.status_code == 401
    with listed.connect() as conn:
        outcomes = [(r.action, r.outcome) for r in by_actor(conn, "officer.p")]
    assert outcomes[:2] == [("sign-in", "refused"), ("sign-in", "done")]
    assert ("check", "done") in outcomes
    # No secret in the server's log or the audit trail: not the password, the
    # wrong one, the session token, or its CSRF token.
    with listed.connect() as conn:
        trail = " ".join(str(r.as_dict()) for r in iter_records(conn))
    logged = (tmp_path / "serve.log").read_text(encoding="utf-8", errors="replace")
    for secret in (PASSWORD, "not it at all", token, token.split("_")[-1], csrf):
        assert secret not in trail and secret not in logged


def test_sign_in_attempts_are_limited(service: Service, listed: Engine) -> None:
    answers = [
        httpx.post(
            f"{service.url}/session", json={"name": "officer.p", "password": "guess number n"}
        )
        for _ in range(SIGN_INS_PER_MINUTE + 2)
    ]
    assert [a.status_code for a in answers[:SIGN_INS_PER_MINUTE]] == [401] * SIGN_INS_PER_MINUTE
    assert answers[-1].status_code == 429
    with listed.connect() as conn:
        reasons = [r.as_dict()["subject"]["how"] for r in by_actor(conn, "officer.p")]
    assert reasons.count("too many attempts") == 2
    assert "wrong password" in reasons


def test_the_sign_in_limit_holds_across_worker_processes(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    """Counted in the store: two workers do not give an attacker twice the attempts."""
    with listed.begin() as conn:
        add_account(conn, "officer.w", "investigator", password=PASSWORD)
    with serving(listed, database_url, tmp_path, "--workers", "2") as running:
        workers = {httpx.get(f"{running.url}/healthz", headers=running.officer).json()["worker"]
                   for _ in range(20)}  # fmt: skip
        answers = [
            httpx.post(f"{running.url}/session", json={"name": "officer.w", "password": "guess"})
            for _ in range(2 * SIGN_INS_PER_MINUTE)
        ]
    assert len(workers) == 2, "both workers answered"
    codes = [a.status_code for a in answers]
    assert codes[SIGN_INS_PER_MINUTE:] == [429] * SIGN_INS_PER_MINUTE, codes
