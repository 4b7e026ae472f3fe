"""The fields of the request bodies, read from the domain's field lists; the body of an edit.

Which fields a request has, their types and defaults come from the domain (``flat.REQUEST_FIELDS``
for what is shown, ``edits.EDITABLE`` for what may be given); this module adds what only the API
says about them: examples, limits checked on the wire, and the bodies of named things.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Final

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas.auth import Strict
from api.schemas.derived import StructField, api_type, documented, with_fields
from api.schemas.jurisdictions import INSTANT_IN, RULE_ID
from domain.requests.clock_fields import AuthorityDue, ClockEvents
from domain.requests.edits import EDITABLE
from domain.requests.fields import (
    ActionBasis,
    ContentAction,
    ContentItem,
    Identifier,
    IdentifierType,
)
from domain.requests.flat import RENAMED, Field

VERSION: Final = msgspec.Meta(
    ge=1, examples=[3], description="the version you read; a stale one is refused with 409"
)
REFERENCE: Final = msgspec.Meta(examples=["REQ-2026-000042"])
SHORT: Final = msgspec.Meta(max_length=200)
LONG: Final = msgspec.Meta(max_length=4000)


class IdentifierBody(Strict):
    """An identifier a request names."""

    type: IdentifierType
    value: Annotated[str, msgspec.Meta(min_length=1, max_length=500, examples=["@example"])]


class ContentItemBody(Strict):
    """A content item a request names, by URL or id, and what was done to it."""

    ref: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    description: Annotated[str, LONG] = ""
    action: ContentAction | None = None
    basis: ActionBasis | None = None


class AuthorityDueBody(Strict):
    """A due date the order or the authority set, and the document that sets it."""

    due_at: Annotated[datetime, INSTANT_IN]
    source: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=500,
            examples=["production order 2026/117 of the Amtsgericht Köln, para. 3"],
            description="the document that sets the date (which order, notice or letter)",
        ),
    ]


EVENTS_BODY: Final = Annotated[
    dict[str, Annotated[datetime, INSTANT_IN]],
    msgspec.Meta(
        examples=[{"aware": "2026-03-01T09:00:00Z"}],
        description="instants of the events the rule's clock reads, by the rule pack's names "
        "(GET /api/v1/jurisdictions/{code} lists them); an event the rule does not read is "
        "refused",
    ),
]


BODIES: Final[Mapping[object, object]] = {
    Identifier: IdentifierBody,
    ContentItem: ContentItemBody,
    AuthorityDue: AuthorityDueBody,
    ClockEvents: EVENTS_BODY,
}
"""The body each named thing of the domain has in the API."""

READ_META: Final[Mapping[str, msgspec.Meta]] = {"reference": REFERENCE, "rule": RULE_ID}
"""Examples of the fields of an answer, by name."""
INPUT_META: Final[Mapping[str, msgspec.Meta]] = {
    "rule": RULE_ID,
    "received_at": INSTANT_IN,
    "tz": msgspec.Meta(examples=["Europe/London"]),
    "subdivision": msgspec.Meta(examples=["SCT"]),
    "authority_reference": msgspec.Meta(max_length=200, examples=["OF-2026-17"]),
    "legal_basis": msgspec.Meta(max_length=4000, examples=["OSA 2023 s.100"]),
    "summary": LONG,
    "tags": msgspec.Meta(max_length=20, examples=[["csam", "urgent-review"]]),
    "response_language": msgspec.Meta(examples=["en"]),
    "service": SHORT,
    "dsa_category": SHORT,
    "dsa_subcategory": SHORT,
    "taxonomy_version": SHORT,
    "internal_reason": LONG,
    "notice_delay_order": LONG,
    "data_rejection_reason": LONG,
}
"""Examples and limits of the fields a client gives, by name (a field need not have any)."""


def read_field(field: Field) -> StructField:
    """``field`` as a struct field of an answer: always present."""
    return field.attribute, documented(
        api_type(field.annotation, BODIES), READ_META.get(field.name)
    )


def create_field(field: Field) -> StructField:
    """``field`` as a struct field of a new request: required, or with the domain's default."""
    annotation = documented(api_type(field.annotation, BODIES), INPUT_META.get(field.name))
    if field.required:
        return field.attribute, annotation
    if isinstance(field.default, tuple):
        return (
            field.attribute,
            annotation,
            msgspec.field(default_factory=functools.partial(list, field.default)),
        )
    return field.attribute, annotation, field.default


def update_field(field: Field) -> StructField:
    """``field`` as a struct field of an edit: absent unless it changes (null clears it)."""
    base = documented(api_type(field.base, BODIES), INPUT_META.get(field.name))
    members = [base, UnsetType, None] if field.optional else [base, UnsetType]
    return field.attribute, functools.reduce(operator.or_, members), UNSET


@with_fields([update_field(f) for f in EDITABLE], rename=RENAMED)
class RequestUpdate(Strict):
    """Changes to a request: only the fields given change.

    A new ``received_at``, ``rule``, ``tz`` or ``subdivision`` recomputes the deadlines.
    """

    expected_version: Annotated[int, VERSION]

    def changes(self) -> dict[str, object]:
        """The fields given, by name, as JSON builtins (what ``update_request`` takes)."""
        given: dict[str, object] = msgspec.to_builtins(self)
        given.pop("expected_version")
        return given
