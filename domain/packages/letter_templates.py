"""The organisation's letter templates: the greeting and closing of the cover letter per locale.

The response draft holds only the body; the letter around it is the organisation's, worded once
per locale by an administrator, and the catalog's text until then. Each change is one audit
entry with the text before and after.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from audit.canonical import JsonValue
from documents.letter_frame import MAX_CHARS, LetterFrame, default_frame
from documents.render import supported_locales
from domain.packages.tables import LetterTemplateTable
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require
from domain.shared.rows import aware


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterTemplate:
    """The greeting and closing used for letters in ``locale``."""

    locale: str
    greeting: str
    closing: str
    customised: bool
    """False: the catalog's default text (nobody has set this locale's template)."""
    updated_by: str = ""
    updated_at: datetime | None = None


def check_template_locale(locale: str) -> str:
    """``locale`` if letters are written in it.

    Raises:
        ValidationError: on ``locale`` when no catalog has it.
    """
    if locale not in supported_locales():
        raise ValidationError("locale", f"not one of {', '.join(supported_locales())}")
    return locale


def _checked(field: str, text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise ValidationError(field, f"longer than {MAX_CHARS} characters")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise ValidationError(field, "contains a control character")
    return text


def _snapshot(template: LetterTemplate) -> dict[str, JsonValue]:
    return {"greeting": template.greeting, "closing": template.closing}


async def frame_of(locale: str) -> LetterFrame:
    """The greeting and closing that letters in ``locale`` are written with.

    No permission check: this is the renderer's input, read inside an authorised build.

    Raises:
        ValidationError: on ``locale`` when no catalog has it.
    """
    found = await _load(check_template_locale(locale))
    return LetterFrame(found.greeting, found.closing)


async def _load(locale: str) -> LetterTemplate:
    rows = await LetterTemplateTable.select().where(LetterTemplateTable.locale == locale).run()
    if not rows:
        frame = default_frame(locale)
        return LetterTemplate(
            locale=locale, greeting=frame.greeting, closing=frame.closing, customised=False
        )
    row = rows[0]
    return LetterTemplate(
        locale=locale,
        greeting=str(row["greeting"]),
        closing=str(row["closing"]),
        customised=True,
        updated_by=str(row["updated_by"]),
        updated_at=aware(row["updated_at"]),
    )


async def get_letter_template(locale: str, *, actor: Actor) -> LetterTemplate:
    """The letter template of ``locale`` (the default text when none was set).

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        ValidationError: on ``locale`` when no catalog has it.
    """
    require(actor.role, Permission.PACKAGES_READ)
    return await _load(check_template_locale(locale))


async def set_letter_template(
    locale: str, *, greeting: str, closing: str, actor: Actor, now: datetime
) -> LetterTemplate:
    """Word the greeting and closing of letters in ``locale``; letters built later use them.

    An unchanged template writes nothing and no audit entry.

    Raises:
        PermissionDeniedError: unless the actor may change the letter templates.
        ValidationError: an unknown locale, or a text that is too long or holds control
            characters.
    """
    require(actor.role, Permission.LETTER_TEMPLATES_MANAGE)
    locale = check_template_locale(locale)
    greeting, closing = _checked("greeting", greeting), _checked("closing", closing)
    async with write_transaction():
        before = await _load(locale)
        if before.customised and (before.greeting, before.closing) == (greeting, closing):
            return before
        row = LetterTemplateTable(
            locale=locale,
            greeting=greeting,
            closing=closing,
            updated_by=audit_trail.actor_ref(actor),
            updated_at=now.astimezone(UTC),
        )
        await (
            LetterTemplateTable.insert(row)
            .on_conflict(
                target=LetterTemplateTable.locale,
                action="DO UPDATE",
                values=[
                    LetterTemplateTable.greeting,
                    LetterTemplateTable.closing,
                    LetterTemplateTable.updated_by,
                    LetterTemplateTable.updated_at,
                ],
            )
            .run()
        )
        after = await _load(locale)
        await audit_trail.record(
            actor,
            AuditAction.LETTER_TEMPLATE_CHANGED,
            subject_type="letter_template",
            subject_id=locale,
            before=_snapshot(before) | {"customised": before.customised},
            after=_snapshot(after),
            now=now,
        )
    return after
