"""What every ingest format provides: records, and their conversion to entities."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from followthemoney import EntityProxy

from nitka.model.handling import DataSubjectCategory
from nitka.model.statement import PoliceStatement


@dataclass(frozen=True)
class Categorised:
    """An entity whose statements take this data-subject category instead of the
    ingest's (one file of victims and suspects: ``nitka.ingest.htcds``)."""

    entity: EntityProxy
    category: DataSubjectCategory

    def to_dict(self) -> dict[str, Any]:
        """FtM's entity dict with the category, as every converted item has one."""
        data: dict[str, Any] = self.entity.to_dict()
        return {**data, "category": self.category.value}


Converted = EntityProxy | PoliceStatement | Categorised
"""A converter emits FtM entities (given the ingest's provenance by the runner, or
with a category of their own), or complete police statements (which keep their own
provenance, as in an export)."""


@dataclass
class ConverterOptions:
    """Format-specific options from the command line."""

    mapping: str | None = None
    """An FtM mapping file (YAML), for the ``mapping`` kind."""
    sheet: str | None = None
    """The XLSX sheet to read (the first if not given)."""
    extra: dict[str, str] = field(default_factory=dict)
    """Further ``key=value`` options a format documents (e.g. ``base_date``)."""


class Converter(ABC):
    """Reads one input file and turns each record into entities or statements."""

    kind: ClassVar[str]
    """The name used on the command line: ``nitka ingest KIND PATH``."""
    default_category: ClassVar[DataSubjectCategory] = DataSubjectCategory.OTHER
    """The data-subject category statements get unless the user says otherwise."""

    def __init__(self, path: str, dataset: str, options: ConverterOptions | None = None) -> None:
        self.path = path
        self.dataset = dataset
        self.options = options or ConverterOptions()

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its arguments, so that a converter holding parsed
        # mappings or open readers can be sent to the parser process.
        return (type(self), (self.path, self.dataset, self.options))

    @cached_property
    def origin_name(self) -> str:
        """How statements' ``origin`` names the input: the file name, or ``-``."""
        return Path(self.path).name if self.path != "-" else "-"

    def count(self) -> int | None:
        """How many records there are, for the progress bar (None if unknown)."""
        return None

    @abstractmethod
    def records(self) -> Iterator[tuple[int, Any]]:
        """``(record number, raw record)`` pairs, numbered from 1."""

    @abstractmethod
    def convert(self, record: Any) -> Iterable[Converted]:
        """The entities or statements of one record; raise RecordError on bad input."""

    def make_id(self, *parts: object) -> str:
        """A deterministic entity id from the dataset and the record's own key."""
        return entity_id(self.kind, self.dataset, *parts)


def entity_id(kind: str, dataset: str, *parts: object) -> str:
    """The id a converter of this kind gives an entity of this dataset with this key
    (``Converter.make_id``): readers can find a converted entity without a search."""
    key = "\x1f".join(str(p) for p in (dataset, *parts))
    return f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()}"
