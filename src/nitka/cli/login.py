"""``nitka login``, ``nitka logout`` and ``nitka whoami``: signing the command line in.

``login`` checks the password (and the second factor's code, where the account
has one) through ``nitka.access.accounts.sign_in``, as the sign-in page does,
and keeps the short-lived token the store issues in the user's config folder
(``nitka.cli.credentials``). The token is never printed. ``logout`` revokes
it in the store and deletes the file.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import typer
from sqlalchemy.exc import SQLAlchemyError

from nitka.access.accounts import (
    SignInError,
    create_token,
    has_second_factor,
    revoke_token,
    sign_in,
    token_id,
)
from nitka.access.actor import Proof
from nitka.access.audit import Action, AuditEvent, append
from nitka.cli import credentials
from nitka.cli.context import (
    ACTOR,
    emit_json,
    fail,
    login_name,
    open_store,
    origin,
    presented,
    resolve,
    settings,
    stderr,
    stdout,
)


def register(app: typer.Typer) -> None:
    app.command("login")(login_command)
    app.command("logout")(logout_command)
    app.command("whoami")(whoami_command)


def login_command(
    ctx: typer.Context,
    name: str | None = typer.Option(
        None, "--name", help="The account (default: --as, else asked, offering the login name)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input."
    ),
    code: str | None = typer.Option(
        None, "--code", help="The authenticator app's current code (asked for if needed)."
    ),
) -> None:
    """Sign in: the password (and code) once, then every command acts as you for a
    few hours (NITKA_LOGIN_HOURS, default 8)."""
    chosen = settings(ctx)
    engine = open_store(ctx)
    account_name = name or ctx.find_root().meta.get(ACTOR)
    if not account_name:
        account_name = str(typer.prompt("name", default=login_name()))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = str(typer.prompt("password", hide_input=True))
    with engine.connect() as conn:
        asks_code = has_second_factor(conn, account_name)
    if asks_code and not code:
        if password_stdin:
            fail("this account has a second factor: give its current code with --code")
        code = str(typer.prompt("code from the authenticator app")).strip()
    hours = chosen.login_hours
    refused = False
    with engine.begin() as conn:
        try:
            account = sign_in(conn, account_name, password, origin=origin(), code=code or None)
        except SignInError as error:
            refused, why = True, str(error)
        else:
            earlier = credentials.load_quietly(chosen.database_url)
            if earlier is not None:
                revoke_token(conn, token_id(earlier.token))
            expires = (datetime.now(UTC) + timedelta(hours=hours)).isoformat()
            token = create_token(conn, account.name, label=f"command line {origin()}", hours=hours)
    if refused:  # committed: the failure count and the audit record stay
        fail(why)
    path = credentials.save(chosen.database_url, account.name, token, expires)
    stdout.print(
        f"signed in as {account.name} ({account.role.value}) until {expires[:16]} UTC; "
        f"the sign-in is kept in {path}",
        highlight=False,
    )


def logout_command(ctx: typer.Context) -> None:
    """Sign out: the saved sign-in's token is revoked in the store and its file deleted."""
    url = settings(ctx).database_url
    saved = credentials.load_quietly(url)
    if saved is None:
        credentials.forget(url)
        stderr.print("not signed in to this store", highlight=False)
        return
    try:
        engine = open_store(ctx)
        with engine.begin() as conn:
            revoke_token(conn, token_id(saved.token))
            event = AuditEvent(
                actor=saved.account,
                action=Action.SIGN_IN,
                origin=origin(),
                subject={"how": "signed out", "token": token_id(saved.token)},
            )
            append(conn, event)
    except SQLAlchemyError as error:
        credentials.forget(url)
        fail(
            f"the saved sign-in is deleted, but the store could not revoke its token "
            f"({type(error).__name__}); it expires at {saved.expires_at[:16]} UTC"
        )
    credentials.forget(url)
    stdout.print(f"signed out: {saved.account}", highlight=False)


def whoami_command(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """Who the command line acts as, and how that is proven."""
    chosen = settings(ctx)
    engine = open_store(ctx)
    with engine.connect() as conn:
        actor, why = resolve(ctx, conn)
    shown = presented(ctx)
    saved = why is None and actor.proof is Proof.TOKEN and not shown.from_environment
    how = {
        Proof.TOKEN: f"signed in: {shown.source}",
        Proof.NAMED: "named only (--as, NITKA_USER or the login name), not signed in",
        Proof.OPERATOR: "a local operator with the store's credentials, no account",
    }.get(actor.proof, actor.proof.value)
    data = {
        "name": actor.name if why is None else None,
        "role": actor.role.value if actor.role is not None and why is None else None,
        "unit": actor.unit if why is None else None,
        "proof": actor.proof.value if why is None else None,
        "how": how if why is None else None,
        "expires_at": shown.expires_at if saved else None,
        "file": str(credentials.login_path(chosen.database_url)) if saved else None,
        "mode": chosen.mode,
        "store": credentials.store_label(chosen.database_url),
        "refused": why,
    }
    if as_json:
        emit_json(data)
    elif why is None:
        role = actor.role.value if actor.role is not None else "no account"
        role += f", unit {actor.unit}" if actor.unit else ""
        expires = data["expires_at"]
        until = f", until {expires[:16]} UTC" if isinstance(expires, str) else ""
        stdout.print(
            f"{actor.name} ({role}): {how}{until}; {chosen.mode} mode",
            highlight=False,
        )
    if why is not None:
        if as_json:
            raise typer.Exit(1)
        fail(why)
