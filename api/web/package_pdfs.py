"""A response package's PDFs behind the session: a version as built, and as signed.

The API's download takes bearer tokens, so the pages have their own routes, under the same
permission and the same service. The built PDF (what Legal approves, under its SHA-256) opens
in the browser's own viewer; the signed one downloads under the request's reference.
"""

from __future__ import annotations

import base64
from typing import Final
from uuid import UUID

from litestar import Controller, get
from litestar.datastructures import ETag
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from api.controllers.request_files import content_disposition
from api.guards import needs
from domain.identity.sessions import SessionUser
from domain.packages import service as packages
from domain.shared.blobs import BlobStore
from domain.shared.permissions import Permission

_VERSION: Final = "/versions/{number:int}"


class PackagePdfController(Controller):
    """The PDFs of a request's package versions."""

    path = "/requests/{request_id:uuid}/package"
    include_in_schema = False

    @get(f"{_VERSION}/pdf", opt=needs(Permission.PACKAGES_READ), media_type="application/pdf")
    async def view_pdf(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        blobs: NamedDependency[BlobStore],
        viewer: NamedDependency[SessionUser],
    ) -> File:
        """The version's PDF as built (what Legal approves), in the browser's viewer."""
        found = await packages.open_version_pdf(
            request_id, number, signed=False, store=blobs, actor=viewer.actor
        )
        name = f"{found.reference}-v{number}.pdf"
        return _pdf(found, "inline" + content_disposition(name).removeprefix("attachment"))

    @get(
        f"{_VERSION}/signed.pdf", opt=needs(Permission.PACKAGES_READ), media_type="application/pdf"
    )
    async def download_signed(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        blobs: NamedDependency[BlobStore],
        viewer: NamedDependency[SessionUser],
    ) -> File:
        """The approved version's signed PDF, saved under the request's reference."""
        found = await packages.open_version_pdf(
            request_id, number, signed=True, store=blobs, actor=viewer.actor
        )
        if not found.signed:
            raise NotFoundException(f"version {number} has not been approved and signed")
        return _pdf(found, content_disposition(f"{found.reference}-v{number}-signed.pdf"))


def _pdf(found: packages.VersionPdf, disposition: str) -> File:
    """A package PDF with its SHA-256 (ETag and RFC 9530 digest), fetching nothing when shown."""
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    return File(
        path=str(found.path),
        media_type="application/pdf",
        etag=ETag(value=found.sha256),
        headers={
            "content-disposition": disposition,
            "repr-digest": f"sha-256=:{digest}:",
            "cache-control": "private, no-store",
            # the browser's PDF viewer must run; the document itself may fetch nothing
            "content-security-policy": "default-src 'none'; object-src 'self'",
        },
    )
