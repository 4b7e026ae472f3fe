"""The auditor's page: the signed checkpoint, the verifier keys, how to verify, the bundle.

Everything comes through the same services as ``/api/v1/audit`` under the same permission:
the checkpoint (signed first if the log grew), the keys, the inclusion proofs, and the bundle
that ``docket audit export`` writes, here streamed as one ZIP archive while it is read.
"""

from __future__ import annotations

import shlex
from typing import Annotated, Final

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.response import Redirect, Stream, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.controllers.request_files import content_disposition
from api.guards import needs
from api.schemas.audit import InclusionProofRead
from api.settings import WebSettings
from api.web.pages import page
from domain import audit_log, audit_reading
from domain.audit_log import LogIdentity
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.permissions import Permission

READ = needs(Permission.AUDIT_READ)
BIGINT: Final = 2**63 - 1
NonNegative = Annotated[int, Parameter(ge=0, le=BIGINT)]
"""An index or a tree size: what the log's BIGINT columns can hold."""
TreeSize = Annotated[int | None, Parameter(ge=0, le=BIGINT)]


def verify_command(folder: str, vkeys: list[str]) -> str:
    """The shell command that unpacks the bundle ``folder`` and verifies it with ``vkeys``.

    Every key the log has had is named: a checkpoint signed before a key rotation verifies
    only with the key that signed it.
    """
    keys = " ".join(f"--vkey {shlex.quote(key)}" for key in vkeys)
    return (
        f"unzip {shlex.quote(folder + '.zip')} && docket audit verify {shlex.quote(folder)} {keys}"
    )


class AuditPageController(Controller):
    """The audit log for auditors and admins."""

    path = "/audit"
    include_in_schema = False

    @get("/", opt=READ)
    async def overview(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        audit_identity: NamedDependency[LogIdentity],
    ) -> Template:
        """The latest signed checkpoint, the verifier keys, the bundle and the verify command."""
        checkpoint = await audit_reading.signed_checkpoint(
            audit_identity.signer, audit_identity.origin, actor=viewer.actor, now=clock.now()
        )
        keys = await audit_log.verifier_keys(actor=viewer.actor)
        folder = f"{audit_reading.BUNDLE_PREFIX}{checkpoint.size}"
        return await page(
            "audit.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="audit",
            checkpoint=checkpoint,
            keys=keys,
            folder=folder,
            command=verify_command(folder, [k.vkey for k in keys]),
        )

    @get("/bundle", opt=READ)
    async def bundle(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        audit_identity: NamedDependency[LogIdentity],
        tree_size: TreeSize = None,
    ) -> Stream:
        """The export bundle up to the checkpoint of ``tree_size`` (else the latest), as ZIP."""
        download = await audit_reading.bundle_download(
            tree_size,
            signer=audit_identity.signer,
            origin=audit_identity.origin,
            actor=viewer.actor,
            now=clock.now(),
        )
        return Stream(
            download.chunks,
            media_type="application/zip",
            headers={
                "content-disposition": content_disposition(f"{download.folder}.zip"),
                "cache-control": "private, no-store",
            },
        )

    @get("/proof/inclusion", opt=READ, media_type="application/json")
    async def inclusion(
        self,
        *,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        audit_identity: NamedDependency[LogIdentity],
        index: NonNegative,
        tree_size: TreeSize = None,
    ) -> InclusionProofRead | Redirect:
        """The RFC 9162 inclusion proof of entry ``index``, as ``/api/v1/audit/proof/inclusion``.

        Without ``tree_size``, the latest checkpoint's (signed first if the log grew): the link
        goes to that stable address, so what it shows can be checked again later.
        """
        if tree_size is None:
            checkpoint = await audit_reading.signed_checkpoint(
                audit_identity.signer, audit_identity.origin, actor=viewer.actor, now=clock.now()
            )
            return Redirect(
                path=f"{request.url.path}?index={index}&tree_size={checkpoint.size}",
                status_code=HTTP_303_SEE_OTHER,
            )
        proof = await audit_log.inclusion_proof(index, tree_size, actor=viewer.actor)
        return InclusionProofRead(index=index, tree_size=tree_size, proof=[p.hex() for p in proof])
