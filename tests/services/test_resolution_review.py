"""Linking the store's persons and reviewing the pairs a run proposes (issue 22):
cross-script pairs proposed, namesakes kept apart, judgements binding later runs,
decisions and batches in the audit trail and undoable, need-to-know on candidates.
Both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from nitka.model.statement import Provenance
from nitka.resolve.judged import constraints
from nitka.services import resolution_review as resolving
from nitka.services.guard import NotFoundError, RefusedError, transaction
from nitka.store.reader import canonical_of
from tests.helpers import make_entity, store_entities
from tests.services.people import (
    ADMINISTRATOR,
    ANALYST,
    AUDITOR,
    INVESTIGATOR,
    OUTSIDER,
    cases_and_accounts,
    last_record,
)

C1 = Provenance(dataset="npu", case="c1")


def _people(engine: Engine) -> Engine:
    """Petrenko in Cyrillic and Latin (one person), his namesake born ten years later,
    Kovalenko in two scripts with one passport, and a stranger."""
    cases_and_accounts(engine)
    store_entities(engine, [
        make_entity("Person", "p-cyr", name="Олександр Петренко", birthDate="1980-03-04"),
        make_entity("Person", "p-lat", name="Oleksandr Petrenko", birthDate="1980-03-04"),
        make_entity("Person", "p-namesake", name="Oleksandr Petrenko", birthDate="1990-07-11"),
        make_entity("Person", "k-cyr", name="Ковальчук Ірина Василівна",
                    passportNumber="FE123456"),
        make_entity("Person", "k-lat", name="Iryna Kovalchuk", passportNumber="FE 123456"),
        make_entity("Person", "stranger", name="Jan Novak", birthDate="1975-01-01"),
    ], C1)  # fmt: skip
    return engine


def _pairs(found: list[resolving.SideBySide]) -> set[tuple[str, str]]:
    return {(s.candidate.left_id, s.candidate.right_id) for s in found}


def test_a_run_proposes_cross_script_pairs_and_no_namesake_merge(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        run = resolving.run(conn, INVESTIGATOR)
    assert run.records == 6
    assert run.largest == 2
    with transaction(engine) as conn:
        queue = resolving.queue(conn, INVESTIGATOR, limit=50)
        pairs = _pairs(queue)
        clustered = {(s.candidate.left_id, s.candidate.right_id) for s in queue
                     if s.candidate.clustered}  # fmt: skip
    assert ("p-cyr", "p-lat") in clustered
    assert ("k-cyr", "k-lat") in clustered
    assert not any("stranger" in pair for pair in pairs)
    namesake = [s for s in queue if "p-namesake" in (s.candidate.left_id, s.candidate.right_id)]
    assert all(not s.candidate.clustered for s in namesake)
    assert all(s.candidate.probability < 0.9 for s in namesake)
    # The waterfall names each comparison's level in words.
    petrenko = next(s for s in queue if (s.candidate.left_id, s.candidate.right_id)
                    == ("p-cyr", "p-lat"))  # fmt: skip
    said = {row[0]: row[1] for row in petrenko.candidate.comparisons}
    assert said["birth dates"] == "the same date"
    assert "name" in said["names across scripts"]
    assert last_record(engine)["action"] == "view"


def test_queue_puts_the_least_certain_first(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        queue = resolving.queue(conn, INVESTIGATOR, limit=50)
    distances = [abs(s.candidate.probability - 0.5) for s in queue]
    assert distances == sorted(distances)


def test_decisions_are_judgements_that_bind_the_next_run(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        queue = resolving.queue(conn, INVESTIGATOR, limit=50)
    by_pair = {(s.candidate.left_id, s.candidate.right_id): s.candidate.id for s in queue}
    with transaction(engine) as conn:
        same = resolving.decide(conn, INVESTIGATOR, by_pair["p-cyr", "p-lat"], "same", "same date")
        assert canonical_of(conn, "p-cyr") == canonical_of(conn, "p-lat")
        resolving.decide(conn, ANALYST, by_pair["k-cyr", "k-lat"], "different", "checked: sisters")
    assert same.state == "same" and same.judgement_id is not None
    assert last_record(engine)["subject"]["decision"] == "different"
    with engine.connect() as conn:
        judged = constraints(conn)
    assert ("p-cyr", "p-lat") in judged.same
    assert ("k-cyr", "k-lat") in judged.different
    # Retrained on the "same" label, the next run still keeps the two apart and does
    # not ask again about pairs already decided.
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        again = _pairs(resolving.queue(conn, INVESTIGATOR, limit=50))
        assert canonical_of(conn, "k-cyr") != canonical_of(conn, "k-lat")
    assert ("k-cyr", "k-lat") not in again
    assert ("p-cyr", "p-lat") not in again


def test_taking_back_a_decision_reopens_the_pair(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        queue = resolving.queue(conn, INVESTIGATOR, limit=50)
        first = next(s for s in queue if _pairs([s]) == {("p-cyr", "p-lat")})
        resolving.decide(conn, INVESTIGATOR, first.candidate.id, "same", "same date")
        back = resolving.take_back(conn, INVESTIGATOR, first.candidate.id, "clicked too soon")
        assert canonical_of(conn, "p-cyr") != canonical_of(conn, "p-lat")
    assert back.state == "open"
    with engine.connect() as conn:
        assert ("p-cyr", "p-lat") not in constraints(conn).same
        assert ("p-cyr", "p-lat") not in constraints(conn).different


def test_a_batch_needs_the_administrators_threshold_and_is_undone_whole(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
    with transaction(engine) as conn, pytest.raises(Exception, match="no batch threshold"):
        resolving.accept_batch(conn, INVESTIGATOR, "obvious ones")
    with transaction(engine) as conn, pytest.raises(RefusedError):
        resolving.set_batch_threshold(conn, INVESTIGATOR, 0.95)
    with transaction(engine) as conn:
        resolving.set_batch_threshold(conn, ADMINISTRATOR, 0.95)
    with transaction(engine) as conn, pytest.raises(Exception, match=r"at least 0\.95"):
        resolving.accept_batch(conn, INVESTIGATOR, "obvious ones", at_least=0.5)
    with transaction(engine) as conn:
        batch = resolving.accept_batch(conn, INVESTIGATOR, "obvious ones")
        assert canonical_of(conn, "p-cyr") == canonical_of(conn, "p-lat")
        assert canonical_of(conn, "k-cyr") == canonical_of(conn, "k-lat")
        assert canonical_of(conn, "p-namesake") != canonical_of(conn, "p-lat")
    assert batch.accepted == 2
    assert last_record(engine)["subject"]["batch"] == batch.id
    with transaction(engine) as conn:
        reopened = resolving.undo_batch(conn, INVESTIGATOR, batch.id, "threshold was too low")
        assert canonical_of(conn, "p-cyr") != canonical_of(conn, "p-lat")
        assert canonical_of(conn, "k-cyr") != canonical_of(conn, "k-lat")
        assert resolving.open_candidates(conn, INVESTIGATOR) >= 2
    assert reopened == 2
    with transaction(engine) as conn, pytest.raises(Exception, match="already undone"):
        resolving.undo_batch(conn, INVESTIGATOR, batch.id, "again")


def test_candidates_follow_need_to_know(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        some = resolving.queue(conn, INVESTIGATOR, limit=1)[0].candidate.id
    with transaction(engine) as conn:
        assert resolving.queue(conn, OUTSIDER, limit=50) == []
    with transaction(engine) as conn, pytest.raises(NotFoundError):
        resolving.decide(conn, OUTSIDER, some, "same", "guess")
    with transaction(engine) as conn, pytest.raises(RefusedError):
        resolving.queue(conn, AUDITOR)


def test_bad_answers_name_the_field(engine: Engine) -> None:
    _people(engine)
    with transaction(engine) as conn:
        resolving.run(conn, INVESTIGATOR)
        some = resolving.queue(conn, INVESTIGATOR, limit=1)[0].candidate.id
    with transaction(engine) as conn, pytest.raises(Exception, match="decision") as caught:
        resolving.decide(conn, INVESTIGATOR, some, "maybe", "hm")
    assert getattr(caught.value, "field", None) == "decision"
    with transaction(engine) as conn, pytest.raises(Exception, match="engine"):
        resolving.run(conn, INVESTIGATOR, engine="hadoop")
