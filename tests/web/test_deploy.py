"""The container image and the compose file (``Dockerfile``, ``compose.yaml``,
``deploy/``), checked against the code they run: the entry point and its commands,
the port, the probes' routes, the settings' names, the metrics the alerts read.

The image itself is built where Docker and its registry are reachable
(docs/operations.md); ``docker-compose config`` validates the file where it is
installed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from nitka.cli.main import app as cli
from nitka.settings import Settings
from nitka.web import metrics

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_ONLY = {
    "NITKA_DB_PASSWORD",
    "NITKA_WORKERS",
    "NITKA_SERVE_LISTS",
    "NITKA_HTTP_PORT",
}
"""Variables of compose.yaml that are not Nitka's settings: they fill in its file."""
_VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``."""

    def value(found: re.Match[str]) -> str:
        name, kind, rest = found.groups()
        if env.get(name):
            return env[name]
        if kind == "?":
            raise KeyError(f"{name}: {rest}")
        return rest if kind == "-" else ""

    return _VARIABLE.sub(value, text).replace("$$", "$")


def compose(env: dict[str, str]) -> dict[str, Any]:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(interpolate(text, env))
    return loaded


SECRETS = {
    "NITKA_DB_PASSWORD": "0a1b2c3d4e5f",
    "NITKA_SECRET_KEY": "k" * 48,
    "NITKA_METRICS_TOKEN": "m" * 40,
}


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def parse_cli(args: list[str]) -> Any:
    """The command line as ``nitka`` would read it, without running it (the context
    of the command it names, with its parameters parsed)."""
    group: Any = typer.main.get_command(cli)
    top = group.context_class(group, info_name="nitka")
    name, *rest = args
    command = group.get_command(top, name)
    assert command is not None, name
    return command.make_context(name, rest, parent=top)


def test_the_image_runs_nitka_as_a_user_serving_on_its_exposed_port() -> None:
    steps = dockerfile()
    stages = [value for kind, value in steps if kind == "FROM"]
    assert all("bookworm" in stage for stage in stages), "Debian 12 throughout"
    final = max(i for i, (kind, _) in enumerate(steps) if kind == "FROM")
    last = dict(steps[final:])
    assert last["ENTRYPOINT"] == '["nitka"]'
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["nitka"] == "nitka.cli.main:app"
    assert last["USER"] not in ("root", "0")
    command = yaml.safe_load(last["CMD"])
    served = parse_cli(command)
    assert served.info_name == "serve" and served.params["host"] == "0.0.0.0"
    assert last["EXPOSE"] == str(served.params["port"])
    assert f"127.0.0.1:{served.params['port']}/readyz" in last["HEALTHCHECK"]
    for kind, value in steps:
        if kind == "COPY" and "--from" not in value:
            for source in value.split()[:-1]:
                assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "frontend" not in ignored and "src" not in ignored and "README.md" not in ignored


def test_the_compose_file_runs_the_migration_then_the_server_with_real_settings() -> None:
    with pytest.raises(KeyError, match="NITKA_SECRET_KEY"):
        compose({**SECRETS, "NITKA_SECRET_KEY": ""})
    lists = "--list interpol_red_notices --list eu_sanctions_269_2014"
    services = compose({**SECRETS, "NITKA_SERVE_LISTS": lists, "NITKA_WORKERS": "3"})["services"]
    assert set(services) >= {"db", "migrate", "web"}
    settings = {f"NITKA_{name.upper()}" for name in Settings.model_fields}
    for name in ("migrate", "web"):
        environment = services[name]["environment"]
        unknown = set(environment) - settings
        assert not unknown, f"{name}: {unknown} are not settings"
        chosen = Settings(**{k[6:].lower(): v for k, v in environment.items() if v})
        chosen.check_for_serving()
        assert chosen.mode == "production"
        assert chosen.database_url.startswith("postgresql://nitka:")
        assert chosen.database_url.endswith("@db:5432/nitka")
    assert parse_cli(services["migrate"]["command"]).info_name == "init"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    web = services["web"]
    served = parse_cli(shlex.split(web["command"]))
    assert served.info_name == "serve"
    assert served.params["workers"] == 3 and served.params["host"] == "0.0.0.0"
    assert served.params["lists"] == ["interpol_red_notices", "eu_sanctions_269_2014"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["ports"] == [f"127.0.0.1:{served.params['port']}:{served.params['port']}"]
    assert f"127.0.0.1:{served.params['port']}/readyz" in " ".join(web["healthcheck"]["test"])
    assert web["image"] == services["migrate"]["image"]
    steps = dict(dockerfile())
    keys_dir = re.search(r"NITKA_KEYS_DIR=(\S+)", steps["ENV"])
    assert keys_dir is not None
    assert f"keys:{keys_dir.group(1)}" in web["volumes"]
    # A named volume starts with the image folder's owner: each must be made for nitka.
    for volume in web["volumes"]:
        folder = volume.split(":")[1]
        made = [v for k, v in dockerfile() if k == "RUN" and folder in v]
        assert made and "-o nitka" in made[0], folder
    database = services["db"]
    assert database["environment"]["POSTGRES_PASSWORD"] == SECRETS["NITKA_DB_PASSWORD"]
    assert "pgdata:/var/lib/postgresql/data" in database["volumes"]
    mentioned = set(re.findall(r"\$\{(NITKA_\w+)", (ROOT / "compose.yaml").read_text()))
    assert mentioned - settings <= COMPOSE_ONLY
    example = (ROOT / "deploy" / "nitka.env.example").read_text().splitlines()
    given = {line.split("=", 1)[0] for line in example if line and not line.startswith("#")}
    assert given <= mentioned and {"NITKA_DB_PASSWORD", "NITKA_SECRET_KEY"} <= given


def test_prometheus_scrapes_the_server_and_its_alerts_read_metrics_that_exist() -> None:
    services = compose(SECRETS)["services"]
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["type"] == "Bearer"
    served = parse_cli(shlex.split(services["web"]["command"]))
    assert job["static_configs"][0]["targets"] == [f"web:{served.params['port']}"]
    exposed = {
        "nitka_store_up",
        "nitka_exchange_outbox_waiting",
        "nitka_ingests_running",
        "nitka_ingest_last_batch_timestamp_seconds",
        "nitka_replica_up",
        "nitka_replica_lag_seconds",
        *(f"{counter._name}_total" for counter in (metrics.REQUESTS, metrics.CHECKS)),
        f"{metrics.LATENCY._name}_bucket",
    }
    source = (ROOT / "src" / "nitka" / "web" / "metrics.py").read_text()
    rules = yaml.safe_load((ROOT / "deploy" / "alerts.yml").read_text())["groups"][0]["rules"]
    assert len(rules) >= 5
    for rule in rules:
        for name in re.findall(r"\bnitka_\w+", rule["expr"]):
            assert name in exposed, (rule["alert"], name)
            assert name.removesuffix("_total").removesuffix("_bucket") in source
        assert rule["annotations"]["summary"]


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_docker_compose_reads_the_file() -> None:
    env = {**os.environ, **SECRETS}
    done = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
