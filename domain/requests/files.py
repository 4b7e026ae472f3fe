"""Comments and incoming documents on a regulatory request.

A document's bytes go to the content-addressed blob store first (outside the transaction: a
large upload must not hold the write lock); its row and its audit entry are then written in one
transaction. If that transaction fails, the blob stays behind unreferenced, which is harmless:
it is named by its content, and the same upload later reuses it.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final
from uuid import UUID

from domain.requests import repo as requests_repo
from domain.requests.errors import AttachmentNotFoundError
from domain.requests.sealing import check_readable
from domain.requests.tables import AttachmentTable, CommentTable
from domain.shared import audit_trail
from domain.shared.blobs import BlobStore
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require
from domain.shared.rows import Row, as_uuid, aware

MAX_COMMENT_CHARS: Final = 10_000
MAX_NAME_CHARS: Final = 255


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    """A note on a request; never edited (a correction is a new comment)."""

    id: UUID
    request_id: UUID
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """An incoming document: metadata here, the bytes in the blob store under ``sha256``."""

    id: UUID
    request_id: UUID
    sha256: str
    size: int
    media_type: str
    original_name: str
    uploaded_by: str
    uploaded_at: datetime


def _comment_from_row(row: Row) -> Comment:
    return Comment(
        id=as_uuid(row["id"]),
        request_id=as_uuid(row["request_id"]),
        author=str(row["author"]),
        body=str(row["body"]),
        created_at=aware(row["created_at"]),
    )


def _attachment_from_row(row: Row) -> Attachment:
    return Attachment(
        id=as_uuid(row["id"]),
        request_id=as_uuid(row["request_id"]),
        sha256=str(row["sha256"]),
        size=int(str(row["size"])),
        media_type=str(row["media_type"]),
        original_name=str(row["original_name"]),
        uploaded_by=str(row["uploaded_by"]),
        uploaded_at=aware(row["uploaded_at"]),
    )


def display_name(raw: str) -> str:
    """A client's file name as a plain display string of at most 255 characters.

    Only the last path component is kept; control and format characters (including bidi
    overrides that disguise an extension) are dropped; whitespace runs become one space.
    The result is metadata only: no path is ever built from it.
    """
    last = raw.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", last)
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    name = " ".join(kept.split())
    return "" if name in {".", ".."} else name[:MAX_NAME_CHARS]


async def add_comment(request_id: UUID, body: str, *, actor: Actor, now: datetime) -> Comment:
    """Add a comment to a request.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        ValidationError: an empty or over-long body.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    text = body.strip()
    if not text:
        raise ValidationError("body", "a comment needs some text")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError("body", f"longer than {MAX_COMMENT_CHARS} characters")
    comment = Comment(
        id=uuid.uuid4(),
        request_id=request_id,
        author=audit_trail.actor_ref(actor),
        body=text,
        created_at=now,
    )
    async with write_transaction():
        check_readable(actor, await requests_repo.get_request(request_id))
        await CommentTable.insert(
            CommentTable(
                id=comment.id,
                request_id=request_id,
                author=comment.author,
                body=comment.body,
                created_at=now,
            )
        ).run()
        await audit_trail.record(
            actor,
            AuditAction.REQUEST_COMMENTED,
            subject_type="request",
            subject_id=str(request_id),
            before=None,
            after={"comment_id": str(comment.id), "body": comment.body},
            now=now,
        )
    return comment


async def list_comments(request_id: UUID, *, actor: Actor) -> list[Comment]:
    """The comments on a request, oldest first.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_READ)
    check_readable(actor, await requests_repo.get_request(request_id))
    rows = (
        await CommentTable.select()
        .where(CommentTable.request_id == request_id)
        .order_by(CommentTable.created_at, CommentTable.id)
        .run()
    )
    return [_comment_from_row(row) for row in rows]


async def _refusing_empty(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """``chunks``, raising at their end when there was not a byte (the store then keeps none).

    Raises:
        ValidationError: on ``file`` when it is empty.
    """
    empty = True
    async for chunk in chunks:
        empty = empty and not chunk
        yield chunk
    if empty:
        raise ValidationError("file", "is empty (0 bytes): nothing to keep")


async def attach_document(
    request_id: UUID,
    chunks: AsyncIterable[bytes],
    *,
    original_name: str,
    max_bytes: int,
    store: BlobStore,
    actor: Actor,
    now: datetime,
) -> Attachment:
    """Store an incoming document for a request; its type is sniffed from its bytes.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request (checked before any byte is stored).
        AttachmentTooLargeError: more than ``max_bytes``; nothing is kept.
        ValidationError: on ``file`` when it is empty; nothing is kept.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    check_readable(actor, await requests_repo.get_request(request_id))
    name = display_name(original_name)
    blob = await store.put(_refusing_empty(chunks), max_bytes=max_bytes, name=name)
    attachment = Attachment(
        id=uuid.uuid4(),
        request_id=request_id,
        sha256=blob.sha256,
        size=blob.size,
        media_type=blob.media_type,
        original_name=name,
        uploaded_by=audit_trail.actor_ref(actor),
        uploaded_at=now,
    )
    async with write_transaction():
        check_readable(actor, await requests_repo.get_request(request_id))
        await AttachmentTable.insert(
            AttachmentTable(
                id=attachment.id,
                request_id=request_id,
                sha256=attachment.sha256,
                size=attachment.size,
                media_type=attachment.media_type,
                original_name=attachment.original_name,
                uploaded_by=attachment.uploaded_by,
                uploaded_at=now,
            )
        ).run()
        await audit_trail.record(
            actor,
            AuditAction.REQUEST_DOCUMENT_ATTACHED,
            subject_type="request",
            subject_id=str(request_id),
            before=None,
            after={
                "attachment_id": str(attachment.id),
                "sha256": attachment.sha256,
                "size": attachment.size,
                "media_type": attachment.media_type,
                "original_name": attachment.original_name,
            },
            now=now,
        )
    return attachment


async def list_attachments(request_id: UUID, *, actor: Actor) -> list[Attachment]:
    """The documents attached to a request, oldest first.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_READ)
    check_readable(actor, await requests_repo.get_request(request_id))
    return await attachments_of(request_id)


async def attachments_of(request_id: UUID) -> list[Attachment]:
    """The documents attached to a request, oldest first (none when there is no such request).

    An internal lookup for another aggregate's service (a package's exhibits): no permission
    check, the calling use case has made its own.
    """
    rows = (
        await AttachmentTable.select()
        .where(AttachmentTable.request_id == request_id)
        .order_by(AttachmentTable.uploaded_at, AttachmentTable.id)
        .run()
    )
    return [_attachment_from_row(row) for row in rows]


async def open_attachment(
    request_id: UUID, attachment_id: UUID, *, store: BlobStore, actor: Actor
) -> tuple[Attachment, Path]:
    """One document of a request and the path of its bytes in ``store``.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        AttachmentNotFoundError: no such attachment on this request.
        BlobMissingError: its bytes are not in ``store`` (lost, or not restored).
    """
    require(actor.role, Permission.REQUESTS_READ)
    check_readable(actor, await requests_repo.get_request(request_id))
    row = (
        await AttachmentTable.select()
        .where((AttachmentTable.id == attachment_id) & (AttachmentTable.request_id == request_id))
        .first()
        .run()
    )
    if row is None:
        raise AttachmentNotFoundError(attachment_id)
    attachment = _attachment_from_row(row)
    return attachment, store.stored_path(attachment.sha256)


async def attachment_blob_names() -> set[str]:
    """The blob names (SHA-256) of every stored document; no permission check.

    An internal lookup for the readiness check: the blob store must hold each of them.
    """
    rows = await AttachmentTable.select(AttachmentTable.sha256).distinct()
    return {str(row["sha256"]) for row in rows}
