"""The data model: FollowTheMoney entities, kept as graded police statements."""

from nitka.model.grading import Credibility, Grading, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode
from nitka.model.statement import PoliceStatement, Provenance

__all__ = [
    "Credibility",
    "DataSubjectCategory",
    "Grading",
    "HandlingCode",
    "PoliceStatement",
    "Provenance",
    "Reliability",
]
