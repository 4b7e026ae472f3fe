"""What a request records for transparency reports, beyond its deadline (pure).

DESIGN "What a request records, so that reports need no re-keying": the channel, the service
concerned, secrecy, what is named, the DSA category, each timestamp on its own, the notice to the
affected user and the outcome. Lists (identifiers, content items) are stored as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Final, TypeVar, get_type_hints

from domain.shared.errors import ValidationError

E = TypeVar("E", bound=StrEnum)


class DataScope(StrEnum):
    """Whether a data request asks for content, non-content data, or both."""

    CONTENT = "content"
    NON_CONTENT = "non_content"
    BOTH = "both"


class IdentifierType(StrEnum):
    """What kind of identifier a request names."""

    ACCOUNT = "account"
    DEVICE = "device"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    OTHER = "other"


class NoticeDecision(StrEnum):
    """Whether the affected user is told of the request."""

    NOTIFY = "notify"
    DELAY = "delay"
    NOT_APPLICABLE = "not_applicable"


class DataOutcome(StrEnum):
    """How a data request ended."""

    ALL = "all"
    SOME = "some"
    NONE_FOUND = "none_found"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ContentAction(StrEnum):
    """What was done to one content item."""

    REMOVED = "removed"
    DISABLED_IN_COUNTRY = "disabled_in_country"
    RESTRICTED = "restricted"
    LABELLED = "labelled"
    ACCOUNT_SUSPENDED = "account_suspended"
    NONE = "none"


class ActionBasis(StrEnum):
    """What an action on content rested on."""

    LAW = "law"
    TERMS_OF_SERVICE = "terms_of_service"


@dataclass(frozen=True, slots=True)
class Identifier:
    """An account, device, URL, e-mail address or phone number a request names."""

    type: IdentifierType
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentItem:
    """A content item a request names (by URL or id) and what was done to it."""

    ref: str
    description: str = ""
    action: ContentAction | None = None
    basis: ActionBasis | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRecord:
    """The report fields of a request; every one optional until known."""

    mlat: bool = False
    service: str = ""
    nondisclosure_order: bool = False
    nondisclosure_expires_on: date | None = None
    data_scope: DataScope | None = None
    identifiers: tuple[Identifier, ...] = ()
    content_items: tuple[ContentItem, ...] = ()
    dsa_category: str = ""
    dsa_subcategory: str = ""
    taxonomy_version: str = ""
    internal_reason: str = ""
    receipt_acknowledged_at: datetime | None = None
    effect_given_at: datetime | None = None
    authority_informed_at: datetime | None = None
    user_notified_at: datetime | None = None
    responded_at: datetime | None = None
    closed_at: datetime | None = None
    notice_decision: NoticeDecision | None = None
    notice_delay_order: str = ""
    notice_delay_expires_on: date | None = None
    data_outcome: DataOutcome | None = None
    data_rejection_reason: str = ""


RECORD_FIELDS: Final = tuple(f.name for f in fields(RequestRecord))
TIMESTAMP_FIELDS: Final = tuple(
    name for name, hint in get_type_hints(RequestRecord).items() if hint == datetime | None
)
"""The report fields that are instants (each must be aware and not in the future)."""


def enum_or_none(kind: type[E], value: object, field: str) -> E | None:
    """``value`` as a member of ``kind`` ('' and None: none).

    Raises:
        ValidationError: on ``field`` when it is not one of the vocabulary.
    """
    if value is None or value == "":
        return None
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValidationError(field, f"{value!r} is not one of {allowed}") from None


def _json_list(value: object, field: str) -> list[object]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise ValidationError(field, "must be a JSON list") from None
    if not isinstance(value, list | tuple):
        raise ValidationError(field, "must be a list")
    return list(value)


def _entry(item: object, field: str, keys: frozenset[str]) -> dict[str, object]:
    if not isinstance(item, dict) or not set(item) <= keys:
        raise ValidationError(field, f"each entry must be an object with keys {sorted(keys)}")
    return {str(k): v for k, v in item.items()}


def parse_identifiers(value: object) -> tuple[Identifier, ...]:
    """Identifiers from a list of ``{type, value}`` objects (or its JSON text).

    Raises:
        ValidationError: on ``identifiers`` for a malformed list or entry.
    """
    found = []
    for raw in _json_list(value, "identifiers"):
        if isinstance(raw, Identifier):
            found.append(raw)
            continue
        item = _entry(raw, "identifiers", frozenset({"type", "value"}))
        kind = enum_or_none(IdentifierType, item.get("type"), "identifiers")
        text = str(item.get("value") or "").strip()
        if kind is None or not text:
            raise ValidationError("identifiers", "each entry needs a type and a value")
        found.append(Identifier(kind, text))
    return tuple(found)


def parse_content_items(value: object) -> tuple[ContentItem, ...]:
    """Content items from a list of ``{ref, description, action, basis}`` (or its JSON text).

    Raises:
        ValidationError: on ``content_items`` for a malformed list or entry.
    """
    found = []
    keys = frozenset({"ref", "description", "action", "basis"})
    for raw in _json_list(value, "content_items"):
        if isinstance(raw, ContentItem):
            found.append(raw)
            continue
        item = _entry(raw, "content_items", keys)
        ref = str(item.get("ref") or "").strip()
        if not ref:
            raise ValidationError("content_items", "each entry needs a ref (a URL or an id)")
        found.append(
            ContentItem(
                ref=ref,
                description=str(item.get("description") or "").strip(),
                action=enum_or_none(ContentAction, item.get("action"), "content_items"),
                basis=enum_or_none(ActionBasis, item.get("basis"), "content_items"),
            )
        )
    return tuple(found)


NAMED_LISTS: Final[Mapping[object, Callable[[object], tuple[object, ...]]]] = {
    Identifier: parse_identifiers,
    ContentItem: parse_content_items,
}
"""How a list of named things is read from plain values (a list of objects, or its JSON text)."""
