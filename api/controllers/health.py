"""Liveness and readiness probes (public)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from api.guards import PUBLIC
from api.openapi_docs import problems
from api.openapi_limits import PublicOperation
from api.schemas.auth import HealthRead
from api.version import DOCKET_VERSION
from domain.shared.blobs import BlobStore
from domain.shared.database import check_ready
from domain.stored_files import check_files_ready


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
    async def readyz(self, blobs: NamedDependency[BlobStore]) -> HealthRead:
        """The database answers, is migrated, and every file it names is stored (else 503)."""
        await check_ready()
        await check_files_ready(blobs)
        return HealthRead(status="ready", version=DOCKET_VERSION)
