"""Use case: log or update many requests from a CSV file, all of them or none.

A row that names a request, by the ``id`` or ``reference`` the export wrote, updates it at the
``version`` the export wrote: the fields whose value differs change (as ``PATCH`` changes them),
a row that differs in nothing changes nothing, and a stale version refuses the row. A row that
names no request logs a new one. Every row is checked first (types, rule, authority, assignee,
deadline inputs) and every problem is reported with its line and field; only a file without
problems is imported, in one transaction: each new request through ``log_request`` (one
``request.logged`` entry), each change through ``update_request`` (one ``request.updated``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain import deadlines
from domain.requests.csv_format import ImportRow, read_import
from domain.requests.drafts import draft_request
from domain.requests.edits import new_request_from
from domain.requests.import_rows import named_request, row_changes, row_version
from domain.requests.model import RegulatoryRequest
from domain.requests.records import NewRequest
from domain.requests.sealing import check_readable
from domain.requests.service import _check_refs, log_request
from domain.requests.updates import edited, update_request
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


class RowAction(StrEnum):
    """What a row does to the requests."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True, kw_only=True)
class RowPlan:
    """What one line of the file does, or would do on a dry run."""

    line: int
    action: RowAction
    reference: str = ""
    """The request it updates or leaves unchanged ('' for a new one)."""
    fields: tuple[str, ...] = ()
    """The fields an update changes, in the order of the file's columns."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    """What an import found and did: nothing is changed when there are problems or on a dry run."""

    rows: int
    problems: list[RowProblem] = field(default_factory=list)
    plan: list[RowPlan] = field(default_factory=list)
    """One entry per data row, in file order, when there are no problems."""
    imported: list[RegulatoryRequest] = field(default_factory=list)
    """The requests logged."""
    updated: list[RegulatoryRequest] = field(default_factory=list)
    """The requests changed, as saved."""

    def count(self, action: RowAction) -> int:
        """How many rows do ``action``."""
        return sum(1 for p in self.plan if p.action is action)


@dataclass(frozen=True, slots=True)
class _Update:
    request_id: UUID
    version: int
    changes: dict[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Checked:
    """A row that passed its checks, and what carrying it out takes (nothing: unchanged)."""

    plan: RowPlan
    new: NewRequest | None = None
    update: _Update | None = None


def _problem(line: int, exc: DocketError) -> RowProblem:
    if isinstance(exc, ValidationError):
        return RowProblem(line, exc.field, exc.message)
    return RowProblem(line, "row", str(exc))


async def _check_new(
    book: deadlines.RuleBook, row: ImportRow, *, actor: Actor, now: datetime
) -> _Checked:
    new = new_request_from(row.values)
    draft_request(book, new, actor=actor, now=now)
    await _check_refs(new.authority_id, new.assignee)
    return _Checked(plan=RowPlan(line=row.line, action=RowAction.CREATE), new=new)


async def _check_update(
    book: deadlines.RuleBook,
    row: ImportRow,
    current: RegulatoryRequest,
    *,
    actor: Actor,
    now: datetime,
) -> _Checked:
    check_readable(actor, current)  # a row must not learn, or change, a sealed request
    version = row_version(row.keys, current)
    changes = row_changes(current, row.values)
    if not changes:
        plan = RowPlan(line=row.line, action=RowAction.UNCHANGED, reference=current.reference)
        return _Checked(plan=plan)
    await edited(book, current, changes, actor=actor, now=now)
    plan = RowPlan(
        line=row.line, action=RowAction.UPDATE, reference=current.reference, fields=tuple(changes)
    )
    return _Checked(plan=plan, update=_Update(current.id, version, changes))


async def _check_rows(
    book: deadlines.RuleBook,
    rows: Sequence[ImportRow],
    tell: Progress,
    total: int,
    *,
    actor: Actor,
    now: datetime,
) -> tuple[list[_Checked], list[RowProblem]]:
    checked: list[_Checked] = []
    problems: list[RowProblem] = []
    named: dict[UUID, int] = {}  # request id -> the line that names it first
    for done, row in enumerate(rows, start=1):
        try:
            current = await named_request(row.keys, named, line=row.line)
            if current is None:
                checked.append(await _check_new(book, row, actor=actor, now=now))
            else:
                checked.append(await _check_update(book, row, current, actor=actor, now=now))
        except DocketError as exc:
            problems.append(_problem(row.line, exc))
        tell(done, total)
    return checked, problems


async def import_requests(
    book: deadlines.RuleBook,
    rows_text: str,
    *,
    dry_run: bool,
    actor: Actor,
    now: datetime,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of a CSV file, then log or update them all in one transaction.

    Nothing is changed on a ``dry_run``; its ``plan`` says what each row would do.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    tell = progress or (lambda _done, _total: None)
    try:
        rows = list(read_import(rows_text))
    except ValidationError as exc:
        return ImportResult(rows=0, problems=[RowProblem(1, exc.field, exc.message)])
    total = len(rows) * (1 if dry_run else 2)
    checked, problems = await _check_rows(book, rows, tell, total, actor=actor, now=now)
    if problems:
        return ImportResult(rows=len(rows), problems=problems)
    plan = [c.plan for c in checked]
    if dry_run:
        return ImportResult(rows=len(rows), plan=plan)
    imported: list[RegulatoryRequest] = []
    updated: list[RegulatoryRequest] = []
    line = 0
    try:
        async with write_transaction():
            for done, item in enumerate(checked, start=len(rows) + 1):
                line = item.plan.line
                if item.new is not None:
                    imported.append(await log_request(book, item.new, actor=actor, now=now))
                elif item.update is not None:
                    updated.append(await _apply(book, item.update, actor=actor, now=now))
                tell(done, total)
    except DocketError as exc:  # a request changed meanwhile: all of it is rolled back
        return ImportResult(rows=len(rows), problems=[_problem(line, exc)])
    return ImportResult(rows=len(rows), plan=plan, imported=imported, updated=updated)


async def _apply(
    book: deadlines.RuleBook, update: _Update, *, actor: Actor, now: datetime
) -> RegulatoryRequest:
    return await update_request(
        book,
        update.request_id,
        expected_version=update.version,
        changes=update.changes,
        actor=actor,
        now=now,
    )
