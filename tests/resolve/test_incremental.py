"""Incremental linking (issue 22, point 5): new persons are linked against those a run
resolved, through the change sequence, without linking the store again; the blocking
keys follow the sequence, an erasure takes them out at once, a rebuild gives the same
table. Both databases."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Engine, func, select

from nitka.access.retention import erase
from nitka.ingest.ftm import FtMConverter
from nitka.model.statement import Provenance
from nitka.resolve import incremental, keys
from nitka.services import ingest
from nitka.services import resolution_review as resolving
from nitka.services.guard import transaction
from nitka.store.tables import resolve_candidate, resolve_key, resolve_record, resolve_run
from tests.helpers import make_entity, store_entities
from tests.services.people import INVESTIGATOR, cases_and_accounts, last_record

C1 = Provenance(dataset="npu", case="c1")


def _resolved(engine: Engine) -> Engine:
    """A store of persons, Sydorenko in Cyrillic only, and a run over it."""
    cases_and_accounts(engine)
    store_entities(engine, [
        make_entity("Person", "p-cyr", name="Олександр Петренко", birthDate="1980-03-04"),
        make_entity("Person", "p-lat", name="Oleksandr Petrenko", birthDate="1980-03-04"),
        make_entity("Person", "s-cyr", name="Сидоренко Петро Іванович",
                    birthDate="1971-05-02"),
        make_entity("Person", "k-cyr", name="Ковальчук Ірина", passportNumber="FE123456"),
        make_entity("Person", "stranger", name="Jan Novak", birthDate="1975-01-01"),
    ], C1)  # fmt: skip
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
    return engine


def _keys(engine: Engine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    with engine.connect() as conn:
        key_rows = conn.execute(
            select(resolve_key.c.key, resolve_key.c.entity_id).order_by(
                resolve_key.c.key, resolve_key.c.entity_id
            )
        ).all()
        record_rows = conn.execute(
            select(resolve_record.c.entity_id, resolve_record.c.prepared).order_by(
                resolve_record.c.entity_id
            )
        ).all()
    return [tuple(r) for r in key_rows], [tuple(r) for r in record_rows]


def _candidates(engine: Engine) -> dict[tuple[str, str], tuple[int, float, bool]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(resolve_candidate.c.left_id, resolve_candidate.c.right_id,
                   resolve_candidate.c.run_id, resolve_candidate.c.probability,
                   resolve_candidate.c.clustered)
        ).all()  # fmt: skip
    return {(r.left_id, r.right_id): (r.run_id, r.probability, bool(r.clustered)) for r in rows}


def test_a_new_latin_record_is_proposed_with_its_cyrillic_person(engine: Engine) -> None:
    _resolved(engine)
    before = _candidates(engine)
    assert not any("s-cyr" in pair for pair in before)
    store_entities(engine, [
        make_entity("Person", "s-lat", name="Petro Sydorenko", birthDate="1971-05-02"),
        make_entity("Person", "k-lat", name="Iryna Kovalchuk", passportNumber="FE 123456"),
    ], C1)  # fmt: skip
    with transaction(engine) as conn:
        caught = resolving.link_new(conn, INVESTIGATOR)
        runs = conn.execute(select(func.count()).select_from(resolve_run)).scalar_one()
    # Only the two new records were linked, against the few that share a key.
    assert runs == 1
    assert caught.linked == 2
    assert caught.compared <= 2
    after = _candidates(engine)
    new = {pair: found for pair, found in after.items() if pair not in before}
    assert set(new) == {("s-cyr", "s-lat"), ("k-cyr", "k-lat")}
    assert all(run_id == caught.run_id for run_id, _, _ in new.values())
    assert all(clustered and probability >= 0.9 for _, probability, clustered in new.values())
    assert caught.candidates == 2
    assert last_record(engine)["subject"]["candidates"] == 2
    # Caught up: nothing new, nothing proposed twice.
    with transaction(engine) as conn:
        again = resolving.link_new(conn, INVESTIGATOR)
    assert (again.linked, again.candidates) == (0, 0)
    assert _candidates(engine) == after


def test_an_ingest_links_the_persons_it_brings(engine: Engine, tmp_path: Path) -> None:
    _resolved(engine)
    path = tmp_path / "arrived.jsonl"
    person = make_entity("Person", "s-lat", name="SYDORENKO Petro", birthDate="1971-05-02")
    path.write_bytes(orjson.dumps(person.to_dict()) + b"\n")
    report = ingest.ingest_file(engine, INVESTIGATOR, FtMConverter(str(path), "npu"),
                                Provenance("npu", case="c1"), kind="ftm")  # fmt: skip
    assert report.records == 1
    assert ("s-cyr", "s-lat") in _candidates(engine)
    assert "1 pairs proposed for review" in last_record(engine)["subject"]["result"]


def test_without_a_run_an_ingest_links_nothing_and_a_catch_up_keeps_the_keys(
    engine: Engine,
) -> None:
    cases_and_accounts(engine)
    store_entities(engine, [make_entity("Person", "a", name="Ivan Franko")], C1)
    with transaction(engine) as conn:
        assert incremental.model_run(conn) is None
        caught = incremental.catch_up(conn)
    assert caught.rebuilt and caught.run_id is None and caught.linked == 0
    store_entities(engine, [make_entity("Person", "b", name="Іван Франко")], C1)
    with transaction(engine) as conn:
        caught = incremental.catch_up(conn)
    assert (caught.records, caught.rebuilt) == (1, False)
    assert {entity for _, entity in _keys(engine)[0]} == {"a", "b"}
    assert _candidates(engine) == {}


def test_an_erased_person_leaves_the_keys_at_once_and_a_rebuild_gives_the_same(
    engine: Engine,
) -> None:
    _resolved(engine)
    store_entities(engine, [make_entity("Person", "s-lat", name="Petro Sydorenko")], C1)
    with transaction(engine) as conn:
        incremental.catch_up(conn)
    kept = _keys(engine)
    assert {"s-lat", "s-cyr"} <= {entity for _, entity in kept[0]}
    with transaction(engine) as conn:
        erase(conn, "s-lat")
    # The after-write step took it out, before any catch-up.
    erased = _keys(engine)
    assert "s-lat" not in {entity for _, entity in erased[0]}
    assert "s-lat" not in {entity for entity, _ in erased[1]}
    with transaction(engine) as conn:
        incremental.catch_up(conn)
    caught_up = _keys(engine)
    with transaction(engine) as conn:
        assert keys.rebuild(conn) == 5
    assert _keys(engine) == caught_up == erased
