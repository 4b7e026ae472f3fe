"""An operator's view of a request's package by its reference: list the versions, preview.

What ``docket package`` runs: the request is named by its reference, as on the letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.packages import repo as packages_repo
from domain.packages.content import package_locale
from domain.packages.content import render as render_content
from domain.packages.model import PackageVersion, RenderedDraft, ResponseDraft
from domain.requests import queries as requests
from domain.requests.errors import RequestNotFoundError
from domain.requests.model import RegulatoryRequest
from domain.shared.blobs import BlobStore
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require


async def render_draft(
    reference: str,
    *,
    locale: str,
    organisation: str,
    store: BlobStore,
    actor: Actor,
    approval_page: bool = False,
) -> RenderedDraft:
    """Render the current draft of the request ``reference`` without making a version.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no request with this reference.
        SealedRequestError: it is sealed and the actor is not among its readers.
        ValidationError: nothing written yet, or an unknown locale.
        AttachmentNotFoundError: an exhibit's attachment is gone.
    """
    require(actor.role, Permission.PACKAGES_READ)
    reg_request = await _by_reference(reference, actor)
    draft = await packages_repo.get_draft(reg_request.id)
    latest = await packages_repo.latest_version(reg_request.id)
    chosen = package_locale(reg_request, draft, locale)
    out = await render_content(
        reg_request,
        draft,
        number=1 if latest is None else latest.number + 1,
        locale=chosen,
        organisation=organisation,
        store=store,
        approval_page=approval_page,
    )
    return RenderedDraft(out.pdf, out.sha256, out.locale, reg_request.reference)


async def _by_reference(reference: str, actor: Actor) -> RegulatoryRequest:
    request_id = await requests.find_request_id(reference)
    if request_id is None:
        raise RequestNotFoundError(reference)
    return await requests.readable_request(request_id, actor=actor)


@dataclass(frozen=True, slots=True)
class PackageListing:
    """A request's response package as an operator lists it: the draft and every version."""

    reference: str
    draft: ResponseDraft
    versions: list[PackageVersion]


async def list_package(reference: str, *, actor: Actor) -> PackageListing:
    """The draft and every version of the response package of the request ``reference``.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no request with this reference.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.PACKAGES_READ)
    reg_request = await _by_reference(reference, actor)
    draft = await packages_repo.get_draft(reg_request.id)
    versions = await packages_repo.list_versions(reg_request.id)
    return PackageListing(reg_request.reference, draft, versions)
