"""What the fields of the "Log a request" form are called, and the choices of its lists.

The labels are written once here, for the form and for its error summary (which names the
field of each problem); templates pass them through ``_()`` so that they can be translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from api.web.i18n import N_
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
    "authority_q": N_("Find an authority"),
    "authority_id": N_("Authority"),
    "new_authority_name": N_("Name of the authority"),
    "new_authority_country": N_("Country (ISO code, EU for Union bodies)"),
    "new_authority_type": N_("Kind of authority"),
    "received_at": N_("Received at"),
    "zone": N_("Time zone"),
    "jurisdiction": N_("Jurisdiction"),
    "rule": N_("Deadline rule"),
    "subdivision": N_("Region whose public holidays count"),
    "tz": N_("Count the days in the time zone"),
    "due_source": N_("Document that sets the date"),
    "instrument": N_("Instrument"),
    "kind": N_("What it asks for"),
    "channel": N_("How it arrived"),
    "dsa_basis": N_("DSA basis"),
    "emergency": N_("Emergency request"),
    "summary": N_("Summary"),
    "authority_reference": N_("The authority's reference"),
    "legal_basis": N_("Legal basis"),
    "priority": N_("Priority"),
    "confidentiality": N_("Confidentiality"),
    "tags": N_("Tags"),
    "assignee": N_("Assignee"),
    "response_language": N_("Response language"),
    "identifiers": N_("Identifiers named"),
    "mlat": N_("Came through a mutual legal assistance (MLAT) or diplomatic channel"),
    "service": N_("Service or product concerned"),
    "nondisclosure_order": N_("A non-disclosure order applies"),
    "nondisclosure_expires_on": N_("Non-disclosure order expires on"),
    "data_scope": N_("Data asked for"),
    "content_items": N_("Content items named"),
    "dsa_category": N_("DSA category"),
    "dsa_subcategory": N_("DSA sub-category"),
    "taxonomy_version": N_("Taxonomy version"),
    "internal_reason": N_("In-house reason"),
    "receipt_acknowledged_at": N_("Receipt acknowledged at"),
    "effect_given_at": N_("Effect given at"),
    "authority_informed_at": N_("Authority told of the effect at"),
    "user_notified_at": N_("User notified at"),
    "responded_at": N_("Responded at"),
    "closed_at": N_("Closed at"),
    "notice_decision": N_("Notice to the user"),
    "notice_delay_order": N_("Order that delays the notice"),
    "notice_delay_expires_on": N_("Notice delay expires on"),
    "data_outcome": N_("Outcome for the data"),
    "data_rejection_reason": N_("Why it was rejected"),
}
"""Every field of the form, in the order of the form (and of its error summary)."""

EVENT_LABELS: Final[Mapping[str, str]] = {
    "aware": N_("Became aware at"),
    "identity_verified": N_("Identity verified at"),
    "fee_received": N_("Fee received at"),
    "specified_due": N_("Due date the order specifies"),
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
