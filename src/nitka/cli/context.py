"""What every command needs: settings, the store's engine, output helpers."""

from __future__ import annotations

import getpass
import socket
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import orjson
import typer
from rich.console import Console
from sqlalchemy import Connection, Engine

from nitka.access.accounts import Account, Role, find_account
from nitka.access.audit import Action, AuditEvent, Outcome, append
from nitka.access.visibility import READERS, Viewer
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.migrate import is_current

ACTOR = "nitka.actor"
PURPOSE = "nitka.purpose"
"""Keys of the root context's meta: who works and why (``nitka --as U --purpose P``)."""

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True)


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):
        obj = Settings()
        ctx.find_root().obj = obj
    return obj


def new_engine(ctx: typer.Context) -> Engine:
    """An engine for the configured store, disposed when the command ends."""
    engine = make_engine(settings(ctx).database_url)
    ctx.call_on_close(engine.dispose)
    return engine


def open_store(ctx: typer.Context) -> Engine:
    """The store's engine; refuses a store that is missing or not upgraded."""
    engine = new_engine(ctx)
    if not is_current(engine):
        fail(
            f"the store at {settings(ctx).database_url} is not set up or is out of date: "
            "run `nitka init`"
        )
    return engine


def fail(message: str, code: int = 1) -> NoReturn:
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def audited(
    ctx: typer.Context,
    conn: Connection,
    action: Action,
    *,
    subject: Any,
    entities: Sequence[str] = (),
    result_size: int = 0,
    outcome: Outcome = Outcome.DONE,
) -> None:
    """Append the command's audit record, in the caller's transaction."""
    meta = ctx.find_root().meta
    event = AuditEvent(
        actor=meta.get(ACTOR) or login_name(),
        action=action,
        origin=f"cli@{socket.gethostname()}",
        purpose=meta.get(PURPOSE, ""),
        subject=subject,
        entities=entities,
        result_size=result_size,
        outcome=outcome,
    )
    append(conn, event)


def reader(ctx: typer.Context, conn: Connection, action: Action, subject: Any) -> Viewer | None:
    """Whose rights a reading command (search, show, export) applies.

    When ``--as`` names an account, the command sees what that account may see
    (``nitka.access.visibility``), as on the API. Otherwise it is an operator's
    command with the store's own credentials, which can read every row anyway:
    allowed in development, refused in production, where every reading
    command must name the account it works for. Refusals are audit records;
    the caller commits before failing.
    """
    account = acting_account(ctx, conn, READERS, action, subject)
    return Viewer.of(conn, account) if account is not None else None


def acting_account(
    ctx: typer.Context,
    conn: Connection,
    roles: frozenset[Role],
    action: Action,
    subject: dict[str, Any],
) -> Account | None:
    """The account ``--as`` names, if its role is one of ``roles``; None for an
    operator who names no account (development mode only). Raises
    ReadRefusedError, after recording the refusal, otherwise."""
    name = ctx.find_root().meta.get(ACTOR) or login_name()
    account = find_account(conn, name)
    if account is None:
        if settings(ctx).mode != "production":
            return None
        why = "production: name the account with --as (or NITKA_USER)"
    elif account.role in roles:
        return account
    else:
        why = f"a {account.role.value} may not do this"
        if account.role in (Role.AUDITOR, Role.ADMINISTRATOR) and roles == READERS:
            why = f"a {account.role.value} reads no case data"
    audited(ctx, conn, action, subject={**subject, "refused": why}, outcome=Outcome.REFUSED)
    raise ReadRefusedError(why)


class ReadRefusedError(Exception):
    """A reading command the named account may not run; its message says why."""
