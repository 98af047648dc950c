"""Accounts, API tokens, cases, list shares, agencies and units: ``nitka user`` and the rest."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.engine import Connection

from nitka.access.accounts import AccountError, Role
from nitka.access.actor import Actor
from nitka.access.audit import Action
from nitka.access.organisations import OrganisationError
from nitka.access.shares import ShareError
from nitka.cli.context import administering, calling, fail, open_store, stdout
from nitka.services import admin, cases

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


def _read_secret(prompt: str) -> str:
    """A password from standard input (a script) or typed without echo (a person)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@contextmanager
def _administering(
    ctx: typer.Context, subject: dict[str, str]
) -> Iterator[tuple[Connection, Actor]]:
    """The service call's transaction and who acts; a bad value ends the command with
    the field it is about."""
    engine = open_store(ctx)
    who = administering(ctx, engine, Action.CHANGE, subject)
    with calling(engine) as conn:
        try:
            yield conn, who
        except (AccountError, OrganisationError, ShareError) as error:
            fail(f"{error.field}: {error}")


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
    secret = _read_secret("password") if password else None
    with _administering(ctx, {"user add": name}) as (conn, who):
        made = admin.add_user(conn, who, name, role, unit=unit, password=secret)
    stdout.print(f"added {made.name} ({made.role.value})", highlight=False)


@user_app.command("password")
def user_password(
    ctx: typer.Context, name: str = typer.Argument(..., help="The account name.")
) -> None:
    """Set a user's password (from standard input, or typed twice)."""
    secret = _read_secret("new password")
    with _administering(ctx, {"user password": name}) as (conn, who):
        admin.set_password(conn, who, name, secret)
    stdout.print(f"password of {name} set", highlight=False)


@user_app.command("totp")
def user_totp(
    ctx: typer.Context, name: str = typer.Argument(..., help="The account name.")
) -> None:
    """Turn on the second factor: prints the secret for an authenticator app, once."""
    with _administering(ctx, {"user totp": name}) as (conn, who):
        secret = admin.turn_on_second_factor(conn, who, name)
    stdout.print(secret, highlight=False)


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    user: str = typer.Argument(..., help="The account the token acts as."),
    label: str = typer.Option("", "--label", help="What the token is for."),
    days: int | None = typer.Option(None, "--days", min=1, help="Expire after this many days."),
    purpose: str = typer.Option(
        "",
        "--purpose",
        help="The purpose the token's checks are logged with when a request states none "
        "(for clients that cannot send X-Nitka-Purpose, such as yente's).",
    ),
) -> None:
    """Make an API token; it is printed once and only its hash is kept."""
    with _administering(ctx, {"token create": user}) as (conn, who):
        token = admin.create_api_token(conn, who, user, label=label, days=days, purpose=purpose)
    stdout.print(token, highlight=False)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context, token_id: str = typer.Argument(..., help="The token's id (its 2nd part).")
) -> None:
    """Revoke a token: every later request with it is refused."""
    with _administering(ctx, {"token revoke": token_id}) as (conn, who):
        done = admin.revoke_api_token(conn, who, token_id)
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
    with _administering(ctx, {"case add": name}) as (conn, who):
        cases.open_case(conn, who, name, title)
    stdout.print(f"case {name} opened", highlight=False)


@case_app.command("member")
def case_member_command(
    ctx: typer.Context,
    case: str = typer.Argument(..., help="The case."),
    user: str = typer.Argument(..., help="The account to add."),
) -> None:
    """Make a user a member of a case."""
    with _administering(ctx, {"case member": case}) as (conn, who):
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
    with _administering(ctx, {"user link": name}) as (conn, who):
        admin.link_user(conn, who, name, provider, subject)
    stdout.print(f"{name} signs in as {subject} at {provider}", highlight=False)


@list_app.command("share")
def list_share_command(
    ctx: typer.Context,
    dataset: str = typer.Argument(..., help="The watch list (dataset)."),
    unit: str = typer.Argument(..., help="The unit to share it with."),
) -> None:
    """Share a list with a unit: from then on only the units it is shared with see it."""
    with _administering(ctx, {"list share": dataset}) as (conn, who):
        units = admin.share_list(conn, who, dataset, unit)
    stdout.print(f"{dataset} is seen by: {', '.join(units)}", highlight=False)


@list_app.command("unshare")
def list_unshare_command(
    ctx: typer.Context,
    dataset: str = typer.Argument(..., help="The watch list (dataset)."),
    unit: str = typer.Argument(..., help="The unit to stop sharing it with."),
) -> None:
    """Stop sharing a list with a unit."""
    with _administering(ctx, {"list unshare": dataset}) as (conn, who):
        units = admin.unshare_list(conn, who, dataset, unit)
    if units is None:
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
    with _administering(ctx, {"agency add": agency_id}) as (conn, who):
        made = admin.add_agency(conn, who, agency_id, name, country)
    stdout.print(f"added agency {made.id} ({made.name})", highlight=False)


@unit_app.command("add")
def unit_add(
    ctx: typer.Context,
    unit_id: str = typer.Argument(..., metavar="ID", help="A short id (one word)."),
    agency: str = typer.Option(..., "--agency", help="The agency the unit belongs to."),
    name: str = typer.Option("", "--name", help="The unit's full name."),
) -> None:
    """Record a unit of an agency (or place a unit named by `user add --unit` in one)."""
    with _administering(ctx, {"unit add": unit_id}) as (conn, who):
        added = admin.add_unit(conn, who, unit_id, agency, name)
    state = "now" if added else "already"
    stdout.print(f"{unit_id} is {state} a unit of {agency}", highlight=False)
