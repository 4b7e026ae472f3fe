"""What the fields of the "Log a request" form are called, and the choices of its lists.

The labels are written once here, for the form and for its error summary (which names the
field of each problem); templates pass them through ``_()`` so that they can be translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from domain.requests.fields import (
    ActionBasis,
    ContentAction,
    DataOutcome,
    DataScope,
    IdentifierType,
    NoticeDecision,
)
from domain.requests.model import (
    AuthorityType,
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RequestKind,
)

FIELD_LABELS: Final[Mapping[str, str]] = {
    "authority_q": "Find an authority",
    "authority_id": "Authority",
    "new_authority_name": "Name of the authority",
    "new_authority_country": "Country (ISO code, EU for Union bodies)",
    "new_authority_type": "Kind of authority",
    "received_at": "Received at",
    "zone": "Time zone",
    "jurisdiction": "Jurisdiction",
    "rule": "Deadline rule",
    "subdivision": "Region whose public holidays count",
    "tz": "Count the days in the time zone",
    "instrument": "Instrument",
    "kind": "What it asks for",
    "channel": "How it arrived",
    "dsa_basis": "DSA basis",
    "emergency": "Emergency request",
    "summary": "Summary",
    "authority_reference": "The authority's reference",
    "legal_basis": "Legal basis",
    "priority": "Priority",
    "confidentiality": "Confidentiality",
    "tags": "Tags",
    "assignee": "Assignee",
    "response_language": "Response language",
    "identifiers": "Identifiers named",
    "mlat": "Came through a mutual legal assistance (MLAT) or diplomatic channel",
    "service": "Service or product concerned",
    "nondisclosure_order": "A non-disclosure order applies",
    "nondisclosure_expires_on": "Non-disclosure order expires on",
    "data_scope": "Data asked for",
    "content_items": "Content items named",
    "dsa_category": "DSA category",
    "dsa_subcategory": "DSA sub-category",
    "taxonomy_version": "Taxonomy version",
    "internal_reason": "In-house reason",
    "receipt_acknowledged_at": "Receipt acknowledged at",
    "effect_given_at": "Effect given at",
    "authority_informed_at": "Authority told of the effect at",
    "user_notified_at": "User notified at",
    "responded_at": "Responded at",
    "closed_at": "Closed at",
    "notice_decision": "Notice to the user",
    "notice_delay_order": "Order that delays the notice",
    "notice_delay_expires_on": "Notice delay expires on",
    "data_outcome": "Outcome for the data",
    "data_rejection_reason": "Why it was rejected",
}
"""Every field of the form, in the order of the form (and of its error summary)."""

EVENT_LABELS: Final[Mapping[str, str]] = {
    "aware": "Became aware at",
    "identity_verified": "Identity verified at",
    "fee_received": "Fee received at",
    "specified_due": "Due date the order specifies",
}
"""The clock events rule packs name, as a person would ask for them."""

REPORT_FIELDS: Final = frozenset(list(FIELD_LABELS)[list(FIELD_LABELS).index("mlat") :])
"""The transparency-report fields, shown in their own collapsible section."""

CHOICES: Final[Mapping[str, list[str]]] = {
    "new_authority_type": [t.value for t in AuthorityType],
    "instrument": [i.value for i in Instrument],
    "kind": [k.value for k in RequestKind],
    "channel": [c.value for c in Channel],
    "dsa_basis": [d.value for d in DsaBasis],
    "priority": [p.value for p in Priority],
    "confidentiality": [c.value for c in Confidentiality],
    "data_scope": [d.value for d in DataScope],
    "notice_decision": [n.value for n in NoticeDecision],
    "data_outcome": [d.value for d in DataOutcome],
    "identifier_type": [i.value for i in IdentifierType],
    "content_action": [a.value for a in ContentAction],
    "content_basis": [b.value for b in ActionBasis],
}
"""The values each list offers (shown with underscores as spaces)."""


def label_of(name: str) -> str:
    """What field ``name`` is called on the form (an event's time: ``events.<event>``)."""
    if name.startswith("events."):
        event = name.removeprefix("events.")
        return EVENT_LABELS.get(event, event.replace("_", " ").capitalize() + " at")
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _position(name: str) -> float:
    order = list(FIELD_LABELS)
    if name.startswith("events."):
        return order.index("rule") + 0.5
    return order.index(name) if name in order else len(order)


def in_form_order(errors: Mapping[str, str]) -> dict[str, str]:
    """``errors`` by field, in the order the fields come on the form."""
    return {name: errors[name] for name in sorted(errors, key=_position)}
