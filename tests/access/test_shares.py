"""Agencies, units, and lists shared with units: who sees a shared list, and what
unsharing does; the sign-in attempt counter."""

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.access.accounts import add_account
from nitka.access.audit import by_actor
from nitka.access.organisations import agency_of_unit, find_agency
from nitka.access.shares import (
    ShareError,
    lists_hidden_from,
    share_list,
    units_of_list,
    unshare_list,
)
from nitka.access.throttle import WINDOW_SECONDS, attempts_in_window
from nitka.cli.main import app


def test_a_shared_list_is_hidden_from_other_units_until_unshared(engine: Engine) -> None:
    with engine.begin() as conn:
        add_account(conn, "a.kyiv", "analyst", unit_id="u-kyiv")
        add_account(conn, "a.lviv", "analyst", unit_id="u-lviv")
        assert share_list(conn, "sltd-ua", "u-kyiv", by="sup")
        assert not share_list(conn, "sltd-ua", "u-kyiv", by="sup")
        assert units_of_list(conn, "sltd-ua") == ["u-kyiv"]
        assert lists_hidden_from(conn, "u-kyiv") == frozenset()
        assert lists_hidden_from(conn, "u-lviv") == {"sltd-ua"}
        assert lists_hidden_from(conn, None) == {"sltd-ua"}
        assert share_list(conn, "sltd-ua", "u-lviv", by="sup")
        assert lists_hidden_from(conn, "u-lviv") == frozenset()
        assert unshare_list(conn, "sltd-ua", "u-lviv")
        assert not unshare_list(conn, "sltd-ua", "u-lviv")
        assert lists_hidden_from(conn, "u-lviv") == {"sltd-ua"}
        # The last unit unshared: the list is everyone's again.
        assert unshare_list(conn, "sltd-ua", "u-kyiv")
        assert lists_hidden_from(conn, "u-lviv") == frozenset()


def test_sharing_with_a_unit_that_does_not_exist_names_the_field(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(ShareError) as refused:
        share_list(conn, "sltd-ua", "u-nowhere", by="sup")
    assert refused.value.field == "unit"


def test_attempts_are_counted_per_address_within_the_window(engine: Engine) -> None:
    now = 1_000_000.0
    with engine.begin() as conn:
        assert [attempts_in_window(conn, "api@10.0.0.1", now=now + i) for i in range(3)] == [
            1,
            2,
            3,
        ]
        assert attempts_in_window(conn, "api@10.0.0.2", now=now + 3) == 1
        # A minute later the old attempts no longer count.
        assert attempts_in_window(conn, "api@10.0.0.1", now=now + 2 + WINDOW_SECONDS + 1) == 1


def test_agencies_and_units_through_the_cli(database_url: str, engine: Engine) -> None:
    def invoke(*args: str) -> tuple[int, str]:
        env = {"NITKA_DATABASE_URL": database_url, "NITKA_USER": "admin.a"}
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.output

    assert invoke("agency", "add", "npu", "--name", "National Police", "--country", "UA")[0] == 0
    assert invoke("agency", "add", "bg-nccthb", "--name", "NCCTHB", "--country", "Bulgaria")[0] == 0
    code, output = invoke("agency", "add", "npu", "--name", "again")
    assert code != 0 and "id:" in output and "exists already" in output
    code, output = invoke("agency", "add", "x", "--country", "Atlantis")
    assert code != 0 and "country:" in output
    # A unit named by `user add --unit` is placed in its agency afterwards.
    assert invoke("user", "add", "o.k", "--role", "analyst", "--unit", "npu-thb")[0] == 0
    assert invoke("unit", "add", "npu-thb", "--agency", "npu", "--name", "THB department")[0] == 0
    code, output = invoke("unit", "add", "npu-thb", "--agency", "bg-nccthb")
    assert code != 0 and "belongs to 'npu' already" in output
    code, output = invoke("unit", "add", "u-2", "--agency", "nowhere")
    assert code != 0 and "agency:" in output
    with engine.connect() as conn:
        found = find_agency(conn, "bg-nccthb")
        placed = agency_of_unit(conn, "npu-thb")
        changes = [r.as_dict()["subject"] for r in by_actor(conn, "admin.a")]
    assert found is not None and found.country == "bg"
    assert placed is not None and placed.id == "npu"
    assert {"agency add": "npu", "name": "National Police", "country": "ua"} in changes
