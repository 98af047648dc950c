"""``nitka exchange``, ``nitka partner`` and ``nitka message``: the exchange at the
command line (the same steps as the API's ``/exchange`` routes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from sqlalchemy.engine import Connection

from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.cli.context import (
    actor,
    administering,
    emit_json,
    fail,
    open_store,
    settings,
    stdout,
)
from nitka.errors import FieldError
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import Message
from nitka.services import exchange as service
from nitka.services.exchange import Draft
from nitka.services.guard import RefusedError, transaction

exchange_app = typer.Typer(
    help="This instance's exchange keys and its outbox.", no_args_is_help=True
)
partner_app = typer.Typer(help="Partner agencies: their addresses and keys.", no_args_is_help=True)
message_app = typer.Typer(
    help="Messages to and from partners: draft, approve, send, answer, list.",
    no_args_is_help=True,
)
KINDS = ", ".join(kind.value for kind in Kind)
PRIORITIES = ", ".join(priority.value for priority in Priority)


def register(app: typer.Typer) -> None:
    app.add_typer(exchange_app, name="exchange")
    app.add_typer(partner_app, name="partner")
    app.add_typer(message_app, name="message")


def _agency(ctx: typer.Context) -> str:
    agency = settings(ctx).agency_id
    if not agency:
        fail("the exchange is off: set NITKA_AGENCY_ID to this instance's agency")
    return agency


@contextmanager
def _calling(
    ctx: typer.Context,
    subject: dict[str, Any],
    *,
    action: Action = Action.CHANGE,
    admin: bool = False,
) -> Iterator[tuple[Connection, Actor]]:
    """Who acts (proven as the mode asks) and the service call's transaction. A
    refusal is committed to the audit trail and ends the command with its reason;
    a request the service finds bad ends it naming the field."""
    engine = open_store(ctx)
    who = (administering if admin else actor)(ctx, engine, action, subject)
    try:
        with transaction(engine) as conn:
            yield conn, who
    except RefusedError as refused:
        fail(str(refused))
    except FieldError as error:
        fail(f"{error.field}: {error}")


@exchange_app.command("keys")
def keys_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Make this instance's key pairs (once) and print what partners register."""
    agency = _agency(ctx)
    with _calling(ctx, {"exchange keys": agency}, admin=True) as (conn, who):
        shown = service.identity(conn, who, settings(ctx))
    if as_json:
        emit_json(shown)
        return
    for name, value in shown.items():
        stdout.print(f"{name}: {value}", highlight=False)


@exchange_app.command("deliver")
def deliver_command(
    ctx: typer.Context,
    wait: float = typer.Option(
        0.0,
        "--wait",
        min=0.0,
        help="Keep trying for up to this many seconds until all is delivered.",
    ),
) -> None:
    """Deliver the outbox now (``nitka serve`` does this in the background)."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"exchange deliver": "outbox"})
    try:
        done = service.deliver_outbox(engine, who, wait=wait)
    except RefusedError as refused:
        fail(str(refused))
    left = done.waiting
    stdout.print(
        f"delivered {done.delivered}, failed tries {done.failed}, waiting {left}", highlight=False
    )
    if left and wait:
        raise typer.Exit(1)


@partner_app.command("add")
def partner_add(
    ctx: typer.Context,
    agency: str = typer.Argument(..., help="The partner agency's id."),
    address: str = typer.Option(..., "--address", help="Where its Nitka answers (https://...)."),
    signing_key: str = typer.Option(..., "--signing-key", help="Its Ed25519 public key (hex)."),
    encryption_key: str | None = typer.Option(
        None, "--encryption-key", help="Its X25519 public key (hex): messages are sealed to it."
    ),
    name: str = typer.Option("", "--name", help="The agency's name, if it is not recorded yet."),
    country: str | None = typer.Option(None, "--country", help="Its country (ISO 3166)."),
) -> None:
    """Register a partner agency by its address and public keys."""
    with _calling(ctx, {"partner add": agency}, admin=True) as (conn, who):
        made = service.add_partner(
            conn, who, agency, address, signing_key, encryption_key, name=name, country=country
        )
    stdout.print(f"{made.agency_id} is a partner at {made.address}", highlight=False)


@partner_app.command("list")
def partner_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """The partners, their addresses and keys."""
    with _calling(ctx, {"partners": "all"}, action=Action.VIEW, admin=True) as (conn, who):
        partners = service.list_partners(conn, who)
    rows = [vars(p) for p in partners]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        stdout.print(f"{row['agency_id']}  {row['address']}  {row['signing_key']}", highlight=False)


@message_app.command("draft")
def message_draft(
    ctx: typer.Context,
    to: str = typer.Option(..., "--to", help="The partner agency."),
    kind: Kind = typer.Option(Kind.REQUEST_INFORMATION, "--kind", help=f"One of: {KINDS}."),
    subject: str = typer.Option(..., "--subject", help="A one-line subject."),
    text: str = typer.Option("", "--text", help="The message (facts; assessments are statements)."),
    priority: Priority = typer.Option(Priority.NORMAL, "--priority", help=f"One of: {PRIORITIES}."),
    entity: list[str] = typer.Option([], "--entity", help="An entity to send (repeatable)."),
    case: str | None = typer.Option(None, "--case", help="The case the message belongs to."),
    legal_basis: str = typer.Option("", "--legal-basis", help="The legal basis of the exchange."),
    reply_to: str | None = typer.Option(None, "--reply-to", help="The message this answers."),
    permission: str | None = typer.Option(
        None, "--permission", help="The provider's permission to pass on H2 data it gave us."
    ),
    attach: list[Path] = typer.Option([], "--attach", help="A file to attach (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Draft a message; a supervisor other than you approves it before it is sent."""
    _agency(ctx)
    request = Draft(
        kind=kind,
        receiver=to,
        subject=subject,
        text=text,
        priority=priority,
        entity_ids=entity,
        case=case,
        legal_basis=legal_basis,
        in_reply_to=reply_to,
        permission=permission,
        attachments=[(path.name, path.read_bytes()) for path in attach],
    )
    with _calling(ctx, {"message draft": to}) as (conn, who):
        made = service.draft(conn, who, settings(ctx), request)
    _print(made, as_json)


@message_app.command("answer")
def message_answer(
    ctx: typer.Context,
    message_id: str = typer.Argument(..., help="The message to answer."),
    subject: str = typer.Option("", "--subject", help="By default: Re: the request's subject."),
    text: str = typer.Option("", "--text", help="The answer."),
    entity: list[str] = typer.Option([], "--entity", help="An entity to send (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Draft the answer to a message received (approved and sent like any other)."""
    _agency(ctx)
    with _calling(ctx, {"message answer": message_id}) as (conn, who):
        made = service.answer(
            conn, who, settings(ctx), message_id, subject=subject, text=text, entity_ids=entity
        )
    _print(made, as_json)


@message_app.command("approve")
def message_approve(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    note: str = typer.Option("", "--note"),
) -> None:
    """Approve a draft (a supervisor who is not its author)."""
    chosen = settings(ctx)
    with _calling(ctx, {"message approve": message_id}) as (conn, who):
        service.approve(conn, who, chosen, message_id, note)
    _done(message_id, "approved")


@message_app.command("decide")
def message_decide(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    clear: bool = typer.Option(
        ..., "--clear/--refuse", help="Clear the flagged message, or refuse it (closes it)."
    ),
    reasoning: str = typer.Option(..., "--reasoning", help="The legal reasoning (recorded)."),
) -> None:
    """Record the legal decision on a message the Article 3 checks flagged."""

    with _calling(ctx, {"message decision": message_id}) as (conn, who):
        service.decide(conn, who, message_id, cleared=clear, reasoning=reasoning)
    _done(message_id, "cleared" if clear else "refused")


@message_app.command("send")
def message_send(ctx: typer.Context, message_id: str = typer.Argument(...)) -> None:
    """Sign an approved message and put it in the outbox."""
    with _calling(ctx, {"message send": message_id}, action=Action.DISCLOSURE) as (conn, who):
        service.send(conn, who, service.keys_of(settings(ctx)), message_id)
    _done(message_id, "sent")


@message_app.command("take-up")
def message_take_up(ctx: typer.Context, message_id: str = typer.Argument(...)) -> None:
    """Mark a received message as being worked on."""
    with _calling(ctx, {"message take up": message_id}) as (conn, who):
        service.take_up(conn, who, message_id)
    _done(message_id, "in progress")


@message_app.command("close")
def message_close(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    note: str = typer.Option("", "--note"),
) -> None:
    """Close a message (nothing more is expected of it)."""
    with _calling(ctx, {"message close": message_id}) as (conn, who):
        service.close(conn, who, message_id, note)
    _done(message_id, "closed")


@message_app.command("list")
def message_list(
    ctx: typer.Context,
    direction: str | None = typer.Option(None, "--direction", help="in or out."),
    status: Status | None = typer.Option(None, "--status"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Messages sent and received, oldest first."""
    _list(ctx, as_json, {"messages": direction or "all"}, direction=direction, status=status)


@message_app.command("overdue")
def message_overdue(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Requests past their deadline without an answer: ours and the partners'."""
    _list(ctx, as_json, {"messages": "overdue"}, overdue=True)


@message_app.command("show")
def message_show(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A message, its body (the statements you may read) and every step it went through."""
    with _calling(ctx, {"message": message_id}, action=Action.VIEW) as (conn, who):
        shown = service.show_message(conn, who, message_id)
    if as_json:
        emit_json(shown.as_dict())
        return
    item, body, steps = shown.item, shown.body, shown.events
    _print(item, False)
    stdout.print(escape(str(body.get("text", ""))), highlight=False)
    for step in steps:
        stdout.print(
            f"  {step['at'][:19]}  {step['step']}  {escape(step['actor'])}", highlight=False
        )


def _done(message_id: str, step: str) -> None:
    stdout.print(f"{message_id} {step}", highlight=False)


def _list(ctx: typer.Context, as_json: bool, subject: dict[str, Any], **which: Any) -> None:
    """The messages the acting account sees, by the service's filters (``which``)."""
    with _calling(ctx, subject, action=Action.VIEW) as (conn, who):
        found = service.list_messages(conn, who, **which)
    _print_list(found, as_json)


def _print(item: Message, as_json: bool) -> None:
    if as_json:
        emit_json(item.summary())
        return
    stdout.print(
        f"{item.id}  {item.kind.value}  {item.sender} -> {item.receiver}  {item.status.value}"
        f"  {escape(str(item.body.get('subject', '')))}",
        highlight=False,
    )


def _print_list(found: list[Message], as_json: bool) -> None:
    now = datetime.now(UTC)
    if as_json:
        emit_json([m.summary(now) for m in found])
        return
    if not found:
        stdout.print("no messages")
    for item in found:
        late = "  OVERDUE" if item.is_overdue(now) else ""
        _print(item, False)
        if item.deadline:
            stdout.print(f"    due {item.deadline[:16]}{late}", highlight=False)


@message_app.command("due")
def message_due(
    ctx: typer.Context,
    hours: float = typer.Option(24.0, "--hours", min=0.0, help="Due within this many hours."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reminders: open requests whose deadline falls within the next hours."""
    _list(ctx, as_json, {"messages": "due", "hours": hours}, due_within=hours)


@message_app.command("stats")
def message_stats(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="Only messages since (ISO date)."),
) -> None:
    """Statistics for reports: contacts per country, requests, answers in time (JSON)."""
    with _calling(ctx, {"exchange statistics": since}, action=Action.VIEW) as (conn, who):
        figures = service.statistics(conn, who, since)
    emit_json(figures)


@message_app.command("retract")
def message_retract(
    ctx: typer.Context,
    entity: list[str] = typer.Argument(..., help="The entities to withdraw."),
    reason: str = typer.Option(..., "--reason", help="Why they are withdrawn (sent along)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Draft a retraction to every agency these entities were sent to."""
    _change(ctx, Kind.RETRACTION, entity, reason, as_json)


@message_app.command("correct")
def message_correct(
    ctx: typer.Context,
    entity: list[str] = typer.Argument(..., help="The entities to correct."),
    reason: str = typer.Option(..., "--reason", help="What was wrong (sent along)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Draft a correction (what the store holds now) to every agency these were sent to."""
    _change(ctx, Kind.CORRECTION, entity, reason, as_json)


def _change(
    ctx: typer.Context, kind: Kind, entities: list[str], reason: str, as_json: bool
) -> None:
    _agency(ctx)
    with _calling(ctx, {f"message {kind.value}": entities}) as (conn, who):
        made = service.change_sent(conn, who, settings(ctx), kind, entities, reason)
    if as_json:
        emit_json([item.summary() for item in made])
        return
    for item in made:
        _print(item, False)
