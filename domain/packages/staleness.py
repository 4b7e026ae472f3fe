"""What a change of a request does to its response package: the built versions go stale.

The letter prints some of the request's fields (``documents.package.PrintedRequest``). When the
requests service changes any of them, it calls :func:`mark_stale` inside its own write
transaction and records what it returns in the one audit entry of that change; the review steps
then refuse a stale version (``domain.packages.review``). Staleness is stored rather than
derived so that it never wears off: a version stays superseded even if a field is changed back,
as it does when the response changes.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from domain.packages import repo as packages_repo


async def mark_stale(request_id: UUID, fields: tuple[str, ...]) -> tuple[int, ...]:
    """Record on every built version of the request that ``fields`` changed since its build.

    Runs inside the caller's write transaction and writes no audit entry (the caller's entry
    names the versions returned). Versions built before Docket recorded what their letter
    prints of the request (no ``request_digest``) are left alone.

    Returns:
        The numbers of the versions whose stale fields grew, the first one first.
    """
    marked = []
    for version in await packages_repo.list_versions(request_id):
        if not version.request_digest:
            continue
        grown = tuple(dict.fromkeys((*version.stale_fields, *fields)))
        if grown != version.stale_fields:
            await packages_repo.set_stale_fields(replace(version, stale_fields=grown))
            marked.append(version.number)
    return tuple(marked)
