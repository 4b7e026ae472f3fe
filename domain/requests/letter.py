"""What a response letter prints of a request: the one mapping from a request to the letter.

The package's renderer takes this value (``documents.package.PrintedRequest``) as the request's
part of the letter, and a built version records its digest; the requests service compares it
before and after each change, so a change of anything the letter prints makes the built
versions stale (``domain.packages.staleness``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from audit.canonical import JsonValue
from documents.package import PrintedRequest
from domain.packages.staleness import mark_stale
from domain.requests import repo as requests_repo
from domain.requests.model import Authority, RegulatoryRequest
from domain.requests.workflow import REQUEST_WORKFLOW, RequestAction


def printed_request(reg_request: RegulatoryRequest, authority: Authority) -> PrintedRequest:
    """What the cover letter of a response to ``reg_request`` prints of it (pure)."""
    return PrintedRequest(
        reference=reg_request.reference,
        authority_name=authority.name,
        authority_contact=authority.contact,
        authority_reference=reg_request.authority_reference,
        legal_basis=reg_request.legal_basis,
        received_at=reg_request.received_at,
        due_at=reg_request.effective_due_at,
        time_zone=reg_request.tz,
    )


async def load_printed_request(reg_request: RegulatoryRequest) -> PrintedRequest:
    """What the letter prints of ``reg_request``, its authority loaded (no permission check).

    Raises:
        AuthorityNotFoundError: the request's authority is gone.
    """
    return printed_request(reg_request, await requests_repo.get_authority(reg_request.authority_id))


@dataclass(frozen=True, slots=True)
class StalePackage:
    """What a change of the request did to its package: the printed fields, the versions."""

    fields: tuple[str, ...]
    versions: tuple[int, ...]

    def recorded(self) -> dict[str, JsonValue]:
        """How the change's audit entry names them (``package_stale``)."""
        return {"fields": list(self.fields), "versions": list(self.versions)}


async def stale_package(
    current: RegulatoryRequest, changed: RegulatoryRequest
) -> tuple[RegulatoryRequest, StalePackage | None]:
    """Mark the package's versions stale when ``changed`` prints differently from ``current``.

    Runs inside the caller's write transaction, before it saves ``changed``. When a version
    goes stale, a request in legal review or approved goes back to drafting (the workflow's
    ``revise`` step): what Legal reviewed no longer matches the record.

    Returns:
        ``changed`` (moved back to drafting if need be), and what went stale (None: nothing).

    Raises:
        AuthorityNotFoundError: an authority of either request is gone.
    """
    authority = await requests_repo.get_authority(current.authority_id)
    other = authority
    if changed.authority_id != current.authority_id:
        other = await requests_repo.get_authority(changed.authority_id)
    fields = printed_request(current, authority).changed_fields(printed_request(changed, other))
    versions = await mark_stale(current.id, fields) if fields else ()
    if not versions:
        return changed, None
    revise = REQUEST_WORKFLOW.steps[RequestAction.REVISE].get(changed.state)
    if revise is not None:
        changed = replace(changed, state=revise.to)
    return changed, StalePackage(fields, versions)
