"""``create_app(settings)``: the composition's parts as typed dependencies, routes, middleware."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar, Request, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from api.auth import PUBLIC_OPT, ActorMiddleware
from api.clock import Clock
from api.composition import Composition
from api.controllers.ack import AckController
from api.controllers.audit import AuditController
from api.controllers.auth import AuthController
from api.controllers.authorities import AuthorityController
from api.controllers.calendar import CalendarController
from api.controllers.health import HealthController
from api.controllers.holds import HoldController
from api.controllers.inbox import InboxController, RequestReminderController
from api.controllers.jurisdictions import JurisdictionController
from api.controllers.letter_templates import LetterTemplateController
from api.controllers.outbox import OutboxController
from api.controllers.packages import PackageController
from api.controllers.request_export import RequestExportController
from api.controllers.request_files import request_files_router
from api.controllers.requests import RequestController
from api.controllers.tokens import TokenController
from api.controllers.users import UserController
from api.docs_page import SwaggerPage
from api.errors import exception_handlers
from api.guards import DOCS_PREFIX, PUBLIC, authorize
from api.input_checks import DocketRequest, refuse_malformed_query
from api.openapi_limits import ClosedStructSchemaPlugin
from api.request_log import RequestLogMiddleware
from api.security_headers import SecurityHeadersMiddleware
from api.settings import Settings, StorageSettings
from api.static_assets import STATIC_DIR, STATIC_PREFIX
from api.version import DOCKET_VERSION
from api.web.account import AccountController
from api.web.admin_authorities import AdminAuthoritiesController
from api.web.admin_letters import AdminLetterTemplatesController
from api.web.admin_settings import AdminSettingsController
from api.web.admin_tokens import AdminTokensController
from api.web.admin_users import AdminUsersController
from api.web.audit import AuditPageController
from api.web.audit_entries import AuditEntriesController
from api.web.hold_release import hold_pages_router
from api.web.inbox import InboxPageController
from api.web.log_request import LogRequestController
from api.web.package_forms import PackageFormController
from api.web.package_pdfs import PackagePdfController
from api.web.pages import viewer_of
from api.web.queue import QueueController
from api.web.request_clock import RequestClockController
from api.web.request_documents import request_page_router
from api.web.reviews import ReviewController
from api.web.signin import SignInController
from api.web.sso import SingleSignOnController
from api.web.templating import template_config
from domain import deadlines
from domain.shared.database import check_ready
from domain.shared.errors import NotReadyError
from domain.shared.model import Actor

log = logging.getLogger("docket")


def _provide_actor(request: Request[Actor, object, State]) -> Actor:
    return request.user


def _constant(value: object) -> Provide:
    return Provide(lambda: value, use_cache=True, sync_to_thread=False)


def dependencies(parts: Composition) -> dict[str, Provide]:
    """What a handler may ask for, by parameter name: the actor, and the composition's parts.

    The audit log's origin and signer are read at start-up, once the database is connected;
    everything else is built here, before the first request.
    """
    settings = parts.settings
    return {
        "actor": Provide(_provide_actor, sync_to_thread=False),
        "clock": _constant(parts.clock),
        "rulebook": _constant(parts.rulebook),
        "auth_policy": _constant(parts.auth_policy),
        "hold_policy": _constant(parts.hold_policy),
        "identifier_rules": _constant(parts.identifier_rules),
        "ack_key": _constant(parts.ack_key),
        "signing_identity": _constant(parts.signing_identity),  # bad PEM files fail at start-up
        "blobs": _constant(parts.blobs),
        "audit_identity": Provide(parts.open_audit_log),
        "settings": _constant(settings),  # the read-only settings page shows every area
        "server_settings": _constant(settings.server),
        "auth_settings": _constant(settings.auth),
        "package_settings": _constant(settings.packages),
        "storage_settings": _constant(settings.storage),
        "web_settings": _constant(settings.web),
        "oidc_settings": _constant(settings.oidc),
        "oidc_client": _constant(parts.oidc_client),
        "reminder_settings": _constant(settings.reminders),
        "calendar_limiter": _constant(parts.calendar_limiter),
        "feed_validators": _constant(parts.feed_validators),
        "viewer": Provide(viewer_of, sync_to_thread=False),
    }


def csrf_config(settings: Settings) -> CSRFConfig:
    """Double-submit CSRF tokens on every page form and htmx request.

    The JSON API (bearer tokens, no cookies), the API docs and the files are excluded, and so
    are the acknowledgement pages, which a custodian opens from a mail without signing in: the
    signed single-use token in their URL is what authorizes them.
    """
    return CSRFConfig(
        secret=settings.auth.secret_key.value,
        cookie_name="docket_csrf",
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=settings.server.base_url.startswith("https://"),
        exclude=[
            "^/api/",
            f"^{DOCS_PREFIX}",
            f"^{STATIC_PREFIX}/",
            "^/ack/",
            "^/healthz",
            "^/readyz",
        ],
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
    parts = Composition(settings, clock=clock, rulebook=rulebook)
    return app_for(parts, pool=pool, run_scheduler=run_scheduler)


def app_for(parts: Composition, *, pool: bool = True, run_scheduler: bool = True) -> Litestar:
    """The Docket API of these parts (``create_app`` when they are built already)."""
    settings = parts.settings
    logging.getLogger("docket").setLevel(settings.server.log_level.value)
    app = Litestar(
        route_handlers=route_handlers(settings.storage),
        lifespan=[_database_lifespan(parts, pool=pool, run_scheduler=run_scheduler)],
        dependencies=dependencies(parts),
        middleware=[
            DefineMiddleware(
                ActorMiddleware,
                exclude=[f"^{DOCS_PREFIX}", f"^{STATIC_PREFIX}/"],
                exclude_from_auth_key=PUBLIC_OPT,
                policy=parts.auth_policy,
                clock=parts.clock,
            )
        ],
        guards=[authorize, refuse_malformed_query],
        request_class=DocketRequest,
        plugins=[ClosedStructSchemaPlugin()],
        exception_handlers=exception_handlers(settings.server.problem_base_uri),
        csrf_config=csrf_config(settings),
        template_config=template_config(),
        openapi_config=openapi_config(),
        debug=False,
    )
    app.asgi_handler = RequestLogMiddleware(SecurityHeadersMiddleware(app.asgi_handler))
    return app


def _database_lifespan(
    parts: Composition, *, pool: bool, run_scheduler: bool
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Connect the database, sign a first checkpoint and start the scheduler while the app runs."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with parts.connected(pool=pool):
            await open_audit_log(parts)
            # registers the key and signs the first checkpoint; logs if not migrated
            await parts.checkpoint_job()
            scheduler = parts.start_scheduler() if run_scheduler else None
            try:
                yield
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)

    return lifespan


async def open_audit_log(parts: Composition) -> None:
    """Check the audit log's origin and key at start-up; a bad one stops the start.

    A database not yet migrated is left to ``/readyz`` (503, naming ``docket migrate``) and the
    checkpoint job, which opens the log at its first tick after the migration.

    Raises:
        OriginMismatchError, KeyMissingError, KeyFileError: see ``audit_log.open_log``.
    """
    try:
        await check_ready()
    except NotReadyError as exc:
        log.warning("the audit log is opened once the database is ready: %s", exc)
        return
    await parts.open_audit_log()


def route_handlers(storage: StorageSettings) -> list[ControllerRouterHandler]:
    """Every controller, and the static files."""
    return [
        HealthController,
        AuthController,
        UserController,
        TokenController,
        AuditController,
        JurisdictionController,
        AuthorityController,
        RequestController,
        RequestExportController,
        request_files_router(storage.attachment_max_bytes),
        HoldController,
        InboxController,
        RequestReminderController,
        AckController,
        OutboxController,
        CalendarController,
        PackageController,
        LetterTemplateController,
        SignInController,
        SingleSignOnController,
        QueueController,
        InboxPageController,
        AccountController,
        request_page_router(storage.attachment_max_bytes),
        LogRequestController,
        RequestClockController,
        PackageFormController,
        PackagePdfController,
        ReviewController,
        hold_pages_router(),
        AuditPageController,
        AuditEntriesController,
        AdminUsersController,
        AdminTokensController,
        AdminAuthoritiesController,
        AdminLetterTemplatesController,
        AdminSettingsController,
        *static_routers(),
    ]


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI document at /schema and its Swagger page."""
    return OpenAPIConfig(
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
    )
