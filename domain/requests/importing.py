"""Use case: log many requests from a CSV file, all of them or none.

Every row is checked first (types, rule, authority, assignee, deadline inputs) and every problem
is reported with its line and field; only a file without problems is imported, in one
transaction, each request through ``log_request`` (so each gets its ``request.logged`` entry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from domain import deadlines
from domain.requests.csv_format import read_import
from domain.requests.edits import new_request_from
from domain.requests.model import RegulatoryRequest
from domain.requests.records import NewRequest, check_new_request
from domain.requests.service import _check_refs, log_request
from domain.shared.database import write_transaction
from domain.shared.errors import DocketError, ValidationError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

Progress = Callable[[int, int], None]
"""Told (rows done, rows in all) as the check and the import go."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    """What an import found and did: nothing is imported when there are problems or on a dry run."""

    rows: int
    problems: list[RowProblem] = field(default_factory=list)
    imported: list[RegulatoryRequest] = field(default_factory=list)


async def _check_row(
    book: deadlines.RuleBook, values: dict[str, str], *, actor: Actor, now: datetime
) -> NewRequest:
    new = new_request_from(values)
    try:
        deadlines.get_rule(book, new.rule_id, actor=actor)
    except deadlines.RuleNotFoundError:
        raise ValidationError("rule", f"no deadline rule {new.rule_id!r}") from None
    check_new_request(new, now=now)
    deadlines.preview_deadline(
        book,
        new.rule_id,
        received_at=new.received_at,
        tz=new.tz,
        subdivision=new.subdivision,
        actor=actor,
    )
    await _check_refs(new.authority_id, new.assignee)
    return new


async def import_requests(
    book: deadlines.RuleBook,
    rows_text: str,
    *,
    dry_run: bool,
    actor: Actor,
    now: datetime,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of a CSV file, then log them all in one transaction (unless ``dry_run``).

    Raises:
        PermissionDeniedError: unless the actor may write requests.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    tell = progress or (lambda _done, _total: None)
    try:
        rows = list(read_import(rows_text))
    except ValidationError as exc:
        return ImportResult(rows=0, problems=[RowProblem(1, exc.field, exc.message)])
    checked: list[NewRequest] = []
    problems: list[RowProblem] = []
    for done, row in enumerate(rows, start=1):
        try:
            checked.append(await _check_row(book, row.values, actor=actor, now=now))
        except ValidationError as exc:
            problems.append(RowProblem(row.line, exc.field, exc.message))
        except DocketError as exc:
            problems.append(RowProblem(row.line, "row", str(exc)))
        tell(done, len(rows) * (1 if dry_run else 2))
    if problems or dry_run:
        return ImportResult(rows=len(rows), problems=problems)
    imported = []
    async with write_transaction():
        for done, new in enumerate(checked, start=len(rows) + 1):
            imported.append(await log_request(book, new, actor=actor, now=now))
            tell(done, len(rows) * 2)
    return ImportResult(rows=len(rows), imported=imported)
