"""Clock events, dates set by the authority, the one deadline in force, and implausible dates.

On the real database: each change is one versioned, audited save, or nothing at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from domain import deadlines
from domain.requests import queries
from domain.requests import repo as requests_repo
from domain.requests import service as requests
from domain.requests.clock_fields import AuthorityDue
from domain.requests.due_dates import binding_due_dates
from domain.requests.fields import RequestRecord
from domain.requests.importing import import_requests
from domain.requests.model import ClockPause
from domain.requests.plausibility import check_clock_dates
from domain.requests.repo import RequestFilters
from domain.requests.updates import record_clock_events, update_request
from domain.requests.workflow import RequestAction
from domain.shared.errors import DeadlineInputError, ValidationError
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import given_request, last_change, trail

BREACH = "DE/gdpr.breach-notification"
ART9 = "EU/dsa.art9-order"
GB_RIGHTS = "GB/uk-gdpr.rights-request"


async def test_a_request_logged_with_its_event_gets_the_deadline_counted_from_it(
    db, rulebook
) -> None:
    aware = T0 - timedelta(hours=10)
    reg_request = await given_request(rulebook, BREACH, events={"aware": aware})
    # GDPR Art 33(1): 72 hours from awareness, not from receipt
    assert reg_request.due_at == aware + timedelta(hours=72)
    assert reg_request.statutory_due_at == reg_request.due_at
    stored = await requests_repo.get_request(reg_request.id)
    assert stored.events == {"aware": aware}
    assert (await last_change(reg_request))["after"]["events"] == {"aware": aware.isoformat()}


async def test_a_rule_that_starts_on_an_event_refuses_a_request_without_it(db, rulebook) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        await given_request(rulebook, BREACH)
    assert caught.value.field == "events.aware"


async def test_an_event_the_rule_does_not_read_is_refused_by_name(db, rulebook) -> None:
    with pytest.raises(ValidationError) as caught:
        await given_request(rulebook, GB_RIGHTS, events={"aware": T0})
    assert caught.value.field == "events.aware"
    assert "identity_verified" in caught.value.message


async def test_recording_an_event_is_one_step_that_moves_the_deadline(db, rulebook) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS, received_at=T0 - timedelta(days=5))
    verified = T0 - timedelta(days=1)
    moved = await record_clock_events(
        rulebook,
        reg_request.id,
        expected_version=1,
        events={"identity_verified": verified.isoformat()},
        actor=ROOT,
        now=T0,
    )
    assert moved.version == 2
    assert moved.events == {"identity_verified": verified}
    assert moved.due_at is not None
    assert reg_request.due_at is not None
    assert moved.due_at > reg_request.due_at
    preview = deadlines.preview_deadline(
        rulebook,
        GB_RIGHTS,
        received_at=reg_request.received_at,
        events={"identity_verified": verified},
        actor=ROOT,
    )
    assert moved.due_at == preview.due_at
    assert [a for a, _ in await trail(moved)] == [
        "request.logged",
        "request.clock_events_recorded",
    ]
    assert (await binding_due_dates([moved.id]))[moved.id] == moved.due_at


async def test_an_event_is_removed_with_null_and_the_others_stay(db, rulebook) -> None:
    received = T0 - timedelta(days=5)
    reg_request = await given_request(
        rulebook,
        GB_RIGHTS,
        received_at=received,
        events={"identity_verified": T0 - timedelta(days=2), "fee_received": T0},
    )
    moved = await record_clock_events(
        rulebook,
        reg_request.id,
        expected_version=1,
        events={"fee_received": None},
        actor=ROOT,
        now=T0,
    )
    assert moved.events == {"identity_verified": T0 - timedelta(days=2)}


async def test_patch_sets_events_and_recomputes(db, rulebook) -> None:
    reg_request = await given_request(rulebook, BREACH, events={"aware": T0})
    earlier = T0 - timedelta(hours=30)
    changed = await update_request(
        rulebook,
        reg_request.id,
        expected_version=1,
        changes={"events": {"aware": earlier.isoformat()}},
        actor=ROOT,
        now=T0,
    )
    assert changed.due_at == earlier + timedelta(hours=72)


async def test_a_date_set_by_the_authority_is_the_deadline_and_the_explanation_names_it(
    db, rulebook
) -> None:
    set_at = T0 + timedelta(days=10)
    source = "order 2026/117, para. 3"
    reg_request = await given_request(
        rulebook, ART9, due_set_by_authority=AuthorityDue(due_at=set_at, source=source)
    )
    assert reg_request.due_at == set_at
    explained = await queries.explain_deadline(rulebook, reg_request, actor=ROOT)
    texts = [step.text for step in explained.steps]
    assert any("set by Ofcom in order 2026/117, para. 3" in text for text in texts), texts
    stored = await requests_repo.get_request(reg_request.id)
    assert stored.due_set_by_authority == AuthorityDue(due_at=set_at, source=source)


async def test_an_order_without_a_date_has_none_until_the_authority_sets_one(db, rulebook) -> None:
    reg_request = await given_request(rulebook, ART9)
    assert reg_request.due_at is None
    set_at = T0 + timedelta(days=3)
    changed = await update_request(
        rulebook,
        reg_request.id,
        expected_version=1,
        changes={"due_set_by_authority": {"due_at": set_at.isoformat(), "source": "letter"}},
        actor=ROOT,
        now=T0,
    )
    assert changed.due_at == set_at
    assert (await binding_due_dates([changed.id]))[changed.id] == set_at


async def test_a_set_date_is_refused_where_the_rule_counts_its_own_period(db, rulebook) -> None:
    with pytest.raises(ValidationError) as caught:
        await given_request(
            rulebook, GB_RIGHTS, due_set_by_authority=AuthorityDue(due_at=T0, source="x")
        )
    assert caught.value.field == "due_set_by_authority"


async def test_a_set_date_without_its_source_is_refused(db, rulebook) -> None:
    reg_request = await given_request(rulebook, ART9)
    with pytest.raises(ValidationError) as caught:
        await update_request(
            rulebook,
            reg_request.id,
            expected_version=1,
            changes={"due_set_by_authority": {"due_at": T0.isoformat(), "source": " "}},
            actor=ROOT,
            now=T0,
        )
    assert caught.value.field == "due_set_by_authority.source"


async def test_after_an_extension_due_at_is_the_extended_deadline(db, rulebook) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS)
    extended = await requests.take_extension(
        rulebook,
        reg_request.id,
        expected_version=1,
        reason="complex",
        notified_on=T0.date(),
        actor=ROOT,
        now=T0,
    )
    assert extended.statutory_due_at == reg_request.due_at
    assert extended.due_at == extended.extended_due_at
    assert extended.due_date == extended.extended_due_date
    assert (await binding_due_dates([extended.id]))[extended.id] == extended.extended_due_at
    change = await last_change(extended)
    assert change["after"]["due_at"] == extended.due_at.isoformat() != change["before"]["due_at"]
    # a later recomputation (a new receipt time) keeps the extended one in force
    moved = await update_request(
        rulebook,
        extended.id,
        expected_version=2,
        changes={"received_at": (T0 - timedelta(days=1)).isoformat()},
        actor=ROOT,
        now=T0,
    )
    assert moved.due_at == moved.extended_due_at != moved.statutory_due_at


@pytest.mark.parametrize(
    ("received_at", "message"),
    [
        (T0 + timedelta(hours=1), "is in the future"),
        (T0 - timedelta(days=365 * 21), "more than 20 years ago"),
    ],
    ids=["future", "decades-back"],
)
async def test_an_implausible_receipt_is_refused(db, rulebook, received_at, message) -> None:
    with pytest.raises(ValidationError) as caught:
        await given_request(rulebook, GB_RIGHTS, received_at=received_at)
    assert (caught.value.field, message in caught.value.message) == ("received_at", True)
    assert await queries.has_requests() is False


async def test_an_event_in_the_future_is_refused_and_changes_nothing(db, rulebook) -> None:
    reg_request = await given_request(rulebook, BREACH, events={"aware": T0})
    with pytest.raises(ValidationError) as caught:
        await record_clock_events(
            rulebook,
            reg_request.id,
            expected_version=1,
            events={"aware": (T0 + timedelta(hours=2)).isoformat()},
            actor=ROOT,
            now=T0,
        )
    assert caught.value.field == "events.aware"
    assert (await requests_repo.get_request(reg_request.id)).version == 1
    assert len(await trail(reg_request)) == 1


async def test_an_extension_notice_before_receipt_is_refused(db, rulebook) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS)
    with pytest.raises(ValidationError) as caught:
        await requests.take_extension(
            rulebook,
            reg_request.id,
            expected_version=1,
            reason="complex",
            notified_on=T0.date() - timedelta(days=3),
            actor=ROOT,
            now=T0,
        )
    assert caught.value.field == "extension_notified_on"
    assert (await requests_repo.get_request(reg_request.id)).extension_taken is False


async def test_a_nondisclosure_end_before_receipt_is_refused(db, rulebook) -> None:
    record = RequestRecord(nondisclosure_order=True, nondisclosure_expires_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        await given_request(rulebook, GB_RIGHTS, record=record)
    assert caught.value.field == "nondisclosure_expires_on"
    reg_request = await given_request(
        rulebook, GB_RIGHTS, record=replace(record, nondisclosure_expires_on=None)
    )
    with pytest.raises(ValidationError):
        await update_request(
            rulebook,
            reg_request.id,
            expected_version=1,
            changes={"nondisclosure_expires_on": "2026-02-01"},
            actor=ROOT,
            now=T0,
        )


async def test_a_receipt_moved_after_a_clock_stop_is_refused(db, rulebook, clock) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS, received_at=T0 - timedelta(days=3))
    for step in (RequestAction.TRIAGE, RequestAction.START, RequestAction.REQUEST_CLARIFICATION):
        reg_request = await requests.transition(
            rulebook,
            reg_request.id,
            step,
            expected_version=reg_request.version,
            actor=ROOT,
            now=T0 - timedelta(days=1),
        )
    with pytest.raises(ValidationError) as caught:
        await update_request(
            rulebook,
            reg_request.id,
            expected_version=reg_request.version,
            changes={"received_at": T0.isoformat()},
            actor=ROOT,
            now=T0,
        )
    assert caught.value.field == "received_at"
    assert "clock stop" in caught.value.message
    assert (await requests_repo.get_request(reg_request.id)).received_at == T0 - timedelta(days=3)


async def test_the_csv_import_takes_events_and_a_set_date(db, rulebook) -> None:
    reg_request = await given_request(rulebook, ART9)  # for its authority
    header = "authority_id,rule,received_at,channel,kind,instrument,events,due_set_by_authority\r\n"
    breach = (
        f"{reg_request.authority_id},{BREACH},2026-03-01T10:00:00+00:00,email,content_action,"
        'other,"{""aware"": ""2026-03-01T08:00:00Z""}",\r\n'
    )
    order = (
        f"{reg_request.authority_id},{ART9},2026-03-01T10:00:00+00:00,email,content_action,"
        'removal_order,,"{""due_at"": ""2026-03-04T12:00:00Z"", ""source"": ""order 17""}"\r\n'
    )
    result = await import_requests(
        rulebook, header + breach + order, dry_run=False, actor=ROOT, now=T0
    )
    assert (result.rows, result.problems) == (2, [])
    imported = {
        r.rule_id: r
        for r in (
            await queries.list_requests(RequestFilters(), actor=ROOT, now=T0, limit=10, cursor=None)
        ).items
        if r.id != reg_request.id
    }
    assert imported[BREACH].due_at == T0.replace(day=4, hour=8, minute=0)
    assert imported[ART9].due_set_by_authority == AuthorityDue(
        due_at=T0.replace(day=4, hour=12, minute=0), source="order 17"
    )


async def test_the_csv_import_refuses_an_implausible_event(db, rulebook) -> None:
    reg_request = await given_request(rulebook, ART9)
    header = "authority_id,rule,received_at,channel,kind,instrument,events\r\n"
    row = (
        f"{reg_request.authority_id},{BREACH},2026-03-01T10:00:00+00:00,email,content_action,"
        'other,"{""aware"": ""2026-03-09T08:00:00Z""}"\r\n'
    )
    result = await import_requests(rulebook, header + row, dry_run=False, actor=ROOT, now=T0)
    assert [(p.field, p.message) for p in result.problems] == [("events.aware", "is in the future")]


async def test_overlapping_clock_stops_are_refused(db, rulebook) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS, received_at=T0 - timedelta(days=5))
    day = timedelta(days=1)
    start = reg_request.received_at
    overlapping = [
        ClockPause(started_at=start + day, ended_at=start + 3 * day),
        ClockPause(started_at=start + 2 * day, ended_at=start + 4 * day),
    ]
    still_open = [
        ClockPause(started_at=start + day, ended_at=None),
        ClockPause(started_at=start + 2 * day, ended_at=None),
    ]
    in_turn = [
        ClockPause(started_at=start + day, ended_at=start + 2 * day),
        ClockPause(started_at=start + 2 * day, ended_at=None),
    ]
    for pauses in (overlapping, still_open):
        with pytest.raises(ValidationError) as caught:
            check_clock_dates(reg_request, pauses, now=T0)
        assert caught.value.field == "pauses"
    check_clock_dates(reg_request, in_turn, now=T0)
