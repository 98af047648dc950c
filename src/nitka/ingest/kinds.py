"""The ingest formats, by the name ``nitka ingest KIND`` takes."""

from __future__ import annotations

from nitka.ingest.base import Converter
from nitka.ingest.cdr import CdrConverter
from nitka.ingest.ftm import FtMConverter
from nitka.ingest.htcds import HtcdsConverter
from nitka.ingest.interpol import InterpolConverter
from nitka.ingest.mapping import MappingConverter
from nitka.ingest.transactions import TransactionsConverter

CONVERTERS: dict[str, type[Converter]] = {
    converter.kind: converter
    for converter in (
        FtMConverter,
        MappingConverter,
        InterpolConverter,
        CdrConverter,
        TransactionsConverter,
        HtcdsConverter,
    )
}
