"""What other aggregates may read of response packages.

Internal lookups for their services: no permission checks here (each says so).
"""

from __future__ import annotations

from uuid import UUID

from domain.packages import repo as packages_repo


async def has_response_draft(request_id: UUID) -> bool:
    """Whether anyone has written a response draft for the request (revision 1 or later).

    An internal lookup for the requests service: a request with a draft takes its review,
    approval and sending through the package's steps. No permission check.
    """
    return bool((await packages_repo.get_draft(request_id)).revision)


async def pdf_blob_names() -> set[str]:
    """The blob names (SHA-256) of every package PDF, built and signed; no permission check.

    An internal lookup for the readiness check: the blob store must hold each of them.
    """
    return await packages_repo.pdf_blob_names()


async def has_package_versions() -> bool:
    """Whether any response package version was ever built (the demo seeds only before).

    An internal lookup: no permission check.
    """
    return await packages_repo.any_version()
