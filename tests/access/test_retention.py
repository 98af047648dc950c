"""Review periods, erasure with a tombstone, and the report for a subject's access request."""

from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from typer.testing import CliRunner

from nitka.access.audit import by_actor, verify
from nitka.access.retention import RetentionError, due_for_review, erase
from nitka.cli.main import app
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.search.query import search
from nitka.settings import Settings
from nitka.store.reader import get_entity
from tests.helpers import make_entity, store_entities

TODAY = datetime(2026, 11, 23, tzinfo=UTC)


def _store(engine: Engine) -> None:
    victim = make_entity("Person", "v1", name="Марія Коваль", birthDate="1999-04-01")
    suspect = make_entity("Person", "s1", name="Oleh Bondar")
    store_entities(engine, [victim], Provenance("npu", category=DataSubjectCategory.VICTIM,
                                                seen="2022-06-01T00:00:00"))  # fmt: skip
    store_entities(engine, [suspect], Provenance("npu", category=DataSubjectCategory.SUSPECT,
                                                 seen="2023-01-01T00:00:00"))  # fmt: skip


def test_statements_past_their_categorys_period_are_due(engine: Engine) -> None:
    _store(engine)
    with engine.connect() as conn:
        due = due_for_review(conn, today=TODAY)
        assert [(d.entity_id, d.category, d.review_days) for d in due] == [("v1", "victim", 1095)]
        assert due[0].statements == 3 and due[0].last_seen.startswith("2022-06-01")
        shorter = due_for_review(conn, periods={"suspect": 365}, today=TODAY)
        assert {d.entity_id for d in shorter} == {"v1", "s1"}


def test_erasure_removes_statements_and_search_rows(engine: Engine) -> None:
    _store(engine)
    with engine.begin() as conn:
        assert erase(conn, "v1") == ("v1", 3)
    with engine.connect() as conn:
        assert get_entity(conn, "v1") is None
        assert search(conn, "Maria Koval") == []
        assert get_entity(conn, "s1") is not None
    with pytest.raises(RetentionError) as caught, engine.begin() as conn:
        erase(conn, "v1")
    assert caught.value.field == "entity_id"


def test_review_periods_are_checked_settings() -> None:
    assert Settings(review_days={"victim": 730}).review_days == {"victim": 730}
    with pytest.raises(ValidationError, match="not a data-subject category"):
        Settings(review_days={"alien": 3})
    with pytest.raises(ValidationError, match="at least one day"):
        Settings(review_days={"victim": 0})


def test_rights_through_the_cli_leave_a_tombstone(database_url: str, engine: Engine) -> None:
    _store(engine)
    runner = CliRunner()
    env = {"NITKA_DATABASE_URL": database_url, "NITKA_USER": "dpo.k", "NITKA_PURPOSE": ""}

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), env=env)
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = invoke("retention", "due", "--json")
    assert code == 0 and [d["entity_id"] for d in orjson.loads(out)] == ["v1"]
    assert invoke("--as", "analyst.o", "show", "v1")[0] == 0
    code, out, _ = invoke("subject-report", "v1")
    report = orjson.loads(out)
    assert code == 0 and report["sources"] == ["npu"] and len(report["statements"]) == 3
    assert report["statements"][0]["category"] == "victim"
    processing = [(p["by"], p["action"]) for p in report["processing"]]
    assert processing == [("dpo.k", "search"), ("analyst.o", "view")]
    code, _, err = invoke("erase", "v1", "--reason", " ")
    assert code == 1 and "--reason" in err
    code, out, _ = invoke("erase", "v1", "--reason", "victim's request, Art. 16")
    assert code == 0 and "erased 3 statements" in out
    assert invoke("subject-report", "v1")[0] == 1
    with engine.connect() as conn:
        actions = [(r.action, r.outcome) for r in by_actor(conn, "dpo.k")]
        tombstone = by_actor(conn, "dpo.k")[2]
        assert verify(conn).intact
    assert actions == [("search", "done"), ("disclosure", "done"), ("erasure", "done")]
    assert tombstone.as_dict()["subject"] == {
        "erased": "v1",
        "statements": 3,
        "reason": "victim's request, Art. 16",
    }
    assert "Коваль" not in tombstone.subject, "the tombstone keeps no personal data"
