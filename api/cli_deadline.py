"""``docket deadline`` and ``docket jurisdictions``: the deadline engine at the command line.

Neither command needs the database or any setting: the rule packs ship with Docket.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from api.cli_support import cli_actor, fail
from api.settings_values import parse_rule_targets
from domain import deadlines
from domain.deadlines import Deadline, Pause, Rule
from domain.shared.errors import EXPECTED_ERRORS


def _event(text: str) -> tuple[str, datetime]:
    name, equals, when = text.partition("=")
    if not equals or not name.strip():
        fail(f"--event: expected NAME=ISO8601, got {text!r}")
    name = name.strip()
    return name, deadlines.parse_instant(when, field=f"--event {name}")


def _pause(text: str) -> Pause:
    start, slash, end = text.partition("/")
    if not slash:
        fail(f"--pause: expected START/END or START/ (still paused), got {text!r}")
    begin = deadlines.parse_instant(start, field="--pause start")
    return begin, deadlines.parse_instant(end, field="--pause end") if end.strip() else None


@click.command()
@click.argument("rule_id")
@click.option("--received", required=True, metavar="ISO8601", help="When the request arrived.")
@click.option("--tz", metavar="ZONE", help="IANA zone the day of receipt is read in.")
@click.option("--subdivision", metavar="CODE", help="Region for public holidays (SCT, BY …).")
@click.option("--event", "events", multiple=True, metavar="NAME=ISO8601", help="A later event.")
@click.option("--pause", "pauses", multiple=True, metavar="START/END", help="A clock stop.")
@click.option(
    "--as-of",
    metavar="ISO8601",
    help="Apply the rule version in force at this time (default: when the clock starts).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def deadline(
    *,
    rule_id: str,
    received: str,
    tz: str | None,
    subdivision: str | None,
    events: tuple[str, ...],
    pauses: tuple[str, ...],
    as_of: str | None,
    as_json: bool,
) -> None:
    """Compute a rule's deadline, with the cited steps that lead to it.

    RULE_ID is `<JURISDICTION>/<slug>` as `docket jurisdictions` lists them, for example
    GB/uk-gdpr.rights-request. Times are ISO 8601 with a UTC offset; an open pause is START/ .
    """
    book = _book()
    try:
        rule = deadlines.get_rule(book, rule_id, actor=cli_actor())
        result = deadlines.preview_deadline(
            book,
            rule_id,
            received_at=deadlines.parse_instant(received, field="--received"),
            tz=tz,
            subdivision=subdivision,
            events=dict(_event(text) for text in events),
            pauses=[_pause(text) for text in pauses],
            as_of=None if as_of is None else deadlines.parse_instant(as_of, field="--as-of"),
            actor=cli_actor(),
        )
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        click.echo(_summary(rule, result))


def _book() -> deadlines.RuleBook:
    """The rule packs with the organisation's targets (DOCKET_RULE_TARGETS), as served."""
    try:
        targets = parse_rule_targets(os.environ.get("DOCKET_RULE_TARGETS", ""))
        return deadlines.load(targets=targets)
    except ValueError as exc:  # a bad value, or a TargetError (a ValueError too)
        fail(f"DOCKET_RULE_TARGETS: {exc}")


def _summary(rule: Rule, result: Deadline) -> str:
    data = result.to_json()
    lines = [f"{rule.id}: {rule.title}"]
    rows = [
        ("received", data["received_at"]),
        ("clock started", data["clock_started_at"]),
        ("due", _due(data["due_date"], data["due_at"])),
        ("extended due", _due(data["extended_due_date"], data["extended_due_at"])),
        ("time zone", result.tz),
        ("citation", result.citation),
    ]
    if result.earliest_date is not None:
        rows.insert(3, ("not before", _due(data["earliest_date"], data["earliest_at"], "from")))
    if result.rule_version is not None:
        rows.append(("rule version", f"in force from {result.rule_version.isoformat()}"))
    lines += [f"  {label:<14} {value}" for label, value in rows]
    if result.clock_stopped_since is not None:
        since = result.clock_stopped_since.astimezone(ZoneInfo(result.tz)).isoformat()
        lines.append(f"  {'clock stopped':<14} since {since}, still stopped")
    lines.append("steps:")
    for number, step in enumerate(result.steps, start=1):
        lines += [f"  {number}. {step.text}", f"     [{step.citation}]"]
    return "\n".join(lines)


def _due(day: object, instant: object, word: str = "by") -> str:
    return "none" if day is None else f"{day} ({word} {instant})"


@click.command()
@click.argument("code", required=False)
def jurisdictions(*, code: str | None) -> None:
    """List jurisdictions with their codes, names and deadline rule ids (or only CODE's)."""
    try:
        book = deadlines.load()
        if code is None:
            found = deadlines.list_jurisdictions(book, actor=cli_actor())
        else:
            found = [deadlines.get_jurisdiction(book, code, actor=cli_actor())]
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    for jurisdiction in found:
        click.echo(f"{jurisdiction.code:<6} {jurisdiction.name}")
        for rule in jurisdiction.rules:
            click.echo(f"       {rule.id:<40} {rule.title}")
