"""Schemathesis against the running service's own OpenAPI schema: no server errors.

It generates requests from the schema (valid ones, boundary values, and
malformed ones) for every route, with a supervisor's token so that every
route is reached past its role check, and fails on any 5xx answer. The seed
is fixed so that CI is repeatable; run ``schemathesis run`` with other seeds
(docs/access.md) to look further.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from nitka.access.accounts import add_account, create_token
from tests.web.serving import serving

SEED = "20261123"


def test_the_api_gives_no_server_error_to_generated_requests(
    listed: Engine, database_url: str, tmp_path: Path
) -> None:
    with listed.begin() as conn:
        add_account(conn, "fuzz.sup", "supervisor", unit_id="u-kyiv")
        token = create_token(conn, "fuzz.sup")
    runner = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert runner is not None, "schemathesis is installed with the dev dependencies"
    exchange = {"NITKA_AGENCY_ID": "ua-ncb", "NITKA_KEYS_DIR": str(tmp_path / "keys")}
    with serving(listed, database_url, tmp_path, env=exchange) as service:
        command = [runner, "run", f"{service.url}/openapi.json"]
        command += ["--checks", "not_a_server_error", "--max-examples", "40", "--seed", SEED]
        command += ["--header", f"Authorization: Bearer {token}"]
        command += ["--header", "X-Nitka-Purpose: robustness test"]
        command += ["--generation-database", "none", "--no-color"]
        command += ["--report-dir", str(tmp_path / "schemathesis")]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.split("SUMMARY")[-1]
    selected = re.search(r"Selected: (\d+)/(\d+)", summary)
    tested = re.search(r"Tested: (\d+)", summary)
    cases = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert selected and tested and cases, summary
    assert selected[1] == selected[2] == tested[1], "every route was tested"
    assert cases[1] == cases[2] and int(cases[1]) > 500, summary
