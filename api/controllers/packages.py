"""Response packages: the draft, its built versions, their PDFs and their review by Legal."""

from __future__ import annotations

import base64
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.datastructures import ETag
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, FromQuery
from litestar.response import File
from litestar.status_codes import HTTP_200_OK

from api.clock import Clock
from api.controllers.request_files import content_disposition
from api.guards import needs
from api.openapi_docs import protected
from api.schemas.packages import (
    ApprovalCreate,
    PackageBuildRead,
    PackageVersionList,
    PackageVersionRead,
    ResponseDraftRead,
    ResponseDraftUpdate,
    SendBackCreate,
)
from api.settings import PackageSettings
from domain.packages import review as package_review
from domain.packages import service as packages
from domain.packages.model import DraftExhibit, PackageVersion, ResponseDraft
from domain.packages.review import SigningIdentity
from domain.packages.service import DraftChange
from domain.packages.workflow import PackageAction, available_actions
from domain.shared.blobs import BlobStore
from domain.shared.model import Actor
from domain.shared.permissions import Permission

_VERSION = "/{request_id:uuid}/package/versions/{number:int}"


def _action(action: PackageAction) -> str:
    """The path of a workflow step: every step is ``POST <version>/actions/<action>``."""
    return f"{_VERSION}/actions/{action.value}"


def _read(version: PackageVersion, draft: ResponseDraft, actor: Actor) -> PackageVersionRead:
    actions = available_actions(version, draft, actor.role)
    return PackageVersionRead.from_domain(version, draft=draft, actions=actions)


async def _answer(version: PackageVersion, actor: Actor) -> PackageVersionRead:
    draft = await packages.get_draft(version.request_id, actor=actor)
    return _read(version, draft, actor)


class PackageController(Controller):
    """Write the response, build it into versioned PDFs, and have Legal approve and sign one."""

    path = "/api/v1/requests"
    tags = ["Response packages"]

    @get(
        "/{request_id:uuid}/package/draft",
        operation_id="GetResponseDraft",
        opt=needs(Permission.PACKAGES_READ),
        responses=protected(404),
    )
    async def get_draft(
        self, request_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> ResponseDraftRead:
        """The response draft of a request (revision 0 before anything is written)."""
        return ResponseDraftRead.from_domain(await packages.get_draft(request_id, actor=actor))

    @put(
        "/{request_id:uuid}/package/draft",
        operation_id="UpdateResponseDraft",
        opt=needs(Permission.PACKAGES_WRITE),
        responses=protected(404, 409, 422),
    )
    async def update_draft(
        self,
        request_id: FromPath[UUID],
        data: Annotated[ResponseDraftUpdate, Body(title="Response draft")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> ResponseDraftRead:
        """Replace the response; versions built before become stale and need a new build."""
        change = DraftChange(
            markdown=data.markdown,
            locale=data.locale,
            exhibits=tuple(DraftExhibit(e.attachment_id, e.title) for e in data.exhibits),
        )
        draft = await packages.update_draft(
            request_id, change, expected_revision=data.revision, actor=actor, now=clock.now()
        )
        return ResponseDraftRead.from_domain(draft)

    @post(
        "/{request_id:uuid}/package/versions",
        operation_id="BuildPackageVersion",
        opt=needs(Permission.PACKAGES_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def build_version(
        self,
        request_id: FromPath[UUID],
        blobs: NamedDependency[BlobStore],
        package_settings: NamedDependency[PackageSettings],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PackageBuildRead:
        """Render the draft into a new version, or answer the latest one if the bytes are equal."""
        built = await packages.build_version(
            request_id,
            organisation=package_settings.organisation,
            store=blobs,
            actor=actor,
            now=clock.now(),
            approval_page=package_settings.approval_page,
        )
        return PackageBuildRead(created=built.created, version=await _answer(built.version, actor))

    @get(
        "/{request_id:uuid}/package/versions",
        operation_id="ListPackageVersions",
        opt=needs(Permission.PACKAGES_READ),
        responses=protected(404),
    )
    async def list_versions(
        self, request_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> PackageVersionList:
        """Every version of the request's package, the first one first."""
        found = await packages.list_versions(request_id, actor=actor)
        draft = await packages.get_draft(request_id, actor=actor)
        return PackageVersionList(items=[_read(v, draft, actor) for v in found])

    @get(
        _VERSION,
        operation_id="GetPackageVersion",
        opt=needs(Permission.PACKAGES_READ),
        responses=protected(404),
    )
    async def get_version(
        self, request_id: FromPath[UUID], number: FromPath[int], actor: NamedDependency[Actor]
    ) -> PackageVersionRead:
        """One version of the package with its digests, review and the steps open to you."""
        return await _answer(await packages.get_version(request_id, number, actor=actor), actor)

    @get(
        f"{_VERSION}/pdf",
        operation_id="DownloadPackageVersion",
        opt=needs(Permission.PACKAGES_READ),
        responses=protected(404, 410),
        media_type="application/pdf",
    )
    async def download(
        self,
        request_id: FromPath[UUID],
        number: FromPath[int],
        blobs: NamedDependency[BlobStore],
        actor: NamedDependency[Actor],
        signed: FromQuery[bool] = True,
    ) -> File:
        """The version's PDF: once approved the signed one, unless ``signed=false``."""
        found = await packages.open_version_pdf(
            request_id, number, signed=signed, store=blobs, actor=actor
        )
        suffix = "-signed" if found.signed else ""
        name = f"{found.reference}-v{number}{suffix}.pdf"
        digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
        return File(
            path=str(found.path),
            media_type="application/pdf",
            etag=ETag(value=found.sha256),
            headers={
                "content-disposition": content_disposition(name),
                "repr-digest": f"sha-256=:{digest}:",  # RFC 9530 §3
                "x-content-type-options": "nosniff",
                "cache-control": "private, no-store",
            },
        )

    @post(
        _action(PackageAction.SUBMIT),
        operation_id="SubmitPackageVersion",
        opt=needs(Permission.PACKAGES_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def submit(
        self,
        request_id: FromPath[UUID],
        number: FromPath[int],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PackageVersionRead:
        """Submit the version for Legal's review; the request goes to legal review."""
        version = await package_review.submit_package(
            request_id, number, actor=actor, now=clock.now()
        )
        return await _answer(version, actor)

    @post(
        _action(PackageAction.APPROVE),
        operation_id="ApprovePackageVersion",
        opt=needs(Permission.PACKAGES_APPROVE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def approve(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        data: Annotated[ApprovalCreate, Body(title="Approval")],
        signing_identity: NamedDependency[SigningIdentity],
        package_settings: NamedDependency[PackageSettings],
        blobs: NamedDependency[BlobStore],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PackageVersionRead:
        """Approve exactly the version with this SHA-256 (not its author): it is signed (PAdES)."""
        version = await package_review.approve_package(
            request_id,
            number,
            sha256=data.sha256,
            identity=signing_identity,
            organisation=package_settings.organisation,
            store=blobs,
            actor=actor,
            now=clock.now(),
        )
        return await _answer(version, actor)

    @post(
        _action(PackageAction.SEND_BACK),
        operation_id="SendBackPackageVersion",
        opt=needs(Permission.PACKAGES_APPROVE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def send_back(
        self,
        request_id: FromPath[UUID],
        number: FromPath[int],
        data: Annotated[SendBackCreate, Body(title="Send back")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PackageVersionRead:
        """Return the version with a comment; the request goes back to drafting."""
        version = await package_review.send_back_package(
            request_id, number, data.comment, actor=actor, now=clock.now()
        )
        return await _answer(version, actor)

    @post(
        _action(PackageAction.MARK_SENT),
        operation_id="MarkPackageVersionSent",
        opt=needs(Permission.PACKAGES_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def mark_sent(
        self,
        request_id: FromPath[UUID],
        number: FromPath[int],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PackageVersionRead:
        """Record that the approved, signed version went out; the request is sent."""
        version = await package_review.mark_package_sent(
            request_id, number, actor=actor, now=clock.now()
        )
        return await _answer(version, actor)
