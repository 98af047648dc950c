"""``nitka demo``: set up the demo workspace from bundled real samples and show a tour."""

from __future__ import annotations

import typer
from rich.table import Table

from nitka.cli.context import fail, new_engine, settings, stdout
from nitka.cli.search import print_result
from nitka.demo import DATA, SAMPLES, TOUR_QUERIES
from nitka.ingest.base import ConverterOptions
from nitka.ingest.errors import IngestError, RecordError
from nitka.ingest.kinds import CONVERTERS
from nitka.ingest.runner import OnError, ingest
from nitka.model.grading import Grading
from nitka.model.statement import Provenance
from nitka.search.names import name_keys
from nitka.search.query import search
from nitka.store.migrate import upgrade
from nitka.store.reader import count_by_schema, count_statements, get_entity

DEMO_SEEN = "2026-11-01T00:00:00"
"""A fixed observation time, so that running the demo twice changes nothing."""


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(ctx: typer.Context) -> None:
    """Ingest the bundled samples into the store and show a short tour."""
    url = settings(ctx).database_url
    engine = new_engine(ctx)
    upgrade(engine)
    stdout.print(f"[bold]Nitka demo[/] — store: {url}\n", highlight=False)
    for sample in SAMPLES:
        options = ConverterOptions(mapping=str(DATA / sample.mapping) if sample.mapping else None)
        try:
            converter = CONVERTERS[sample.kind](str(DATA / sample.file), sample.dataset, options)
            report = ingest(
                engine,
                converter,
                Provenance(
                    dataset=sample.dataset,
                    grading=Grading.parse(sample.grading),
                    category=converter.default_category,
                    seen=DEMO_SEEN,
                ),
                on_error=OnError.REJECT,
                reject_path=f"{sample.dataset}.rejects.jsonl",
            )
        except (IngestError, RecordError) as exc:
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
    stdout.print(
        "Next: `nitka show ID` for an entity's statements and provenance; "
        "`nitka --help` for every command."
    )


def _matching_names(names: list[str], query: str) -> list[str]:
    """The entity's names that share a key with every query word, other scripts first."""
    wanted = [name_keys(word) for word in query.split()]
    found = [n for n in names if all(name_keys(n) & w for w in wanted)]
    return sorted(found, key=lambda n: (n.isascii(), n))
