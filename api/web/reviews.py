"""Legal's review: the queue of versions awaiting approval, and the page that reviews one.

The review page shows the version's PDF as built in the browser's viewer, its SHA-256, the
request's deadline, and what changed in the response text since the previous version (a line
diff of the Markdown, read back from the audit log). Approving posts the SHA-256 of the bytes
the page showed, and the service approves exactly those bytes or refuses; sending back needs a
comment. Refusals (four-eyes, a stale version, another digest) are the service's sentence on
the page again, beside the control.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from api.guards import needs
from api.settings import PackageSettings, WebSettings
from api.web.package_view import STATE_LABELS, last_entry, steps_open, text_diff
from api.web.pages import page
from api.web.request_forms import FORM, PASS_THROUGH, back_to
from api.web.request_page import error_text, status_of
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.packages import review as package_review
from domain.packages import reviews
from domain.packages import service as packages
from domain.packages.errors import SelfApprovalError
from domain.packages.review import SigningIdentity
from domain.packages.workflow import check_not_author
from domain.requests import queries
from domain.requests.urgency import deadline_band
from domain.shared import audit_trail
from domain.shared.blobs import BlobStore
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.model import AuditAction
from domain.shared.permissions import Permission

_VERSION = "/requests/{request_id:uuid}/package/versions/{number:int}"


@dataclass
class ApproveForm:
    """An approval: the SHA-256 of the PDF the page showed, and the reviewer's confirmation."""

    sha256: str = ""
    confirmed: str = ""


@dataclass
class SendBackForm:
    """Legal's comment on what must change."""

    comment: str = ""


async def _names(viewer: SessionUser) -> dict[str, str]:
    return {f"user:{p.id}": p.display_name for p in await users.colleagues(actor=viewer.actor)}


async def review_page(
    request_id: UUID,
    number: int,
    *,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    status: int = 200,
) -> Template:
    """The review of one version, with a refused form's message beside its control.

    Raises:
        RequestNotFoundError: no such request (a 404 page).
        PackageVersionNotFoundError: no such version (a 404 page).
    """
    actor = viewer.actor
    reg = await queries.get_request(request_id, actor=actor)
    version = await packages.get_version(request_id, number, actor=actor)
    draft = await packages.get_draft(request_id, actor=actor)
    texts = await reviews.version_texts(request_id, number, actor=actor)
    diff = None
    if texts.markdown is not None and texts.previous_markdown is not None:
        diff = text_diff(texts.previous_markdown, texts.markdown)
    self_approval = ""
    try:
        check_not_author(version, audit_trail.actor_ref(actor))
    except SelfApprovalError as exc:
        self_approval = str(exc)
    return await page(
        "review.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="reviews",
        status_code=status,
        reg=reg,
        version=version,
        stale_reason=version.stale_reason(draft),
        steps=steps_open(version, draft, reg, viewer),
        self_approval=self_approval,
        texts=texts,
        diff=diff,
        band=deadline_band(reg, clock.now()).value,
        states=STATE_LABELS,
        authors=await _names(viewer),
        errors=dict(errors or {}),
        values=dict(values or {}),
    )


class ReviewController(Controller):
    """Legal's review queue and the review of one version."""

    path = "/"
    include_in_schema = False

    @get("/reviews", opt=needs(Permission.PACKAGES_APPROVE))
    async def queue(
        self,
        *,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The versions awaiting approval, the earliest submitted first."""
        waiting = await reviews.review_queue(actor=viewer.actor, now=clock.now())
        return await page(
            "reviews.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="reviews",
            waiting=waiting,
            authors=await _names(viewer),
        )

    @get(f"{_VERSION}/review", opt=needs(Permission.PACKAGES_APPROVE))
    async def review(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """One version: its PDF, SHA-256, what changed since the last one, the deadline."""
        return await review_page(
            request_id, number, viewer=viewer, clock=clock, web_settings=web_settings
        )

    @post(f"{_VERSION}/approve", opt=needs(Permission.PACKAGES_APPROVE), status_code=303)
    async def approve(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        data: Annotated[ApproveForm, FORM],
        signing_identity: NamedDependency[SigningIdentity],
        package_settings: NamedDependency[PackageSettings],
        blobs: NamedDependency[BlobStore],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Approve the version whose SHA-256 the page showed; it is signed (PAdES)."""
        try:
            if data.confirmed != "yes":
                raise ValidationError("approve", "tick the box to confirm what you approve")
            await package_review.approve_package(
                request_id,
                number,
                sha256=data.sha256,
                identity=signing_identity,
                organisation=package_settings.organisation,
                store=blobs,
                actor=viewer.actor,
                now=clock.now(),
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await review_page(
                request_id,
                number,
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                errors={"approve": error_text(exc)},
                status=status_of(exc),
            )
        return back_to(
            request_id, await last_entry(request_id, viewer, AuditAction.PACKAGE_APPROVED)
        )

    @post(f"{_VERSION}/send_back", opt=needs(Permission.PACKAGES_APPROVE), status_code=303)
    async def send_back(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        data: Annotated[SendBackForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Return the version with a comment; the request goes back to drafting."""
        try:
            await package_review.send_back_package(
                request_id, number, data.comment, actor=viewer.actor, now=clock.now()
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            where = "comment" if isinstance(exc, ValidationError) else "send_back"
            return await review_page(
                request_id,
                number,
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                errors={where: error_text(exc)},
                values={"comment": data.comment},
                status=status_of(exc),
            )
        entries = await last_entry(request_id, viewer, AuditAction.PACKAGE_SENT_BACK)
        return back_to(request_id, entries)
