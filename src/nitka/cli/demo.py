"""``nitka demo``: set up the demo workspace from bundled real samples and show a tour."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import Engine

from nitka.access.actor import Actor
from nitka.access.cases import case_exists
from nitka.cli import demo_exchange as exchange
from nitka.cli.context import (
    fail,
    new_engine,
    origin,
    say_development_mode,
    settings,
    stdout,
    upgrade_store,
)
from nitka.cli.search import print_result
from nitka.demo import (
    DATA,
    DEMO_ACCOUNTS,
    DEMO_CASE,
    DEMO_CASE_TITLE,
    DEMO_PASSWORD,
    PARTNER_PORT,
    SAMPLES,
    THB_CASES,
    TOUR_QUERIES,
    WATCH_LISTS,
)
from nitka.errors import FieldError, IngestError, RecordError
from nitka.ingest.base import ConverterOptions
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.runner import OnError
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.normalise.names import name_keys
from nitka.search.query import search
from nitka.services.assessment import case_criteria
from nitka.services.cases import open_case
from nitka.services.guard import transaction
from nitka.services.ingest import ingest_file
from nitka.store.reader import count_by_schema, count_statements, get_entity

DEMO_SEEN = "2026-11-01T00:00:00"
"""A fixed observation time, so that running the demo twice changes nothing."""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(
        False, "--serve", help="Then start the workstation on the demo workspace."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (--serve)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on (--serve)."),
    partner_port: int = typer.Option(
        PARTNER_PORT, "--partner-port", help="Port of the demo's partner agency (--serve)."
    ),
) -> None:
    """Ingest the bundled samples into the store, show a short tour, and (with
    --serve) start the workstation with demo accounts, beside a partner agency's
    instance that has exchanged messages with it."""
    chosen = settings(ctx)
    if serve and chosen.mode == "production":
        fail("the demo accounts have a published password: no demo in production mode")
    say_development_mode(ctx)
    url = chosen.database_url
    upgrade_store(ctx)
    engine = new_engine(ctx)
    operator = Actor.operator("demo", origin=origin(), purpose="demo workspace")
    with transaction(engine) as conn:
        for case_id, title in ((DEMO_CASE, DEMO_CASE_TITLE), *THB_CASES):
            if not case_exists(conn, case_id):
                open_case(conn, operator, case_id, title)
    stdout.print(f"[bold]Nitka demo[/] — store: {url}\n", highlight=False)
    for sample in SAMPLES:
        options = ConverterOptions(mapping=str(DATA / sample.mapping) if sample.mapping else None)
        try:
            converter = CONVERTERS[sample.kind](str(DATA / sample.file), sample.dataset, options)
            report = ingest_file(
                engine,
                operator,
                converter,
                Provenance(
                    dataset=sample.dataset,
                    case=sample.case,
                    grading=Grading.parse(sample.grading),
                    category=converter.default_category,
                    seen=DEMO_SEEN,
                ),
                kind=sample.kind,
                on_error=OnError.REJECT,
                reject_path=f"{sample.dataset}.rejects.jsonl",
            )
        except (IngestError, RecordError, FieldError) as exc:
            fail(f"demo ingest of {sample.file} failed: {exc}")
        rejected = f", {report.rejected} rejected" if report.rejected else ""
        stdout.print(
            f"ingested {sample.file} ({sample.kind}, graded {sample.grading}): "
            f"{report.records:,} records, {report.statements:,} statements{rejected}",
            highlight=False,
        )
    with engine.connect() as conn:
        counts, total = count_by_schema(conn), count_statements(conn)
        table = Table("schema", "entities", title="What the store holds")
        for schema, count in counts.items():
            table.add_row(schema, f"{count:,}")
        stdout.print()
        stdout.print(table)
        stdout.print(f"{total:,} statements, each with its source, grading and category\n")
        for query, what in TOUR_QUERIES:
            stdout.print(f"[bold]nitka search {query!r}[/]  ({what})", highlight=False)
            for result in search(conn, query, limit=3):
                entity = get_entity(conn, result.id)
                names = _matching_names(entity.proxy().names if entity else [], query)
                caption = entity.caption if entity else result.name
                print_result(result.score, caption, result.schema, result.id, names[:6])
            stdout.print()
    _criteria_tour(engine, operator)
    stdout.print(
        "Next: `nitka show ID` for an entity's statements and provenance; "
        "`nitka --help` for every command."
    )
    if serve:
        _serve(ctx, engine, host, port, partner_port)


def _criteria_tour(engine: Engine, operator: Actor) -> None:
    """The UNTOC criteria of the two worked cases, with the reasons."""
    with transaction(engine) as conn:
        for case_id, title in THB_CASES:
            found = case_criteria(conn, operator, case_id)
            stdout.print(f"[bold]nitka assess untoc {case_id}[/]  ({title})", highlight=False)
            for checklist in found.checklists[:2]:
                stdout.print(f"  {checklist.state.value}: {checklist.title}", highlight=False)
                for part in checklist.parts:
                    stdout.print(
                        f"    {part.state.value}: {part.title}: {part.why}", highlight=False
                    )
            stdout.print()


def _serve(ctx: typer.Context, engine: Engine, host: str, port: int, partner_port: int) -> None:
    """Demo accounts (members of the demo case), a partner agency's instance beside
    this one with a message each way (``nitka.cli.demo_exchange``), then the
    workstation; the partner stops when the workstation does."""
    from nitka.web.app import create_app
    from nitka.web.server import serve

    chosen = settings(ctx)
    home = exchange.home_instance(engine, chosen, host, port)
    partner = exchange.partner_instance(chosen, host, partner_port)
    log = exchange.partner_paths(chosen.database_url)[2]
    try:
        exchange.set_up(home, partner)
        exchange.set_up(partner, home)
        with exchange.partner_server(partner, partner_port, host, log):
            done = exchange.round_trip(home, partner)
            partner.engine.dispose()  # the partner's server has its own; none are forked
            _tour(home, partner, done)
            app = create_app(engine, list(WATCH_LISTS), home.settings)
            try:
                serve(app, host=host, port=port, workers=1)
            except (OSError, RuntimeError) as error:
                fail(f"cannot serve on {host}:{port}: {error}")
    except exchange.DemoExchangeError as error:
        fail(f"the demo's partner agency: {error}")
    except FieldError as error:
        fail(f"the demo's exchange: {error.field}: {error}")
    finally:
        partner.engine.dispose()


def _tour(home: exchange.Instance, partner: exchange.Instance, done: list[str]) -> None:
    """Where the two workstations are and how to sign in to each."""
    accounts = ", ".join(name for name, _ in DEMO_ACCOUNTS if name != "demo.investigator")
    # Cookies are kept per host name, not per port: a second name for the same
    # address keeps the two sign-ins apart in one browser.
    partner_ui = partner.address.replace("//127.0.0.1:", "//localhost:") + "/ui/"
    for step in done:
        stdout.print(f"exchange: {step}", highlight=False)
    stdout.print(
        f"\n[bold]Nitka workstation:[/] {home.address}/ui/ ({home.agency.name})\n"
        f"Sign in as [bold]demo.investigator[/] with the password [bold]{DEMO_PASSWORD}[/] "
        f"(also {accounts}).\n"
        f"[bold]Partner agency:[/] {partner_ui} ({partner.agency.name}, a second Nitka on "
        f"{partner.settings.database_url}): the same accounts and password. Its request waits "
        "in your inbox (Exchange), and its answer to your request is in the demo case.\n"
        "Ctrl-C stops both servers.",
        highlight=False,
    )


def _matching_names(names: list[str], query: str) -> list[str]:
    """The entity's names that share a key with every query word, other scripts first."""
    wanted = [name_keys(word) for word in query.split()]
    found = [n for n in names if all(name_keys(n) & w for w in wanted)]
    return sorted(found, key=lambda n: (n.isascii(), n))
