"""``nitka ads collect | review | trends``: collecting ads with their provenance, and
the analysts' review of the flagged ones (docs/ads.md)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.ads.collect.converter import AdFormat
from nitka.ads.review import Screen, State
from nitka.ads.trends import Dimension
from nitka.cli.context import actor, calling, emit_json, fail, open_store, stdout
from nitka.errors import IngestError, RecordError
from nitka.services import ads_collect, ads_review
from nitka.services.guard import DeclinedError

review_app = typer.Typer(help="The review list of flagged ads (docs/ads.md, For analysts).")


def register(app: typer.Typer) -> None:
    """Add the ``ads`` group with these commands (where the group is made elsewhere,
    ``register_commands`` adds them to it)."""
    ads_app = typer.Typer(help="Recruitment ads: collect, review, trends (docs/ads.md).")
    register_commands(ads_app)
    app.add_typer(ads_app, name="ads")


def register_commands(ads_app: typer.Typer) -> None:
    ads_app.command("collect")(collect_command)
    ads_app.command("trends")(trends_command)
    ads_app.add_typer(review_app, name="review")


def engine_screen() -> Screen:
    """The screening engine the collector screens new ads with: ``nitka.ads.verdict``
    (imported when ads are collected: its first use loads dictionaries and trains)."""
    from nitka.ads.verdict import screen_ad

    return screen_ad


def collect_command(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(
        None, help="Files of ads (CSV, JSON lines, feeds, saved pages, Telegram result.json)."
    ),
    feeds: str | None = typer.Option(None, "--feeds", help="A YAML file of feeds to fetch."),
    format: AdFormat | None = typer.Option(
        None, "--format", help="The files' format (default: from the name)."
    ),
    dataset: str | None = typer.Option(
        None, "--dataset", help="The source's name (default: the file's name)."
    ),
    url: str | None = typer.Option(
        None,
        "--url",
        help="Where the file came from (a page's address, a Telegram channel's https://t.me/NAME).",
    ),
    seen: str | None = typer.Option(
        None,
        "--seen",
        help="When the ads were seen (ISO 8601; default: the file's time, or now for feeds).",
    ),
    rejects: str | None = typer.Option(
        None, "--rejects", help="Where bad records go (default: FILE.rejects.jsonl)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Collect ads from files, or fetch the feeds a feeds file lists: each ad stored as
    a Message with its source, times, content hash and original. Bad records are
    named (record and field) in the reject file; the others are collected."""
    if not paths and not feeds:
        fail("give files of ads, or --feeds FILE")
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"ads": "collect"})
    screen = engine_screen()
    total = ads_collect.Collected()
    try:
        if feeds:
            one = ads_collect.collect_feeds(engine, who, ads_collect.read_feeds(feeds),
                                            seen=seen, reject_dir=str(Path(feeds).parent),
                                            screen=screen)  # fmt: skip
            _add(total, one)
        for path in paths or []:
            if not Path(path).is_file():
                fail(f"{path}: no such file")
            one = ads_collect.collect_file(
                engine, who, path, dataset=dataset or Path(path).stem,
                seen=seen or _file_time(path), format=format, url=url,
                reject_path=rejects, screen=screen,
            )  # fmt: skip
            _add(total, one)
    except DeclinedError as error:
        fail(str(error))
    except (IngestError, RecordError) as error:
        fail(f"{error}\nnothing of this file was stored")
    _print_collected(total, as_json, screened=screen is not None)


def _add(total: ads_collect.Collected, one: ads_collect.Collected) -> None:
    total.reports.extend(one.reports)
    total.screened += one.screened
    total.failed.update(one.failed)


def _file_time(path: str) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _print_collected(total: ads_collect.Collected, as_json: bool, *, screened: bool) -> None:
    if as_json:
        emit_json(total.as_dict())
    else:
        for report in total.reports:
            stdout.print(f"{report.path}: {report.entities} ads from {report.records} records, "
                         f"{report.rejected} rejected", highlight=False)  # fmt: skip
            for error in report.errors[:10]:
                stdout.print(f"  {error}", highlight=False)
            if report.reject_path:
                stdout.print(f"  rejects: {report.reject_path}", highlight=False)
        for where, why in total.failed.items():
            stdout.print(f"{where}: not collected: {why}", highlight=False)
        if screened:
            stdout.print(f"{total.screened} ads screened", highlight=False)
        else:
            stdout.print("not screened: no screening engine", highlight=False)
    if total.failed:
        raise typer.Exit(1)


@review_app.command("list")
def review_list_command(
    ctx: typer.Context,
    state: str = typer.Option(State.OPEN, "--state", help="open, filed, dismissed or benign."),
    min_risk: float = typer.Option(0.0, "--min-risk", min=0.0, max=1.0, help="Least risk."),
    limit: int = typer.Option(100, "--limit", min=1, max=1000, help="How many."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Flagged ads, riskiest first."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"ads": "review list"})
    with calling(engine) as conn:
        items = ads_review.review_list(conn, who, state=state, min_risk=min_risk, limit=limit)
    if as_json:
        emit_json([item.as_dict() for item in items])
        return
    if not items:
        stdout.print("no ad", highlight=False)
        return
    table = Table("ad", "risk", "indicators", "lang", "source", "published", "title")
    for item in items:
        table.add_row(item.id, f"{item.risk:.2f}", ";".join(item.indicators), item.lang or "",
                      item.dataset, (item.published or "")[:10],
                      (item.title or item.text)[:60])  # fmt: skip
    stdout.print(table)


@review_app.command("show")
def review_show_command(
    ctx: typer.Context,
    ad: str = typer.Argument(..., help="The ad's entity id."),
    lists: list[str] = typer.Option([], "--list", help="A dataset that is a watch list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One ad: its provenance, contacts, and the leads they give (other entities naming
    them: in cases you are a member of, in watch lists, in other ads)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"ads": "show", "ad": ad})
    with calling(engine) as conn:
        shown = ads_review.show_ad(conn, who, ad, lists=lists)
    if as_json:
        emit_json(shown.as_dict())
        return
    item = shown.item
    for label, value in (
        ("ad", item.id),
        ("title", item.title),
        ("url", item.url),
        ("published", item.published),
        ("seen", item.seen),
        ("source", item.dataset),
        ("risk", f"{item.risk:.2f} {item.label}"),
        ("indicators", ";".join(item.indicators)),
        ("state", item.state),
    ):
        stdout.print(f"{label}: {value or ''}", highlight=False)  # fmt: skip
    stdout.print(item.text, highlight=False)
    for contact in shown.contacts:
        stdout.print(f"contact {contact.kind}: {contact.value}", highlight=False)
    for lead in shown.leads:
        where = f"case {lead.case}" if lead.case else lead.dataset
        tag = " (watch list)" if lead.watch_list else ""
        stdout.print(f"lead {lead.contact}: {lead.schema} {lead.caption} [{lead.entity}] "
                     f"in {where}{tag}", highlight=False)  # fmt: skip


@review_app.command("file")
def review_file_command(
    ctx: typer.Context,
    ad: str = typer.Argument(..., help="The ad's entity id."),
    case: str = typer.Option(..., "--case", help="The case to file it into."),
) -> None:
    """File an ad into a case, with its provenance."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"ads": "file", "ad": ad, "case": case})
    with calling(engine) as conn:
        filed = ads_review.file_ad(conn, who, ad, case)
    stdout.print(f"filed {ad} into case {case} ({filed} statements)", highlight=False)


@review_app.command("dismiss")
def review_dismiss_command(
    ctx: typer.Context, ad: str = typer.Argument(..., help="The ad's entity id.")
) -> None:
    """Take an ad off the review list."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"ads": "dismiss", "ad": ad})
    with calling(engine) as conn:
        ads_review.dismiss_ad(conn, who, ad)
    stdout.print(f"dismissed {ad}", highlight=False)


def trends_command(
    ctx: typer.Context,
    by: list[Dimension] = typer.Option(
        [Dimension.INDICATOR], "--by", help="indicator, lang, source or week (repeat)."
    ),
    since: str | None = typer.Option(None, "--since", help="From this ISO week (2025-W01)."),
    until: str | None = typer.Option(None, "--until", help="To this ISO week."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Screened ads counted by indicator, language, source and ISO week; counts under
    10 are shown as <10."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.SEARCH, {"ads": "trends"})
    with calling(engine) as conn:
        cells = ads_review.trends(conn, who, by, since=since, until=until)
    names = [str(d) for d in by]
    if as_json:
        emit_json([{**dict(zip(names, c.key, strict=True)), "ads": c.shown()} for c in cells])
        return
    table = Table(*names, "ads")
    for cell in cells:
        table.add_row(*cell.key, cell.shown())
    stdout.print(table)
