"""Editing a request on the real database: one versioned, audited change, or none."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.requests import repo as requests_repo
from domain.requests.fields import Identifier, IdentifierType, NoticeDecision
from domain.requests.updates import update_request
from domain.shared.errors import StaleVersionError, ValidationError
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import given_request, last_change, trail


async def test_an_edit_changes_the_fields_and_writes_one_entry_with_before_and_after(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    logged = await given_request(rulebook)
    changes = {
        "summary": "Narrowed to one account",
        "mlat": True,
        "identifiers": [{"type": "email", "value": "a@example.org"}],
        "notice_decision": "delay",
        "notice_delay_order": "Order 7/2026",
        "responded_at": (T0 - timedelta(hours=1)).isoformat(),
    }
    edited = await update_request(
        rulebook, logged.id, expected_version=1, changes=changes, actor=ROOT, now=T0
    )
    stored = await requests_repo.get_request(logged.id)
    assert stored == edited
    assert (stored.version, stored.summary, stored.record.mlat) == (2, changes["summary"], True)
    assert stored.record.identifiers == (Identifier(IdentifierType.EMAIL, "a@example.org"),)
    assert stored.record.notice_decision is NoticeDecision.DELAY
    assert stored.record.responded_at == T0 - timedelta(hours=1)
    assert stored.due_at == logged.due_at
    assert [action for action, _ in await trail(stored)] == ["request.logged", "request.updated"]
    change = await last_change(stored)
    assert isinstance(change["before"], dict)
    assert isinstance(change["after"], dict)
    assert (change["before"]["mlat"], change["after"]["mlat"]) == (False, True)
    assert change["after"]["notice_delay_order"] == "Order 7/2026"


async def test_a_new_receipt_time_moves_the_deadline(db: str, rulebook: deadlines.RuleBook) -> None:
    logged = await given_request(rulebook)
    earlier = T0 - timedelta(days=10)
    edited = await update_request(
        rulebook,
        logged.id,
        expected_version=1,
        changes={"received_at": earlier.isoformat()},
        actor=ROOT,
        now=T0,
    )
    assert edited.received_at == earlier
    assert edited.due_at is not None
    assert logged.due_at is not None
    assert edited.due_at < logged.due_at


async def test_a_stale_or_contradictory_edit_changes_nothing(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    logged = await given_request(rulebook)
    with pytest.raises(StaleVersionError):
        await update_request(
            rulebook, logged.id, expected_version=7, changes={"summary": "x"}, actor=ROOT, now=T0
        )
    with pytest.raises(ValidationError) as caught:
        await update_request(
            rulebook,
            logged.id,
            expected_version=1,
            changes={"data_outcome": "rejected"},
            actor=ROOT,
            now=T0,
        )
    assert caught.value.field == "data_rejection_reason"
    with pytest.raises(ValidationError, match="received_at: must be timezone-aware"):
        await update_request(
            rulebook,
            logged.id,
            expected_version=1,
            changes={"received_at": "2026-03-01T10:00:00"},
            actor=ROOT,
            now=T0,
        )
    assert await requests_repo.get_request(logged.id) == logged
    assert len(await trail(logged)) == 1


async def test_an_unknown_rule_is_a_wrong_field_and_changes_nothing(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    logged = await given_request(rulebook)
    with pytest.raises(ValidationError) as caught:
        await update_request(
            rulebook,
            logged.id,
            expected_version=1,
            changes={"rule": "GB/no-such-rule"},
            actor=ROOT,
            now=T0,
        )
    assert (caught.value.field, caught.value.message) == (
        "rule",
        "no deadline rule 'GB/no-such-rule'",
    )
    assert await requests_repo.get_request(logged.id) == logged


async def test_a_rule_and_subdivision_in_small_letters_are_kept_as_the_rule_book_spells_them(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    logged = await given_request(
        rulebook, rule_id="gb/UK-GDPR.rights-request", subdivision="sct", tz="UTC"
    )
    assert (logged.rule_id, logged.jurisdiction, logged.subdivision) == (
        "GB/uk-gdpr.rights-request",
        "GB",
        "SCT",
    )
    edited = await update_request(
        rulebook,
        logged.id,
        expected_version=1,
        changes={"rule": "gb/uk-gdpr.rights-request", "subdivision": "nir"},
        actor=ROOT,
        now=T0,
    )
    assert (edited.rule_id, edited.subdivision, edited.tz) == (
        "GB/uk-gdpr.rights-request",
        "NIR",
        "UTC",
    )
    relogged = await given_request(rulebook, subdivision="NIR", tz="UTC")
    assert (edited.due_at, edited.extended_due_at) == (relogged.due_at, relogged.extended_due_at)
