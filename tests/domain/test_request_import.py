"""Importing requests from CSV: every bad row reported with its line and field, all or nothing."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from audit import store
from domain import deadlines
from domain.requests import authorities
from domain.requests import repo as requests_repo
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.csv_format import EXPORT_COLUMNS, csv_line, export_row
from domain.requests.importing import RowAction, RowPlan, import_requests
from domain.requests.listing import query_requests
from domain.requests.model import AuthorityType, Priority, RegulatoryRequest
from domain.requests.repo import RequestFilters
from domain.requests.updates import update_request
from domain.requests.workflow import RequestAction, RequestState
from domain.shared.errors import PermissionDeniedError
from domain.shared.model import AuditAction, Role
from tests.conftest import ROOT, T0, make_user
from tests.domain.test_requests_service import given_request

HEADER = "authority_id,rule,received_at,channel,kind,instrument,summary,identifiers,mlat\r\n"


async def _authority() -> str:
    made = await authorities.create_authority(
        NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )
    return str(made.id)


def _row(
    authority: str, received: str = "2026-03-01T10:00:00+00:00", kind: str = "user_data"
) -> str:
    return (
        f"{authority},GB/uk-gdpr.rights-request,{received},email,{kind},subpoena,Data,"
        f'"[{{""type"": ""account"", ""value"": ""@a""}}]",true\r\n'
    )


async def _all() -> list[RegulatoryRequest]:
    return list(await query_requests(RequestFilters(), now=T0, limit=100, after=None))


async def test_a_good_file_is_imported_with_one_entry_per_request(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    authority = await _authority()
    text = HEADER + _row(authority) + _row(authority, "2026-02-27T08:00:00+01:00")
    result = await import_requests(rulebook, text, dry_run=False, actor=ROOT, now=T0)
    assert (result.rows, result.problems) == (2, [])
    stored = await query_requests(RequestFilters(), now=T0, limit=100, after=None)
    assert {r.reference for r in stored} == {"REQ-2026-000001", "REQ-2026-000002"}
    assert all(r.record.mlat and r.record.identifiers[0].value == "@a" for r in stored)
    for reg_request in stored:
        entries = await store.entries(subject=("request", str(reg_request.id)))
        assert [e.action for e in entries] == [AuditAction.REQUEST_LOGGED.value]


async def test_every_bad_row_is_reported_and_nothing_is_imported(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    authority = await _authority()
    text = (
        HEADER
        + _row(authority)
        + _row(authority, "2026-03-01T10:00:00")
        + _row(authority, kind="gossip")
        + _row("00000000-0000-0000-0000-000000000000")
    )
    result = await import_requests(rulebook, text, dry_run=False, actor=ROOT, now=T0)
    assert [str(p) for p in result.problems] == [
        "line 3: received_at: must be timezone-aware",
        "line 4: kind: 'gossip' is not one of content_action, user_data, preservation, "
        "account_action",
        "line 5: authority_id: no authority 00000000-0000-0000-0000-000000000000",
    ]
    assert result.imported == []
    assert await _all() == []


async def test_a_dry_run_checks_and_imports_nothing(db: str, rulebook: deadlines.RuleBook) -> None:
    authority = await _authority()
    result = await import_requests(
        rulebook, HEADER + _row(authority), dry_run=True, actor=ROOT, now=T0
    )
    assert (result.rows, result.problems, result.imported) == (1, [], [])
    assert await _all() == []


async def test_an_auditor_may_not_import(db: str, rulebook: deadlines.RuleBook) -> None:
    auditor = (await make_user(Role.AUDITOR)).as_actor()
    with pytest.raises(PermissionDeniedError):
        await import_requests(rulebook, HEADER, dry_run=True, actor=auditor, now=T0)


# ---------------------------------------------------------------- an export fed back in
async def _worked_on(rulebook: deadlines.RuleBook) -> RegulatoryRequest:
    """A triaged request with its extension taken and a summary a spreadsheet would evaluate."""
    logged = await given_request(rulebook, summary='=HYPERLINK("https://evil.example","x")')
    triaged = await requests.transition(
        rulebook, logged.id, RequestAction.TRIAGE, expected_version=1, actor=ROOT, now=T0
    )
    return await requests.take_extension(
        rulebook,
        logged.id,
        expected_version=triaged.version,
        reason="complex",
        notified_on=T0.date(),
        actor=ROOT,
        now=T0,
    )


def _export(*rows: RegulatoryRequest) -> str:
    return csv_line(EXPORT_COLUMNS) + "".join(csv_line(export_row(r)) for r in rows)


def _as_new(reg_request: RegulatoryRequest) -> str:
    """A row of the export with its id, reference and version deleted: a new request."""
    cells = dict(zip(EXPORT_COLUMNS, export_row(reg_request), strict=True))
    cells.update(id="", reference="", version="")
    return csv_line([cells[c] for c in EXPORT_COLUMNS])


async def _actions(reg_request: RegulatoryRequest) -> list[str]:
    return [e.action for e in await store.entries(subject=("request", str(reg_request.id)))]


async def test_an_export_read_back_changes_nothing_and_logs_nothing(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    worked = await _worked_on(rulebook)
    before = await _actions(worked)
    result = await import_requests(rulebook, _export(worked), dry_run=False, actor=ROOT, now=T0)
    assert result.problems == []
    assert result.plan == [RowPlan(line=2, action=RowAction.UNCHANGED, reference=worked.reference)]
    assert (result.imported, result.updated) == ([], [])
    assert await _all() == [worked]
    assert await _actions(worked) == before


async def test_an_edited_export_updates_its_request_with_one_entry_and_keeps_the_rest(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    worked = await _worked_on(rulebook)
    before = await _actions(worked)
    edited = replace(worked, summary="Subscriber data", priority=Priority.URGENT)
    text = _export(edited) + _as_new(worked)
    dry = await import_requests(rulebook, text, dry_run=True, actor=ROOT, now=T0)
    assert dry.plan == [
        RowPlan(
            line=2,
            action=RowAction.UPDATE,
            reference=worked.reference,
            fields=("priority", "summary"),
        ),
        RowPlan(line=3, action=RowAction.CREATE),
    ]
    assert await _all() == [worked]
    assert await _actions(worked) == before

    done = await import_requests(rulebook, text, dry_run=False, actor=ROOT, now=T0)
    assert (done.problems, done.plan) == ([], dry.plan)
    [updated] = done.updated
    assert (updated.id, updated.reference, updated.version) == (
        worked.id,
        worked.reference,
        worked.version + 1,
    )
    assert (updated.summary, updated.priority) == ("Subscriber data", Priority.URGENT)
    assert (updated.state, updated.extension_taken) == (RequestState.TRIAGED, True)
    assert updated.extended_due_at == worked.extended_due_at
    assert await _actions(worked) == [*before, AuditAction.REQUEST_UPDATED.value]
    [logged] = done.imported
    assert await _actions(logged) == [AuditAction.REQUEST_LOGGED.value]
    assert logged.summary == worked.summary
    assert len(await _all()) == 2


async def test_a_stale_version_refuses_its_row_and_nothing_is_imported(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    worked = await _worked_on(rulebook)
    await update_request(
        rulebook,
        worked.id,
        expected_version=worked.version,
        changes={"summary": "changed meanwhile"},
        actor=ROOT,
        now=T0,
    )
    text = _export(replace(worked, summary="from the old export")) + _as_new(worked)
    result = await import_requests(rulebook, text, dry_run=False, actor=ROOT, now=T0)
    assert [str(p) for p in result.problems] == [
        f"line 2: version: {worked.reference} is at version {worked.version + 1}, "
        f"not {worked.version}: it changed since this file was exported"
    ]
    assert (await requests_repo.get_request(worked.id)).summary == "changed meanwhile"
    assert len(await _all()) == 1


async def test_rows_naming_no_request_the_wrong_one_or_the_same_twice_are_refused(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    worked = await _worked_on(rulebook)
    other = await given_request(rulebook)
    ghost = uuid.uuid4()
    text = (
        "id,reference,version,summary\r\n"
        f"{ghost},,1,a\r\n"
        ",REQ-2099-000001,1,b\r\n"
        f"{worked.id},{other.reference},{worked.version},c\r\n"
        f"{worked.id},,{worked.version},d\r\n"
        f",{worked.reference},{worked.version},e\r\n"
        f"{other.id},,,f\r\n"
        ",,7,g\r\n"
    )
    result = await import_requests(rulebook, text, dry_run=True, actor=ROOT, now=T0)
    assert [str(p) for p in result.problems] == [
        f"line 2: id: no request {ghost}",
        "line 3: reference: no request 'REQ-2099-000001'",
        f"line 4: reference: is {worked.reference} for id {worked.id}, not {other.reference}",
        f"line 6: reference: line 5 names {worked.reference} already",
        "line 7: version: is required to update a request (the version read)",
        "line 8: version: given, but no id or reference says which request",
    ]
    assert result.plan == []


async def test_a_rule_and_subdivision_in_small_letters_are_not_a_change(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    worked = await _worked_on(rulebook)
    text = (
        f"id,version,rule,subdivision\r\n{worked.id},{worked.version},{worked.rule_id.lower()},\r\n"
    )
    result = await import_requests(rulebook, text, dry_run=True, actor=ROOT, now=T0)
    assert [p.action for p in result.plan] == [RowAction.UNCHANGED]
