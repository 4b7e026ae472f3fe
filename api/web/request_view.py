"""How the request page names things: steps, fields, audit actions, values (no business rule).

The words are kept here, as the queue keeps its tab labels, and go through ``_()`` in the
templates, so that they can be translated with the rest of the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from api.web.templating import Clockface
from domain.requests.fields import RECORD_FIELDS, ContentItem, Identifier, RequestRecord
from domain.requests.trail import TrailEntry
from domain.requests.workflow import RequestAction

A = RequestAction
ACTION_LABELS: Final[Mapping[RequestAction, str]] = {
    A.TRIAGE: "Triage",
    A.START: "Start work",
    A.REQUEST_CLARIFICATION: "Ask for clarification (stop the clock)",
    A.RECEIVE_CLARIFICATION: "Clarification received (restart the clock)",
    A.START_DRAFTING: "Start drafting",
    A.SUBMIT_FOR_REVIEW: "Submit for legal review",
    A.APPROVE: "Approve",
    A.SEND_BACK: "Send back to drafting",
    A.REVISE: "Revise the response",
    A.SEND: "Mark as sent",
    A.CLOSE: "Close",
    A.REJECT: "Reject",
    A.WITHDRAW: "Mark as withdrawn",
    A.REOPEN: "Reopen",
}
CONFIRMATIONS: Final[Mapping[RequestAction, str]] = {
    A.APPROVE: "Approving records that Legal has approved the response as it stands.",
    A.SEND: "Marking the request as sent records that the response went to the authority; "
    "its deadline is then met.",
    A.CLOSE: "Closing ends the work on this request; only Legal or an admin can reopen it.",
    A.REJECT: "Rejecting records that the request will not be answered; the deadline is "
    "no longer watched.",
    A.WITHDRAW: "Marking the request as withdrawn records that the authority withdrew it; "
    "the deadline is no longer watched.",
    A.REOPEN: "Reopening puts a finished request back to work, with its deadline.",
}
"""The consequential steps, each asked for again on a page that names the request."""

FIELD_LABELS: Final[Mapping[str, str]] = {
    "state": "State",
    "assignee": "Assignee",
    "reference": "Reference",
    "rule": "Rule",
    "due_at": "Due",
    "due_date": "Due date",
    "extended_due_at": "Extended due",
    "extended_due_date": "Extended due date",
    "extension_taken": "Extension taken",
    "extension_reason": "Extension reason",
    "extension_notified_on": "Authority told of the extension on",
    "acknowledgement_due_at": "Acknowledgement due",
    "received_at": "Received",
    "summary": "Summary",
    "note": "Note",
    "body": "Comment",
    "comment_id": "Comment",
    "attachment_id": "Document",
    "original_name": "File name",
    "media_type": "Type",
    "size": "Size (bytes)",
    "sha256": "SHA-256",
    "reminder_offsets": "Reminder offsets",
    "mlat": "Through an MLAT or diplomatic channel",
    "service": "Service concerned",
    "nondisclosure_order": "Non-disclosure order",
    "nondisclosure_expires_on": "Non-disclosure order expires on",
    "data_scope": "Data asked for",
    "identifiers": "Identifiers named",
    "content_items": "Content items named",
    "dsa_category": "DSA category",
    "dsa_subcategory": "DSA sub-category",
    "taxonomy_version": "Taxonomy version",
    "internal_reason": "In-house reason",
    "receipt_acknowledged_at": "Receipt acknowledged",
    "effect_given_at": "Effect given",
    "authority_informed_at": "Authority told of the effect",
    "user_notified_at": "User notified",
    "responded_at": "Responded",
    "closed_at": "Closed",
    "notice_decision": "Notice to the user",
    "notice_delay_order": "Order delaying the notice",
    "notice_delay_expires_on": "Notice delay expires on",
    "data_outcome": "Outcome for the data",
    "data_rejection_reason": "Why the data request was rejected",
}


def field_label(name: str) -> str:
    """The label of a request field (its name in words when it has none)."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    """``request.clock_paused`` as ``Clock paused``."""
    verb = action.split(".", 1)[-1]
    return verb.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Step:
    """A workflow step open to the viewer, as the page offers it."""

    action: RequestAction
    label: str
    confirm: str
    """Why it asks again ("" for a step taken at once)."""


def steps_of(actions: list[RequestAction]) -> list[Step]:
    """The steps in table order, with their labels and confirmations."""
    return [Step(a, ACTION_LABELS[a], CONFIRMATIONS.get(a, "")) for a in actions]


def shown(value: object, face: Clockface) -> str:
    """A recorded value as text: times in the reader's zone, lists one item a line."""
    if value is None or value in ("", ()):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return face.absolute(value)
    if isinstance(value, date | StrEnum):
        return value.isoformat() if isinstance(value, date) else value.value.replace("_", " ")
    if isinstance(value, tuple):
        return "\n".join(_item(v) for v in value)
    return str(value)


def _item(value: object) -> str:
    if isinstance(value, Identifier):
        return f"{value.type.value}: {value.value}"
    if isinstance(value, ContentItem):
        action = f" ({value.action.value.replace('_', ' ')})" if value.action else ""
        return f"{value.ref}{action}"
    return str(value)


def record_rows(record: RequestRecord, face: Clockface) -> list[tuple[str, str]]:
    """The report fields as (label, text), in the record's order ("" when not known yet)."""
    return [(field_label(n), shown(getattr(record, n), face)) for n in RECORD_FIELDS]


def recorded_text(text: str | None, face: Clockface) -> str:
    """A value of an audit entry: an ISO time read in the reader's zone, anything else as is."""
    if text is None:
        return ""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return text
    return face.absolute(instant) if instant.tzinfo is not None else text


def entry_for(
    trail: list[TrailEntry], *, version: int | None = None, item: str | None = None
) -> TrailEntry | None:
    """The entry that left the request at ``version``, or that added ``item``."""
    for entry in reversed(trail):
        if (version is not None and entry.version == version) or (
            item is not None and entry.item_id == item
        ):
            return entry
    return None


def human_size(size: int) -> str:
    """``2.4 MB`` (decimal units, as file managers show them)."""
    amount = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if amount < 1000 or unit == "GB":  # noqa: PLR2004 - decimal units
            return f"{int(amount)} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1000
    return f"{size} bytes"  # pragma: no cover - the loop returns at GB
