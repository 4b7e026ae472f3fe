"""What the "Log a request" page shows besides the values typed.

The authorities and the rules to choose from, the zones to type times in, and the deadline the
inputs give.
"""

from __future__ import annotations

from typing import Final
from uuid import UUID

from api.web import request_form
from api.web.request_form import RequestForm
from api.web.request_labels import CHOICES
from domain import deadlines
from domain.deadlines import Deadline, Rule, RuleBook, RuleNotFoundError
from domain.requests import authorities
from domain.requests.errors import AuthorityNotFoundError
from domain.requests.model import Authority
from domain.shared.errors import ValidationError
from domain.shared.model import Actor

SEARCH_LIMIT: Final = 50


async def authority_choices(form: RequestForm, actor: Actor) -> dict[str, object]:
    """The authorities to choose from: those the search finds, and the one chosen."""
    query = form.get("authority_q").strip()
    found = await authorities.search_authorities(
        query, actor=actor, limit=SEARCH_LIMIT if query else None
    )
    chosen = await _chosen_authority(form, actor)
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    elif chosen is None and query and len(found) == 1:
        form.values["authority_id"] = str(found[0].id)  # the one match: chosen, and said so
    return {"authority_query": query, "authority_choices": found, "choices": CHOICES}


async def _chosen_authority(form: RequestForm, actor: Actor) -> Authority | None:
    try:
        return await authorities.get_authority(UUID(form.get("authority_id")), actor=actor)
    except (ValueError, AuthorityNotFoundError):
        return None  # saving names the problem


def rule_choices(
    form: RequestForm, book: RuleBook, actor: Actor, *, rule_wins: bool
) -> dict[str, object]:
    """The jurisdictions, the rules offered (grouped by jurisdiction) and the rule chosen.

    When the rule chosen is not one of the jurisdiction's, the page follows the rule (``rule
    wins``: without JavaScript every rule is offered) and the fragment follows the jurisdiction
    (it was just changed, so the rule no longer applies).
    """
    everything = deadlines.list_jurisdictions(book, actor=actor)
    rule = chosen_rule(form, book, actor)
    code = form.get("jurisdiction").strip().upper()
    if rule is not None and code and rule.jurisdiction != code:
        if rule_wins:
            code = rule.jurisdiction
        else:
            rule, form.values["rule"] = None, ""
    form.values["jurisdiction"] = code
    shown = [j for j in everything if j.code == code] if code else everything
    if not shown:
        form.errors.setdefault("jurisdiction", f"no rule pack has the code {code!r}")
        shown = everything
    return {
        "jurisdictions": everything,
        "rule_groups": shown,
        "rule": rule,
        "events": deadlines.clock_events(rule) if rule is not None else (),
    }


def chosen_rule(form: RequestForm, book: RuleBook, actor: Actor) -> Rule | None:
    """The rule the form names; None, noting the problem, when it names none that exists."""
    rule_id = form.get("rule").strip()
    if not rule_id:
        return None
    try:
        return deadlines.get_rule(book, rule_id, actor=actor)
    except RuleNotFoundError:
        form.errors.setdefault("rule", f"there is no deadline rule {rule_id!r}")
        return None


def deadline_preview(
    form: RequestForm, book: RuleBook, actor: Actor
) -> tuple[Deadline | None, dict[str, str]]:
    """The deadline the form gives, or what stops it, by field.

    Nothing at all until both a rule and the time of receipt are given.
    """
    rule_id = form.get("rule").strip()
    if not rule_id or not form.get("received_at").strip():
        return None, {}
    scratch = RequestForm(values=form.values, identifiers=[], content_items=[])
    try:
        rule = deadlines.get_rule(book, rule_id, actor=actor)
    except RuleNotFoundError:
        return None, {"rule": f"there is no deadline rule {rule_id!r}"}
    given = request_form.deadline_inputs(scratch, rule.id, deadlines.clock_events(rule))
    if given is None:
        return None, scratch.errors
    try:
        deadline = deadlines.preview_deadline(
            book,
            given.rule_id,
            received_at=given.received_at,
            tz=given.tz,
            subdivision=given.subdivision,
            events=given.events,
            specified_source=_set_in(form),
            actor=actor,
        )
    except ValidationError as exc:
        return None, {exc.field: exc.message}
    return deadline, {}


def _set_in(form: RequestForm) -> str | None:
    """Where the order's date is set, for the preview's steps (the authority may not be chosen)."""
    source = form.get("due_source").strip()
    return f"the authority in {source}" if source else None


def zones(book: RuleBook, actor: Actor, zone: str) -> list[str]:
    """The zones offered for typing (any IANA zone may be typed): the rule packs' and ours."""
    packs = {r.default_tz for j in deadlines.list_jurisdictions(book, actor=actor) for r in j.rules}
    return sorted(packs | {zone, "UTC"})
