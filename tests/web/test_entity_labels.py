"""How the entity page names links and facts: in words, not the model's codes."""

from nitka.access.visibility import Redacted
from nitka.analysis.graph import Graph, Node
from nitka.model.statement import PoliceStatement
from nitka.web.ui.entity_page import key_facts, link_label


def test_a_family_link_says_the_tie_and_a_reference_the_property_label() -> None:
    graph = Graph()
    graph.nodes["p1"] = Node("p1", "Person", "Олександр Петренко")
    graph.nodes["p2"] = Node("p2", "Person", "Petro Petrenko")
    graph.nodes["a1"] = Node("a1", "Address", "Odesa")
    family = graph.edge("p1", "p2", "Family", "Family")
    family.relationships.add("brother")
    address = graph.edge("p1", "a1", "addressEntity", "reference")
    assert link_label(family, graph) == "Family: brother"
    assert link_label(address, graph) == "Address"
    assert link_label(graph.edge("p1", "p2", "Associate", "Associate"), graph) == "Associate"


def test_key_facts_gather_names_in_every_script_and_read_countries() -> None:
    said = [
        ("name", "Олександр Петренко"),
        ("alias", "Oleksandr Petrenko"),
        ("birthDate", "1984-03-02"),
        ("nationality", "ua"),
        ("passportNumber", "FE123456"),
        ("phone", "+380501112233"),
    ]
    statements = [PoliceStatement("p1", "Person", prop, value, "npu") for prop, value in said]
    facts = {
        fact["key"]: fact["values"]
        for fact in key_facts(Redacted("p1", "Person", statements, False))
    }
    assert facts["names"] == ["Олександр Петренко", "Oleksandr Petrenko"]
    assert facts["born"] == ["1984-03-02"]
    assert facts["nationality"] == ["Ukraine (UA)"]
    assert facts["identifiers"] == ["FE123456"]
    assert facts["contacts"] == ["+380501112233"]
