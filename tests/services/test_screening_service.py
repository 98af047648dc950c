"""Checks through the service layer: refusals recorded, the lists a check goes
against, and a file's hits written only as far as the checker may see them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_case, add_member
from nitka.access.visibility import PLACEHOLDER
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.screen.service import Screener
from nitka.services import screening
from nitka.services.guard import DeclinedError, NotFoundError, RefusedError
from nitka.store.tables import audit_log
from tests.helpers import make_entity, store_entities

WANTED = "npu_wanted"


def _actor(name: str, role: str, purpose: str = "border check, Chop") -> Actor:
    return Actor(name, Role(role), None, Proof.TOKEN, "test", purpose)


MEMBER = _actor("analyst.in", "analyst")
PROTECTED_READER = _actor("investigator.in", "investigator")
OUTSIDER = _actor("analyst.out", "analyst")


@pytest.fixture
def wanted(engine: Engine) -> Engine:
    """A case's own wanted list: a suspect, and a victim sought as a missing person."""
    store_entities(
        engine,
        [make_entity("Person", "w-suspect", name="Oleksandr Petrenko")],
        Provenance(WANTED, case="c1", category=DataSubjectCategory.SUSPECT),
    )
    store_entities(
        engine,
        [make_entity("Person", "w-victim", name="Maria Koval")],
        Provenance(WANTED, case="c1", category=DataSubjectCategory.VICTIM),
    )
    with engine.begin() as conn:
        add_case(conn, "c1", by="test")
        for actor in (MEMBER, PROTECTED_READER, OUTSIDER):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role.value)
        for actor in (MEMBER, PROTECTED_READER):
            add_member(conn, "c1", actor.name, by="test")
    return engine


def _screened(engine: Engine, actor: Actor, tmp_path: Path) -> dict[str, dict[str, str]]:
    source = tmp_path / "crossing.csv"
    source.write_text("name\nOleksandr Petrenko\nMaria Koval\n", encoding="utf-8")
    target = tmp_path / f"{actor.name}.csv"
    checked = screening.screen_file(engine, actor, source, target, [WANTED])
    assert (checked.rows, checked.lists) == (2, (WANTED,))
    with target.open(encoding="utf-8") as fh:
        return {row["name"]: row for row in csv.DictReader(fh)}


def test_a_file_shows_each_hit_as_far_as_the_checker_may_see_it(
    wanted: Engine, tmp_path: Path
) -> None:
    member = _screened(wanted, MEMBER, tmp_path)
    assert member["Oleksandr Petrenko"]["entry"] == "Oleksandr Petrenko"
    assert member["Maria Koval"]["hit"] == "yes"
    assert member["Maria Koval"]["entry"] == PLACEHOLDER
    assert member["Maria Koval"]["lists"] == WANTED and member["Maria Koval"]["records"] == ""
    reader = _screened(wanted, PROTECTED_READER, tmp_path)
    assert reader["Maria Koval"]["entry"] == "Maria Koval"
    outsider = _screened(wanted, OUTSIDER, tmp_path)
    assert {row["hit"] for row in outsider.values()} == {"no"}
    assert "Petrenko" not in (tmp_path / "analyst.out.csv").read_text(encoding="utf-8").replace(
        "Oleksandr Petrenko,", ""
    )


def test_a_check_without_a_purpose_or_by_an_auditor_is_refused_and_recorded(
    wanted: Engine,
) -> None:
    with pytest.raises(DeclinedError) as declined:
        screening.begin_check(wanted, _actor("analyst.in", "analyst", purpose=" "), "api", "a")
    assert declined.value.field == "purpose"
    with pytest.raises(RefusedError):
        screening.begin_check(wanted, _actor("aud", "auditor"), "api", "a")
    with wanted.connect() as conn:
        refused = conn.execute(
            select(audit_log.c.actor, audit_log.c.action).where(audit_log.c.outcome == "refused")
        ).all()
    assert [tuple(row) for row in refused] == [("analyst.in", "check"), ("aud", "check")]


def test_default_means_the_loaded_lists_and_no_list_is_an_error(wanted: Engine) -> None:
    assert screening.lists_to_check(Screener(wanted, [WANTED]), None, "default") == (WANTED,)
    with pytest.raises(NotFoundError):
        screening.lists_to_check(Screener(wanted, [WANTED]), None, "interpol")
    with pytest.raises(screening.NoListError) as none:
        screening.lists_to_check(Screener(wanted, []), None, "default")
    assert "--list" in str(none.value)
