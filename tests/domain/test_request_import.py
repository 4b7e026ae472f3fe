"""Importing requests from CSV: every bad row reported with its line and field, all or nothing."""

from __future__ import annotations

import pytest

from audit import store
from domain import deadlines
from domain.requests import authorities
from domain.requests.authorities import NewAuthority
from domain.requests.importing import import_requests
from domain.requests.listing import query_requests
from domain.requests.model import AuthorityType
from domain.requests.repo import RequestFilters
from domain.shared.errors import PermissionDeniedError
from domain.shared.model import AuditAction, Role
from tests.conftest import ROOT, T0, make_user

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


async def _all() -> list[object]:
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
