"""Redaction of one merged entity whose statements come from a list and two cases."""

from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.access.visibility import PLACEHOLDER, Viewer, redact
from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from nitka.store.reader import get_entity
from tests.helpers import make_entity, store_entities


def _merged(engine: Engine) -> str:
    listed = make_entity("Person", "list-1", name="Ivan Franko", nationality="ua")
    victim = make_entity("Person", "case1-1", name="Іван Франко", birthDate="1990-01-01")
    other = make_entity("Person", "case2-1", name="Ivan Franko", passportNumber="FE123456")
    store_entities(engine, [listed], Provenance("wanted"))
    store_entities(
        engine, [victim], Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    )
    store_entities(
        engine, [other], Provenance("npu", case="c2", category=DataSubjectCategory.SUSPECT)
    )
    with engine.begin() as conn:
        first = merge(conn, "list-1", "case1-1", "analyst.o", "same man")
        return merge(conn, first, "case2-1", "analyst.o", "same man")


def _values(engine: Engine, entity_id: str, viewer: Viewer) -> tuple[set[str], bool] | None:
    with engine.connect() as conn:
        entity = get_entity(conn, entity_id)
    assert entity is not None
    shown = redact(entity, viewer)
    if shown is None:
        return None
    return shown.names(), shown.protected


def test_each_viewer_sees_only_their_share_of_a_merged_entity(engine: Engine) -> None:
    merged = _merged(engine)
    public = {"Ivan Franko", "ua"}
    assert _values(engine, merged, Viewer("a", Role.ANALYST, frozenset())) == (public, False)
    # A case-1 analyst learns that a protected person is part of it, not who.
    assert _values(engine, merged, Viewer("a", Role.ANALYST, frozenset({"c1"}))) == (public, True)
    investigator = _values(engine, merged, Viewer("i", Role.INVESTIGATOR, frozenset({"c1", "c2"})))
    assert investigator == (public | {"Іван Франко", "1990-01-01", "FE123456"}, False)
    assert _values(engine, merged, Viewer("x", Role.AUDITOR, frozenset({"c1", "c2"}))) is None


def test_an_entity_of_a_protected_person_alone_shows_as_a_placeholder(engine: Engine) -> None:
    victim = make_entity("Person", "v1", name="Марія Коваль")
    store_entities(
        engine, [victim], Provenance("npu", case="c1", category=DataSubjectCategory.VICTIM)
    )
    with engine.connect() as conn:
        entity = get_entity(conn, "v1")
    assert entity is not None
    shown = redact(entity, Viewer("a", Role.LIAISON, frozenset({"c1"})))
    assert shown is not None and shown.statements == [] and shown.protected
    assert shown.as_dict()["caption"] == PLACEHOLDER
    assert redact(entity, Viewer("a", Role.LIAISON, frozenset())) is None
