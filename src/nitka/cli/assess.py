"""``nitka assess ...``: threat assessment of organised crime groups and the legal
criteria of a case (UNTOC, the Trafficking Protocol), docs/assess.md."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from nitka.access.audit import Action
from nitka.assess import profiles
from nitka.assess.scale import Attribute, Level
from nitka.cli.context import actor, calling, emit_json, open_store, stdout
from nitka.services import assessment

assess_app = typer.Typer(
    help="Threat assessment: rate and score organised crime groups under weight profiles; "
    "UNTOC and Trafficking Protocol criteria of a case (docs/assess.md)."
)
PROFILE_HELP = f"A weight profile: {', '.join(profiles.shipped_names())}, or a YAML file's path."
MARKS = {"met": "[green]met[/]", "not_met": "[red]not met[/]", "unknown": "[yellow]unknown[/]"}


def register(app: typer.Typer) -> None:
    app.add_typer(assess_app, name="assess")


@assess_app.command("untoc")
def untoc_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case (one of yours)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """UNTOC Art. 2(a) organised criminal group (with 2(c) structured group) and Art.
    3(2) transnational: met, not met or unknown, each with its evidence and why."""
    _criteria(ctx, case, "untoc", as_json)


@assess_app.command("protocol")
def protocol_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case (one of yours)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Trafficking Protocol Art. 3: act, means, purpose (a child needs no means;
    consent is irrelevant where means were used)."""
    _criteria(ctx, case, "protocol", as_json)


def _criteria(ctx: typer.Context, case: str, which: str, as_json: bool) -> None:
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"assess criteria": case})
    with calling(engine) as conn:
        found = assessment.case_criteria(conn, who, case).as_dict(only=[which])
    if as_json:
        emit_json(found)
        return
    for checklist in found["checklists"]:
        _print_criterion(checklist, 0)
    if found["withheld_entities"]:
        stdout.print(
            f"{found['withheld_entities']} protected entities of the case are "
            "withheld from you: criteria that need them may read unknown"
        )


def _print_criterion(item: dict[str, Any], depth: int) -> None:
    pad = "  " * depth
    state = MARKS[item["state"]]
    stdout.print(
        f"{pad}{state}  [bold]{item['code']}[/] {item['title']}: {item['why']}", highlight=False
    )
    if item["evidence"]:
        stdout.print(f"{pad}    evidence: {', '.join(item['evidence'])}", highlight=False)
    if item["override"]:
        o = item["override"]
        stdout.print(
            f"{pad}    overridden by {o['by']} ({o['at'][:16]}): {o['reason']}; "
            f"computed: {MARKS[item['computed']]}",
            highlight=False,
        )
    for part in item.get("parts", []):
        _print_criterion(part, depth + 1)


@assess_app.command("override")
def override_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case (one of yours)."),
    criterion: str = typer.Argument(..., help="The criterion's code, like untoc.2a.benefit."),
    state: str = typer.Argument(..., help="met, not_met, unknown, or computed (take it back)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the override)."),
) -> None:
    """Override a criterion of a case with your own answer and the reason."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"assess override": case})
    with calling(engine) as conn:
        made = assessment.override_criterion(conn, who, case, criterion, state, reason)
    stdout.print(f"{case}: {criterion} is {made.state} ({made.reason})", highlight=False)


@assess_app.command("rate")
def rate_command(
    ctx: typer.Context,
    group: str = typer.Argument(..., help="The group: an Organization's id."),
    attribute: str = typer.Argument(..., help=", ".join(a.value for a in Attribute)),
    level: str = typer.Argument(..., help=", ".join(level.value for level in Level)),
    evidence: list[str] = typer.Option(
        [], "--evidence", help="A supporting statement's id (repeat for more)."
    ),
    reason: str = typer.Option("", "--reason", help="Why this rating."),
) -> None:
    """Rate a group on one attribute, citing the statements that support it."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"assess rate": group})
    with calling(engine) as conn:
        made = assessment.rate(conn, who, group, attribute, level, evidence=evidence, reason=reason)
    cited = f"{len(made.evidence)} statements" if made.evidence else "no evidence"
    stdout.print(f"{group}: {made.attribute.value} {made.level.value} ({cited})", highlight=False)


@assess_app.command("group")
def group_command(
    ctx: typer.Context,
    group: str = typer.Argument(..., help="The group: an Organization's id."),
    profile: str = typer.Option("sleipnir", "--profile", help=PROFILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A group's ratings with their evidence and 6x6 grading, and its score under a
    profile, explained term by term."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"assess group": group})
    with calling(engine) as conn:
        found = assessment.assess_group(conn, who, group, profile).as_dict()
    if as_json:
        emit_json(found)
        return
    stdout.print(
        f"[bold]{found['group']['caption']}[/] ({group}): {found['score']['explanation']}",
        highlight=False,
    )
    table = Table("attribute", "rating", "term", "evidence")
    for term in found["score"]["terms"]:
        rating = found["ratings"].get(term["attribute"])
        if rating is None:
            cited = "not rated"
        elif rating["without_evidence"]:
            cited = "WITHOUT EVIDENCE"
        else:
            cited = "\n".join(
                f"{e['grading']} {e['prop']}: {e['value']}" for e in rating["evidence"]
            )
            if rating["evidence_withheld"]:
                cited += f"\n{rating['evidence_withheld']} withheld from you"
        table.add_row(term["attribute"], term["level"], term["explanation"], cited)
    stdout.print(table)
    for hint in found["suggestions"]:
        stdout.print(
            f"suggested from the data: {hint['attribute']} {hint['level']} ({hint['why']})",
            highlight=False,
        )


@assess_app.command("compare")
def compare_command(
    ctx: typer.Context,
    profile: list[str] = typer.Option(
        ["sleipnir", "socta"], "--profile", help=f"{PROFILE_HELP} Repeat: two or more."
    ),
    group: list[str] = typer.Option(
        [], "--group", help="A group to rank (repeat); default: every rated group you may see."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """How the ranking of groups changes between profiles (Kendall's tau): no one
    number is the truth."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"assess compare": profile})
    with calling(engine) as conn:
        found = assessment.compare_profiles(conn, who, profile, group).as_dict()
    if as_json:
        emit_json(found)
        return
    for name, ranked in found["rankings"].items():
        stdout.print(
            f"[bold]{name}[/]: "
            + ", ".join(f"{r['rank']}. {r['group']} ({r['score']:g})" for r in ranked),
            highlight=False,
        )
    for pair in found["kendall_tau"]:
        tau = "no order to compare" if pair["tau"] is None else f"{pair['tau']:g}"
        stdout.print(
            f"Kendall's tau {pair['profiles'][0]} / {pair['profiles'][1]}: {tau}", highlight=False
        )


@assess_app.command("profiles")
def profiles_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The shipped weight profiles."""
    found = [profiles.load(name).as_dict() for name in profiles.shipped_names()]
    if as_json:
        emit_json(found)
        return
    for item in found:
        weights = ", ".join(f"{a} {w:g}" for a, w in item["weights"].items())
        stdout.print(f"[bold]{item['name']}[/] ({item['title']}): {weights}", highlight=False)
