"""``docket``: the operators' and auditors' command line (same services as the API)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from api.cli_commands import LazyGroup
from api.cli_support import cli_actor, composition, fail
from api.clock import SystemClock
from api.settings import ConfigError
from api.version import DOCKET_VERSION
from domain.shared.model import Role

if TYPE_CHECKING:
    from api.composition import Composition

P = ParamSpec("P")
T = TypeVar("T")


ROLE_CHOICE = click.Choice([r.value for r in Role], case_sensitive=False)


def with_database(fn: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """Run an async command with the database connected; domain errors become one line, exit 2."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        from domain.shared import audit_trail
        from domain.shared.errors import EXPECTED_ERRORS

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


@click.group(cls=LazyGroup)
@click.version_option(DOCKET_VERSION, prog_name="docket")
def main() -> None:
    """Docket: regulatory requests, deadlines, legal holds and a verifiable audit log."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@with_database
async def migrate() -> None:
    """Apply every pending database migration."""
    from domain.shared import database

    applied = await database.migrate()
    click.echo(f"applied {len(applied)} migration(s)" if applied else "database is up to date")


@main.command()
@with_database
async def demo() -> None:
    """Create demo users, authorities, requests, packages and holds (into an empty database)."""
    from domain.demo import holds as demo_holds
    from domain.demo import requests as demo_data
    from domain.identity import users

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
    from domain.shared.errors import EXPECTED_ERRORS

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
