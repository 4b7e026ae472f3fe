"""The request page's response package: save the draft, preview it, build, submit, send, PDFs.

Each form calls the same service as the API (``api/controllers/packages.py``) under the same
permission, then redirects to the request page naming the audit entry it wrote; a refusal
renders the page again with the service's sentence beside the control. A save refused because
someone else saved the response meanwhile shows their text and the viewer's, and never
overwrites. The PDFs have their own routes behind the session: a version's built PDF opens in
the browser's viewer, the signed one downloads under the request's reference.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from api.guards import needs
from api.settings import PackageSettings, WebSettings
from api.web.package_view import DraftConflict, DraftTyped, PackageShown, last_entry, text_diff
from api.web.request_forms import PASS_THROUGH, back_to
from api.web.request_page import Refusal, error_text, request_page, status_of
from domain import deadlines
from domain.identity.sessions import SessionUser
from domain.packages import review as package_review
from domain.packages import reviews
from domain.packages import service as packages
from domain.packages.errors import ResponseDraftChangedError
from domain.packages.model import DraftExhibit
from domain.packages.service import DraftChange
from domain.shared.blobs import BlobStore
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.model import AuditAction
from domain.shared.permissions import Permission

DRAFT_FIELDS: Final = frozenset({"markdown", "locale", "exhibits"})
_VERSION: Final = "/versions/{number:int}"


def text_of(form: Any, name: str) -> str:  # noqa: ANN401 - a parsed form's values are untyped
    """A text field of a parsed form ("" when absent or a file)."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


async def typed_draft(request: Request[object, object, State]) -> DraftTyped:
    """The draft form as posted: text, locale, and the documents ticked with their titles.

    Raises:
        ValidationError: on ``exhibits`` when a ticked document is not named by its id.
    """
    form = await request.form()
    exhibits = []
    for raw in form.getall("exhibit", []):
        try:
            attachment_id = UUID(str(raw))
        except ValueError:
            raise ValidationError("exhibits", "choose documents from the list") from None
        exhibits.append(DraftExhibit(attachment_id, text_of(form, f"title-{attachment_id}")))
    return DraftTyped(
        text_of(form, "revision"),
        text_of(form, "markdown"),
        text_of(form, "locale"),
        tuple(exhibits),
    )


def read_revision(raw: str) -> int:
    """The draft revision the page showed."""
    if not raw.strip().isdigit():
        raise ValidationError("markdown", "the form was not complete; reload the page")
    return int(raw)


class PackageFormController(Controller):
    """The response package forms and PDFs of the request page."""

    path = "/requests/{request_id:uuid}/package"
    include_in_schema = False

    async def _refused(
        self,
        request_id: UUID,
        exc: DocketError,
        *,
        key: str,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        rulebook: deadlines.RuleBook,
        shown: PackageShown | None = None,
    ) -> Template:
        where = exc.field if isinstance(exc, ValidationError) and exc.field in DRAFT_FIELDS else key
        return await request_page(
            request_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
            refusal=Refusal(status_of(exc), errors={where: error_text(exc)}),
            package=shown,
        )

    @post("/draft", opt=needs(Permission.PACKAGES_WRITE), status_code=303)
    async def save_draft(
        self,
        *,
        request_id: FromPath[UUID],
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Save the response as typed, at the revision the page showed."""
        typed = DraftTyped("", "", "", ())
        try:
            typed = await typed_draft(request)
            change = DraftChange(
                markdown=typed.markdown, locale=typed.locale, exhibits=typed.exhibits
            )
            await packages.update_draft(
                request_id,
                change,
                expected_revision=read_revision(typed.revision),
                actor=viewer.actor,
                now=clock.now(),
            )
        except PASS_THROUGH:
            raise
        except ResponseDraftChangedError as exc:
            current = await packages.get_draft(request_id, actor=viewer.actor)
            conflict = DraftConflict(
                exc.expected, current, typed.markdown, text_diff(current.markdown, typed.markdown)
            )
            return await request_page(
                request_id,
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
                refusal=Refusal(409),
                package=PackageShown(conflict=conflict),
            )
        except DocketError as exc:
            return await self._refused(
                request_id,
                exc,
                key="markdown",
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
                shown=PackageShown(typed=typed),
            )
        entries = await last_entry(request_id, viewer, AuditAction.PACKAGE_DRAFT_UPDATED)
        return back_to(request_id, entries)

    @post("/preview", opt=needs(Permission.PACKAGES_WRITE), status_code=200)
    async def preview(
        self,
        *,
        request_id: FromPath[UUID],
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Template:
        """The response as the letter renders it; for htmx only the preview, else the page."""
        error = ""
        typed = DraftTyped("", "", "", ())
        html = None
        try:
            typed = await typed_draft(request)
            html = await reviews.preview_response(request_id, typed.markdown, actor=viewer.actor)
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            error = error_text(exc)
        if request.headers.get("hx-request") == "true":
            context = {"pkg_preview": html, "preview_error": error}
            return Template(template_name="package_preview.html", context=context)
        return await request_page(
            request_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
            refusal=Refusal(200 if not error else 422, errors={"markdown": error} if error else {}),
            package=PackageShown(typed=typed, preview=html),
        )

    @post("/versions", opt=needs(Permission.PACKAGES_WRITE), status_code=303)
    async def build(
        self,
        *,
        request_id: FromPath[UUID],
        blobs: NamedDependency[BlobStore],
        package_settings: NamedDependency[PackageSettings],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Build the saved draft into a new version (or find the latest one identical)."""
        try:
            built = await packages.build_version(
                request_id,
                organisation=package_settings.organisation,
                store=blobs,
                actor=viewer.actor,
                now=clock.now(),
                approval_page=package_settings.approval_page,
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await self._refused(
                request_id,
                exc,
                key="build",
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
            )
        if not built.created:
            return back_to(request_id, [])
        return back_to(request_id, await last_entry(request_id, viewer, AuditAction.PACKAGE_BUILT))

    @post(f"{_VERSION}/submit", opt=needs(Permission.PACKAGES_WRITE), status_code=303)
    async def submit(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Submit the version for Legal's review."""
        try:
            await package_review.submit_package(
                request_id, number, actor=viewer.actor, now=clock.now()
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await self._refused(
                request_id,
                exc,
                key=f"version-{number}",
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
            )
        entries = await last_entry(request_id, viewer, AuditAction.PACKAGE_SUBMITTED)
        return back_to(request_id, entries)

    @post(f"{_VERSION}/mark_sent", opt=needs(Permission.PACKAGES_WRITE), status_code=303)
    async def mark_sent(
        self,
        *,
        request_id: FromPath[UUID],
        number: FromPath[int],
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Record that the signed version went to the authority (once confirmed)."""
        form = await request.form()
        try:
            if text_of(form, "confirmed") != "yes":
                raise ValidationError(
                    f"version-{number}", "tick the box to confirm that this version was sent"
                )
            await package_review.mark_package_sent(
                request_id, number, actor=viewer.actor, now=clock.now()
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await self._refused(
                request_id,
                exc,
                key=f"version-{number}",
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
            )
        return back_to(request_id, await last_entry(request_id, viewer, AuditAction.PACKAGE_SENT))
