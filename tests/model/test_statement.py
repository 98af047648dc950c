import pytest
from followthemoney import model
from followthemoney.statement import Statement

from nitka.model.grading import Grading
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import PoliceStatement, Provenance, statements_from_entity


def _person() -> object:
    proxy = model.make_entity("Person")
    proxy.id = "p1"
    proxy.add("name", "Олександр Петренко")
    proxy.add("birthDate", "1984-02-03")
    return proxy


def test_a_plain_fact_has_ftm_statement_id() -> None:
    ours = PoliceStatement(
        entity_id="p1", schema="Person", prop="name", value="Олександр Петренко", dataset="d"
    )
    theirs = Statement(
        entity_id="p1", prop="name", schema="Person", value="Олександр Петренко", dataset="d"
    )
    assert ours.id == theirs.id


def test_case_and_assessment_make_distinct_statements() -> None:
    base = {"entity_id": "p1", "schema": "Person", "prop": "name", "value": "X", "dataset": "d"}
    fact = PoliceStatement(**base)  # type: ignore[arg-type]
    in_case = PoliceStatement(**base, case="case-1")  # type: ignore[arg-type]
    assessed = PoliceStatement(**base, assessment=True, author="analyst")  # type: ignore[arg-type]
    assert len({fact.id, in_case.id, assessed.id}) == 3
    assert PoliceStatement(**base, case="case-1").id == in_case.id  # type: ignore[arg-type]


def test_statements_from_entity_carry_the_provenance() -> None:
    provenance = Provenance(
        dataset="npu_case_files",
        case="2024-117",
        grading=Grading.parse("B2"),
        category=DataSubjectCategory.SUSPECT,
        handling=HandlingCode.H2,
        seen="2024-05-01T10:00:00",
    )
    stmts = list(statements_from_entity(_person(), provenance, origin="file.csv:7"))  # type: ignore[arg-type]
    assert {s.prop for s in stmts} == {"id", "name", "birthDate"}
    for stmt in stmts:
        assert stmt.dataset == "npu_case_files"
        assert stmt.case == "2024-117"
        assert stmt.grading.code == "B2"
        assert stmt.category is DataSubjectCategory.SUSPECT
        assert stmt.handling is HandlingCode.H2
        assert stmt.origin == "file.csv:7"
        assert stmt.first_seen == stmt.last_seen == "2024-05-01T10:00:00"
    exported = stmts[1].to_dict()
    assert exported["grading_4x4"] == "B2"
    assert exported["category"] == "suspect"


def test_h3_needs_its_restriction_stated() -> None:
    with pytest.raises(ValueError, match="H3"):
        Provenance(dataset="d", handling=HandlingCode.H3)
    assert Provenance(dataset="d", handling=HandlingCode.H3, handling_note="not to Interpol")


def test_a_dataset_is_required() -> None:
    with pytest.raises(ValueError, match="dataset"):
        Provenance(dataset=" ")
