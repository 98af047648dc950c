"""The ingest formats, by the name ``nitka ingest KIND`` takes."""

from __future__ import annotations

from nitka.ingest.base import Converter
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.mapping import MappingConverter

CONVERTERS: dict[str, type[Converter]] = {
    converter.kind: converter for converter in (FtMConverter, MappingConverter)
}
