"""``nitka login``, ``logout`` and ``whoami``, and who the command line acts as in
each mode: a real store on both backends, the config folder in tmp_path."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pyotp
import pytest
from sqlalchemy import Engine, update

from nitka.access.accounts import (
    account_for_token,
    add_account,
    create_token,
    enable_second_factor,
)
from nitka.access.audit import AuditRecord, by_actor
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.store.tables import api_token
from tests.cli.signing import PASSWORD, Cli
from tests.helpers import make_entity, store_entities


@pytest.fixture
def cli(engine: Engine, database_url: str, tmp_path: Path) -> Cli:
    """A store with an analyst (password and second factor) and one suspect."""
    with engine.begin() as conn:
        add_account(conn, "o.kovalenko", "analyst", unit_id="npu-thb", password=PASSWORD)
        add_account(conn, "p.auditor", "auditor", password=PASSWORD)
    suspect = make_entity("Person", "s1", name="Олег Петренко", birthDate="1980-02-03")
    store_entities(engine, [suspect], Provenance("npu", category=DataSubjectCategory.SUSPECT))
    home = tmp_path / "home"
    home.mkdir()
    return Cli(database_url, home)


def _secret(engine: Engine, name: str) -> str:
    with engine.begin() as conn:
        return enable_second_factor(conn, name)


def _records(engine: Engine, actor: str) -> list[AuditRecord]:
    with engine.connect() as conn:
        return by_actor(conn, actor)


def _saved(cli: Cli) -> Path:
    found = list((cli.config / "nitka").glob("login-*.json"))
    assert len(found) == 1, found
    return found[0]


def _login(cli: Cli, name: str = "o.kovalenko", *extra: str) -> None:
    done = cli.production("login", "--name", name, "--password-stdin", *extra, input=PASSWORD)
    assert done.exit_code == 0, done.output


def test_login_with_password_and_code_keeps_a_private_token(cli: Cli, engine: Engine) -> None:
    secret = _secret(engine, "o.kovalenko")
    login = ("login", "--name", "o.kovalenko", "--password-stdin")

    no_code = cli.production(*login, input=PASSWORD + "\n")
    assert no_code.exit_code == 1
    assert "second factor" in no_code.stderr and "--code" in no_code.stderr
    wrong = cli.production(*login, "--code", "000000", input=PASSWORD + "\n")
    assert wrong.exit_code == 1 and "wrong name, password or code" in wrong.stderr
    assert not (cli.config / "nitka").exists() or not list((cli.config / "nitka").iterdir())

    done = cli.production(*login, "--code", pyotp.TOTP(secret).now(), input=PASSWORD + "\n")
    assert done.exit_code == 0, done.output
    assert "signed in as o.kovalenko (analyst)" in done.stdout

    path = _saved(cli)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    saved = orjson.loads(path.read_bytes())
    assert saved["account"] == "o.kovalenko" and saved["token"].startswith("nitka_")
    assert saved["token"] not in done.output  # never printed
    with engine.connect() as conn:
        account = account_for_token(conn, saved["token"])
    assert account is not None and account.name == "o.kovalenko"

    sign_ins = [(r.outcome, r.subject) for r in _records(engine, "o.kovalenko")]
    assert sign_ins == [
        ("refused", '{"how":"wrong or missing code"}'),
        ("done", '{"how":"password and code"}'),
    ]

    who = cli.production("whoami", "--json")
    assert who.exit_code == 0, who.output
    shown = orjson.loads(who.stdout)
    assert (shown["name"], shown["role"], shown["unit"], shown["proof"]) == (
        "o.kovalenko",
        "analyst",
        "npu-thb",
        "token",
    )
    assert shown["mode"] == "production" and shown["file"] == str(path)
    assert shown["expires_at"] == saved["expires_at"]

    found = cli.production("search", "Oleh Petrenko", "--json")
    assert found.exit_code == 0, found.output
    assert [hit["id"] for hit in orjson.loads(found.stdout)] == ["s1"]
    searched = [r for r in _records(engine, "o.kovalenko") if r.action == "search"]
    assert len(searched) == 1 and searched[0].origin.startswith("cli@")


def test_a_prompted_sign_in_asks_for_the_code(cli: Cli, engine: Engine) -> None:
    secret = _secret(engine, "o.kovalenko")
    answers = f"o.kovalenko\n{PASSWORD}\n{pyotp.TOTP(secret).now()}\n"
    done = cli.production("login", input=answers)
    assert done.exit_code == 0, done.output
    assert "code" in done.output and PASSWORD not in done.output
    assert orjson.loads(_saved(cli).read_bytes())["account"] == "o.kovalenko"


def test_logout_revokes_the_token(cli: Cli, engine: Engine) -> None:
    _login(cli)
    token = orjson.loads(_saved(cli).read_bytes())["token"]
    assert cli.production("show", "s1", "--json").exit_code == 0

    out = cli.production("logout")
    assert out.exit_code == 0 and "signed out: o.kovalenko" in out.stdout
    assert not list((cli.config / "nitka").glob("login-*.json"))
    with engine.connect() as conn:
        assert account_for_token(conn, token) is None

    refused = cli.production("show", "s1")
    assert refused.exit_code == 1 and "nitka login" in refused.stderr
    stolen = cli.production("show", "s1", token=token)  # a copy of the file's token
    assert stolen.exit_code == 1 and "NITKA_TOKEN is not a valid token" in stolen.stderr
    assert cli.production("logout").exit_code == 0  # nothing to do, said on stderr


def test_an_api_token_in_the_environment_proves_the_account(cli: Cli, engine: Engine) -> None:
    with engine.begin() as conn:
        token = create_token(conn, "o.kovalenko", label="script")
    shown = cli.production("show", "s1", "--json", token=token)
    assert shown.exit_code == 0, shown.output
    assert orjson.loads(shown.stdout)["id"] == "s1"
    assert [r.action for r in _records(engine, "o.kovalenko")] == ["view"]

    who = orjson.loads(cli.production("whoami", "--json", token=token).stdout)
    assert who["name"] == "o.kovalenko" and who["proof"] == "token" and who["file"] is None

    forged = cli.production("show", "s1", token=token[:-4] + "AAAA")
    assert forged.exit_code == 1 and "NITKA_TOKEN is not a valid token" in forged.stderr


def test_an_expired_sign_in_is_refused(cli: Cli, engine: Engine) -> None:
    _login(cli)
    path = _saved(cli)
    saved = orjson.loads(path.read_bytes())
    # The store's own expiry, whatever the file says.
    with engine.begin() as conn:
        conn.execute(update(api_token).values(expires_at="2020-01-01T00:00:00+00:00"))
    refused = cli.production("search", "Petrenko")
    assert refused.exit_code == 1 and "not a valid token" in refused.stderr
    assert "nitka login" in refused.stderr
    # The file's expiry, checked before the store is asked.
    path.write_bytes(orjson.dumps({**saved, "expires_at": "2020-01-01T00:00:00+00:00"}))
    refused = cli.production("search", "Petrenko")
    assert refused.exit_code == 1 and "expired at 2020-01-01T00:00 UTC" in refused.stderr
    assert cli.production("whoami").exit_code == 1


def test_a_sign_in_others_may_read_is_not_used(cli: Cli) -> None:
    _login(cli)
    _saved(cli).chmod(0o644)
    refused = cli.production("search", "Petrenko")
    assert refused.exit_code == 1 and "may be read by others" in refused.stderr


def test_production_refuses_as_alone_and_records_the_refusal(cli: Cli, engine: Engine) -> None:
    refused = cli("--as", "o.kovalenko", "search", "Petrenko", production=True)
    assert refused.exit_code == 1
    assert "nitka login" in refused.stderr and "NITKA_TOKEN" in refused.stderr
    assert "proves nothing" in refused.stderr
    by_env = cli("show", "s1", production=True, user="o.kovalenko")
    assert by_env.exit_code == 1 and "nitka login" in by_env.stderr
    records = _records(engine, "o.kovalenko")
    assert [(r.action, r.outcome) for r in records] == [("search", "refused"), ("view", "refused")]
    assert "proves nothing" in orjson.loads(records[0].subject)["refused"]


def test_a_token_of_another_account_than_as_names_is_refused(cli: Cli, engine: Engine) -> None:
    _login(cli)
    refused = cli("--as", "p.auditor", "search", "Petrenko", production=True)
    assert refused.exit_code == 1
    assert "signed in as o.kovalenko" in refused.stderr and "names p.auditor" in refused.stderr
    assert [r.outcome for r in _records(engine, "o.kovalenko") if r.action == "search"] == [
        "refused"
    ]
    same = cli("--as", "o.kovalenko", "search", "Petrenko", production=True)
    assert same.exit_code == 0, same.output


def test_development_keeps_as_and_says_so_once_on_stderr(cli: Cli, engine: Engine) -> None:
    found = cli("--as", "o.kovalenko", "search", "Petrenko", "--json")
    assert found.exit_code == 0, found.output
    assert [hit["id"] for hit in orjson.loads(found.stdout)] == ["s1"]  # stdout is JSON only
    assert found.stderr.count("development mode") == 1
    assert "working as o.kovalenko (an account)" in found.stderr
    operator = cli("--as", "local.op", "show", "s1", "--json")
    assert operator.exit_code == 0 and "local operator" in operator.stderr
    assert [r.action for r in _records(engine, "o.kovalenko")] == ["search"]
    assert [r.action for r in _records(engine, "local.op")] == ["view"]
    who = orjson.loads(cli("--as", "local.op", "whoami", "--json").stdout)
    assert (who["name"], who["role"], who["proof"]) == ("local.op", None, "operator")
    # An auditor still reads no case data, signed in or not.
    auditor = cli("--as", "p.auditor", "show", "s1")
    assert auditor.exit_code == 1 and "reads no case data" in auditor.stderr


def test_a_signed_in_development_command_is_proven_and_says_nothing(cli: Cli) -> None:
    _login(cli)
    found = cli("search", "Petrenko", "--json")
    assert found.exit_code == 0 and "development mode" not in found.stderr
    who = orjson.loads(cli("whoami", "--json").stdout)
    assert who["proof"] == "token" and who["mode"] == "development"
