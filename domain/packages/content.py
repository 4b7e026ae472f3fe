"""What goes into a response package: the request, its authority, the draft and the exhibits.

Everything that ends up in the PDF comes from stored data, never from the time of the build: the
PDF's dates are the draft's last change, so building the same draft again gives the same bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from uuid import UUID

from documents.package import Exhibit, PackageContent, PrintedRequest
from documents.render import locale_for, render_package, supported_locales
from domain.identity import users
from domain.packages.letter_templates import frame_of
from domain.packages.model import DraftExhibit, ResponseDraft
from domain.requests import queries as requests
from domain.requests.errors import AttachmentNotFoundError
from domain.requests.letter import printed_request
from domain.requests.model import Authority, RegulatoryRequest
from domain.requests.queries import Attachment
from domain.shared.blobs import BlobStore
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, ActorKind


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """A package rendered to PDF, with its digest."""

    pdf: bytes
    sha256: str
    locale: str
    printed: PrintedRequest
    """What the letter prints of the request (a version records its digest)."""


async def display_name(actor: Actor) -> str:
    """How an actor is named on a package and its signature: a user's display name."""
    user = None
    if actor.kind is ActorKind.USER and actor.id is not None:
        user = await users.find_user(actor.id)
    return actor.name if user is None else user.display_name or user.email


def check_locale(locale: str) -> str:
    """A locale chosen for a response, checked against the catalogs shipped ('' is fine).

    Raises:
        ValidationError: on ``locale`` when no catalog has it.
    """
    locale = locale.strip()
    if locale and locale not in supported_locales():
        raise ValidationError("locale", f"not one of {', '.join(supported_locales())}")
    return locale


def package_locale(reg_request: RegulatoryRequest, draft: ResponseDraft, override: str = "") -> str:
    """The locale of the package: given, else the draft's, else the request's language."""
    chosen = check_locale(override) or draft.locale
    if chosen:
        return chosen
    return locale_for(reg_request.response_language, jurisdiction=reg_request.jurisdiction)


async def request_attachments(request_id: UUID) -> dict[UUID, Attachment]:
    """The attachments of a request by id."""
    return {a.id: a for a in await requests.attachments_of(request_id)}


async def check_exhibits(request_id: UUID, exhibits: tuple[DraftExhibit, ...]) -> None:
    """Refuse exhibits that are not attachments of this request, or named twice.

    Raises:
        ValidationError: on ``exhibits``.
    """
    known = await request_attachments(request_id)
    seen: set[UUID] = set()
    for exhibit in exhibits:
        if exhibit.attachment_id not in known:
            raise ValidationError("exhibits", f"no attachment {exhibit.attachment_id} here")
        if exhibit.attachment_id in seen:
            raise ValidationError("exhibits", f"attachment {exhibit.attachment_id} twice")
        seen.add(exhibit.attachment_id)


def _read_blob(store: BlobStore, sha256: str) -> bytes:
    with store.open(sha256) as blob:
        return blob.read()


async def _exhibits(
    request_id: UUID, chosen: tuple[DraftExhibit, ...], store: BlobStore
) -> tuple[Exhibit, ...]:
    known = await request_attachments(request_id)
    exhibits = []
    for choice in chosen:
        attachment = known.get(choice.attachment_id)
        if attachment is None:  # deleted since the draft named it
            raise AttachmentNotFoundError(choice.attachment_id)
        content = await asyncio.to_thread(_read_blob, store, attachment.sha256)
        exhibits.append(
            Exhibit(
                title=choice.title or attachment.original_name or str(attachment.id),
                file_name=attachment.original_name or f"{attachment.id}.bin",
                media_type=attachment.media_type,
                content=content,
            )
        )
    return tuple(exhibits)


async def package_content(
    reg_request: RegulatoryRequest,
    authority: Authority,
    draft: ResponseDraft,
    *,
    number: int,
    locale: str,
    organisation: str,
    store: BlobStore,
    approval_page: bool = False,
) -> PackageContent:
    """Everything version ``number`` of the package shows, from the request and the draft.

    The request's part is ``printed_request`` alone, so that a version's digest of it covers
    whatever the letter shows of the request. The greeting and closing are the organisation's
    letter template for ``locale``.

    Raises:
        ValidationError: on ``markdown`` when nothing has been written yet.
        AttachmentNotFoundError: an exhibit's attachment is gone.
    """
    if draft.revision == 0 or draft.updated_at is None or not draft.markdown.strip():
        raise ValidationError("markdown", "write the response before building its package")
    frame = await frame_of(locale)
    return PackageContent(
        request=printed_request(reg_request, authority),
        locale=locale,
        organisation=organisation,
        response_markdown=draft.markdown,
        exhibits=await _exhibits(reg_request.id, draft.exhibits, store),
        version=number,
        created_at=draft.updated_at,
        prepared_by=draft.updated_by_name or draft.updated_by,
        greeting=frame.greeting,
        closing=frame.closing,
        approval_page=approval_page,
    )


async def render(
    reg_request: RegulatoryRequest,
    draft: ResponseDraft,
    *,
    number: int,
    locale: str,
    organisation: str,
    store: BlobStore,
    approval_page: bool = False,
) -> RenderedPdf:
    """Render version ``number`` of the package from ``draft`` (in a worker thread).

    Raises:
        ValidationError: on ``markdown`` when nothing has been written yet.
        AttachmentNotFoundError: an exhibit's attachment is gone.
    """
    authority = await requests.load_authority(reg_request.authority_id)
    content = await package_content(
        reg_request,
        authority,
        draft,
        number=number,
        locale=locale,
        organisation=organisation,
        store=store,
        approval_page=approval_page,
    )
    pdf = await asyncio.to_thread(render_package, content)
    return RenderedPdf(
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), locale=locale, printed=content.request
    )
