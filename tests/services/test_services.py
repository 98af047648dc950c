"""The service layer: one set of access rules, an audit record for every action (refusals
included), and the after-write step for every change, whichever front end calls."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.audit import iter_records, verify
from nitka.access.cases import add_case, add_member
from nitka.errors import RecordError
from nitka.ingest.ftm import FtMConverter
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import Provenance
from nitka.services import cases, entities, exports, ingest, lists, resolution, retention
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.store.outbox import ChangeKind, changes_since
from nitka.store.reader import get_entity
from nitka.store.tables import judgement
from tests.helpers import make_entity, store_entities

SUSPECT, TWIN, VICTIM, OTHER_CASE, RESTRICTED = "p-suspect", "p-twin", "p-victim", "p-other", "p-h3"
RESTRICTION = "not to be shown to the suspect's employer"


def _actor(name: str, role: str, unit: str | None = "u-kyiv") -> Actor:
    return Actor(name, Role(role), unit, Proof.TOKEN, "test", "case c1")


ANALYST = _actor("analyst.in", "analyst")
INVESTIGATOR = _actor("investigator.in", "investigator")
OUTSIDER = _actor("investigator.out", "investigator")
SUPERVISOR = _actor("supervisor.in", "supervisor")
AUDITOR = _actor("auditor.a", "auditor")
OPERATOR = Actor.operator("root", origin="cli@host")


@pytest.fixture
def world(engine: Engine) -> Engine:
    def person(entity_id: str, name: str) -> list[Any]:
        return [make_entity("Person", entity_id, name=name, birthDate="1990-01-01")]

    case = Provenance("npu", case="c1", category=DataSubjectCategory.SUSPECT)
    store_entities(engine, person(SUSPECT, "Oleh Bondar"), case)
    store_entities(engine, person(TWIN, "Олег Бондар"), case)
    store_entities(
        engine,
        person(VICTIM, "Maria Koval"),
        Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM, handling=HandlingCode.H2),
    )
    store_entities(engine, person(OTHER_CASE, "Petro Zalizniak"), Provenance("npu", case="c2"))
    store_entities(
        engine,
        person(RESTRICTED, "Ivan Franko"),
        Provenance("wanted", handling=HandlingCode.H3, handling_note=RESTRICTION),
    )
    with engine.begin() as conn:
        add_case(conn, "c1", by="supervisor.in")
        add_case(conn, "c2", by="supervisor.in")
        for actor in (ANALYST, INVESTIGATOR, OUTSIDER, SUPERVISOR, AUDITOR):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role.value, unit_id="u-kyiv")
            if actor is not OUTSIDER:
                add_member(conn, "c1", actor.name, by="supervisor.in")
    return engine


def _last_record(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return list(iter_records(conn))[-1].as_dict()


def _changes(engine: Engine) -> list[tuple[ChangeKind, tuple[str, ...]]]:
    with engine.connect() as conn:
        return [(c.kind, c.entity_ids) for c in changes_since(conn, 0)]


def test_a_merge_records_the_actor_and_takes_effect_everywhere(world: Engine) -> None:
    before = len(_changes(world))
    with transaction(world) as conn:
        merged = resolution.merge(conn, INVESTIGATOR, SUSPECT, TWIN, "same passport")
    with world.connect() as conn:
        (row,) = conn.execute(select(judgement.c.user, judgement.c.left_id)).all()
    assert tuple(row) == ("investigator.in", SUSPECT), "the judgement names the actor"
    record = _last_record(world)
    assert (record["actor"], record["action"], record["outcome"]) == (
        "investigator.in", "change", "done",
    )  # fmt: skip
    assert record["purpose"] == "case c1"
    kind, ids = _changes(world)[before]
    assert kind is ChangeKind.MERGED and set(ids) == {SUSPECT, TWIN, merged}


def test_an_auditor_may_not_merge_or_unmerge_and_the_refusal_is_recorded(world: Engine) -> None:
    with pytest.raises(RefusedError, match="reads no case data"), transaction(world) as conn:
        resolution.merge(conn, AUDITOR, SUSPECT, TWIN, "same passport")
    record = _last_record(world)
    assert (record["actor"], record["outcome"]) == ("auditor.a", "refused")
    with transaction(world) as conn:
        merged = resolution.merge(conn, SUPERVISOR, SUSPECT, TWIN, "same passport")
        (found,) = resolution.judgements(conn, SUPERVISOR, merged)
    with pytest.raises(RefusedError), transaction(world) as conn:
        resolution.unmerge(conn, AUDITOR, found.id, "wrong")
    assert _last_record(world)["outcome"] == "refused"
    with world.connect() as conn:
        still = get_entity(conn, SUSPECT)
    assert still is not None and still.id == merged, "a refused undo changes nothing"
    with world.connect() as conn:
        assert verify(conn).intact


def test_a_user_may_merge_only_what_they_may_see(world: Engine) -> None:
    with pytest.raises(NotFoundError) as raised, transaction(world) as conn:
        resolution.merge(conn, OUTSIDER, SUSPECT, TWIN, "same passport")
    assert raised.value.field == "left"
    with pytest.raises(NotFoundError) as raised, transaction(world) as conn:
        resolution.merge(conn, INVESTIGATOR, SUSPECT, OTHER_CASE, "same person")
    assert raised.value.field == "right", "another case's entity is as good as missing"
    with world.connect() as conn:
        assert conn.execute(select(judgement.c.id)).all() == []


def test_erasure_is_for_a_supervisor_and_reaches_every_reader(world: Engine) -> None:
    with pytest.raises(RefusedError), transaction(world) as conn:
        retention.erase(conn, ANALYST, VICTIM, "Art. 16 request")
    with world.connect() as conn:
        assert get_entity(conn, VICTIM) is not None, "a refused erasure erases nothing"
    with pytest.raises(Exception, match="legal ground"), transaction(world) as conn:
        retention.erase(conn, SUPERVISOR, VICTIM, "  ")
    with transaction(world) as conn:
        erased, count = retention.erase(conn, SUPERVISOR, VICTIM, "Art. 16 request")
    assert (erased, count > 0) == (VICTIM, True)
    assert _changes(world)[-1] == (ChangeKind.ERASED, (VICTIM,))
    record = _last_record(world)
    assert record["action"] == "erasure" and record["subject"]["erased"] == VICTIM
    assert "Maria" not in orjson.dumps(record).decode(), "a tombstone holds no data"


def test_an_export_with_h2_or_h3_data_needs_the_providers_permission(world: Engine) -> None:
    out = io.BytesIO()
    with pytest.raises(RefusedError) as raised, transaction(world) as conn:
        exports.export_store(conn, SUPERVISOR, out, path="out.jsonl")
    assert raised.value.field == "permission"
    assert "under H2" in str(raised.value) and "under H3" in str(raised.value)
    assert RESTRICTION in str(raised.value), "the provider's restriction is quoted"
    assert out.getvalue() == b"", "nothing is written before the gate"
    assert _last_record(world)["outcome"] == "refused"
    with transaction(world) as conn:
        count, ids = exports.export_store(
            conn, SUPERVISOR, out, path="out.jsonl", permission="NCB Kyiv 2026/117"
        )
    assert VICTIM in ids and count == len(out.getvalue().splitlines())
    assert _last_record(world)["subject"]["permission"] == "NCB Kyiv 2026/117"


def test_the_gate_counts_only_what_the_user_would_export(world: Engine) -> None:
    out = io.BytesIO()
    with pytest.raises(RefusedError) as raised, transaction(world) as conn:
        # The outsider sees no case data: not the H2 victim, only the H3 notice.
        exports.export_store(conn, OUTSIDER, out, path="-")
    assert "under H3" in str(raised.value) and "H2" not in str(raised.value)
    with world.begin() as conn:
        retention.erase(conn, OPERATOR, RESTRICTED, "test: no H3 left")
    with transaction(world) as conn:
        count, ids = exports.export_store(conn, OUTSIDER, out, path="-")
    assert (count, ids) == (0, []), "nothing of case c1 or c2 leaves for an outsider"
    with transaction(world) as conn:
        count, ids = exports.export_store(conn, ANALYST, out, path="-")
    assert sorted(ids) == [SUSPECT, TWIN], "an analyst's export has no victim"


def test_a_chart_export_passes_the_same_gate(world: Engine) -> None:
    with pytest.raises(RefusedError), transaction(world) as conn:
        exports.export_chart(conn, SUPERVISOR, [VICTIM, SUSPECT], format="graphml")
    with transaction(world) as conn:
        data = exports.export_chart(conn, SUPERVISOR, [SUSPECT], format="anx")
    assert b"Oleh Bondar" in data
    with pytest.raises(RefusedError), transaction(world) as conn:
        exports.export_chart(conn, ANALYST, [RESTRICTED], format="graphml")
    with transaction(world) as conn:
        data = exports.export_chart(
            conn, ANALYST, [RESTRICTED], format="graphml", permission="INTERPOL 2026/9"
        )
    assert b"Ivan Franko" in data


def test_a_refusal_is_committed_but_a_failure_rolls_back(world: Engine) -> None:
    with world.connect() as conn:
        before = len(list(iter_records(conn)))
    with pytest.raises(NotFoundError), transaction(world) as conn:
        resolution.merge(conn, SUPERVISOR, SUSPECT, "p-nobody", "same")
    with world.connect() as conn:
        assert len(list(iter_records(conn))) == before, "a failure leaves no record"
    with pytest.raises(RefusedError), transaction(world) as conn:
        resolution.merge(conn, AUDITOR, SUSPECT, TWIN, "same")
    with world.connect() as conn:
        assert len(list(iter_records(conn))) == before + 1
        assert verify(conn).intact


def test_search_and_show_apply_need_to_know_and_record_every_attempt(world: Engine) -> None:
    with transaction(world) as conn:
        assert [hit.id for hit in entities.find(conn, ANALYST, "Oleh Bondar")][:2] == [
            SUSPECT, TWIN,
        ], "a Latin query finds the Cyrillic twin"  # fmt: skip
        assert entities.find(conn, ANALYST, "Maria Koval") == [], "no victim's name for analysts"
        assert [hit.id for hit in entities.find(conn, INVESTIGATOR, "Maria Koval")] == [VICTIM]
        assert entities.find(conn, OUTSIDER, "Petro Zalizniak") == []
        assert [hit.id for hit in entities.find(conn, OPERATOR, "Petro Zalizniak")] == [OTHER_CASE]
    with pytest.raises(RefusedError), transaction(world) as conn:
        entities.find(conn, AUDITOR, "Oleh Bondar")
    with pytest.raises(NotFoundError), transaction(world) as conn:
        entities.show(conn, OUTSIDER, SUSPECT)
    record = _last_record(world)
    assert (record["actor"], record["outcome"], record["entities"]) == (
        "investigator.out", "refused", [],
    ), "a probe for a hidden entity is recorded, naming nothing"  # fmt: skip
    with transaction(world) as conn:
        shown = entities.show(conn, ANALYST, VICTIM)
    assert shown.entity.protected and "Maria" not in orjson.dumps(shown.as_dict()).decode()


def test_list_entries_are_kept_by_liaison_officers_and_supervisors(world: Engine) -> None:
    with pytest.raises(RefusedError), transaction(world) as conn:
        lists.withdraw(conn, INVESTIGATOR, "wanted", RESTRICTED, "notice cancelled")
    assert _changes(world)[-1][0] is ChangeKind.STATEMENTS, "a refusal changes nothing"
    liaison = _actor("liaison.in", "liaison")
    with transaction(world) as conn:
        lists.withdraw(conn, liaison, "wanted", RESTRICTED, "notice cancelled")
    assert _changes(world)[-1] == (ChangeKind.WITHDRAWN, (RESTRICTED,))
    with transaction(world) as conn:
        lists.reinstate(conn, SUPERVISOR, "wanted", RESTRICTED, "cancelled in error")
        lists.refresh(conn, SUPERVISOR, [RESTRICTED, SUSPECT])
    assert [kind for kind, _ in _changes(world)[-2:]] == [
        ChangeKind.REINSTATED, ChangeKind.REFRESH,
    ]  # fmt: skip
    assert _last_record(world)["actor"] == "supervisor.in"


def test_cases_are_opened_joined_and_read_by_the_roles_that_may(world: Engine) -> None:
    with pytest.raises(RefusedError), transaction(world) as conn:
        cases.open_case(conn, ANALYST, "c3", "Boat drivers, Odesa")
    with transaction(world) as conn:
        cases.open_case(conn, INVESTIGATOR, "c3", "Boat drivers, Odesa")
    with pytest.raises(RefusedError), transaction(world) as conn:
        cases.add_case_member(conn, INVESTIGATOR, "c3", "analyst.in")
    with transaction(world) as conn:
        assert cases.add_case_member(conn, SUPERVISOR, "c3", "analyst.in") is True
        assert cases.add_case_member(conn, SUPERVISOR, "c3", "analyst.in") is False
        mine = [case.id for case in cases.list_cases(conn, ANALYST)]
        every = [case.id for case in cases.list_cases(conn, _actor("admin.a", "administrator"))]
    assert (mine, every) == (["c1", "c3"], ["c1", "c2", "c3"])
    with pytest.raises(NotFoundError), transaction(world) as conn:
        cases.workspace(conn, OUTSIDER, "c1")
    with pytest.raises(RefusedError), transaction(world) as conn:
        cases.workspace(conn, _actor("admin.a", "administrator"), "c1")
    with transaction(world) as conn:
        note = cases.write_note(conn, ANALYST, "c1", "Bondar recruits drivers", [SUSPECT])
        seen = cases.workspace(conn, ANALYST, "c1")
    assert {row["id"] for row in seen.entities} == {SUSPECT, TWIN, VICTIM}
    assert [n.id for n in seen.notes] == [note] and seen.notes[0].author == "analyst.in"
    victim = next(row for row in seen.entities if row["id"] == VICTIM)
    assert victim["protected"] and victim["caption"] != "Maria Koval"
    with pytest.raises(RefusedError), transaction(world) as conn:
        cases.write_note(conn, OUTSIDER, "c1", "a note from outside", [])


def test_an_ingest_into_a_case_is_for_its_members_and_its_outcome_recorded(
    world: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "recruiters.jsonl"
    person = make_entity("Person", "p-recruiter", name="Oksana Melnyk")
    path.write_bytes(orjson.dumps(person.to_dict()) + b"\n{broken\n")

    def run(actor: Actor, case: str) -> Any:
        converter = FtMConverter(str(path), "npu")
        provenance = Provenance("npu", case=case)
        return ingest.ingest_file(world, actor, converter, provenance, kind="ftm")

    with pytest.raises(RefusedError, match="not a member of case 'c2'"):
        run(ANALYST, "c2")
    assert _last_record(world)["outcome"] == "refused"
    with pytest.raises(RecordError):
        run(ANALYST, "c1")
    failed = _last_record(world)
    assert (failed["actor"], failed["outcome"]) == ("analyst.in", "failed")
    assert "record 2" in failed["subject"]["result"], "the failure names the record"
    path.write_bytes(orjson.dumps(person.to_dict()) + b"\n")
    report = run(ANALYST, "c1")
    assert report.statements > 0 and _last_record(world)["outcome"] == "done"
    assert _changes(world)[-1] == (ChangeKind.STATEMENTS, ("p-recruiter",))
