import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from nitka.model.grading import Grading, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import PoliceStatement, Provenance
from nitka.resolve.merges import ResolverError, judgements_for, merge, undo
from nitka.search.query import search
from nitka.store.migrate import head_revision, is_current, upgrade
from nitka.store.reader import count_by_schema, count_statements, get_entity
from nitka.store.tables import judgement, statement
from nitka.store.writer import (
    group_rows,
    grouped_rows,
    load_canonical_map,
    split_groups,
    statement_values,
    write_rows,
    write_statements,
)
from tests.helpers import make_entity, store_entities


def test_store_is_migrated_and_upgrade_is_idempotent(engine: Engine) -> None:
    assert is_current(engine)
    assert upgrade(engine) == head_revision(engine) == "0024"


def test_entity_round_trip_keeps_every_police_field(engine: Engine) -> None:
    provenance = Provenance(
        dataset="npu",
        case="case-7",
        grading=Grading.parse("C3"),
        category=DataSubjectCategory.VICTIM,
        handling=HandlingCode.H3,
        handling_note="do not pass to third countries",
        seen="2025-01-02T03:04:05",
    )
    person = make_entity("Person", "v1", name="Марія Коваль", birthDate="1999-04-01")
    store_entities(engine, [person], provenance)
    with engine.connect() as conn:
        stored = get_entity(conn, "v1")
    assert stored is not None
    assert stored.schema.name == "Person"
    assert stored.proxy().get("name") == ["Марія Коваль"]
    name = next(s for s in stored.statements if s.prop == "name")
    assert name.origin == "test:1"
    assert name.grading.code == "C3"
    assert name.category is DataSubjectCategory.VICTIM
    assert name.handling_note == "do not pass to third countries"
    assert name.case == "case-7"
    assert name.first_seen == "2025-01-02T03:04:05"
    assert (name.entity_id, name.canonical_id, name.dataset) == ("v1", "v1", "npu")
    assert (name.value, name.handling, name.assessment) == ("Марія Коваль", HandlingCode.H3, False)
    assert name.id == name.make_id()


def test_statements_with_different_empty_fields_are_stored_as_written(engine: Engine) -> None:
    """Rows are grouped by the columns they leave empty and written per group
    (``group_rows``): every statement must come back with its own fields."""
    common = {"entity_id": "m1", "schema": "Person", "dataset": "npu"}
    written = [
        PoliceStatement(prop="id", value="m1", **common),  # type: ignore[arg-type]
        PoliceStatement(prop="name", value="Марія", lang="ukr", **common),  # type: ignore[arg-type]
        PoliceStatement(
            prop="name",
            value="Mariia",
            original_value="MARIIA",
            origin="list.csv:4",
            first_seen="2024-05-01T00:00:00",
            **common,  # type: ignore[arg-type]
        ),
        PoliceStatement(
            prop="birthDate",
            value="1999-04-01",
            case="case-9",
            author="analyst1",
            assessment=True,
            handling=HandlingCode.H3,
            handling_note="no onward sharing",
            **common,  # type: ignore[arg-type]
        ),
        PoliceStatement(prop="nationality", value="ua", last_seen="2025-01-01", **common),  # type: ignore[arg-type]
    ]
    with engine.begin() as conn:
        write_statements(conn, written, {})
    with engine.connect() as conn:
        stored = get_entity(conn, "m1")
    assert stored is not None
    assert {s.id: s.to_dict() for s in stored.statements} == {s.id: s.to_dict() for s in written}


def test_rows_are_grouped_by_their_empty_columns_and_keep_their_leading_ones() -> None:
    common = {"entity_id": "g1", "schema": "Person", "dataset": "npu"}
    statements = [
        PoliceStatement(prop="name", value="A", **common),  # type: ignore[arg-type]
        PoliceStatement(prop="name", value="B", lang="ukr", **common),  # type: ignore[arg-type]
        PoliceStatement(prop="name", value="C", **common),  # type: ignore[arg-type]
    ]
    rows = [statement_values(s, "g1") for s in statements]
    groups = group_rows(rows)
    assert [len(group_rows_) for _present, group_rows_ in groups] == [2, 1]
    for present, kept in groups:
        for row in kept:
            full = next(r for r in rows if r[0] == row[0])
            assert row == tuple(full[i] for i in present)
            assert row[:7] == full[:7]
            assert all(full[i] is None for i in range(len(full)) if i not in present)
    assert sorted(r[0] for r in grouped_rows(groups)) == sorted(r[0] for r in rows)


def test_writing_twice_changes_nothing_but_widens_seen_dates(engine: Engine) -> None:
    person = make_entity("Person", "p1", name="Ivan Franko")
    store_entities(engine, [person], Provenance(dataset="d", seen="2024-01-01T00:00:00"))
    store_entities(engine, [person], Provenance(dataset="d", seen="2024-01-01T00:00:00"))
    with engine.connect() as conn:
        assert count_statements(conn) == 2
    store_entities(engine, [person], Provenance(dataset="d", seen="2025-06-01T00:00:00"))
    store_entities(engine, [person], Provenance(dataset="d", seen="2023-06-01T00:00:00"))
    with engine.connect() as conn:
        assert count_statements(conn) == 2
        name = next(s for s in get_entity(conn, "p1").statements if s.prop == "name")  # type: ignore[union-attr]
    assert (name.first_seen, name.last_seen) == ("2023-06-01T00:00:00", "2025-06-01T00:00:00")


def _name_rows(entity_id: str, value: str, seen: str, reliability: str) -> list[tuple[object, ...]]:
    stmt = PoliceStatement(
        entity_id=entity_id,
        schema="Person",
        prop="name",
        value=value,
        dataset="d",
        first_seen=seen,
        last_seen=seen,
        reliability=Reliability(reliability),
    )
    return [statement_values(stmt, entity_id)]


def test_rows_are_split_into_those_of_known_entities_and_the_others() -> None:
    rows = _name_rows("k1", "Known", "2024-01-01", "B") + _name_rows("n1", "New", "2024-01-01", "B")
    held, new = split_groups(group_rows(rows), {"k1"})
    assert [row[1] for row in grouped_rows(held)] == ["k1"]
    assert [row[1] for row in grouped_rows(new)] == ["n1"]
    assert split_groups(group_rows(rows), set()) == ([], group_rows(rows))


def test_rows_said_to_be_new_that_the_store_holds_are_upserted_after_all(engine: Engine) -> None:
    """A caller that found no entity in the store may be wrong by the time it
    writes (another writer's commit): PostgreSQL's straight COPY then fails on
    the id, and the rows are upserted instead, in the same transaction."""
    with engine.begin() as conn:
        write_rows(conn, group_rows(_name_rows("p1", "Ivan", "2024-01-01", "B")), {}, known=set())
    again = _name_rows("p1", "Ivan", "2025-01-01", "A") + _name_rows(
        "p2", "Petro", "2025-01-01", "C"
    )
    with engine.begin() as conn:
        write_rows(conn, group_rows(again), {}, known=set())
        write_rows(conn, group_rows(_name_rows("p3", "Olha", "2025-01-01", "C")), {}, known=set())
    with engine.connect() as conn:
        assert count_statements(conn) == 3
        ivan = get_entity(conn, "p1").statements[0]  # type: ignore[union-attr]
        assert (ivan.first_seen, ivan.last_seen) == ("2024-01-01", "2025-01-01")
        assert ivan.reliability.value == "A"
        assert get_entity(conn, "p3") is not None


def test_a_batch_of_known_and_new_entities_updates_the_one_and_adds_the_other(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        write_rows(conn, group_rows(_name_rows("p1", "Ivan", "2024-01-01", "B")), {}, known=set())
    batch = _name_rows("p1", "Ivan", "2023-01-01", "A") + _name_rows(
        "p2", "Petro", "2025-01-01", "C"
    )
    with engine.begin() as conn:
        write_rows(conn, group_rows(batch), {}, known={"p1"})
    with engine.connect() as conn:
        assert count_statements(conn) == 2
        ivan = get_entity(conn, "p1").statements[0]  # type: ignore[union-attr]
        assert (ivan.first_seen, ivan.last_seen, ivan.reliability.value) == (
            "2023-01-01",
            "2024-01-01",
            "A",
        )
        petro = get_entity(conn, "p2").statements[0]  # type: ignore[union-attr]
        assert (petro.value, petro.reliability.value) == ("Petro", "C")


def test_an_assessment_is_kept_apart_from_the_fact(engine: Engine) -> None:
    person = make_entity("Person", "p1", name="Ivan Franko", nationality="ua")
    store_entities(engine, [person], Provenance(dataset="register"))
    assessment = make_entity("Person", "p1", nationality="md")
    store_entities(
        engine, [assessment], Provenance(dataset="analysis", assessment=True, author="analyst1")
    )
    with engine.connect() as conn:
        stored = get_entity(conn, "p1")
    assert stored is not None
    nationality = {s.value: s for s in stored.statements if s.prop == "nationality"}
    assert nationality["ua"].assessment is False
    assert nationality["md"].assessment is True
    assert nationality["md"].author == "analyst1"


def _two_people(engine: Engine) -> None:
    store_entities(
        engine,
        [
            make_entity("Person", "a", name="Олександр Петренко", birthDate="1984"),
            make_entity("Person", "b", name="Oleksandr Petrenko", nationality="ua"),
            make_entity("Person", "c", name="Aleksandr Petrenko"),
        ],
    )


def test_merge_joins_entities_without_touching_statements(engine: Engine) -> None:
    _two_people(engine)
    with engine.connect() as conn:
        before = {row.id: row.value for row in conn.execute(select(statement))}
    with engine.begin() as conn:
        merged = merge(conn, "a", "b", "analyst1", "same passport number in both files")
    with engine.connect() as conn:
        after = {row.id: row.value for row in conn.execute(select(statement))}
        entity = get_entity(conn, "a")
        assert get_entity(conn, "b").id == merged  # type: ignore[union-attr]
        assert count_by_schema(conn) == {"Person": 2}
        results = search(conn, "Petrenko")
    assert before == after
    assert entity is not None and entity.id == merged and merged.startswith("nk-")
    assert entity.members == ["a", "b"]
    assert set(entity.proxy().get("name")) == {"Олександр Петренко", "Oleksandr Petrenko"}
    assert {r.id for r in results} == {merged, "c"}


def test_undo_merge_restores_the_entities_and_keeps_the_record(engine: Engine) -> None:
    _two_people(engine)
    with engine.begin() as conn:
        merged = merge(conn, "a", "b", "analyst1", "same passport")
        merged_all = merge(conn, merged, "c", "analyst1", "same phone")
    with engine.connect() as conn:
        assert get_entity(conn, "c").members == ["a", "b", "c"]  # type: ignore[union-attr]
        first = judgements_for(conn, "a")[0]
    with engine.begin() as conn:
        result = undo(conn, first.id, "supervisor", "passport was a typo")
    with engine.connect() as conn:
        a, b = get_entity(conn, "a"), get_entity(conn, "b")
        history = judgements_for(conn, "a")
        total = conn.execute(select(func.count()).select_from(judgement)).scalar_one()
    # a was merged with c through the second merge, which still stands; b is alone again.
    assert a is not None and b is not None
    assert b.id == "b" and b.members == ["b"]
    assert a.members == ["a", "c"]
    assert sorted(result) == sorted([a.id, "b"])
    assert merged_all != a.id
    assert total == 3
    assert [j.kind for j in history] == ["merge", "merge", "undo"]
    assert history[-1].user == "supervisor" and history[-1].reason == "passport was a typo"


def test_merging_again_after_undo_gives_the_same_id(engine: Engine) -> None:
    _two_people(engine)
    with engine.begin() as conn:
        first = merge(conn, "a", "b", "u", "r")
    with engine.connect() as conn:
        jid = judgements_for(conn, "a")[0].id
    with engine.begin() as conn:
        undo(conn, jid, "u", "r")
        second = merge(conn, "b", "a", "u", "r")
    assert first == second


@pytest.mark.parametrize(
    ("left", "right", "reason", "message"),
    [
        ("a", "a", "r", "already the same"),
        ("a", "nobody", "r", "no entity"),
        ("a", "b", " ", "needs a reason"),
    ],
)
def test_bad_merges_are_refused(
    engine: Engine, left: str, right: str, reason: str, message: str
) -> None:
    _two_people(engine)
    with pytest.raises(ResolverError, match=message), engine.begin() as conn:
        merge(conn, left, right, "u", reason)


def test_undo_twice_is_refused(engine: Engine) -> None:
    _two_people(engine)
    with engine.begin() as conn:
        merge(conn, "a", "b", "u", "r")
    with engine.connect() as conn:
        jid = judgements_for(conn, "a")[0].id
    with engine.begin() as conn:
        undo(conn, jid, "u", "r")
    with pytest.raises(ResolverError, match="already undone"), engine.begin() as conn:
        undo(conn, jid, "u", "r")


def test_new_statements_of_a_merged_entity_join_its_cluster(engine: Engine) -> None:
    _two_people(engine)
    with engine.begin() as conn:
        merged = merge(conn, "a", "b", "u", "r")
    store_entities(engine, [make_entity("Person", "b", phone="+380501234567")])
    with engine.connect() as conn:
        entity = get_entity(conn, merged)
    assert entity is not None and entity.proxy().get("phone") == ["+380501234567"]


def test_a_failed_batch_leaves_nothing_half_written(engine: Engine) -> None:
    store_entities(engine, [make_entity("Person", "p1", name="Kept")])
    good = PoliceStatement(entity_id="p2", schema="Person", prop="name", value="Lost", dataset="d")
    bad = PoliceStatement(
        entity_id="p3", schema="Person", prop="name", value="x", dataset="d" * 300
    )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        write_statements(conn, [good], load_canonical_map(conn))
        conn.execute(update(statement).values(reliability=None))  # violates NOT NULL
        write_statements(conn, [bad], load_canonical_map(conn))
    with engine.connect() as conn:
        assert get_entity(conn, "p2") is None
        assert get_entity(conn, "p1") is not None
        assert count_statements(conn) == 2
