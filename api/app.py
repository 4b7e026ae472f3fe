"""The composition root: ``create_app(settings)`` wires settings, clock, database and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from litestar import Litestar, Request, Router
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

from api.auth import PUBLIC_OPT, BearerAuthMiddleware
from api.clock import Clock, SystemClock
from api.controllers.ack import AckController
from api.controllers.audit import AuditController
from api.controllers.auth import AuthController
from api.controllers.authorities import AuthorityController
from api.controllers.calendar import CalendarController
from api.controllers.health import HealthController
from api.controllers.holds import HoldController
from api.controllers.inbox import InboxController, RequestReminderController
from api.controllers.jurisdictions import JurisdictionController
from api.controllers.outbox import OutboxController
from api.controllers.packages import PackageController, signing_identity
from api.controllers.request_export import RequestExportController
from api.controllers.request_files import request_files_router
from api.controllers.requests import RequestController
from api.controllers.tokens import TokenController
from api.controllers.users import UserController
from api.docs_page import SwaggerPage
from api.errors import EXCEPTION_HANDLERS
from api.guards import DOCS_PREFIX, PUBLIC, authorize
from api.request_log import RequestLogMiddleware
from api.settings import Settings
from api.static_assets import STATIC_DIR, STATIC_PREFIX
from api.sweep_wiring import sweep_job
from api.version import DOCKET_VERSION
from domain import audit_log, deadlines
from domain.holds.ack_links import ack_key
from domain.holds.notice_plan import HoldPolicy
from domain.identity.auth import AuthPolicy
from domain.shared import database
from domain.shared.model import Actor
from scheduler.runner import CheckpointJob, start_scheduler


def _provide_actor(request: Request[Actor, object, State]) -> Actor:
    return request.user


def _provide_clock(state: State) -> Clock:
    clock: Clock = state.clock
    return clock


def hold_policy(settings: Settings) -> HoldPolicy:
    """How often custodians hear about a hold, from settings."""
    return HoldPolicy(
        reminder_every=timedelta(days=settings.hold_reminder_days),
        escalate_after=timedelta(days=settings.hold_escalate_days),
        reaffirm_every=timedelta(days=settings.hold_reaffirm_days),
        link_valid_for=timedelta(days=settings.ack_link_days),
    )


def static_routers() -> list[Router]:
    """The routers of /static: Docket's own files and the pinned vendored packages.

    Docket's own files are revalidated on every use; a vendored folder's name carries its
    version, so browsers may keep those files for a year.
    """
    return [
        create_static_files_router(
            f"{STATIC_PREFIX}/vendor",
            [STATIC_DIR / "vendor"],
            name="vendor",
            opt=PUBLIC,
            cache_control=CacheControlHeader(max_age=31_536_000, public=True, immutable=True),
        ),
        create_static_files_router(
            f"{STATIC_PREFIX}/docket",
            [STATIC_DIR / "docket"],
            name="static",
            opt=PUBLIC,
            cache_control=CacheControlHeader(no_cache=True),
        ),
    ]


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    pool: bool = True,
    rulebook: deadlines.RuleBook | None = None,
    run_scheduler: bool = True,
) -> Litestar:
    """A Docket API bound to ``settings``; the database is connected while the app runs.

    ``pool=False`` opens a connection per query (tests drive the app from another event loop);
    ``rulebook`` saves loading the rule packs again (tests build many apps).
    """
    logging.getLogger("docket").setLevel(settings.log_level)

    @asynccontextmanager
    async def database_lifespan(app: Litestar) -> AsyncIterator[None]:
        async with database.connected(settings.database_url, pool=pool):
            app.state.signer = audit_log.load_signer(
                settings.audit_origin, key_file=settings.audit_key_file, data_dir=settings.data_dir
            )
            job = CheckpointJob(app.state.signer, settings.audit_origin, app.state.clock)
            await job()  # registers the key and signs the first checkpoint; logs if not migrated
            scheduler = None
            if run_scheduler:
                scheduler = start_scheduler(
                    job,
                    interval_seconds=settings.checkpoint_interval,
                    sweep=sweep_job(
                        settings, app.state.clock, app.state.rulebook, app.state.hold_policy
                    ),
                    sweep_interval=settings.sweep_interval,
                )
            try:
                yield
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)

    app = Litestar(
        route_handlers=[
            HealthController,
            AuthController,
            UserController,
            TokenController,
            AuditController,
            JurisdictionController,
            AuthorityController,
            RequestController,
            RequestExportController,
            request_files_router(settings.attachment_max_bytes),
            HoldController,
            InboxController,
            RequestReminderController,
            AckController,
            OutboxController,
            CalendarController,
            PackageController,
            *static_routers(),
        ],
        lifespan=[database_lifespan],
        state=State(
            {
                "settings": settings,
                "clock": clock or SystemClock(),
                "rulebook": rulebook or deadlines.load(),
                "ack_key": ack_key(settings.secret_key.value),
                "hold_policy": hold_policy(settings),
                # response packages: loaded at start-up, so bad PEM files fail here
                "signing_identity": signing_identity(settings, now=(clock or SystemClock()).now()),
                "auth_policy": AuthPolicy(
                    secret_key=settings.secret_key.value,
                    access_token_ttl=settings.access_token_ttl,
                    max_failures=settings.login_max_failures,
                    lockout_seconds=settings.login_lockout_seconds,
                ),
            }
        ),
        dependencies={
            "actor": Provide(_provide_actor, sync_to_thread=False),
            "clock": Provide(_provide_clock, sync_to_thread=False),
        },
        middleware=[
            DefineMiddleware(
                BearerAuthMiddleware, exclude=[f"^{DOCS_PREFIX}"], exclude_from_auth_key=PUBLIC_OPT
            )
        ],
        guards=[authorize],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Docket API",
            version=DOCKET_VERSION,
            description=(
                "Track regulator, court and law-enforcement requests against their statutory "
                "deadlines. Send `Authorization: Bearer <token>`: an access token from "
                "`POST /api/v1/auth/login`, or an API token created by an admin. Every error is "
                "an RFC 9457 `application/problem+json` document."
            ),
            path=DOCS_PREFIX,
            use_handler_docstrings=True,
            render_plugins=[SwaggerPage()],
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            security=[{"BearerToken": []}],
        ),
        debug=False,
    )
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler)
    return app
