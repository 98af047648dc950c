import pytest

from nitka.model.grading import Credibility, Grading, Reliability
from nitka.model.handling import DataSubjectCategory


@pytest.mark.parametrize(
    ("code", "europol"),
    [
        ("A1", "A1"),
        ("B2", "B2"),
        ("C3", "C3"),
        ("D4", "C4"),
        ("E5", "C4"),
        ("F6", "X4"),
        ("a3", "A3"),
    ],
)
def test_6x6_maps_to_europol_4x4_never_upgrading(code: str, europol: str) -> None:
    assert Grading.parse(code).europol == europol


def test_every_6x6_grade_has_a_4x4_code() -> None:
    for reliability in Reliability:
        assert reliability.to_4x4() in {"A", "B", "C", "X"}
    for credibility in Credibility:
        assert credibility.to_4x4() in {"1", "2", "3", "4"}


@pytest.mark.parametrize(
    ("code", "message"),
    [("G1", "source reliability 'G'"), ("A7", "information credibility '7'"), ("A", "two")],
)
def test_bad_grades_say_what_is_wrong(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Grading.parse(code)


def test_victims_witnesses_and_informants_are_protected() -> None:
    protected = {c for c in DataSubjectCategory if c.is_protected}
    assert protected == {
        DataSubjectCategory.VICTIM,
        DataSubjectCategory.WITNESS,
        DataSubjectCategory.INFORMANT,
    }
