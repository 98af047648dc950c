"""The periodic statistics (``nitka report statistics``): one service call, counted
over what the actor may see.

Need-to-know: THB facts are read only from the statements the actor may see
(``nitka.reports.facts``), and exchange messages only those the actor may see
(``nitka.exchange.sight``: the exchange desk sees every message, others those of
their cases). An administrator or an auditor reads no case data and is refused:
the unit-wide report is the supervisor's, whose sight is the unit's cases they
are a member of and every message (docs/reports.md).

What leaves the unit has its small cells suppressed; the exact figures stay
inside (``release=False``), and the audit record says which was made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.visibility import Viewer
from nitka.errors import FieldError
from nitka.exchange.messages import Message
from nitka.exchange.sight import may_see_message
from nitka.exchange.statistics import period_figures
from nitka.ingest.collector import collector_paused
from nitka.reports.facts import read_facts
from nitka.reports.labels import LANGUAGES
from nitka.reports.period import Period
from nitka.reports.render_csv import render_csv
from nitka.reports.render_pdf import render_pdf
from nitka.reports.render_xlsx import render_xlsx
from nitka.reports.statistics import ExchangeFigures, Statistics, compute
from nitka.services.guard import STATISTICS_READERS, audit, require, viewer_of
from nitka.store.tables import agency, unit


def statistics_report(
    conn: Connection,
    actor: Actor,
    start: str,
    end: str,
    *,
    release: bool = True,
    minimum_cell: int = 5,
    output: str = "",
    now: datetime | None = None,
) -> Statistics:
    """The statistics of the period from ``start`` to ``end`` (dates, both included).
    Released (small cells below ``minimum_cell`` suppressed) unless ``release`` is
    False, for the unit's own use."""
    subject = {"report": "statistics", "from": start, "to": end, "release": release,
               "minimum_cell": minimum_cell if release else None, "output": output}  # fmt: skip
    require(conn, actor, STATISTICS_READERS, Action.EXPORT, subject)
    period = Period.parse(start, end)
    viewer = viewer_of(conn, actor)
    audit(conn, actor, Action.EXPORT, subject)
    with collector_paused():  # a million entities are read: see nitka.reports.facts
        figures = period_figures(
            conn, period.lower, period.upper, lambda item: _sees(viewer, item), now
        )
        report = compute(
            read_facts(conn, viewer),
            period,
            ExchangeFigures(figures["countries"], figures["priorities"]),
            scope=actor.name if viewer is not None else "all",
            home_country=_home_country(conn, actor),
            now=now,
        )
    return report.released(minimum_cell) if release else report


RENDERERS: dict[str, Callable[[Statistics, str], bytes]] = {
    "xlsx": render_xlsx,
    "pdf": render_pdf,
    "csv": render_csv,
}
"""The report's file formats (``nitka report statistics --format``, the workstation's
download links)."""


def statistics_file(
    conn: Connection,
    actor: Actor,
    start: str,
    end: str,
    form: str,
    lang: str = "en",
    *,
    release: bool = True,
    minimum_cell: int = 5,
    output: str = "",
) -> bytes:
    """The statistics of the period as a file (XLSX, PDF or CSV) in ``lang``: the
    audit record (written by ``statistics_report``) names the format it left in."""
    if form not in RENDERERS:
        raise FieldError(f"{form!r} is not one of {', '.join(RENDERERS)}", field="format")
    if lang not in LANGUAGES:
        raise FieldError(f"{lang!r} is not one of {', '.join(LANGUAGES)}", field="lang")
    found = statistics_report(
        conn, actor, start, end, release=release, minimum_cell=minimum_cell,
        output=output or form,
    )  # fmt: skip
    return RENDERERS[form](found, lang)


def _sees(viewer: Viewer | None, item: Message) -> bool:
    return viewer is None or may_see_message(viewer, item)


def _home_country(conn: Connection, actor: Actor) -> str | None:
    """The country of the actor's agency: Eurostat's "reporting country"."""
    if actor.unit is None:
        return None
    found = conn.execute(
        select(agency.c.country)
        .select_from(unit.join(agency, unit.c.agency_id == agency.c.id))
        .where(unit.c.id == actor.unit)
    ).scalar()
    return str(found) if found else None
