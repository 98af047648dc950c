"""``nitka exchange``, ``nitka partner`` and ``nitka message``: the exchange at the
command line (the same steps as the API's ``/exchange`` routes)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.markup import escape
from sqlalchemy.engine import Connection

from nitka.access.accounts import Account
from nitka.access.audit import Action
from nitka.access.organisations import OrganisationError, add_agency, find_agency
from nitka.access.visibility import READERS, Viewer
from nitka.cli.context import (
    RefusedError,
    acting,
    actor,
    audited,
    calling,
    emit_json,
    fail,
    open_store,
    require,
    settings,
    stdout,
)
from nitka.errors import FieldError
from nitka.exchange.delivery import deliver_due, pending
from nitka.exchange.keys import ExchangeKeyError, InstanceKeys, load_or_create
from nitka.exchange.kinds import Kind, Priority, Status
from nitka.exchange.messages import (
    Message,
    due_within,
    list_messages,
    load_message,
    overdue,
    require_message,
)
from nitka.exchange.partners import PartnerError, add_partner, all_partners
from nitka.exchange.review import decide
from nitka.exchange.statistics import exchange_statistics
from nitka.exchange.workflow import Draft, approve, change_sent, close, draft, send, take_up
from nitka.services import exchange as exchange_service
from nitka.services.exchange import sees_message
from nitka.services.guard import LIST_KEEPERS, viewer_of

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


def _keys(ctx: typer.Context) -> InstanceKeys:
    try:
        return load_or_create(Path(settings(ctx).keys_dir))
    except (ExchangeKeyError, OSError, ValueError) as error:
        fail(f"keys_dir: {error}")


def _account(ctx: typer.Context, conn: Connection, subject: dict[str, Any]) -> Account:
    """The acting account; a refusal is committed before the command fails."""
    try:
        who = acting(ctx, conn, Action.CHANGE, subject, roles=READERS)
    except RefusedError as refused:
        conn.commit()
        fail(str(refused))
    if who.account is None:
        fail(f"messages are written by accounts: {who.name!r} is none (use --as)")
    return who.account


def _viewer(ctx: typer.Context, conn: Connection, subject: dict[str, Any]) -> Viewer | None:
    """Whose need-to-know a reading command applies (None: a development operator)."""
    try:
        return viewer_of(conn, acting(ctx, conn, Action.VIEW, subject, roles=READERS))
    except RefusedError as refused:
        conn.commit()
        fail(str(refused))


@exchange_app.command("keys")
def keys_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Make this instance's key pairs (once) and print what partners register."""
    agency = _agency(ctx)
    keys = _keys(ctx)
    shown = {
        "agency": agency,
        "signing_key": keys.signing_public,
        "encryption_key": keys.encryption_public,
    }
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
    deadline = time.monotonic() + wait
    delivered = failed = 0
    with httpx.Client() as client:
        while True:
            done = deliver_due(engine, client)
            delivered += done.delivered
            failed += done.failed
            left = pending(engine)
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    stdout.print(f"delivered {delivered}, failed tries {failed}, waiting {left}", highlight=False)
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
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            if find_agency(conn, agency) is None and name:
                add_agency(conn, agency, name, country)
            by = acting(ctx, conn, Action.CHANGE, {"partner add": agency}, proven=False).name
            made = add_partner(conn, agency, address, signing_key, encryption_key, by=by)
            change = {"partner add": made.agency_id, "address": made.address}
            audited(ctx, conn, Action.CHANGE, subject=change)
    except (PartnerError, OrganisationError, ExchangeKeyError) as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"{made.agency_id} is a partner at {made.address}", highlight=False)


@partner_app.command("list")
def partner_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """The partners, their addresses and keys."""
    engine = open_store(ctx)
    with engine.connect() as conn:
        partners = all_partners(conn)
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
    engine = open_store(ctx)
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
    try:
        with engine.begin() as conn:
            author = _account(ctx, conn, {"message draft": to})
            made = draft(conn, author, Viewer.of(conn, author), settings(ctx), request)
    except FieldError as error:
        fail(f"{error.field}: {error}")
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
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            author = _account(ctx, conn, {"message answer": message_id})
            original = require_message(conn, message_id)
            request = Draft(
                kind=Kind.ANSWER,
                receiver=original.sender,
                subject=subject or f"Re: {original.body.get('subject', '')}",
                text=text,
                entity_ids=entity,
                case=original.case_id,
                in_reply_to=original.id,
            )
            made = draft(conn, author, Viewer.of(conn, author), settings(ctx), request)
    except FieldError as error:
        fail(f"{error.field}: {error}")
    _print(made, as_json)


@message_app.command("approve")
def message_approve(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    note: str = typer.Option("", "--note"),
) -> None:
    """Approve a draft (a supervisor who is not its author)."""
    chosen = settings(ctx)
    _step(
        ctx, message_id, lambda conn, who: approve(conn, who, message_id, chosen, note), "approved"
    )


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

    def decision(conn: Connection, who: Account) -> None:
        decide(conn, who, message_id, cleared=clear, reasoning=reasoning)

    _step(ctx, message_id, decision, "cleared" if clear else "refused", visible=True)


@message_app.command("send")
def message_send(ctx: typer.Context, message_id: str = typer.Argument(...)) -> None:
    """Sign an approved message and put it in the outbox."""
    keys = _keys(ctx)
    _step(ctx, message_id, lambda conn, who: send(conn, who, message_id, keys), "sent")


@message_app.command("take-up")
def message_take_up(ctx: typer.Context, message_id: str = typer.Argument(...)) -> None:
    """Mark a received message as being worked on."""
    step = lambda conn, who: take_up(conn, who, message_id)  # noqa: E731
    _step(ctx, message_id, step, "in progress", visible=True)


@message_app.command("close")
def message_close(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    note: str = typer.Option("", "--note"),
) -> None:
    """Close a message (nothing more is expected of it)."""
    step = lambda conn, who: close(conn, who, message_id, note)  # noqa: E731
    _step(ctx, message_id, step, "closed", visible=True)


@message_app.command("list")
def message_list(
    ctx: typer.Context,
    direction: str | None = typer.Option(None, "--direction", help="in or out."),
    status: Status | None = typer.Option(None, "--status"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Messages sent and received, oldest first."""
    engine = open_store(ctx)
    with engine.begin() as conn:
        viewer = _viewer(ctx, conn, {"messages": direction or "all"})
        found = list_messages(conn, direction=direction, status=status)
    _print_list([m for m in found if sees_message(viewer, m)], as_json)


@message_app.command("overdue")
def message_overdue(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Requests past their deadline without an answer: ours and the partners'."""
    engine = open_store(ctx)
    with engine.begin() as conn:
        viewer = _viewer(ctx, conn, {"messages": "overdue"})
        found = overdue(conn)
    _print_list([m for m in found if sees_message(viewer, m)], as_json)


@message_app.command("show")
def message_show(
    ctx: typer.Context,
    message_id: str = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A message, its body (the statements you may read) and every step it went through."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.VIEW, {"message": message_id})
    with calling(engine) as conn:
        shown = exchange_service.show_message(conn, who, message_id)
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


def _step(
    ctx: typer.Context, message_id: str, action: Any, done: str, *, visible: bool = False
) -> None:
    """One workflow step as the acting account. ``visible``: the step is refused, as
    "no message", on a message outside the account's cases (as over HTTP)."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            who = _account(ctx, conn, {"message": message_id, "step": done})
            item = load_message(conn, message_id) if visible else None
            if item is not None and not sees_message(Viewer.of(conn, who), item):
                fail(f"message: no message {message_id!r}")  # as over HTTP
            action(conn, who)
    except FieldError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"{message_id} {done}", highlight=False)


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
    engine = open_store(ctx)
    with engine.begin() as conn:
        viewer = _viewer(ctx, conn, {"messages": "due", "hours": hours})
        found = due_within(conn, hours)
    _print_list([m for m in found if sees_message(viewer, m)], as_json)


@message_app.command("stats")
def message_stats(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="Only messages since (ISO date)."),
) -> None:
    """Statistics for reports: contacts per country, requests, answers in time (JSON)."""
    engine = open_store(ctx)
    require(ctx, engine, Action.VIEW, {"exchange statistics": since}, roles=LIST_KEEPERS)
    with engine.connect() as conn:
        emit_json(exchange_statistics(conn, since))


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
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            author = _account(ctx, conn, {f"message {kind.value}": entities})
            made = change_sent(
                conn, author, Viewer.of(conn, author), settings(ctx), kind, entities, reason
            )
    except FieldError as error:
        fail(f"{error.field}: {error}")
    if as_json:
        emit_json([item.summary() for item in made])
        return
    for item in made:
        _print(item, False)
