"""Bodies of the letter-template endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from api.schemas.auth import Strict
from documents.letter_frame import MAX_CHARS
from domain.packages.letter_templates import LetterTemplate

_GREETING = msgspec.Meta(
    max_length=MAX_CHARS,
    examples=["Sehr geehrte Damen und Herren,\n\nauf Ihr Ersuchen teilen wir Folgendes mit."],
    description="Plain text before the response; a blank line starts a new paragraph",
)
_CLOSING = msgspec.Meta(
    max_length=MAX_CHARS,
    examples=["Mit freundlichen Grüßen"],
    description="Plain text after the response, above the organisation's name",
)


class LetterTemplateUpdate(Strict):
    """The greeting and closing of letters in one locale (both replaced)."""

    greeting: Annotated[str, _GREETING]
    closing: Annotated[str, _CLOSING]


class LetterTemplateRead(msgspec.Struct, kw_only=True):
    """The greeting and closing that letters in this locale are built with."""

    locale: Annotated[str, msgspec.Meta(examples=["de"])]
    greeting: Annotated[str, _GREETING]
    closing: Annotated[str, _CLOSING]
    customised: Annotated[
        bool,
        msgspec.Meta(description="False: the locale's default text, nobody has changed it yet"),
    ]
    updated_by: Annotated[str, msgspec.Meta(examples=["user:0c9e4a6e-8f0d-4a39-9d0e-1f9a1c2b3d4e"])]
    updated_at: datetime | None

    @classmethod
    def from_domain(cls, template: LetterTemplate) -> LetterTemplateRead:
        """The API form of a letter template."""
        return cls(
            locale=template.locale,
            greeting=template.greeting,
            closing=template.closing,
            customised=template.customised,
            updated_by=template.updated_by,
            updated_at=template.updated_at,
        )
