"""The request page's comments and documents: add a comment, upload files, download one.

The upload is a plain multipart form (one or more files in ``file``); the page's script only
lets files be dropped on it. A download keeps the file's original name; a PDF opens in the
browser's own viewer. The API's download path takes bearer tokens, so the page has its own,
behind the session and the same permission.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final
from uuid import UUID

from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import ETag, State, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File

from api.controllers.request_files import (
    CHUNK_BYTES,
    MULTIPART_ENVELOPE_BYTES,
    content_disposition,
)
from api.guards import needs
from api.settings import StorageSettings, WebSettings
from api.web.request_forms import FORM, PASS_THROUGH, back_to
from api.web.request_page import RequestPageController, changed_or_refused, refused_page
from api.web.request_steps import RequestStepController
from domain import deadlines
from domain.identity.sessions import SessionUser
from domain.requests import files as request_files
from domain.requests.files import Attachment
from domain.requests.trail import request_trail
from domain.shared.blobs import BlobStore
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.permissions import Permission

PDF: Final = "application/pdf"


@dataclass
class CommentForm:
    """A comment as typed."""

    body: str = ""


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_BYTES):
        yield chunk


class RequestDocumentController(Controller):
    """Comments and documents from the request page."""

    path = "/requests/{request_id:uuid}"
    include_in_schema = False

    @post("/comments", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def add_comment(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[CommentForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Add a comment."""

        async def change() -> list[int]:
            comment = await request_files.add_comment(
                request_id, data.body, actor=viewer.actor, now=clock.now()
            )
            return await _entries(request_id, viewer, [str(comment.id)])

        return await changed_or_refused(
            request_id,
            change,
            key="body",
            values={"body": data.body},
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )

    @post("/attachments", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def attach(
        self,
        *,
        request_id: FromPath[UUID],
        request: Request[object, object, State],
        blobs: NamedDependency[BlobStore],
        storage_settings: NamedDependency[StorageSettings],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Attach the chosen files, each its own document with its own audit entry.

        The form is read as it came (the CSRF check has parsed it already): the field ``file``
        repeats, and a file input left empty arrives as an empty string.
        """
        form = await request.form()
        chosen = [f for f in form.getall("file", []) if isinstance(f, UploadFile) and f.filename]
        added: list[str] = []
        try:
            if not chosen:
                raise ValidationError("file", "choose or drop at least one file")
            for upload in chosen:
                added.append(
                    await _attach(
                        request_id,
                        upload,
                        store=blobs,
                        max_bytes=storage_settings.attachment_max_bytes,
                        viewer=viewer,
                        clock=clock,
                    )
                )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            # the files before the refused one are kept: the page names their entries
            return await refused_page(
                request_id,
                exc,
                key="file",
                values={"file": ""},
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                rulebook=rulebook,
                done=await _entries(request_id, viewer, added),
            )
        finally:
            for upload in chosen:
                await upload.close()
        return back_to(request_id, await _entries(request_id, viewer, added))

    @get(
        "/attachments/{attachment_id:uuid}/download",
        opt=needs(Permission.REQUESTS_READ),
        media_type="application/octet-stream",
    )
    async def download(
        self,
        *,
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
        blobs: NamedDependency[BlobStore],
        viewer: NamedDependency[SessionUser],
    ) -> File:
        """The document's bytes under its original name; a PDF opens in the browser."""
        attachment, path = await request_files.open_attachment(
            request_id, attachment_id, store=blobs, actor=viewer.actor
        )
        return _file(attachment, path)


def _file(attachment: Attachment, path: Path) -> File:
    """The bytes with their sniffed type and RFC 9530 digest; a PDF inline, the rest saved."""
    name = attachment.original_name or str(attachment.id)
    disposition = content_disposition(name)
    headers = {
        "repr-digest": f"sha-256=:{base64.b64encode(bytes.fromhex(attachment.sha256)).decode()}:",
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
        # anything but a PDF is never shown by the browser; a sandboxed document could not run
        # the browser's PDF viewer, so a PDF gets a policy that lets it run and fetch nothing
        "content-security-policy": "sandbox; default-src 'none'",
    }
    if attachment.media_type == PDF:
        disposition = "inline" + disposition.removeprefix("attachment")
        headers["content-security-policy"] = "default-src 'none'; object-src 'self'"
    return File(
        path=str(path),
        media_type=attachment.media_type,
        etag=ETag(value=attachment.sha256),
        headers={"content-disposition": disposition, **headers},
    )


async def _attach(
    request_id: UUID,
    upload: UploadFile,
    *,
    store: BlobStore,
    max_bytes: int,
    viewer: SessionUser,
    clock: Clock,
) -> str:
    """Store one file as a document of the request; its id."""
    attachment = await request_files.attach_document(
        request_id,
        _chunks(upload),
        original_name=upload.filename,
        max_bytes=max_bytes,
        store=store,
        actor=viewer.actor,
        now=clock.now(),
    )
    return str(attachment.id)


async def _entries(request_id: UUID, viewer: SessionUser, items: list[str]) -> list[int]:
    """The indexes of the entries that added ``items`` (comments or documents)."""
    if not items:
        return []
    trail = await request_trail(request_id, actor=viewer.actor)
    wanted = set(items)
    return [e.index for e in trail if e.item_id in wanted]


def request_page_router(attachment_max_bytes: int) -> Router:
    """The request page's routes, under a body limit just above the file limit (as the API's)."""
    return Router(
        path="/",
        route_handlers=[RequestPageController, RequestStepController, RequestDocumentController],
        request_max_body_size=attachment_max_bytes + MULTIPART_ENVELOPE_BYTES,
    )
