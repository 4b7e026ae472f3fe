"""``docket users`` and ``docket tokens``: the people who sign in, the systems that call the API."""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from uuid import UUID

import click

from api.cli import ROLE_CHOICE, with_database
from api.cli_support import cli_actor, composition, fail
from api.clock import SystemClock
from domain.identity import tokens, users
from domain.shared.model import Role


@click.group(name="users")
def users_group() -> None:
    """People who log in."""


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_group.command(name="create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=ROLE_CHOICE)
@click.option("--name", "display_name", default="", help="Display name (default: the e-mail).")
def users_create(email: str, role: str, display_name: str) -> None:
    """Create a user; the password is read from stdin's first line, or prompted for twice."""
    password = _read_password()
    auth = composition().settings.auth

    @with_database
    async def create() -> None:
        new = users.NewUser(
            email=email, display_name=display_name, role=Role(role), password=password
        )
        user = await users.create_user(
            new,
            actor=cli_actor(),
            now=SystemClock().now(),
            password_min_length=auth.password_min_length,
        )
        click.echo(f"created {user.role.value} {user.email} ({user.id})")

    create()


@users_group.command(name="list")
@with_database
async def users_list() -> None:
    """List users."""
    for user in await users.list_users(actor=cli_actor()):
        state = "disabled" if user.disabled_at else "active"
        click.echo(f"{user.id}  {user.role.value:<11} {state:<8} {user.email}")


@users_group.command(name="disable")
@click.argument("email")
@with_database
async def users_disable(email: str) -> None:
    """Disable the user with this e-mail address."""
    found = [u for u in await users.list_users(actor=cli_actor()) if u.email == email.lower()]
    if not found:
        fail(f"no user with e-mail {email}")
    user = await users.disable_user(found[0].id, actor=cli_actor(), now=SystemClock().now())
    click.echo(f"disabled {user.email}")


@click.group(name="tokens")
def tokens_group() -> None:
    """API tokens for other systems."""


_DURATION = re.compile(r"(\d+)([dhw])")


def parse_lifetime(text: str) -> timedelta | None:
    """``90d``, ``12h``, ``2w`` or ``never``."""
    if text == "never":
        return None
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise click.BadParameter(f"{text!r} is not like 90d, 12h, 2w or never")
    number, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=number),
        "h": timedelta(hours=number),
        "w": timedelta(weeks=number),
    }[unit]


@tokens_group.command(name="create")
@click.option("--name", required=True)
@click.option("--role", required=True, type=ROLE_CHOICE)
@click.option("--expires-in", "expires_in", default="90d", show_default=True)
def tokens_create(name: str, role: str, expires_in: str) -> None:
    """Create an API token; the token alone is printed on the last line, this once."""
    lifetime = parse_lifetime(expires_in)

    @with_database
    async def create() -> None:
        issued = await tokens.create_token(
            name=name,
            role=Role(role),
            expires_in=lifetime,
            actor=cli_actor(),
            now=SystemClock().now(),
        )
        expiry = issued.token.expires_at.isoformat() if issued.token.expires_at else "never"
        click.echo(f"created token {issued.token.id} ({issued.token.role.value}, expires {expiry})")
        click.echo(issued.secret)

    create()


@tokens_group.command(name="list")
@with_database
async def tokens_list() -> None:
    """List API tokens (never their secrets)."""
    for token in await tokens.list_tokens(actor=cli_actor()):
        state = "revoked" if token.revoked_at else "active"
        expiry = token.expires_at.isoformat() if token.expires_at else "never"
        click.echo(
            f"{token.id}  {token.prefix}…  {token.role.value:<11} {state:<7} {expiry}  {token.name}"
        )


@tokens_group.command(name="revoke")
@click.argument("token_id", type=click.UUID)
@with_database
async def tokens_revoke(token_id: UUID) -> None:
    """Revoke an API token."""
    token = await tokens.revoke_token(token_id, actor=cli_actor(), now=SystemClock().now())
    click.echo(f"revoked {token.id} ({token.name})")
