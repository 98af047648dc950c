"""``nitka ads``: recruitment ads screened for indicators of trafficking; with the
collector's commands (``ads_collect``: collect, review, trends) in the same group."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.text import Text

from nitka.cli import ads_chat, ads_collect
from nitka.cli.bars import data_rows, rows_bar
from nitka.cli.context import emit_json, fail, stderr, stdout
from nitka.errors import FieldError, IngestError
from nitka.services import ad_screening

ads_app = typer.Typer(
    help="Recruitment ads: screened for indicators of trafficking (uk, ru, bg, en), "
    "collected with their provenance, reviewed, counted (docs/ads.md).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    ads_collect.register_commands(ads_app)
    ads_chat.register_commands(ads_app)
    app.add_typer(ads_app, name="ads")


@ads_app.command("score")
def score_command(
    source: Path = typer.Argument(
        ..., help="CSV of ads: columns ad_id and text, optionally lang (uk, ru, bg, en) and title."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Where to write ad_id,risk,label,indicators,lang (default: IN.scored.csv).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Score every ad of a CSV, without a store: its risk in [0,1], risky or benign,
    the indicators found (;-joined codes) and the language. A bad row is named and
    left out; the others are scored."""
    if not source.is_file():
        fail(f"{escape(str(source))} does not exist")
    target = out or source.with_name(source.stem + ".scored.csv")
    with rows_bar("scoring") as bar:
        task = bar.add_task("scoring", total=data_rows(source))
        try:
            done = ad_screening.score_file(source, target, progress=_Advance(bar, task))
        except IngestError as error:
            fail(escape(str(error)))
        except OSError as error:
            fail(escape(f"cannot write {target}: {error.strerror or error}"))
    for bad in done.bad:
        column = f", column {bad.field}" if bad.field else ""
        stderr.print(
            f"row {bad.record}{column}: {bad.message} (left out)", highlight=False, markup=False
        )
    if as_json:
        emit_json(
            {
                "rows": done.rows,
                "risky": done.risky,
                "with_notes": done.notes,
                "bad": [{"row": e.record, "column": e.field, "error": e.message} for e in done.bad],
                "out": str(target),
            }
        )
        return
    stderr.print(
        f"scored {done.rows:,} ads: {done.risky:,} risky; {len(done.bad):,} bad rows left out; "
        f"written to {target}",
        highlight=False,
        markup=False,
    )


class _Advance:
    def __init__(self, bar: Progress, task: object) -> None:
        self.bar, self.task = bar, task

    def advance(self, steps: int = 1) -> None:
        self.bar.advance(self.task, steps)  # type: ignore[arg-type]


@ads_app.command("explain")
def explain_command(
    text: str = typer.Argument(..., help="The ad's text ('-' reads it from standard input)."),
    lang: str | None = typer.Option(None, "--lang", help="uk, ru, bg or en (default: detected)."),
    title: str | None = typer.Option(None, "--title", help="The ad's title, if apart."),
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
) -> None:
    """Screen one ad and show why: each indicator with the words of the ad that show it."""
    if text == "-":
        text = typer.get_binary_stream("stdin").read().decode("utf-8", errors="surrogateescape")
    try:
        verdict = ad_screening.explain(text, lang=lang, title=title)
    except FieldError as error:
        fail(escape(f"--{error.field}: {error.message}"))
    if as_json:
        emit_json(
            {
                "risk": verdict.risk,
                "label": verdict.label,
                "lang": verdict.lang,
                "indicators": ad_screening.described(verdict),
                "notes": verdict.notes,
            }
        )
        return
    stdout.print(
        f"{verdict.label} (risk {verdict.risk:.2f}), language {verdict.lang}",
        highlight=False,
        markup=False,
    )
    for note in verdict.notes:
        stdout.print(f"note: {note}", highlight=False, markup=False)
    for item in ad_screening.described(verdict):
        stdout.print(f"- {item['code']}: {item['description']}", highlight=False, markup=False)
        spans = item["spans"]
        assert isinstance(spans, list)
        if not spans:
            stdout.print("    (what the ad leaves out)", highlight=False, markup=False)
        for start, end in spans:
            line = Text(f"    {start}-{end}: ")
            line.append(verdict_text(text, start, end), style="bold")
            stdout.print(line, highlight=False)


def verdict_text(text: str, start: int, end: int) -> str:
    """The words at a span, on one line."""
    return " ".join(text[start:end].split())
