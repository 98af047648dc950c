"""An entity with its adjacent entities nested (yente's ``?nested=true``): what it
names, what names it (also under an id merged into it), as the actor may see."""

from __future__ import annotations

from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.access.actor import Actor, Proof
from nitka.model.statement import Provenance
from nitka.services import entities, resolution
from nitka.services.guard import transaction
from tests.helpers import make_entity, store_entities

OPERATOR = Actor.operator("root", origin="cli@host")
ANALYST = Actor("analyst.a", Role.ANALYST, None, Proof.TOKEN, "test", "case work")


def test_what_names_a_merged_away_id_is_nested_under_the_kept_one(engine: Engine) -> None:
    store_entities(
        engine,
        [
            make_entity("Person", "p-ua", name="Олександр Петренко"),
            make_entity("Person", "p-en", name="Oleksandr Petrenko"),
            make_entity("Passport", "doc-1", number="FE123456", holder="p-en"),
            make_entity("Address", "addr-1", full="Odesa"),
        ],
        Provenance("npu"),
    )
    store_entities(
        engine,
        [make_entity("Person", "p-ua", addressEntity="addr-1")],
        Provenance("npu"),
    )
    with transaction(engine) as conn:
        kept = resolution.merge(conn, OPERATOR, "p-ua", "p-en", "same passport")
        shown = entities.show(conn, ANALYST, kept, nested=True)
    nested = shown.yente_dict(nested=True)
    assert [item["id"] for item in nested["properties"]["identification"]] == ["doc-1"]
    assert nested["properties"]["addressEntity"][0]["id"] == "addr-1"
    flat = shown.yente_dict()
    assert flat["properties"]["addressEntity"] == ["addr-1"]
