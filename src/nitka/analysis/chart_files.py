"""A chart's nodes and links as files for other tools: GraphML (yEd, networkx),
GEXF (Gephi's own format, with the links' first and last dates so that Gephi's
timeline can play them), CSV (a spreadsheet, or i2's and Maltego's tabular
import: one row per link, isolated nodes on rows of their own) and ANX, the
XML exchange format that IBM i2 Analyst's Notebook imports (``.anx``).

Both are written from ``induced``: the given nodes, read again as the user
may see them now, and the links among them; never from what a browser sent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy.engine import Connection

from nitka.access.visibility import Viewer
from nitka.analysis.graph import Graph, expand

NODE_KEYS = ("label", "schema", "category", "cases", "datasets", "protected")
EDGE_KEYS = ("label", "schema", "count", "first", "last", "amount", "currency", "numbers")
_NUMBERS = {"count": "int", "amount": "double", "protected": "boolean"}
I2_ICONS = {
    "Person": "Person",
    "LegalEntity": "Person",
    "Company": "Organisation",
    "Organization": "Organisation",
    "BankAccount": "Bank Account",
    "Phone": "Telephone",
    "Passport": "Passport",
    "Identification": "Document",
    "Vehicle": "Vehicle",
    "Address": "Address",
}


def induced(conn: Connection, viewer: Viewer, node_ids: Iterable[str]) -> Graph:
    """The nodes among ``node_ids`` the viewer may see, and the links between them."""
    wanted = set(node_ids)
    found = expand(conn, viewer, wanted)
    graph = Graph()
    graph.nodes = {k: v for k, v in found.nodes.items() if k in wanted}
    graph.edges = {
        k: e for k, e in found.edges.items() if e.source in graph.nodes and e.target in graph.nodes
    }
    return graph


def to_graphml(graph: Graph) -> bytes:
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    for scope, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for key in keys:
            ET.SubElement(
                root,
                "key",
                {
                    "id": f"{scope[0]}_{key}",
                    "for": scope,
                    "attr.name": key,
                    "attr.type": _NUMBERS.get(key, "string"),
                },
            )
    body = ET.SubElement(root, "graph", id="nitka", edgedefault="directed")
    for node in graph.nodes.values():
        element = ET.SubElement(body, "node", id=node.id)
        _data(element, "n", node.as_dict(), NODE_KEYS)
    for edge in graph.edges.values():
        element = ET.SubElement(body, "edge", id=edge.id, source=edge.source, target=edge.target)
        _data(element, "e", edge.as_dict(), EDGE_KEYS)
    return _xml(root)


def _data(element: ET.Element, prefix: str, values: Mapping[str, Any], keys: Iterable[str]) -> None:
    for key in keys:
        value = values.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        ET.SubElement(element, "data", key=f"{prefix}_{key}").text = str(value)


def to_anx(graph: Graph, positions: Mapping[str, Mapping[str, float]] | None = None) -> bytes:
    """The chart as i2 Analyst's Notebook's exchange XML: entity types with i2's
    standard icons, link types, and chart items at the chart's positions."""
    positions = positions or {}
    root = ET.Element("Chart", IdReferenceLinking="false")
    entity_types = ET.SubElement(root, "EntityTypeCollection")
    for schema in sorted({n.schema for n in graph.nodes.values()}):
        ET.SubElement(
            entity_types, "EntityType", Name=schema, IconFile=I2_ICONS.get(schema, "General")
        )
    link_types = ET.SubElement(root, "LinkTypeCollection")
    for schema in sorted({e.label for e in graph.edges.values()}):
        ET.SubElement(link_types, "LinkType", Name=schema)
    items = ET.SubElement(root, "ChartItemCollection")
    for index, node in enumerate(graph.nodes.values()):
        where = positions.get(node.id, {})
        item = ET.SubElement(
            items,
            "ChartItem",
            Label=node.label,
            Description=f"{node.schema}; {', '.join(node.datasets)}".strip("; "),
            XPosition=str(int(where.get("x", 150 * (index % 10)))),
            YPosition=str(int(where.get("y", 150 * (index // 10)))),
            DateSet="false",
        )
        end = ET.SubElement(item, "End")
        entity = ET.SubElement(end, "Entity", EntityId=node.id, Identity=node.id)
        icon = ET.SubElement(entity, "Icon")
        ET.SubElement(icon, "IconStyle", Type=node.schema)
    for edge in graph.edges.values():
        details = [f"{edge.count}x"]
        if edge.amount:
            details.append(f"{round(edge.amount, 2)} {', '.join(sorted(edge.currencies))}".strip())
        if edge.first:
            details.append(f"{edge.first} - {edge.last}")
        details.extend(sorted(edge.numbers))
        attributes = {"Label": edge.label, "Description": "; ".join(details), "DateSet": "false"}
        if edge.first[:10]:
            attributes.update(DateSet="true", DateTime=f"{edge.first[:10]}T00:00:00")
        item = ET.SubElement(items, "ChartItem", attributes)
        link = ET.SubElement(item, "Link", End1Id=edge.source, End2Id=edge.target)
        ET.SubElement(link, "LinkStyle", Type=edge.label, ArrowStyle="ArrowOnHead")
    return _xml(root)


GEXF = "http://gexf.net/1.3"
CSV_COLUMNS = (
    "source_id", "source_label", "source_schema", "target_id", "target_label",
    "target_schema", "link", "count", "first", "last", "amount", "currency", "numbers",
)  # fmt: skip


def to_gexf(graph: Graph) -> bytes:
    """GEXF 1.3: nodes and edges with their attributes; an edge with dates is alive from
    its first to its last day (Gephi's dynamic mode)."""
    root = ET.Element("gexf", xmlns=GEXF, version="1.3")
    ET.SubElement(root, "meta").append(_text("creator", "Nitka"))
    body = ET.SubElement(root, "graph", defaultedgetype="directed", timeformat="date")
    for scope, keys in (("node", NODE_KEYS[1:]), ("edge", EDGE_KEYS[1:])):
        declared = ET.SubElement(body, "attributes", {"class": scope})
        for key in keys:
            kind = {"int": "integer", "double": "double", "boolean": "boolean"}
            ET.SubElement(declared, "attribute", id=key, title=key,
                          type=kind.get(_NUMBERS.get(key, ""), "string"))  # fmt: skip
    nodes = ET.SubElement(body, "nodes")
    for node in graph.nodes.values():
        element = ET.SubElement(nodes, "node", id=node.id, label=node.label)
        _values(element, node.as_dict(), NODE_KEYS[1:])
    edges = ET.SubElement(body, "edges")
    for edge in graph.edges.values():
        attributes = {"id": edge.id, "source": edge.source, "target": edge.target,
                      "label": edge.label, "weight": str(edge.count)}  # fmt: skip
        if edge.first[:10]:
            attributes.update(start=edge.first[:10], end=(edge.last or edge.first)[:10])
        element = ET.SubElement(edges, "edge", attributes)
        _values(element, edge.as_dict(), EDGE_KEYS[1:])
    return _xml(root)


def _text(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


def _values(element: ET.Element, values: Mapping[str, Any], keys: Iterable[str]) -> None:
    found = ET.SubElement(element, "attvalues")
    for key in keys:
        value = _flat(values.get(key))
        if value:
            ET.SubElement(found, "attvalue", {"for": key, "value": value})


def _flat(value: Any) -> str:
    if value is None or value == [] or value == "":
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(graph: Graph) -> bytes:
    """One row per link, with both ends' ids, labels and schemata; a node with no link
    on a row of its own (its target columns empty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    linked: set[str] = set()
    for edge in graph.edges.values():
        source, target = graph.nodes[edge.source], graph.nodes[edge.target]
        linked.update((edge.source, edge.target))
        values = edge.as_dict()
        writer.writerow([
            source.id, source.label, source.schema, target.id, target.label, target.schema,
            edge.label, *(_flat(values.get(key)) for key in CSV_COLUMNS[7:]),
        ])  # fmt: skip
    for node in graph.nodes.values():
        if node.id not in linked:
            writer.writerow([node.id, node.label, node.schema, *[""] * (len(CSV_COLUMNS) - 3)])
    return out.getvalue().encode("utf-8")


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written
