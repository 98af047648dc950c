"""``nitka match``: compare names across scripts, one pair or a file of pairs."""

from __future__ import annotations

from pathlib import Path

import typer

from nitka.cli.bars import data_rows, rows_bar
from nitka.cli.context import emit_json, fail, stderr, stdout
from nitka.errors import IngestError, RecordError
from nitka.match.names import compare_names
from nitka.match.pairs import DEFAULT_THRESHOLD, score_pairs

match_app = typer.Typer(
    help="Compare names across scripts, with an explanation of every score.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(match_app, name="match")


@match_app.command("pairs")
def pairs_command(
    source: Path = typer.Argument(..., help="CSV of name1,name2 rows (more columns are ignored)."),
    target: Path = typer.Argument(..., help="CSV to write: name1,name2,score."),
) -> None:
    """Score each pair of names in [0, 1]; a pair scoring 0.7 or more is a match."""
    if not source.exists():
        fail(f"{source} does not exist")
    with rows_bar("scoring pairs") as bar:
        task = bar.add_task("pairs", total=data_rows(source))
        try:
            count = score_pairs(source, target, progress=lambda n: bar.advance(task, n))
        except (IngestError, RecordError) as exc:
            fail(str(exc))
    stderr.print(f"scored {count:,} pairs into {target}", highlight=False)


@match_app.command("names")
def names_command(
    name1: str = typer.Argument(..., help="A name, in any script."),
    name2: str = typer.Argument(..., help="Another name, in any script."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Compare two names and explain how each part matched."""
    result = compare_names(name1, name2)
    verdict = "match" if result.score >= DEFAULT_THRESHOLD else "no match"
    if as_json:
        emit_json(
            {
                "name1": name1,
                "name2": name2,
                "score": result.score,
                "match": result.score >= DEFAULT_THRESHOLD,
                "explanation": result.explain(),
            }
        )
        return
    stdout.print(f"{result.score:.2f} ({verdict}): {name1} / {name2}", highlight=False)
    for line in result.explain():
        stdout.print(f"  {line}", highlight=False, markup=False)
