"""List entries read from the store: what a hit shows, the same as the full statements say."""

from sqlalchemy import Engine

from nitka.model.handling import HandlingCode
from nitka.model.statement import Provenance
from nitka.resolve.merges import merge
from nitka.screen.entries import load_entries
from nitka.screen.lists import HELD_SCHEMATA, listed_ids
from nitka.store.reader import get_entities
from tests.helpers import WATCH_LISTS, make_entity, store_entities


def test_entries_agree_with_the_stored_entities(listed: Engine) -> None:
    with listed.begin() as conn:
        # A merged entry: its statements come from two lists and two schemata.
        ids = listed_ids(conn, WATCH_LISTS, HELD_SCHEMATA)
        merged = merge(conn, ids[0], ids[-1], "analyst.o", "same person")
        ids = listed_ids(conn, WATCH_LISTS, HELD_SCHEMATA)
        entries = load_entries(conn, ids)
        entities = get_entities(conn, ids)
    assert merged in entries and len(entries) == len(ids) > 100
    for entity_id, entry in entries.items():
        entity = entities[entity_id]
        statements = entity.statements
        assert entry.schema == entity.schema.name
        assert entry.proxy.to_dict() == entity.proxy().to_dict()
        assert entry.caption == entity.proxy().caption
        assert list(entry.lists) == entity.datasets
        assert set(entry.records) == {s.origin for s in statements if s.origin}
        assert set(entry.handling_notes) == {s.handling_note for s in statements if s.handling_note}
    notice = next(e for e in entries.values() if "interpol_red_notices" in e.lists)
    assert notice.handling is HandlingCode.H3 and notice.handling_notes


def test_the_strictest_handling_code_of_an_entry_wins(engine: Engine) -> None:
    person = make_entity("Person", "p1", name="Ivan Sydorenko")
    store_entities(engine, [person], Provenance("wanted", handling=HandlingCode.H1))
    store_entities(engine, [person], Provenance("other", handling=HandlingCode.H2))
    with engine.connect() as conn:
        (entry,) = load_entries(conn, ["p1"]).values()
    assert entry.handling is HandlingCode.H2 and entry.lists == ("other", "wanted")
    with engine.connect() as conn:
        assert load_entries(conn, ["nobody"]) == {}
