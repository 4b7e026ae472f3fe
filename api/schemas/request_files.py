"""Bodies of the comment and attachment endpoints of a regulatory request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from api.schemas.auth import Strict
from domain.requests.files import MAX_COMMENT_CHARS, Attachment, Comment


class CommentCreate(Strict):
    """A note on a request."""

    body: Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=MAX_COMMENT_CHARS, examples=["Authority confirmed scope"]
        ),
    ]


class CommentRead(msgspec.Struct, kw_only=True):
    """A comment, as written (comments are never edited)."""

    id: UUID
    request_id: UUID
    author: str
    body: str
    created_at: datetime

    @classmethod
    def from_domain(cls, comment: Comment) -> CommentRead:
        """Shape a ``Comment``."""
        return msgspec.convert(comment, cls, from_attributes=True)


class CommentList(msgspec.Struct, kw_only=True):
    """The comments on a request, oldest first."""

    items: list[CommentRead]


@dataclass
class AttachmentUpload:
    """One file in the form field ``file``; its type is sniffed from its bytes."""

    file: UploadFile


class AttachmentRead(msgspec.Struct, kw_only=True):
    """An incoming document's metadata; the bytes are at ``…/attachments/{id}``."""

    id: UUID
    request_id: UUID
    sha256: Annotated[str, msgspec.Meta(description="hex SHA-256 of the bytes")]
    size: int
    media_type: Annotated[str, msgspec.Meta(description="sniffed from the bytes")]
    original_name: Annotated[str, msgspec.Meta(description="the client's file name, display only")]
    uploaded_by: str
    uploaded_at: datetime

    @classmethod
    def from_domain(cls, attachment: Attachment) -> AttachmentRead:
        """Shape an ``Attachment``."""
        return msgspec.convert(attachment, cls, from_attributes=True)


class AttachmentList(msgspec.Struct, kw_only=True):
    """The documents attached to a request, oldest first."""

    items: list[AttachmentRead]
