"""Liveness and readiness probes (public)."""

from __future__ import annotations

from litestar import Controller, get

from api.guards import PUBLIC
from api.openapi_docs import problems
from api.openapi_limits import PublicOperation
from api.schemas.auth import HealthRead
from api.version import DOCKET_VERSION
from domain.shared.database import check_ready


class HealthController(Controller):
    """Probes for load balancers and orchestrators."""

    path = "/"
    tags = ["Health"]

    @get(
        "/healthz",
        operation_id="GetHealth",
        opt=PUBLIC,
        security=[],
        operation_class=PublicOperation,
    )
    async def healthz(self) -> HealthRead:
        """The process is alive."""
        return HealthRead(status="ok", version=DOCKET_VERSION)

    @get(
        "/readyz",
        operation_id="GetReadiness",
        opt=PUBLIC,
        security=[],
        operation_class=PublicOperation,
        responses=problems(503),
    )
    async def readyz(self) -> HealthRead:
        """The database answers and every migration is applied (else 503)."""
        await check_ready()
        return HealthRead(status="ready", version=DOCKET_VERSION)
