"""``nitka resolve run|review|decide|take-back|accept|undo-batch|threshold``: linking
the store's persons and reviewing what a run proposes, from a terminal.

Each command calls one service of ``nitka.services.resolution_review``; the
workstation's review page and the API call the same ones.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nitka.access.audit import Action
from nitka.access.visibility import Redacted
from nitka.cli.context import actor, administering, calling, emit_json, open_store, stderr, stdout
from nitka.resolve.engines import DEFAULT_SPARK_MASTER, SPARK_MASTER_ENV
from nitka.services import resolution_review as resolving
from nitka.services.resolution import DEFAULT_THRESHOLD, Training

DECISION_KEYS = {"s": "same", "d": "different", "u": "unsure"}
SHOWN_PROPERTIES = (
    "name", "alias", "birthDate", "birthPlace", "nationality", "citizenship", "gender",
    "passportNumber", "idNumber", "taxNumber", "innCode", "phone", "email", "address",
)  # fmt: skip
"""What the terminal's review shows of each side, in this order."""


def register(app: typer.Typer) -> None:
    for name, command in (
        ("run", run_command),
        ("link-new", link_new_command),
        ("review", review_command),
        ("decide", decide_command),
        ("take-back", take_back_command),
        ("accept", accept_command),
        ("undo-batch", undo_batch_command),
        ("threshold", threshold_command),
    ):
        app.command(name)(command)


def run_command(
    ctx: typer.Context,
    datasets: list[str] = typer.Option(
        [], "--dataset", help="Link the persons of this dataset (repeat for more; default all)."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (one machine) or spark."),
    spark_master: str = typer.Option(
        DEFAULT_SPARK_MASTER,
        "--spark-master",
        envvar=SPARK_MASTER_ENV,
        help="With --engine spark: the Spark master (local[2], spark://HOST:7077, yarn).",
    ),
    threshold: float = typer.Option(
        DEFAULT_THRESHOLD,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Pairs of at least this match probability are clustered as one person.",
    ),
    training: Training = typer.Option(
        Training.AUTO, "--train", help="Train the model: auto (from 1,000 records), always, never."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the run's figures as JSON."),
) -> None:
    """Link the store's persons and propose the pairs that may be one person for review.

    All or nothing: the run and its candidates are written in one transaction, and a
    run merges nothing (a reviewer does: nitka resolve review, decide, accept)."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve run": sorted(datasets)})
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=stderr, transient=True,
                   disable=not stderr.is_terminal)  # fmt: skip
    with bar, calling(store) as conn:
        task = bar.add_task("reading", total=None)
        done = resolving.run(
            conn, who, datasets=datasets, engine=engine, spark_master=spark_master,
            threshold=threshold, training=training,
            stage=lambda name, total: bar.update(task, description=name, total=total),
            advance=lambda steps: bar.advance(task, steps),
        )  # fmt: skip
    figures = {
        "run": done.id, "records": done.records, "pairs": done.pairs, "links": done.links,
        "clusters": done.clusters, "largest": done.largest,
        "sizes": {str(size): n for size, n in sorted(done.sizes.items())},
        "trained": done.trained, "candidates": done.candidates,
        "seconds": round((done.finished_at - done.started_at).total_seconds(), 1),
    }  # fmt: skip
    if as_json:
        emit_json(figures)
        return
    sizes = ", ".join(f"{n:,} of {size}" for size, n in sorted(done.sizes.items()) if size > 1)
    stdout.print(
        f"run {done.id}: {done.records:,} records linked into {done.clusters:,} clusters "
        f"(largest {done.largest:,}; {sizes or 'none larger than one'}); "
        f"{done.links:,} links of {done.pairs:,} pairs scored; "
        f"{done.candidates:,} pairs proposed for review (nitka resolve review)",
        highlight=False, markup=False,
    )  # fmt: skip


def link_new_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Link the persons that came or changed since the latest run against those already
    resolved, with the run's model, without linking the store again (an ingest does
    this by itself once a run has been made)."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve link new": "since the latest run"})
    with calling(store) as conn:
        caught = resolving.link_new(conn, who)
    figures = {
        "run": caught.run_id, "records": caught.records, "linked": caught.linked,
        "compared": caught.compared, "pairs": caught.pairs, "candidates": caught.candidates,
        "rebuilt": caught.rebuilt, "too_many": caught.too_many,
    }  # fmt: skip
    if as_json:
        emit_json(figures)
        return
    if caught.run_id is None:
        stdout.print("no run yet: the blocking keys are kept current (nitka resolve run links "
                     "the store first)", highlight=False)  # fmt: skip
        return
    if caught.too_many:
        stdout.print("too many records changed since the latest run to link them one by one: "
                     "a new nitka resolve run is due", highlight=False)  # fmt: skip
        return
    stdout.print(
        f"{caught.linked:,} new or changed records linked against {caught.compared:,} kept "
        f"ones with run {caught.run_id}'s model: {caught.pairs:,} pairs scored, "
        f"{caught.candidates:,} proposed for review", highlight=False,
    )  # fmt: skip


def review_command(
    ctx: typer.Context,
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="How many pairs to show."),
    interactive: bool = typer.Option(
        False,
        "--interactive",
        "-i",
        help="Ask for a decision on each pair: s same, d different, u unsure, n next, q quit.",
    ),
    reason: str = typer.Option(
        "reviewed side by side in the terminal", "--reason", help="The reason decisions record."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the queue as JSON."),
) -> None:
    """The review queue as text: the pairs the model is least sure of first, side by
    side, with what each comparison said (its level and weight)."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.VIEW, {"resolve queue": limit})
    with calling(store) as conn:
        queue = resolving.queue(conn, who, limit=limit)
        waiting = resolving.open_candidates(conn, who)
    if as_json:
        emit_json([_as_dict(shown) for shown in queue])
        return
    if not queue:
        stdout.print("no pair is waiting for review (nitka resolve run proposes them)")
        return
    stdout.print(f"{waiting:,} pairs waiting; the least certain first", highlight=False)
    for shown in queue:
        _print_pair(shown)
        if not interactive:
            continue
        answer = _ask()
        if answer == "q":
            return
        if answer in DECISION_KEYS:
            with calling(store) as conn:
                resolving.decide(conn, who, shown.candidate.id, DECISION_KEYS[answer], reason)
            stdout.print(f"  recorded: {DECISION_KEYS[answer]}", highlight=False)


def decide_command(
    ctx: typer.Context,
    candidate: int = typer.Argument(..., help="The pair's number, as review shows it."),
    decision: str = typer.Argument(..., help="same, different or unsure."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded with the judgement)."),
) -> None:
    """Decide a pair: the same person (merged), two people (kept apart from then on), or
    unsure (binds nothing, not asked again)."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve decide": candidate})
    with calling(store) as conn:
        done = resolving.decide(conn, who, candidate, decision, reason)
    stdout.print(f"pair {done.id}: {done.state} (judgement {done.judgement_id})", highlight=False)


def take_back_command(
    ctx: typer.Context,
    candidate: int = typer.Argument(..., help="The pair's number."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded)."),
) -> None:
    """Take a decision back: the pair is open again, and a merge it made is separated."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve take back": candidate})
    with calling(store) as conn:
        done = resolving.take_back(conn, who, candidate, reason)
    stdout.print(f"pair {done.id}: open again", highlight=False)


def accept_command(
    ctx: typer.Context,
    reason: str = typer.Option(..., "--reason", help="Why (recorded with every merge)."),
    at_least: float | None = typer.Option(
        None,
        "--at-least",
        min=0.0,
        max=1.0,
        help="Accept only pairs of at least this (never below the administrator's threshold).",
    ),
) -> None:
    """Accept at once the pairs a run clustered together at or above the administrator's
    threshold: one merge each, undone together by undo-batch."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve accept batch": at_least})
    with calling(store) as conn:
        batch = resolving.accept_batch(conn, who, reason, at_least=at_least)
    stdout.print(
        f"batch {batch.id}: {batch.accepted:,} pairs of at least {batch.threshold} accepted "
        f"(nitka resolve undo-batch {batch.id} takes them back)", highlight=False,
    )  # fmt: skip


def undo_batch_command(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="The batch's number."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded)."),
) -> None:
    """Take back every merge of a batch; its pairs are open for review again."""
    store = open_store(ctx)
    who = actor(ctx, store, Action.CHANGE, {"resolve undo batch": batch})
    with calling(store) as conn:
        reopened = resolving.undo_batch(conn, who, batch, reason)
    stdout.print(f"batch {batch} undone: {reopened:,} pairs open again", highlight=False)


def threshold_command(
    ctx: typer.Context,
    threshold: float = typer.Argument(
        ..., help="The least match probability a batch may accept (0.5 to 1)."
    ),
) -> None:
    """Set the least probability at which pairs may be accepted as a batch (administrators)."""
    store = open_store(ctx)
    who = administering(ctx, store, Action.CHANGE, {"resolve batch threshold": threshold})
    with calling(store) as conn:
        resolving.set_batch_threshold(conn, who, threshold)
    stdout.print(f"batches accept pairs of at least {threshold}", highlight=False)


def _ask() -> str:
    while True:
        answer = str(typer.prompt("  [s]ame, [d]ifferent, [u]nsure, [n]ext, [q]uit", default="n"))
        answer = answer.strip().lower()[:1]
        if answer in (*DECISION_KEYS, "n", "q"):
            return answer
        if not sys.stdin.isatty():
            return "q"


def _print_pair(shown: resolving.SideBySide) -> None:
    pair = shown.candidate
    stdout.print(
        f"\npair {pair.id}: probability {pair.probability:.3f}, match weight {pair.weight:+.1f}"
        f"{'; clustered together' if pair.clustered else ''}",
        highlight=False, markup=False,
    )  # fmt: skip
    left, right = _values(shown.left), _values(shown.right)
    width = max((len(", ".join(v)) for v in left.values()), default=10)
    stdout.print(f"  {'':16} {shown.left.id:<{width}} | {shown.right.id}",
                 highlight=False, markup=False)  # fmt: skip
    for prop in SHOWN_PROPERTIES:
        if prop in left or prop in right:
            mark = "=" if set(left.get(prop, ())) & set(right.get(prop, ())) else " "
            stdout.print(
                f"{mark} {prop:16} {', '.join(left.get(prop, [])):<{width}} | "
                f"{', '.join(right.get(prop, []))}", highlight=False, markup=False,
            )  # fmt: skip
    for comparison, level, weight in pair.comparisons:
        stdout.print(f"    {weight:+6.1f}  {comparison}: {level}", highlight=False, markup=False)


def _values(entity: Redacted) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for stmt in entity.statements:
        grading = f"{stmt.reliability.value}{stmt.credibility.value}"
        text = f"{stmt.value} ({stmt.dataset}, {grading})"
        if text not in found.setdefault(stmt.prop, []):
            found[stmt.prop].append(text)
    return found


def _as_dict(shown: resolving.SideBySide) -> dict[str, Any]:
    pair = shown.candidate
    return {
        "candidate": pair.id, "probability": pair.probability, "weight": pair.weight,
        "clustered": pair.clustered, "comparisons": pair.comparisons,
        "left": shown.left.as_dict(), "right": shown.right.as_dict(),
    }  # fmt: skip
