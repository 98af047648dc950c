"""Police statements: one property value of one entity, with where it came from.

A FollowTheMoney statement says "in dataset D, entity E has property P = V,
seen first at T1 and last at T2, from origin O". A police statement adds what
FtM lacks and what a police system is asked to keep with every value: the
6x6 grading, the data-subject category, the handling code, the case it belongs
to, and whether it is a fact or an analyst's assessment (Directive 2016/680
Art. 7 asks to keep these apart).

Statement ids are deterministic, so ingesting the same record twice gives the
same id and changes nothing. For a plain fact outside any case the id equals
FtM's own statement key, so ids stay compatible with FtM tools.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from followthemoney import EntityProxy
from followthemoney.statement.util import BASE_ID, get_prop_type

from nitka.model.grading import Credibility, Grading, Reliability
from nitka.model.handling import DataSubjectCategory, HandlingCode

#: FtM's pseudo-property that records that an entity exists, with its schema.
ENTITY_PROP = BASE_ID

_prop_type = cache(get_prop_type)
"""FtM's type name of a schema's property, asked for every statement an ingest writes."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """What every statement of one ingest (or one analyst action) shares."""

    dataset: str
    """The source the values come from, like ``interpol_red_notices``."""
    case: str | None = None
    """The case (investigation file) the statements belong to, if any."""
    grading: Grading = field(default_factory=Grading)
    category: DataSubjectCategory = DataSubjectCategory.OTHER
    handling: HandlingCode = HandlingCode.H0
    handling_note: str | None = None
    """The stated restriction of an H3 handling code, carried to every view."""
    assessment: bool = False
    """True for an analyst's assessment, False for a fact from a source."""
    author: str | None = None
    """Who made an assessment (a user name); None for facts from a source."""
    seen: str | None = None
    """When the source observed the values (ISO 8601), used for first/last seen."""

    def __post_init__(self) -> None:
        if not self.dataset or not self.dataset.strip():
            raise ValueError("a dataset name is required")
        if self.handling is HandlingCode.H3 and not self.handling_note:
            raise ValueError("handling code H3 needs a stated restriction (handling note)")


@dataclass(slots=True)
class PoliceStatement:
    """One value of one property of one entity, with its provenance."""

    entity_id: str
    schema: str
    prop: str
    value: str
    dataset: str
    canonical_id: str | None = None
    lang: str | None = None
    original_value: str | None = None
    origin: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED
    category: DataSubjectCategory = DataSubjectCategory.OTHER
    handling: HandlingCode = HandlingCode.H0
    handling_note: str | None = None
    case: str | None = None
    assessment: bool = False
    author: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if self.canonical_id is None:
            self.canonical_id = self.entity_id
        if self.last_seen is None:
            self.last_seen = self.first_seen
        if self.original_value == self.value:
            self.original_value = None
        if not self.id:
            self.id = self.make_id()

    def make_id(self) -> str:
        """The deterministic id: FtM's key, extended by case and assessment."""
        key = f"{self.dataset}.{self.entity_id}.{self.prop}.{self.value}"
        if self.lang:
            key = f"{key}@{self.lang}"
        if self.case:
            key = f"{key}#case:{self.case}"
        if self.assessment:
            key = f"{key}#assessment"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()

    @property
    def grading(self) -> Grading:
        return Grading(self.reliability, self.credibility)

    @property
    def prop_type(self) -> str:
        return _prop_type(self.schema, self.prop)

    def to_dict(self) -> dict[str, Any]:
        """Serialise as an FtM statement dict plus Nitka's police fields.

        FtM's statement readers take the keys they know and ignore the rest.
        """
        return {
            "canonical_id": self.canonical_id,
            "entity_id": self.entity_id,
            "prop": self.prop,
            "schema": self.schema,
            "value": self.value,
            "dataset": self.dataset,
            "lang": self.lang,
            "original_value": self.original_value,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "external": False,
            "origin": self.origin,
            "id": self.id,
            "reliability": self.reliability.value,
            "credibility": self.credibility.value,
            "grading_4x4": self.grading.europol,
            "category": self.category.value,
            "handling": self.handling.value,
            "handling_note": self.handling_note,
            "case": self.case,
            "assessment": self.assessment,
            "author": self.author,
        }

    def with_canonical(self, canonical_id: str) -> PoliceStatement:
        return replace(self, canonical_id=canonical_id)


def statements_from_entity(
    entity: EntityProxy, provenance: Provenance, origin: str | None = None
) -> Iterator[PoliceStatement]:
    """Turn an FtM entity into police statements that share one provenance."""
    if entity.id is None:
        raise ValueError("an entity needs an id before it can be stored")
    common: dict[str, Any] = {
        "entity_id": entity.id,
        "schema": entity.schema.name,
        "dataset": provenance.dataset,
        "origin": origin,
        "first_seen": provenance.seen,
        "last_seen": provenance.seen,
        "reliability": provenance.grading.reliability,
        "credibility": provenance.grading.credibility,
        "category": provenance.category,
        "handling": provenance.handling,
        "handling_note": provenance.handling_note,
        "case": provenance.case,
        "assessment": provenance.assessment,
        "author": provenance.author,
    }
    yield PoliceStatement(prop=ENTITY_PROP, value=entity.id, **common)
    for prop, value in entity.itervalues():
        yield PoliceStatement(prop=prop.name, value=value, **common)
