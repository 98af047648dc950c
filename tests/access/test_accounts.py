"""Accounts: argon2 passwords, lock-out, the second factor, tokens, cases; and their CLI."""

import time

import pyotp
import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from nitka.access.accounts import (
    MAX_FAILURES,
    AccountError,
    Role,
    SignInError,
    account_for_token,
    add_account,
    create_token,
    enable_second_factor,
    revoke_token,
    sign_in,
)
from nitka.access.audit import by_actor, verify
from nitka.access.cases import CaseError, add_case, add_member, cases_of, members
from nitka.cli.main import app
from nitka.store.tables import account

PASSWORD = "correct horse battery staple"


def _sign_in(engine: Engine, password: str, code: str | None = None, name: str = "o.k") -> bool:
    """A sign-in as the web form will make it: committed whether let in or not."""
    with engine.begin() as conn:
        try:
            sign_in(conn, name, password, origin="web@10.0.0.9", code=code)
        except SignInError:
            return False
    return True


def test_a_password_is_kept_as_an_argon2_hash_and_checked(engine: Engine) -> None:
    with engine.begin() as conn:
        made = add_account(conn, "o.k", "analyst", unit_id="UA-NPU-THB", password=PASSWORD)
        stored = conn.execute(select(account.c.password_hash)).scalar_one()
    assert made.role is Role.ANALYST and made.unit == "UA-NPU-THB"
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert _sign_in(engine, PASSWORD)
    assert not _sign_in(engine, "wrong horse battery staple")
    assert not _sign_in(engine, PASSWORD, name="nobody")
    with engine.connect() as conn:
        records = by_actor(conn, "o.k")
        assert [(r.action, r.outcome) for r in records] == [
            ("sign-in", "done"),
            ("sign-in", "refused"),
        ]
        assert records[1].as_dict()["subject"] == {"how": "wrong password"}
        assert by_actor(conn, "nobody")[0].as_dict()["subject"] == {"how": "no such account"}
        assert verify(conn).intact


def test_repeated_failures_lock_the_account(engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "o.k", "analyst", password=PASSWORD)
    for _ in range(MAX_FAILURES):
        assert not _sign_in(engine, "not the password at all")
    assert not _sign_in(engine, PASSWORD), "locked: even the right password is refused"
    with engine.begin() as conn:
        conn.execute(update(account).values(locked_until="2020-01-01T00:00:00+00:00"))
    assert _sign_in(engine, PASSWORD), "the lock ran out"


def test_the_second_factor_needs_the_current_code(engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "o.k", "investigator", password=PASSWORD)
        secret = enable_second_factor(conn, "o.k")
    assert not _sign_in(engine, PASSWORD)
    an_hour_ago = pyotp.TOTP(secret).at(time.time() - 3600)
    assert not _sign_in(engine, PASSWORD, code=an_hour_ago)
    assert _sign_in(engine, PASSWORD, code=pyotp.TOTP(secret).now())


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [
        ("", "analyst", None, "name"),
        ("two words", "analyst", None, "name"),
        ("o.k", "sheriff", None, "role"),
        ("o.k", "analyst", "short", "password"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(
    engine: Engine, name: str, role: str, password: str | None, field: str
) -> None:
    with pytest.raises(AccountError) as caught, engine.begin() as conn:
        add_account(conn, name, role, password=password)
    assert caught.value.field == field


def test_a_token_works_until_revoked_and_only_its_hash_is_kept(engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "gateway", "investigator")
        token = create_token(conn, "gateway", label="Chop crossing")
        stored = conn.execute(select(account)).first()
    assert stored is not None
    with engine.connect() as conn:
        found = account_for_token(conn, token)
        assert found is not None and found.name == "gateway"
        assert account_for_token(conn, token + "x") is None
        assert account_for_token(conn, "nitka_nothing_here") is None
        assert account_for_token(conn, "garbage") is None
        raw = conn.exec_driver_sql("SELECT secret_hash FROM api_token").scalar_one()
    # The secret is URL-safe base64 and may itself hold "_": split only twice.
    assert token.split("_", 2)[2] not in raw
    with engine.begin() as conn:
        assert revoke_token(conn, token.split("_")[1])
        assert not revoke_token(conn, token.split("_")[1])
    with engine.connect() as conn:
        assert account_for_token(conn, token) is None


def test_cases_have_members(engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "o.k", "analyst")
        add_case(conn, "2026-THB-017", by="supervisor.p", title="Odesa - Varna")
        assert add_member(conn, "2026-THB-017", "o.k", by="supervisor.p")
        assert not add_member(conn, "2026-THB-017", "o.k", by="supervisor.p")
        assert members(conn, "2026-THB-017") == ["o.k"] and cases_of(conn, "o.k") == [
            "2026-THB-017"
        ]
        with pytest.raises(CaseError):
            add_case(conn, "2026-THB-017", by="x")
        with pytest.raises(CaseError):
            add_member(conn, "no-such-case", "o.k", by="x")
        with pytest.raises(AccountError):
            add_member(conn, "2026-THB-017", "nobody", by="x")


def test_users_tokens_and_cases_through_the_cli(database_url: str, engine: Engine) -> None:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
        env = {"NITKA_DATABASE_URL": database_url, "NITKA_USER": "admin.a"}
        result = runner.invoke(app, list(args), env=env, input=input)
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = invoke("user", "add", "o.k", "--role", "analyst", "--unit", "THB", "--password",
                          input=PASSWORD + "\n")  # fmt: skip
    assert code == 0 and "added o.k (analyst)" in out
    assert _sign_in(engine, PASSWORD)
    code, _, err = invoke("user", "add", "x", "--role", "sheriff")
    assert code == 1 and "role" in err
    code, token, _ = invoke("token", "create", "o.k", "--days", "30")
    assert code == 0
    with engine.connect() as conn:
        assert account_for_token(conn, token.strip()) is not None
    assert invoke("case", "add", "2026-THB-017")[0] == 0
    code, out, _ = invoke("case", "member", "2026-THB-017", "o.k")
    assert code == 0 and "now a member" in out
    assert invoke("case", "member", "2026-THB-017", "nobody")[0] == 1
    assert invoke("token", "revoke", token.strip().split("_")[1])[0] == 0
    with engine.connect() as conn:
        assert account_for_token(conn, token.strip()) is None
        changes = [r.as_dict()["subject"] for r in by_actor(conn, "admin.a")]
    assert [next(iter(c)) for c in changes] == [
        "user add",
        "token create",
        "case add",
        "case member",
        "token revoke",
    ]
