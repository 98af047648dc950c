"""The start page over real HTTP: the overview of what the store holds (per source,
the latest ingests) in the reader's language, a case's source only for its
members; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from sqlalchemy import Engine

from nitka.access.accounts import Role
from nitka.access.actor import Actor, Proof
from nitka.demo import DATA
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.services.ingest import ingest_file
from tests.web.serving import Service
from tests.web.workstation import signed_in, workstation

IMPORTER = Actor("investigator.in", Role.INVESTIGATOR, None, Proof.NAMED, "test", "")
HEADINGS = {
    "en": ("What the store holds", "Latest ingests", "Statements"),
    "uk": ("Що є в сховищі", "Останні завантаження", "Відомості"),
    "bg": ("Какво съдържа хранилището", "Последни зареждания", "Сведения"),
}


@pytest.fixture
def service(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Service]:
    with workstation(engine, database_url, tmp_path) as running:
        yield running


def _ingest(engine: Engine, kind: str, file: str, dataset: str, **given: object) -> int:
    converter = CONVERTERS[kind](str(DATA / file), dataset, ConverterOptions())
    provenance = Provenance(dataset, **given)  # type: ignore[arg-type]
    return ingest_file(engine, IMPORTER, converter, provenance, kind=kind).statements


def _row(page: str, dataset: str) -> str:
    found = re.search(rf"<tr><td>{re.escape(dataset)}</td>.*?</tr>", page, re.S)
    return found[0] if found else ""


def test_the_start_page_shows_what_the_store_holds_in_the_readers_language(
    engine: Engine, service: Service
) -> None:
    notices = _ingest(engine, "interpol", "interpol_red_notices.json", "notices-demo",
                      grading=Grading.parse("A2"))  # fmt: skip
    transfers = _ingest(engine, "transactions", "amlsim_alert_transactions.csv",
                        "transfers-demo", case="c1", grading=Grading.parse("C3"))  # fmt: skip
    with signed_in(service.url, "investigator.in") as client:
        for language, headings in HEADINGS.items():
            page = client.get("/ui/", params={"lang": language}).text
            assert all(heading in page for heading in headings), language
            row = _row(page, "notices-demo")
            assert format_decimal(notices, locale=language) in row and "A2" in row
            row = _row(page, "transfers-demo")
            assert format_decimal(transfers, locale=language) in row and "/ui/cases/c1" in row
        ingests = re.search(r'data-testid="ingests".*?</table>', page, re.S)
        assert ingests and "investigator.in" in ingests[0]
    with signed_in(service.url, "investigator.out") as client:
        page = client.get("/ui/").text
    assert _row(page, "notices-demo") and not _row(page, "transfers-demo")
    assert "transfers-demo" not in page
