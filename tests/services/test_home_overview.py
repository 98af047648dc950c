"""The start page's overview of the store (``services.home``, ``ingest.summary``):
what each source brought in and the latest ingests, as far as the reader may
see them (a case's data only for its members, a list shared with other units
not at all), kept from the ingests' summaries: the page never reads the
statement table, and the same file ingested again counts once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from nitka.access.accounts import Role, add_account
from nitka.access.actor import Actor, Proof
from nitka.access.cases import add_case, add_member
from nitka.demo import DATA
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.runner import IngestReport
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.services.admin import share_list
from nitka.services.guard import transaction
from nitka.services.home import StartPage, start_page
from nitka.services.ingest import ingest_file
from nitka.store.reader import count_statements

MEMBER = Actor("member.m", Role.INVESTIGATOR, "u-odesa", Proof.SESSION, "test", "workstation")
OUTSIDER = Actor("outsider.o", Role.ANALYST, "u-lviv", Proof.SESSION, "test", "workstation")
IMPORTER = Actor("importer.i", Role.ANALYST, "u-odesa", Proof.NAMED, "test", "")
KEEPER = Actor("keeper.k", Role.SUPERVISOR, "u-odesa", Proof.NAMED, "test", "")
NOTICES, TRANSFERS = "interpol_red_notices", "amlsim_alerts"


def _accounts(engine: Engine) -> None:
    with engine.begin() as conn:
        add_case(conn, "c1", by="setup")
        for actor in (MEMBER, OUTSIDER, IMPORTER, KEEPER):
            assert actor.role is not None
            add_account(conn, actor.name, actor.role, unit_id=actor.unit)
        for actor in (MEMBER, IMPORTER):
            add_member(conn, "c1", actor.name, by="setup")


def _ingest(engine: Engine, kind: str, file: str, dataset: str, **provenance: Any) -> IngestReport:
    converter = CONVERTERS[kind](str(DATA / file), dataset, ConverterOptions())
    return ingest_file(engine, IMPORTER, converter, Provenance(dataset, **provenance), kind=kind)


def _page(engine: Engine, actor: Actor) -> StartPage:
    with transaction(engine) as conn:
        return start_page(conn, actor)


@contextmanager
def _statements_read(engine: Engine) -> Iterator[list[str]]:
    """The SQL run meanwhile that names the statement table."""
    seen: list[str] = []

    def watch(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if " statement" in sql.replace("\n", " ").lower().replace('"', ""):
            seen.append(sql)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def test_the_overview_counts_each_source_for_whom_may_see_it(engine: Engine) -> None:
    _accounts(engine)
    notices = _ingest(engine, "interpol", "interpol_red_notices.json", NOTICES,
                      grading=Grading.parse("A2"))  # fmt: skip
    transfers = _ingest(engine, "transactions", "amlsim_alert_transactions.csv", TRANSFERS,
                        case="c1", grading=Grading.parse("C3"))  # fmt: skip
    with _statements_read(engine) as read:
        member = _page(engine, MEMBER)
    assert read == [], "the start page counts from the summaries, not the statements"
    with _statements_read(engine) as control, engine.connect() as conn:
        count_statements(conn)
    assert control, "the watch sees a read of the statement table"

    totals = {(s.dataset, s.case): s for s in member.sources}
    assert set(totals) == {(NOTICES, None), (TRANSFERS, "c1")}
    assert totals[NOTICES, None].statements == notices.statements > 0
    assert totals[NOTICES, None].entities == notices.entities > 0
    assert totals[NOTICES, None].gradings == ["A2"]
    assert totals[TRANSFERS, "c1"].statements == transfers.statements
    assert totals[TRANSFERS, "c1"].gradings == ["C3"]
    latest = member.ingests[0]
    assert (latest.dataset, latest.case, latest.by) == (TRANSFERS, "c1", IMPORTER.name)
    assert latest.records == transfers.records and latest.rejected == transfers.rejected == 0
    assert [i.dataset for i in member.ingests] == [TRANSFERS, NOTICES]

    # Need-to-know: the case's source is not even named to a non-member.
    outsider = _page(engine, OUTSIDER)
    assert [(s.dataset, s.case) for s in outsider.sources] == [(NOTICES, None)]
    assert [i.dataset for i in outsider.ingests] == [NOTICES]

    # The same file again replaces its source's row: nothing counts twice.
    again = _ingest(engine, "interpol", "interpol_red_notices.json", NOTICES,
                    grading=Grading.parse("A2"))  # fmt: skip
    assert again.statements == notices.statements
    member = _page(engine, MEMBER)
    assert [s.statements for s in member.sources if s.dataset == NOTICES] == [notices.statements]
    assert [i.dataset for i in member.ingests] == [NOTICES, TRANSFERS]

    # A watch list shared with one unit only is hidden from the others' overview.
    with transaction(engine) as conn:
        share_list(conn, KEEPER, NOTICES, "u-odesa")
    assert [s.dataset for s in _page(engine, OUTSIDER).sources] == []
    assert {s.dataset for s in _page(engine, MEMBER).sources} == {NOTICES, TRANSFERS}
