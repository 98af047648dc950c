"""The README's run command: ``nitka demo --serve`` sets up the demo workspace and
starts the workstation, printing its address and a demo sign-in that works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from nitka.demo import DEMO_CASE, DEMO_PASSWORD, HOME_REQUEST, PARTNER_AGENCY, PARTNER_REQUEST
from tests.web.serving import free_port
from tests.web.workstation import csrf_of, form_token


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "NITKA_DATABASE_URL": f"sqlite:///{tmp_path / 'nitka.db'}",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "COLUMNS": "200",
        **extra,
    }


def test_the_demo_serves_the_workstation_with_a_working_sign_in(tmp_path: Path) -> None:
    port, partner_port = free_port(), free_port()
    log = tmp_path / "demo.log"
    command = ["demo", "--serve", "--port", str(port), "--partner-port", str(partner_port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "nitka.cli.main", *command],
            env=_environment(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,  # the demo's keys and reject files are made in the working folder
        )
    try:
        address = f"http://127.0.0.1:{port}/ui/"
        for _ in range(600):
            if address in log.read_text(encoding="utf-8", errors="replace"):
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        printed = log.read_text(encoding="utf-8")
        assert re.search(rf"demo\.investigator.*{DEMO_PASSWORD}", printed)
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True
        ) as client:
            for _ in range(100):
                try:
                    page = client.get("/ui/sign-in")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            signed = client.post(
                "/ui/sign-in",
                data={
                    "name": "demo.investigator",
                    "password": DEMO_PASSWORD,
                    "form_token": form_token(page.text),
                    "next": f"/ui/cases/{DEMO_CASE}",
                },
            )
            assert signed.status_code == 200 and "Demo: call records" in signed.text
            assert "/ui/entities/" in signed.text
            screened = client.post(
                "/ui/screen",
                data={"name": "Сергій Аксьонов", "purpose": "demo"},
                headers={"X-CSRF-Token": csrf_of(signed.text)},
            )
            assert 'data-testid="screen-hit"' in screened.text
            # The partner agency's request has come into the inbox, with its deadline.
            for _ in range(120):
                inbox = client.get("/ui/exchange").text
                if PARTNER_REQUEST.subject in inbox:
                    break
                time.sleep(0.5)
            row = re.search(rf"{PARTNER_REQUEST.reference}.*?</tr>", inbox, re.S)
            assert row and PARTNER_AGENCY.id in row[0], inbox
            assert re.search(r"<td>\d{4}-\d\d-\d\dT\d\d:\d\d</td>", row[0]), row[0]
        assert f"http://localhost:{partner_port}/ui/" in printed
        with httpx.Client(base_url=f"http://127.0.0.1:{partner_port}", timeout=30) as partner:
            page = partner.get("/ui/sign-in")
            signed = partner.post(
                "/ui/sign-in",
                data={"name": "demo.liaison", "password": DEMO_PASSWORD,
                      "form_token": form_token(page.text), "next": "/ui/exchange"},
                follow_redirects=True,
            )  # fmt: skip
            assert HOME_REQUEST.subject in signed.text
    finally:
        process.terminate()
        process.wait(timeout=30)
    # The partner's server stopped with the workstation.
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{partner_port}/exchange/identity", timeout=2)


def test_no_demo_accounts_in_production(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nitka.cli.main", "demo", "--serve"],
        env=_environment(tmp_path, NITKA_MODE="production", NITKA_SECRET_KEY="x" * 64),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "no demo in production mode" in done.stderr + done.stdout
    assert not (tmp_path / "nitka.db").exists()
