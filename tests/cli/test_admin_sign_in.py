"""Administrative commands (accounts, tokens, agencies, units, cases, list shares) in
production mode: the store is set up by its local operator until an administrator
can sign in, and from then on only a signed-in account with the right role makes
these changes. A real store on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from nitka.access.accounts import add_account, create_token, find_account
from nitka.access.audit import by_actor
from nitka.access.shares import units_of_list
from tests.cli.signing import PASSWORD, Cli


@pytest.fixture
def cli(database_url: str, engine: Engine, tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(database_url, home)


def _outcomes(engine: Engine, actor: str) -> list[tuple[str, object]]:
    with engine.connect() as conn:
        return [(r.outcome, r.as_dict()["subject"]) for r in by_actor(conn, actor)]


def test_the_first_administrator_is_made_by_the_stores_operator(cli: Cli, engine: Engine) -> None:
    made = cli("--as", "setup.op", "user", "add", "admin.one", "--role", "administrator",
               "--password", production=True, input=PASSWORD + "\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "no administrator can sign in to this store yet" in made.stderr
    with engine.connect() as conn:
        assert find_account(conn, "admin.one") is not None
    assert _outcomes(engine, "setup.op") == [
        ("done", {"user add": "admin.one", "role": "administrator", "unit": None})
    ]
    # The administrator has a password now: the store is set up, and a name alone
    # no longer makes accounts.
    again = cli("--as", "setup.op", "user", "add", "x.two", "--role", "analyst", production=True)
    assert again.exit_code != 0 and "nitka login" in again.output
    with engine.connect() as conn:
        assert find_account(conn, "x.two") is None
    assert _outcomes(engine, "setup.op")[-1][0] == "refused"


def test_after_set_up_only_a_signed_in_administrator_manages_accounts(
    cli: Cli, engine: Engine
) -> None:
    with engine.begin() as conn:
        add_account(conn, "admin.one", "administrator", password=PASSWORD)
        add_account(conn, "o.analyst", "analyst", password=PASSWORD)
        tokens = {name: create_token(conn, name) for name in ("admin.one", "o.analyst")}
    added = cli.production("user", "add", "n.new", "--role", "investigator", "--unit", "thb",
                           token=tokens["admin.one"])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "no administrator can sign in" not in added.stderr
    refused = cli.production("user", "add", "n.other", "--role", "analyst",
                             token=tokens["o.analyst"])  # fmt: skip
    assert refused.exit_code != 0 and "an analyst may not do this" in refused.output
    assert _outcomes(engine, "o.analyst")[-1][0] == "refused"
    # A token for someone else is the administrator's to make, not an analyst's.
    other = cli.production("token", "create", "n.new", token=tokens["o.analyst"])
    assert other.exit_code != 0 and "may not" in other.output
    made = cli.production("token", "create", "n.new", "--label", "x", token=tokens["admin.one"])
    assert made.exit_code == 0 and made.output.startswith("nitka_")
    with engine.connect() as conn:
        found = find_account(conn, "n.new")
        assert found is not None and found.unit == "thb"
        assert find_account(conn, "n.other") is None


def test_a_user_sets_their_own_password_but_no_one_elses(cli: Cli, engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "admin.one", "administrator", password=PASSWORD)
        add_account(conn, "o.analyst", "analyst", password=PASSWORD)
        add_account(conn, "i.other", "investigator", password=PASSWORD)
        token = create_token(conn, "o.analyst")
    own = cli.production("user", "password", "o.analyst", token=token, input="a new passphrase\n")
    assert own.exit_code == 0, own.output
    theirs = cli.production("user", "password", "i.other", token=token, input="x" * 14 + "\n")
    assert theirs.exit_code != 0 and "may not" in theirs.output
    assert [outcome for outcome, _ in _outcomes(engine, "o.analyst")] == ["done", "refused"]


def test_list_keepers_share_lists_and_analysts_do_not(cli: Cli, engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "admin.one", "administrator", password=PASSWORD)
        add_account(conn, "l.desk", "liaison", unit_id="ncb")
        add_account(conn, "o.analyst", "analyst", unit_id="thb")
        tokens = {name: create_token(conn, name) for name in ("l.desk", "o.analyst")}
    shared = cli.production("list", "share", "ua-wanted", "ncb", token=tokens["l.desk"])
    assert shared.exit_code == 0 and "ua-wanted is seen by: ncb" in shared.output
    refused = cli.production("list", "share", "ua-wanted", "thb", token=tokens["o.analyst"])
    assert refused.exit_code != 0 and "may not" in refused.output
    unshared = cli.production("list", "unshare", "ua-wanted", "thb", token=tokens["l.desk"])
    assert unshared.exit_code != 0 and "was not shared with thb" in unshared.output
    with engine.connect() as conn:
        assert units_of_list(conn, "ua-wanted") == ["ncb"]


def test_a_bad_value_names_its_field_and_changes_nothing(cli: Cli, engine: Engine) -> None:
    done = cli("user", "add", "two words", "--role", "analyst")
    assert done.exit_code != 0 and "name: an account name is one word" in done.output
    wrong = cli("user", "add", "r.one", "--role", "chief")
    assert wrong.exit_code != 0 and "role: 'chief' is not a role" in wrong.output
    with engine.connect() as conn:
        assert find_account(conn, "r.one") is None
