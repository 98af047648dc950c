"""The labels of the FollowTheMoney model (schemata, their plurals, properties)
in the user's language.

FollowTheMoney ships no Ukrainian or Bulgarian labels, so Nitka keeps its own
catalogue of them, ``locale/<lang>/LC_MESSAGES/model.po``, apart from the UI's
``messages.po``: its strings come from the model, not from Nitka's code.
``make messages`` regenerates the template from the installed model
(``python -m nitka.web.ui.model_labels build/model.pot``) and updates the
catalogues; the translations are written by hand.

A name that is no schema (the chart's ``Phone`` nodes, a schema a newer model
dropped) is translated as it stands, or else shown as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from followthemoney import model

from nitka.web.ui import i18n

DOMAIN = "model"
DISTINCT = (
    "Person:name",
    "LegalEntity:name",
    "Person:previousName",
    "UnknownLink:subject",
    "Call:receiver",
)
"""Properties whose label means something other there than elsewhere (a person's
"Name" is no company's name; a link's "Subject" is no e-mail's): their catalogue
entry has the schema and property as its context."""


def translate(label: str, context: str | None = None) -> str:
    """A model label in the current request's language."""
    catalogue = i18n.translations(i18n.current(), DOMAIN)
    if context is not None:
        return str(catalogue.upgettext(context, label))
    return catalogue.ugettext(label)


def schema_label(name: str, *, plural: bool = False) -> str:
    """What a schema is called ("Person", or "People" in the plural)."""
    schema = model.get(name)
    if schema is None:
        return translate(name)
    return translate(schema.plural if plural else schema.label)


def property_label(schema_name: str, prop: str) -> str:
    """What a property of a schema is called ("Birth date"); the name itself if
    the schema has no such property."""
    schema = model.get(schema_name)
    found = schema.properties.get(prop) if schema is not None else None
    if found is None:
        return prop
    context = f"{schema_name}:{prop}"
    return translate(found.label, context if context in DISTINCT else None)


def label_graph(graph: dict[str, Any]) -> dict[str, Any]:
    """A chart's JSON (``Graph.as_dict``) with each node's and edge's kind in words:
    a node's schema, a link's schema, or the label of the property that names the
    other end (an edge of schema ``reference`` is labelled by the property)."""
    schemas = {node["id"]: node["schema"] for node in graph["nodes"]}
    for node in graph["nodes"]:
        node["kind"] = schema_label(node["schema"])
    for edge in graph["edges"]:
        if edge["schema"] == "reference":
            edge["kind"] = property_label(schemas.get(edge["source"], ""), edge["label"])
        else:
            edge["kind"] = schema_label(edge["schema"])
    return graph


def model_messages() -> dict[str, list[str]]:
    """Every label of the model, with where it is used ("Person", "Person.birthDate")."""
    found: dict[str, list[str]] = {}
    for schema in sorted(model.schemata.values(), key=lambda s: s.name):
        found.setdefault(schema.label, []).append(schema.name)
        found.setdefault(schema.plural, []).append(f"{schema.name} (plural)")
        for prop in sorted(schema.properties.values(), key=lambda p: p.name):
            if prop.schema is schema:  # an inherited property is listed where it is defined
                found.setdefault(prop.label, []).append(prop.qname)
    return found


def template() -> Catalog:
    """The catalogue template of the model's labels, each with where it is used."""
    catalog = Catalog(project="Nitka (FollowTheMoney labels)", charset="utf-8")
    for label, uses in sorted(model_messages().items()):
        shown = ", ".join(uses[:5]) + (f" and {len(uses) - 5} more" if len(uses) > 5 else "")
        catalog.add(label, auto_comments=[shown])
    for context in DISTINCT:
        schema_name, prop = context.split(":")
        catalog.add(model.schemata[schema_name].properties[prop].label, context=context)
    return catalog


def main(argv: list[str]) -> None:
    """Write the template to the path given (``make messages``)."""
    with Path(argv[1]).open("wb") as out:
        write_po(out, template(), sort_output=True, omit_header=False)


if __name__ == "__main__":
    main(sys.argv)
