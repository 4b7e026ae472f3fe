"""The fields of a request that follow from its rule (pure: the rule book is passed in).

Its deadlines, and its rule id and subdivision spelt as the rule book spells them, whatever
letter case they were given in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain import deadlines
from domain.requests.model import ClockPause, RegulatoryRequest, in_force
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


def check_clock_inputs(rule: deadlines.Rule, reg_request: RegulatoryRequest) -> None:
    """Refuse events the rule does not read, and a set date where the rule counts its own.

    A date the authority set is the rule's ``specified_due`` event: it is given with its source
    (``due_set_by_authority``), never as a bare event.

    Raises:
        ValidationError: on ``events.<name>`` or ``due_set_by_authority``.
    """
    read = {e.name for e in deadlines.clock_events(rule)}
    for name in reg_request.events:
        if name == deadlines.SPECIFIED_DUE and name in read:
            raise ValidationError(
                f"events.{name}", "give the date the authority set as due_set_by_authority"
            )
        if name not in read - {deadlines.SPECIFIED_DUE}:
            reads = ", ".join(sorted(read - {deadlines.SPECIFIED_DUE})) or "no events"
            raise ValidationError(f"events.{name}", f"rule {rule.id} reads {reads}")
    if reg_request.due_set_by_authority is not None and deadlines.SPECIFIED_DUE not in read:
        raise ValidationError(
            "due_set_by_authority", f"rule {rule.id} counts its own period: no date set applies"
        )


def request_deadline(
    book: deadlines.RuleBook,
    reg_request: RegulatoryRequest,
    pauses: list[ClockPause],
    actor: Actor,
    *,
    authority_name: str = "",
) -> deadlines.Deadline:
    """The deadline of ``reg_request`` as its rule, receipt, events, set date and stops give it.

    ``authority_name`` names who set a date, for the explanation (it changes no date).

    Raises:
        RuleNotFoundError: no rule ``reg_request.rule_id``.
        DeadlineInputError: an unknown ``tz`` or ``subdivision``, a required event missing.
    """
    events = dict(reg_request.events)
    set_by = reg_request.due_set_by_authority
    specified_source = None
    if set_by is not None:
        events[deadlines.SPECIFIED_DUE] = set_by.due_at
        who = authority_name or "the authority"
        specified_source = f"{who} in {set_by.source}"
    return deadlines.preview_deadline(
        book,
        reg_request.rule_id,
        received_at=reg_request.received_at,
        tz=reg_request.tz,
        subdivision=reg_request.subdivision,
        events=events,
        specified_source=specified_source,
        pauses=[(p.started_at, p.ended_at) for p in pauses],
        actor=actor,
    )


def with_deadline(
    book: deadlines.RuleBook,
    reg_request: RegulatoryRequest,
    pauses: list[ClockPause],
    actor: Actor,
) -> RegulatoryRequest:
    """``reg_request`` with the deadlines of its rule, its rule and subdivision spelt canonically.

    ``due_at`` is then the deadline in force (``model.in_force``).

    Raises:
        RuleNotFoundError: no rule ``reg_request.rule_id``.
        DeadlineInputError: an unknown ``tz`` or ``subdivision``, a required event missing.
        ValidationError: an event the rule does not read, a set date it does not use.
    """
    check_clock_inputs(deadlines.get_rule(book, reg_request.rule_id, actor=actor), reg_request)
    deadline = request_deadline(book, reg_request, pauses, actor)
    subdivision = reg_request.subdivision
    if subdivision is not None:  # known: the deadline was computed with it
        subdivision = book.rule(deadline.rule_id).subdivision_code(subdivision)
    reg_request = replace(reg_request, rule_id=deadline.rule_id, subdivision=subdivision)
    return in_force(
        replace(
            reg_request,
            tz=deadline.tz,
            statutory_due_at=deadline.due_at,
            statutory_due_date=deadline.due_date,
            extended_due_at=deadline.extended_due_at,
            extended_due_date=deadline.extended_due_date,
            extension_notice_due_at=deadline.extension_notice_due_at,
            acknowledgement_due_at=acknowledgement_due(book, reg_request, deadline.tz, actor),
        )
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
