"""Accounts, API tokens, cases, list shares, agencies and units: ``nitka user`` and the rest."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.engine import Connection

from nitka.access.accounts import (
    AccountError,
    Role,
    add_account,
    create_token,
    enable_second_factor,
    revoke_token,
    set_password,
)
from nitka.access.audit import Action
from nitka.access.identities import link_identity
from nitka.access.organisations import OrganisationError, add_agency, add_unit
from nitka.access.shares import ShareError, share_list, units_of_list, unshare_list
from nitka.cli.context import acting, actor, audited, calling, fail, open_store, stdout
from nitka.services import cases

user_app = typer.Typer(help="Accounts: add users, set passwords and second factors.")
token_app = typer.Typer(help="API tokens for systems and scripts.")
case_app = typer.Typer(help="Cases and their members (who may see a case's statements).")
list_app = typer.Typer(help="Watch lists shared with some units only.")
agency_app = typer.Typer(help="Agencies: the police bodies Nitka's users work for.")
unit_app = typer.Typer(help="Units of agencies: what accounts belong to and lists are shared with.")
ROLES = ", ".join(role.value for role in Role)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(case_app, name="case")
    app.add_typer(list_app, name="list")
    app.add_typer(agency_app, name="agency")
    app.add_typer(unit_app, name="unit")


def _by(ctx: typer.Context, conn: Connection, subject: dict[str, str]) -> str:
    """Who makes an administrative change (these need no sign-in: whoever holds the
    store's credentials can make them; the record names who did)."""
    return acting(ctx, conn, Action.CHANGE, subject, proven=False).name


def _read_secret(prompt: str) -> str:
    """A password from standard input (a script) or typed without echo (a person)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The account name (one word)."),
    role: str = typer.Option(..., "--role", help=f"One of: {ROLES}."),
    unit: str | None = typer.Option(None, "--unit", help="The unit the user belongs to."),
    password: bool = typer.Option(
        False, "--password", help="Set a password, read from standard input or typed."
    ),
) -> None:
    """Add a user (or a system account, which signs in with a token)."""
    engine = open_store(ctx)
    secret = _read_secret("password") if password else None
    try:
        with engine.begin() as conn:
            made = add_account(conn, name, role, unit_id=unit, password=secret)
            change = {"user add": made.name, "role": made.role.value, "unit": made.unit}
            audited(ctx, conn, Action.CHANGE, subject=change)
    except AccountError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"added {made.name} ({made.role.value})", highlight=False)


@user_app.command("password")
def user_password(
    ctx: typer.Context, name: str = typer.Argument(..., help="The account name.")
) -> None:
    """Set a user's password (from standard input, or typed twice)."""
    engine = open_store(ctx)
    secret = _read_secret("new password")
    try:
        with engine.begin() as conn:
            set_password(conn, name, secret)
            audited(ctx, conn, Action.CHANGE, subject={"user password": name})
    except AccountError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"password of {name} set", highlight=False)


@user_app.command("totp")
def user_totp(
    ctx: typer.Context, name: str = typer.Argument(..., help="The account name.")
) -> None:
    """Turn on the second factor: prints the secret for an authenticator app, once."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            secret = enable_second_factor(conn, name)
            audited(ctx, conn, Action.CHANGE, subject={"user totp": name})
    except AccountError as error:
        fail(f"{error.field}: {error}")
    stdout.print(secret, highlight=False)


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The account the token acts as."),
    label: str = typer.Option("", "--label", help="What the token is for."),
    days: int | None = typer.Option(None, "--days", min=1, help="Expire after this many days."),
) -> None:
    """Make an API token; it is printed once and only its hash is kept."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            token = create_token(conn, user, label=label, days=days)
            token_id = token.split("_")[1]
            change = {"token create": token_id, "user": user, "label": label, "days": days}
            audited(ctx, conn, Action.CHANGE, subject=change)
    except AccountError as error:
        fail(f"{error.field}: {error}")
    stdout.print(token, highlight=False)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context, token_id: str = typer.Argument(..., help="The token's id (its 2nd part).")
) -> None:
    """Revoke a token: every later request with it is refused."""
    engine = open_store(ctx)
    with engine.begin() as conn:
        done = revoke_token(conn, token_id)
        if done:
            audited(ctx, conn, Action.CHANGE, subject={"token revoke": token_id})
    if not done:
        fail(f"no token {token_id!r} that is not revoked already")
    stdout.print(f"token {token_id} revoked", highlight=False)


@case_app.command("add")
def case_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The case's name, as statements give it (--case)."),
    title: str = typer.Option("", "--title", help="A title for people."),
) -> None:
    """Open a case; add its members with `nitka case member`."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"case add": name}, proven=False)
    with calling(engine) as conn:
        cases.open_case(conn, who, name, title)
    stdout.print(f"case {name} opened", highlight=False)


@case_app.command("member")
def case_member_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case."),
    user: str = typer.Argument(..., help="The account to add."),
) -> None:
    """Make a user a member of a case."""
    engine = open_store(ctx)
    who = actor(ctx, engine, Action.CHANGE, {"case member": case}, proven=False)
    with calling(engine) as conn:
        added = cases.add_case_member(conn, who, case, user)
    stdout.print(f"{user} is {'now' if added else 'already'} a member of {case}", highlight=False)


@user_app.command("link")
def user_link(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The account."),
    provider: str = typer.Argument(..., help="The identity provider (its name in the settings)."),
    subject: str = typer.Argument(..., help="The user's subject (``sub``) at the provider."),
) -> None:
    """Let an account sign in through an agency's identity provider (OpenID Connect)."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            link_identity(conn, name, provider, subject)
            change = {"user link": name, "provider": provider, "subject": subject}
            audited(ctx, conn, Action.CHANGE, subject=change)
    except AccountError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"{name} signs in as {subject} at {provider}", highlight=False)


@list_app.command("share")
def list_share_command(
    ctx: typer.Context,
    dataset: str = typer.Argument(..., help="The watch list (dataset)."),
    unit: str = typer.Argument(..., help="The unit to share it with."),
) -> None:
    """Share a list with a unit: from then on only the units it is shared with see it."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            added = share_list(conn, dataset, unit, by=_by(ctx, conn, {"list share": dataset}))
            if added:
                audited(ctx, conn, Action.CHANGE, subject={"list share": dataset, "unit": unit})
            units = units_of_list(conn, dataset)
    except ShareError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"{dataset} is seen by: {', '.join(units)}", highlight=False)


@list_app.command("unshare")
def list_unshare_command(
    ctx: typer.Context,
    dataset: str = typer.Argument(..., help="The watch list (dataset)."),
    unit: str = typer.Argument(..., help="The unit to stop sharing it with."),
) -> None:
    """Stop sharing a list with a unit."""
    engine = open_store(ctx)
    with engine.begin() as conn:
        removed = unshare_list(conn, dataset, unit)
        if removed:
            audited(ctx, conn, Action.CHANGE, subject={"list unshare": dataset, "unit": unit})
        units = units_of_list(conn, dataset)
    if not removed:
        fail(f"unit: {dataset} was not shared with {unit}")
    seen_by = ", ".join(units) if units else "every unit (it is shared with no unit now)"
    stdout.print(f"{dataset} is seen by: {seen_by}", highlight=False)


@agency_app.command("add")
def agency_add(
    ctx: typer.Context,
    agency_id: str = typer.Argument(..., metavar="ID", help="A short id (one word)."),
    name: str = typer.Option("", "--name", help="The agency's full name."),
    country: str | None = typer.Option(None, "--country", help="ISO 3166 code: UA, BG, ..."),
) -> None:
    """Record an agency (your own, or a partner you exchange information with)."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            made = add_agency(conn, agency_id, name, country)
            change = {"agency add": made.id, "name": made.name, "country": made.country}
            audited(ctx, conn, Action.CHANGE, subject=change)
    except OrganisationError as error:
        fail(f"{error.field}: {error}")
    stdout.print(f"added agency {made.id} ({made.name})", highlight=False)


@unit_app.command("add")
def unit_add(
    ctx: typer.Context,
    unit_id: str = typer.Argument(..., metavar="ID", help="A short id (one word)."),
    agency: str = typer.Option(..., "--agency", help="The agency the unit belongs to."),
    name: str = typer.Option("", "--name", help="The unit's full name."),
) -> None:
    """Record a unit of an agency (or place a unit named by `user add --unit` in one)."""
    engine = open_store(ctx)
    try:
        with engine.begin() as conn:
            added = add_unit(conn, unit_id, agency, name)
            if added:
                change = {"unit add": unit_id, "agency": agency, "name": name}
                audited(ctx, conn, Action.CHANGE, subject=change)
    except OrganisationError as error:
        fail(f"{error.field}: {error}")
    state = "now" if added else "already"
    stdout.print(f"{unit_id} is {state} a unit of {agency}", highlight=False)
