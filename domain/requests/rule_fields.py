"""The fields of a request that follow from its rule (pure: the rule book is passed in).

Its deadlines, and its rule id and subdivision spelt as the rule book spells them, whatever
letter case they were given in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain import deadlines
from domain.requests.model import ClockPause, RegulatoryRequest
from domain.shared.errors import ValidationError
from domain.shared.model import Actor


def known_rule(book: deadlines.RuleBook, rule_id: str, *, actor: Actor) -> deadlines.Rule:
    """The rule a request names; an unknown one is a wrong field of what was sent, not a 404.

    Raises:
        ValidationError: on ``rule`` when the rule book has no such rule.
    """
    try:
        return deadlines.get_rule(book, rule_id, actor=actor)
    except deadlines.RuleNotFoundError:
        raise ValidationError("rule", f"no deadline rule {rule_id!r}") from None


def with_deadline(
    book: deadlines.RuleBook,
    reg_request: RegulatoryRequest,
    pauses: list[ClockPause],
    actor: Actor,
) -> RegulatoryRequest:
    """``reg_request`` with the deadlines of its rule, its rule and subdivision spelt canonically.

    Raises:
        RuleNotFoundError: no rule ``reg_request.rule_id``.
        DeadlineInputError: an unknown ``tz`` or ``subdivision``.
    """
    deadline = deadlines.preview_deadline(
        book,
        reg_request.rule_id,
        received_at=reg_request.received_at,
        tz=reg_request.tz,
        subdivision=reg_request.subdivision,
        pauses=[(p.started_at, p.ended_at) for p in pauses],
        actor=actor,
    )
    subdivision = reg_request.subdivision
    if subdivision is not None:  # known: the deadline was computed with it
        subdivision = book.rule(deadline.rule_id).subdivision_code(subdivision)
    reg_request = replace(reg_request, rule_id=deadline.rule_id, subdivision=subdivision)
    return replace(
        reg_request,
        tz=deadline.tz,
        due_at=deadline.due_at,
        due_date=deadline.due_date,
        extended_due_at=deadline.extended_due_at,
        extended_due_date=deadline.extended_due_date,
        extension_notice_due_at=deadline.extension_notice_due_at,
        acknowledgement_due_at=acknowledgement_due(book, reg_request, deadline.tz, actor),
    )


def acknowledgement_due(
    book: deadlines.RuleBook, reg_request: RegulatoryRequest, tz: str, actor: Actor
) -> datetime | None:
    """When receipt must be acknowledged under the rule's acknowledgement rule (None: no duty).

    Counted from the same receipt, in the request's zone; the request's subdivision is used only
    where the acknowledgement rule's jurisdiction knows it. Clock stops do not apply.
    """
    rule = deadlines.get_rule(book, reg_request.rule_id, actor=actor)
    if rule.acknowledgement_rule_id is None:
        return None
    ack_rule = deadlines.get_rule(book, rule.acknowledgement_rule_id, actor=actor)
    subdivision = reg_request.subdivision
    if subdivision not in ack_rule.subdivisions:
        subdivision = None
    return deadlines.preview_deadline(
        book,
        ack_rule.id,
        received_at=reg_request.received_at,
        tz=tz,
        subdivision=subdivision,
        actor=actor,
    ).due_at
