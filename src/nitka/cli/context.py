"""What every command needs: settings, the store's engine, who acts, output helpers.

Who acts is answered in one place, ``acting``: every command's audit record,
role check and need-to-know start from the ``Actor`` it gives. In production
mode (``NITKA_MODE=production``) a command that reads or writes case data acts
only for an account proven by a token: the saved sign-in of ``nitka login``
or an API token in ``NITKA_TOKEN``. A name given with ``--as`` (``NITKA_USER``)
proves nothing there and is refused. In development mode the name is taken
as given, as a convenience on one's own machine; a name that is no account is
a local operator with the store's own credentials.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import orjson
import typer
from rich.console import Console
from sqlalchemy import Connection, Engine

from nitka.access.accounts import (
    Role,
    administrator_can_sign_in,
    find_account,
    token_holder,
)
from nitka.access.actor import Actor, Proof
from nitka.access.audit import Action, Outcome
from nitka.cli import credentials
from nitka.errors import FieldError
from nitka.services.guard import audit, role_refusal, transaction
from nitka.settings import Settings
from nitka.store.db import make_engine
from nitka.store.migrate import UnknownRevisionError, is_current, refuse_unknown, upgrade

ACTOR = "nitka.actor"
PURPOSE = "nitka.purpose"
"""Keys of the root context's meta: who works and why (``nitka --as U --purpose P``);
the name is None when neither ``--as`` nor ``NITKA_USER`` gives one."""
TOKEN_VARIABLE = "NITKA_TOKEN"
_ACTING = "nitka.acting"
_TOLD = "nitka.told"

SIGN_IN_HINT = (
    "production mode: the command line acts only for a signed-in account. Sign in with "
    "`nitka login` (or set NITKA_TOKEN to an API token); --as or NITKA_USER alone proves nothing"
)

SETTING_UP = (
    "production mode: no administrator can sign in to this store yet, so {name} works as "
    "the local operator who holds its credentials, to set one up (`nitka user add NAME "
    "--role administrator --password`); from then on these commands need a sign-in"
)

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
    """The store's engine; refuses a store that is missing or not upgraded, and one
    that a newer Nitka upgraded (before reading anything else from it)."""
    engine = new_engine(ctx)
    try:
        refuse_unknown(engine)
    except UnknownRevisionError as exc:
        fail(f"{settings(ctx).database_url}: {exc.message}")
    if not is_current(engine):
        fail(
            f"the store at {settings(ctx).database_url} is not set up or is out of date: "
            "run `nitka init`"
        )
    return engine


def upgrade_store(ctx: typer.Context) -> str:
    """Create or upgrade the configured store; returns its revision. A store that a
    newer Nitka upgraded is refused, untouched."""
    engine = new_engine(ctx)
    try:
        return upgrade(engine)
    except UnknownRevisionError as exc:
        fail(f"{settings(ctx).database_url}: {exc.message}")


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


def origin() -> str:
    """Where a command comes from, as the audit trail records it."""
    return f"cli@{socket.gethostname()}"


class RefusedError(Exception):
    """A command the actor may not run; its message says why (and the refusal is
    an audit record in the caller's transaction, which must commit it)."""


@dataclass(frozen=True)
class Credentials:
    """What the command line presents to prove who acts."""

    token: str | None
    source: str
    """Where the token comes from, for messages: NITKA_TOKEN, or the saved sign-in."""
    problem: str | None = None
    """Why the presented credentials cannot be used, if they cannot."""
    expires_at: str | None = None

    @property
    def from_environment(self) -> bool:
        return self.source == TOKEN_VARIABLE


def presented(ctx: typer.Context) -> Credentials:
    """``NITKA_TOKEN`` if set, else the saved sign-in of ``nitka login`` for this store."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return Credentials(token, TOKEN_VARIABLE)
    url = settings(ctx).database_url
    try:
        saved = credentials.load(url)
    except credentials.CredentialsError as error:
        return Credentials(None, "the saved sign-in", problem=str(error))
    if saved is None:
        return Credentials(None, "")
    source = "the saved sign-in (`nitka login`)"
    if saved.expired:
        why = f"the sign-in as {saved.account} expired at {saved.expires_at[:16]} UTC"
        why += ": run `nitka login`"
        return Credentials(None, source, problem=why, expires_at=saved.expires_at)
    return Credentials(saved.token, source, expires_at=saved.expires_at)


def resolve(
    ctx: typer.Context, conn: Connection, *, proven: bool = True, user: str | None = None
) -> tuple[Actor, str | None]:
    """Who acts, and why they may not (None if they may); records nothing.

    ``proven``: the command reads or writes case data, so that production mode
    needs a token. ``user``: a command's own ``--user`` option, which may only
    repeat who acts.
    """
    meta = ctx.find_root().meta
    named: str | None = meta.get(ACTOR) or None
    purpose = str(meta.get(PURPOSE, ""))
    production = settings(ctx).mode == "production"
    here = origin()
    if user and named and user != named:
        why = f"--user {user} is not who works (--as {named}): drop --user"
        return Actor.operator(named, origin=here, purpose=purpose), why
    claim = user or named
    shown = presented(ctx)
    problem = shown.problem
    if shown.token is not None:
        holder = token_holder(conn, shown.token)
        if holder is None:
            problem = (
                f"{shown.source} is not a valid token: unknown, expired or revoked, "
                "or its account is disabled"
            )
            if not shown.from_environment:
                problem += ": run `nitka login`"
        else:
            actor = Actor.of(
                holder.account, proof=Proof.TOKEN, origin=here, purpose=purpose or holder.purpose
            )
            if claim and claim != actor.name:
                option = "--user" if user else "--as (NITKA_USER)"
                return actor, (
                    f"signed in as {actor.name} ({shown.source}), but {option} names "
                    f"{claim}: drop it, or sign in as {claim}"
                )
            return actor, None
    name = claim or login_name()
    if problem is not None and ((production and proven) or shown.from_environment):
        return Actor.operator(name, origin=here, purpose=purpose), problem
    if problem is not None:
        _tell_once(ctx, f"{problem}; working without sign-in")
    if production and proven:
        return Actor.operator(name, origin=here, purpose=purpose), SIGN_IN_HINT
    account = find_account(conn, name)
    if account is None:
        return Actor.operator(name, origin=here, purpose=purpose), None
    return Actor.of(account, proof=Proof.NAMED, origin=here, purpose=purpose), None


def acting(
    ctx: typer.Context,
    conn: Connection,
    action: Action,
    subject: dict[str, Any],
    *,
    roles: frozenset[Role] | None = None,
    proven: bool = True,
    user: str | None = None,
) -> Actor:
    """The actor a command runs as: the one function every command asks.

    Checks the proof (production mode: a token, for commands that touch case
    data, ``proven``), that a command's ``--user`` repeats who acts, and the
    account's role (``roles``; a development operator is not checked). A refusal
    is an audit record in ``conn`` and raises RefusedError: the caller commits
    and fails (``require`` does both).
    """
    actor, why = resolve(ctx, conn, proven=proven, user=user)
    if why is None and roles is not None:
        why = role_refusal(actor, roles)
    if why is not None:
        audit(conn, actor, action, {**subject, "refused": why}, outcome=Outcome.REFUSED)
        raise RefusedError(why)
    ctx.find_root().meta[_ACTING] = actor
    if actor.proof is not Proof.TOKEN and settings(ctx).mode != "production":
        kind = "an account" if actor.account is not None else "a local operator, no account"
        _tell_once(ctx, f"development mode, no sign-in: working as {actor.name} ({kind})")
    return actor


def require(
    ctx: typer.Context,
    engine: Engine,
    action: Action,
    subject: dict[str, Any],
    *,
    roles: frozenset[Role] | None = None,
    proven: bool = True,
    user: str | None = None,
) -> Actor:
    """``acting`` in a transaction of its own, before the command's work: a refusal
    is committed to the audit trail and ends the command with its reason."""
    with engine.begin() as conn:
        try:
            return acting(ctx, conn, action, subject, roles=roles, proven=proven, user=user)
        except RefusedError as refused:
            conn.commit()
            why = str(refused)
    fail(why)


def actor(
    ctx: typer.Context,
    engine: Engine,
    action: Action,
    subject: dict[str, Any],
    *,
    proven: bool = True,
    user: str | None = None,
) -> Actor:
    """Who the command acts as, proven as the mode asks; what the actor may do is the
    service's to decide (``nitka.services``)."""
    return require(ctx, engine, action, subject, proven=proven, user=user)


def administering(
    ctx: typer.Context, engine: Engine, action: Action, subject: dict[str, Any]
) -> Actor:
    """Who runs an administrative command (accounts, tokens, agencies, units, cases,
    list shares). In production mode a signed-in account, as for case data, except
    while no administrator can sign in to the store yet: then the store is being set
    up, and the local operator who holds its credentials acts, which is said once on
    standard error and is what the audit records name."""
    if settings(ctx).mode == "production":
        with engine.connect() as conn:
            setting_up = not administrator_can_sign_in(conn)
        if setting_up:
            meta = ctx.find_root().meta
            name = meta.get(ACTOR) or login_name()
            who = Actor.operator(name, origin=origin(), purpose=str(meta.get(PURPOSE, "")))
            meta[_ACTING] = who
            _tell_once(ctx, SETTING_UP.format(name=name))
            return who
    return require(ctx, engine, action, subject)


@contextmanager
def calling(engine: Engine) -> Iterator[Connection]:
    """The transaction of a service call. A request the service declines or finds bad
    ends the command with its reason; a refusal's audit record is committed first
    (``nitka.services.guard.transaction``)."""
    try:
        with transaction(engine) as conn:
            yield conn
    except FieldError as error:
        fail(str(error))


def say_development_mode(ctx: typer.Context) -> None:
    """Tell, when a local setup starts (``nitka demo``), that the command line works
    without sign-in here and what production mode asks instead."""
    if settings(ctx).mode != "production":
        _tell_once(
            ctx,
            "development mode: commands work without sign-in (--as names who works); "
            "with NITKA_MODE=production they need `nitka login` or NITKA_TOKEN",
        )


def _tell_once(ctx: typer.Context, message: str) -> None:
    """A note on standard error, once per command (standard output may be JSON)."""
    told: set[str] = ctx.find_root().meta.setdefault(_TOLD, set())
    if message not in told:
        told.add(message)
        typer.echo(f"nitka: {message}", err=True)


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
    """Append the command's audit record, in the caller's transaction, naming the
    actor the command runs as. A command that has not asked ``acting`` yet (an
    administrative one, which needs no proof) is asked for it here."""
    actor = ctx.find_root().meta.get(_ACTING)
    if not isinstance(actor, Actor):
        try:
            actor = acting(ctx, conn, action, {"command": subject}, proven=False)
        except RefusedError as refused:
            # Raised inside the caller's transaction, so its work is undone too.
            fail(str(refused))
    audit(conn, actor, action, subject, entities=entities, result_size=result_size,
          outcome=outcome)  # fmt: skip
