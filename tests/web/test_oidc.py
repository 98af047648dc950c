"""Signing in through an agency's OpenID Connect provider, over real HTTP.

The provider is a real one (``oidc-provider-mock``, built on authlib's
server): it registers Nitka as a client, signs ID tokens with its own RSA
key and checks the PKCE verifier. The test plays the browser: it follows
Nitka's redirect to the provider, signs in there as a subject, and follows
the provider's redirect back to Nitka.
"""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest
from sqlalchemy import Engine

from nitka.access.accounts import add_account
from nitka.access.audit import by_actor, iter_records, verify
from nitka.access.identities import link_identity
from tests.web.serving import Service, free_port, serving

SUBJECT = "o.petrenko@npu.example"


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[str]:
    """The identity provider, in a process of its own."""
    port = free_port()
    command = [
        sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
        "--require-registration=true", "--require-nonce=true",
    ]  # fmt: skip
    log = tmp_path / "provider.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def service(listed: Engine, database_url: str, tmp_path: Path, provider: str) -> Iterator[Service]:
    engine = listed
    port = free_port()
    callback = f"http://127.0.0.1:{port}/session/oidc/npu/callback"
    client = httpx.post(f"{provider}/oauth2/clients", json={"redirect_uris": [callback]})
    assert client.status_code == 201, client.text
    registered = client.json()
    providers = {
        "npu": {
            "issuer": provider,
            "client_id": registered["client_id"],
            "client_secret": registered["client_secret"],
            "label": "National Police of Ukraine",
        }
    }
    with engine.begin() as conn:
        add_account(conn, "o.petrenko", "investigator")
        link_identity(conn, "o.petrenko", "npu", SUBJECT)
    env = {"NITKA_OIDC_PROVIDERS": orjson.dumps(providers).decode()}
    with serving(engine, database_url, tmp_path, port=port, env=env) as running:
        yield running


def _sign_in_at_provider(browser: httpx.Client, subject: str) -> httpx.Response:
    """Start at Nitka, sign in at the provider as ``subject``; the provider's redirect back."""
    started = browser.get("/session/oidc/npu")
    assert started.status_code == 302, started.text
    authorize = started.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    answer = httpx.post(authorize, data={"sub": subject})
    assert answer.status_code == 302, answer.text
    return answer


def test_an_agency_user_signs_in_through_its_identity_provider(
    service: Service, engine: Engine
) -> None:
    listed = httpx.get(f"{service.url}/session/oidc").json()
    assert listed == [
        {"name": "npu", "label": "National Police of Ukraine", "path": "/session/oidc/npu"}
    ]
    with httpx.Client(base_url=service.url) as browser:
        back = _sign_in_at_provider(browser, SUBJECT)
        opened = browser.get(back.headers["location"])
        assert opened.status_code == 200, opened.text
        assert opened.json()["account"] == "o.petrenko"
        assert opened.json()["role"] == "investigator"
        assert browser.cookies.get("nitka_session")
        # The session works like a password sign-in's.
        assert browser.get("/search", params={"q": "Petrenko"}).status_code == 200
        # The code was used once: replaying the redirect back is refused.
        replayed = browser.get(back.headers["location"])
        assert replayed.status_code == 401
    with engine.connect() as conn:
        signed_in = [r.as_dict() for r in by_actor(conn, "o.petrenko")]
        assert verify(conn).intact
    assert signed_in[0]["action"] == "sign-in" and signed_in[0]["outcome"] == "done"
    assert signed_in[0]["subject"]["how"] == "oidc npu"


def test_an_identity_bound_to_no_account_is_refused(service: Service, engine: Engine) -> None:
    with httpx.Client(base_url=service.url) as browser:
        back = _sign_in_at_provider(browser, "stranger@npu.example")
        refused = browser.get(back.headers["location"])
    assert refused.status_code == 403
    assert "bound to no account" in refused.json()["detail"]["error"]
    assert "nitka_session" not in refused.cookies
    with engine.connect() as conn:
        actors = {(r.actor, r.outcome) for r in iter_records(conn)}
    assert ("npu:stranger@npu.example", "refused") in actors


def test_a_callback_not_started_here_or_with_a_changed_state_is_refused(
    service: Service,
) -> None:
    with httpx.Client(base_url=service.url) as browser:
        back = _sign_in_at_provider(browser, SUBJECT)
        location = back.headers["location"]
        # Login CSRF: another browser (without the sign-in's cookie) is sent the code.
        with httpx.Client(base_url=service.url) as victim:
            forced = victim.get(location)
        assert forced.status_code == 401 and forced.json()["detail"]["field"] == "state"
        changed = location.replace("state=", "state=x")
        assert browser.get(changed).status_code == 401
        # A tampered pending-sign-in cookie is refused too.
        cookie = browser.cookies.get("nitka_oidc")
        assert cookie is not None
        browser.cookies.set("nitka_oidc", "A" + cookie[1:], path="/session/oidc")
        assert browser.get(location).status_code == 401


def test_an_unknown_provider_is_a_404(service: Service) -> None:
    assert httpx.get(f"{service.url}/session/oidc/elsewhere").status_code == 404
    assert httpx.get(f"{service.url}/session/oidc/elsewhere/callback").status_code == 404


def test_signing_in_from_the_workstation_goes_back_to_its_page(service: Service) -> None:
    with httpx.Client(base_url=service.url) as browser:
        page = browser.get("/ui/sign-in", params={"next": "/ui/cases"}).text
        assert 'href="/session/oidc/npu?next=/ui/cases"' in page
        started = browser.get("/session/oidc/npu", params={"next": "/ui/cases"})
        authorize = started.headers["location"]
        back = httpx.post(authorize, data={"sub": SUBJECT})
        onward = browser.get(back.headers["location"])
        assert onward.status_code == 200
        assert 'content="0;url=/ui/cases"' in onward.text
        assert browser.cookies.get("nitka_session")
        cases = browser.get("/ui/cases")
        assert cases.status_code == 200 and "o.petrenko" in cases.text
        # Only this site's pages: an address elsewhere becomes the start page.
        elsewhere = browser.get("/session/oidc/npu", params={"next": "https://evil.example/"})
        back = httpx.post(elsewhere.headers["location"], data={"sub": SUBJECT})
        assert 'content="0;url=/ui/"' in browser.get(back.headers["location"]).text
