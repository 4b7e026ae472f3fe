"""A new request as it will be logged, checked and with its deadlines, before it is stored.

What ``log_request`` stores and what the CSV import checks a new row with, so that both refuse
the same rows with the same words (pure: the rule book and the time are passed in).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from domain import deadlines
from domain.requests.model import RegulatoryRequest
from domain.requests.plausibility import check_clock_dates
from domain.requests.records import NewRequest, check_new_request, given_fields
from domain.requests.rule_fields import known_rule, with_deadline
from domain.requests.workflow import RequestState
from domain.shared.model import Actor


def draft_request(
    book: deadlines.RuleBook, new: NewRequest, *, actor: Actor, now: datetime
) -> RegulatoryRequest:
    """The request ``new`` describes, received and not yet stored (no reference yet).

    Raises:
        DeadlineInputError: naive ``received_at``, unknown ``tz`` or ``subdivision``, a missing
            event the rule's clock starts on.
        ValidationError: naming the field that breaks a rule (unknown ``rule``, an event the
            rule does not read, an implausible date …).
    """
    rule = known_rule(book, new.rule_id, actor=actor)
    check_new_request(new, now=now)
    given = given_fields(new) | {"rule_id": rule.id, "tz": new.tz or rule.default_tz}
    draft = RegulatoryRequest(
        **given,  # type: ignore[arg-type]
        id=uuid.uuid4(),
        reference="",
        version=1,
        state=RequestState.RECEIVED,
        jurisdiction=rule.jurisdiction,
        due_at=None,
        due_date=None,
        extended_due_at=None,
        extended_due_date=None,
        extension_notice_due_at=None,
        extension_taken=False,
        extension_reason="",
        extension_notified_on=None,
        created_at=now,
        updated_at=now,
    )
    draft = with_deadline(book, draft, [], actor)
    check_clock_dates(draft, [], now=now)
    return draft
