"""Comments and incoming documents (attachments) of a regulatory request."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Final
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Router, get, post
from litestar.datastructures import ETag, UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath
from litestar.response import File
from litestar.status_codes import HTTP_201_CREATED

from api.clock import Clock
from api.errors import PROBLEM_JSON
from api.guards import needs
from api.openapi_docs import protected
from api.schemas.auth import ProblemRead
from api.schemas.request_files import (
    AttachmentList,
    AttachmentRead,
    AttachmentUpload,
    CommentCreate,
    CommentList,
    CommentRead,
)
from api.settings import StorageSettings
from domain.requests import files as request_files
from domain.requests.files import Attachment
from domain.shared.blobs import BlobStore
from domain.shared.model import Actor
from domain.shared.permissions import Permission

CHUNK_BYTES: Final = 256 * 1024
MULTIPART_ENVELOPE_BYTES: Final = 64 * 1024
"""Room for the boundaries and part headers around the file, over the file size limit."""
COMMENT_BODY_BYTES: Final = 64 * 1024

_TOO_LARGE: Final = {
    413: ResponseSpec(
        data_container=ProblemRead,
        description="The file is larger than the configured limit; nothing was kept",
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )
}
_UNSAFE_IN_QUOTED: Final = re.compile(r"[^A-Za-z0-9 !#$&+\-.^_`|~()\[\]{},=@]")


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_BYTES):
        yield chunk


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name as RFC 8187 ``filename*``."""
    fallback = _UNSAFE_IN_QUOTED.sub("_", name) or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(attachment: Attachment, path: Path) -> File:
    digest = base64.b64encode(bytes.fromhex(attachment.sha256)).decode()
    # Litestar adds "; charset=utf-8" to a text/* type; a sniffed text type carries it already.
    media_type = attachment.media_type.split(";", 1)[0].strip()
    return File(
        path=str(path),
        media_type=media_type,
        etag=ETag(value=attachment.sha256),
        headers={
            "content-disposition": content_disposition(
                attachment.original_name or str(attachment.id)
            ),
            "repr-digest": f"sha-256=:{digest}:",  # RFC 9530 §3
            "x-content-type-options": "nosniff",
            "content-security-policy": "sandbox; default-src 'none'",
            "cache-control": "private, no-store",
        },
    )


class RequestFileController(Controller):
    """Comments and incoming documents of a request."""

    path = "/api/v1/requests"
    tags = ["Request files"]

    @post(
        "/{request_id:uuid}/comments",
        operation_id="AddRequestComment",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_201_CREATED,
        responses=protected(404, 422),
        request_max_body_size=COMMENT_BODY_BYTES,
    )
    async def add_comment(
        self,
        request_id: FromPath[UUID],
        data: Annotated[CommentCreate, Body(title="New comment")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> CommentRead:
        """Add a comment to a request."""
        comment = await request_files.add_comment(
            request_id, data.body, actor=actor, now=clock.now()
        )
        return CommentRead.from_domain(comment)

    @get(
        "/{request_id:uuid}/comments",
        operation_id="ListRequestComments",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(404),
    )
    async def list_comments(
        self, request_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> CommentList:
        """The comments on a request, oldest first."""
        comments = await request_files.list_comments(request_id, actor=actor)
        return CommentList(items=[CommentRead.from_domain(c) for c in comments])

    @post(
        "/{request_id:uuid}/attachments",
        operation_id="AttachRequestDocument",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_201_CREATED,
        responses={**protected(404, 422), **_TOO_LARGE},
    )
    async def attach_document(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[AttachmentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        blobs: NamedDependency[BlobStore],
        storage_settings: NamedDependency[StorageSettings],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> AttachmentRead:
        """Attach an incoming document (form field ``file``); its type is sniffed from its bytes."""
        try:
            attachment = await request_files.attach_document(
                request_id,
                _chunks(data.file),
                original_name=data.file.filename,
                max_bytes=storage_settings.attachment_max_bytes,
                store=blobs,
                actor=actor,
                now=clock.now(),
            )
        finally:
            await data.file.close()
        return AttachmentRead.from_domain(attachment)

    @get(
        "/{request_id:uuid}/attachments",
        operation_id="ListRequestAttachments",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(404),
    )
    async def list_attachments(
        self, request_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> AttachmentList:
        """The documents attached to a request, oldest first."""
        attachments = await request_files.list_attachments(request_id, actor=actor)
        return AttachmentList(items=[AttachmentRead.from_domain(a) for a in attachments])

    @get(
        "/{request_id:uuid}/attachments/{attachment_id:uuid}",
        operation_id="DownloadRequestAttachment",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(404, 410),
        media_type="application/octet-stream",
    )
    async def download_attachment(
        self,
        request_id: FromPath[UUID],
        attachment_id: FromPath[UUID],
        blobs: NamedDependency[BlobStore],
        actor: NamedDependency[Actor],
    ) -> File:
        """The bytes of a document, with their sniffed type and RFC 9530 SHA-256 digest."""
        attachment, path = await request_files.open_attachment(
            request_id, attachment_id, store=blobs, actor=actor
        )
        return _download(attachment, path)


def request_files_router(attachment_max_bytes: int) -> Router:
    """The controller under a body limit just above the file limit, so our own 413 answers."""
    return Router(
        path="/",
        route_handlers=[RequestFileController],
        request_max_body_size=attachment_max_bytes + MULTIPART_ENVELOPE_BYTES,
    )
