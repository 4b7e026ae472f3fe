"""``docket``: the operators' and auditors' command line (same services as the API)."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import wraps
from typing import ParamSpec, TypeVar
from uuid import UUID

import click

from api.cli_audit import audit_group
from api.cli_backup import backup, restore
from api.cli_deadline import deadline, jurisdictions
from api.cli_packages import package_group
from api.cli_reminders import reminders_group, worker
from api.cli_requests import requests_group
from api.cli_support import cli_actor, composition, fail
from api.clock import SystemClock
from api.composition import Composition
from api.settings import ConfigError
from api.version import DOCKET_VERSION
from domain.demo import holds as demo_holds
from domain.demo import requests as demo_data
from domain.identity import tokens, users
from domain.shared import audit_trail, database
from domain.shared.errors import EXPECTED_ERRORS
from domain.shared.model import Role

P = ParamSpec("P")
T = TypeVar("T")


ROLE_CHOICE = click.Choice([r.value for r in Role], case_sensitive=False)


def with_database(fn: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Run an async command with the database connected; domain errors become one line, exit 2."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        parts = composition()

        async def go() -> T:
            audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
            async with parts.connected():
                return await fn(*args, **kwargs)

        try:
            return asyncio.run(go())
        except EXPECTED_ERRORS as exc:
            fail(str(exc))

    return run


@click.group()
@click.version_option(DOCKET_VERSION, prog_name="docket")
def main() -> None:
    """Docket: regulatory requests, deadlines, legal holds and a verifiable audit log."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


main.add_command(deadline)
main.add_command(jurisdictions)
main.add_command(audit_group)
main.add_command(requests_group)
main.add_command(reminders_group)
main.add_command(worker)
main.add_command(package_group)
main.add_command(backup)
main.add_command(restore)


@main.command()
@with_database
async def migrate() -> None:
    """Apply every pending database migration."""
    applied = await database.migrate()
    click.echo(f"applied {len(applied)} migration(s)" if applied else "database is up to date")


@main.command()
@with_database
async def demo() -> None:
    """Create demo users, authorities, requests, packages and holds (into an empty database)."""
    now = SystemClock().now()
    created = await users.seed_demo_users(actor=cli_actor(), now=now)
    if created:
        click.echo("created demo users:")
    else:
        click.echo("demo users: the database already has users, nothing created")
    existing = {u.email for u in await users.list_users(actor=cli_actor()) if u.is_active}
    for email, _, role in users.DEMO_USERS:
        if email in existing:
            click.echo(f"  {role.value:<11} {email}  password: {users.DEMO_PASSWORD}")
    parts = composition()
    seeded = await demo_data.seed_demo_data(parts.rulebook, actor=cli_actor(), now=now)
    if seeded.requests:
        click.echo(
            f"seeded {len(seeded.authorities)} authorities and {len(seeded.requests)} requests"
        )
    else:
        click.echo("demo requests: the database already has authorities or requests, none seeded")
    people = {u.role: u for u in await users.list_users(actor=cli_actor()) if u.is_active}
    if seeded.requests and Role.LEGAL in people and Role.SPECIALIST in people:
        # imported here: packages sign with pyhanko, slow to load, and only the demo needs it
        from domain.demo import packages as demo_packages

        desk = demo_packages.DemoDesk(
            specialist=people[Role.SPECIALIST].as_actor(),
            lawyer=people[Role.LEGAL].as_actor(),
            organisation=parts.settings.packages.organisation,
            store=parts.blobs,
            identity=parts.signing_identity,
        )
        packaged = await demo_packages.seed_demo_packages(
            parts.rulebook, seeded.authorities, desk=desk, now=now
        )
        states = ", ".join(v.state.value.replace("_", " ") for v in packaged)
        click.echo(f"seeded {len(packaged)} response packages ({states})")
    else:
        click.echo("demo packages: none seeded")
    if Role.LEGAL in people and Role.SPECIALIST in people:
        held = await demo_holds.seed_demo_holds(
            parts.rulebook,
            lawyer=people[Role.LEGAL].as_actor(),
            specialist=people[Role.SPECIALIST].as_actor(),
            key=parts.ack_key,
            now=now,
        )
        states = ", ".join(h.state.value for h in held)
        click.echo(
            f"seeded {len(held)} legal holds ({states})" if held else "demo holds: none seeded"
        )


@main.command()
@click.option(
    "--no-scheduler", is_flag=True, help="Run no periodic jobs here (`docket worker` runs them)."
)
def serve(no_scheduler: bool) -> None:
    """Serve the HTTP API on DOCKET_HOST:DOCKET_PORT."""
    import uvicorn

    from api.app import app_for

    parts = composition()
    server = parts.settings.server
    logging.basicConfig(level=server.log_level.value, force=True, format="%(asctime)s %(message)s")
    click.echo(
        f"Docket on {server.base_url}  (sign in: {server.base_url}/sign-in,"
        f" API docs: {server.base_url}/schema)"
    )
    try:
        app = app_for(parts, run_scheduler=not no_scheduler)
        asyncio.run(_check_audit_log(parts))
    except ConfigError as exc:  # bad signing files, found at start-up
        fail(str(exc))
    except EXPECTED_ERRORS as exc:  # a lost audit key, another origin
        fail(str(exc))
    # uvicorn believes X-Forwarded-For/-Proto from loopback by default: anything on this host
    # could then choose the address that the login lockout counts and that a custodian's
    # acknowledgement records. Only the proxies named in DOCKET_TRUSTED_PROXIES are believed.
    trusted = list(server.trusted_proxies)
    uvicorn.run(
        app,
        host=server.host,
        port=server.port,
        access_log=False,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
    )


async def _check_audit_log(parts: Composition) -> None:
    """The audit log's origin and key, checked before the server starts (one line if bad)."""
    from api.app import open_audit_log

    async with parts.connected(pool=False):
        await open_audit_log(parts)


@main.group(name="users")
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


@main.group(name="tokens")
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
