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

from api.web.i18n import N_
from api.web.request_labels import label_of
from api.web.templating import Clockface
from domain import deadlines
from domain.requests.fields import RECORD_FIELDS, ContentItem, Identifier, RequestRecord
from domain.requests.trail import TrailEntry
from domain.requests.workflow import RequestAction

A = RequestAction
ACTION_LABELS: Final[Mapping[RequestAction, str]] = {
    A.TRIAGE: N_("Triage"),
    A.START: N_("Start work"),
    A.REQUEST_CLARIFICATION: N_("Ask for clarification (stop the clock)"),
    A.RECEIVE_CLARIFICATION: N_("Clarification received (restart the clock)"),
    A.START_DRAFTING: N_("Start drafting"),
    A.SUBMIT_FOR_REVIEW: N_("Submit for legal review"),
    A.APPROVE: N_("Approve"),
    A.SEND_BACK: N_("Send back to drafting"),
    A.REVISE: N_("Revise the response"),
    A.SEND: N_("Mark as sent"),
    A.CLOSE: N_("Close"),
    A.REJECT: N_("Reject"),
    A.WITHDRAW: N_("Mark as withdrawn"),
    A.REOPEN: N_("Reopen"),
}
CONFIRMATIONS: Final[Mapping[RequestAction, str]] = {
    A.APPROVE: N_("Approving records that Legal has approved the response as it stands."),
    A.SEND: N_(
        "Marking the request as sent records that the response went to the authority; "
        "its deadline is then met."
    ),
    A.CLOSE: N_("Closing ends the work on this request; only Legal or an admin can reopen it."),
    A.REJECT: N_(
        "Rejecting records that the request will not be answered; the deadline is "
        "no longer watched."
    ),
    A.WITHDRAW: N_(
        "Marking the request as withdrawn records that the authority withdrew it; "
        "the deadline is no longer watched."
    ),
    A.REOPEN: N_("Reopening puts a finished request back to work, with its deadline."),
}
"""The consequential steps, each asked for again on a page that names the request."""

FIELD_LABELS: Final[Mapping[str, str]] = {
    "state": N_("State"),
    "assignee": N_("Assignee"),
    "reference": N_("Reference"),
    "rule": N_("Rule"),
    "due_at": N_("Due (in force)"),
    "due_date": N_("Due date (in force)"),
    "statutory_due_at": N_("Statutory due"),
    "statutory_due_date": N_("Statutory due date"),
    "events": N_("Clock events"),
    "due_set_by_authority": N_("Due date set by the authority"),
    "extended_due_at": N_("Extended due"),
    "extended_due_date": N_("Extended due date"),
    "extension_taken": N_("Extension taken"),
    "extension_reason": N_("Extension reason"),
    "extension_notified_on": N_("Authority told of the extension on"),
    "acknowledgement_due_at": N_("Acknowledgement due"),
    "received_at": N_("Received"),
    "summary": N_("Summary"),
    "note": N_("Note"),
    "body": N_("Comment"),
    "comment_id": N_("Comment"),
    "attachment_id": N_("Document"),
    "original_name": N_("File name"),
    "media_type": N_("Type"),
    "size": N_("Size (bytes)"),
    "sha256": N_("SHA-256"),
    "reminder_offsets": N_("Reminder offsets"),
    "mlat": N_("Through an MLAT or diplomatic channel"),
    "service": N_("Service concerned"),
    "nondisclosure_order": N_("Non-disclosure order"),
    "nondisclosure_expires_on": N_("Non-disclosure order expires on"),
    "data_scope": N_("Data asked for"),
    "identifiers": N_("Identifiers named"),
    "content_items": N_("Content items named"),
    "dsa_category": N_("DSA category"),
    "dsa_subcategory": N_("DSA sub-category"),
    "taxonomy_version": N_("Taxonomy version"),
    "internal_reason": N_("In-house reason"),
    "receipt_acknowledged_at": N_("Receipt acknowledged"),
    "effect_given_at": N_("Effect given"),
    "authority_informed_at": N_("Authority told of the effect"),
    "user_notified_at": N_("User notified"),
    "responded_at": N_("Responded"),
    "closed_at": N_("Closed"),
    "notice_decision": N_("Notice to the user"),
    "notice_delay_order": N_("Order delaying the notice"),
    "notice_delay_expires_on": N_("Notice delay expires on"),
    "data_outcome": N_("Outcome for the data"),
    "data_rejection_reason": N_("Why the data request was rejected"),
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


def recordable_events(rule: deadlines.Rule | None) -> list[deadlines.ClockEvent]:
    """The events of the rule's clock the page lets one record as a step of their own.

    A date the authority set is recorded with its source, by an edit, not as a bare event.
    """
    if rule is None:
        return []
    return [e for e in deadlines.clock_events(rule) if e.name != deadlines.SPECIFIED_DUE]


def event_label(name: str) -> str:
    """What a clock event is called on the pages (``aware``: "Became aware at")."""
    return label_of(f"events.{name}")
