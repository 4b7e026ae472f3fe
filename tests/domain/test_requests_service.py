"""Request services on the real database: every change is versioned and audited, or not made."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit import store
from domain import deadlines
from domain.requests import authorities
from domain.requests import listing as request_list
from domain.requests import repo as requests_repo
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.errors import (
    ClockStopRefusedError,
    ExtensionAlreadyTakenError,
    ExtensionNoticeLateError,
    NoExtensionError,
)
from domain.requests.fields import (
    ActionBasis,
    ContentAction,
    ContentItem,
    Identifier,
    IdentifierType,
    NoticeDecision,
    RequestRecord,
)
from domain.requests.model import (
    AuthorityType,
    Channel,
    ClockPause,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.service import NewRequest, RequestFilters
from domain.requests.workflow import RequestAction, RequestState
from domain.shared import audit_trail
from domain.shared.errors import (
    DeadlineInputError,
    InvalidTransitionError,
    PermissionDeniedError,
    StaleVersionError,
    TransitionNotPermittedError,
    ValidationError,
)
from domain.shared.model import Actor, Role
from tests.conftest import ROOT, T0, make_user

A, S = RequestAction, RequestState
GB_RIGHTS = "GB/uk-gdpr.rights-request"  # clock may stop; 2-month extension, notice in 1 month
NO_STOP_NO_EXTENSION = "KR/pipa.access-request"


async def actor_with(role: Role) -> Actor:
    return (await make_user(role)).as_actor()


async def given_request(
    book: deadlines.RuleBook, rule_id: str = GB_RIGHTS, **overrides: object
) -> RegulatoryRequest:
    authority = await authorities.create_authority(
        NewAuthority(name="Ofcom", country="gb", type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )
    fields: dict[str, object] = {
        "authority_id": authority.id,
        "rule_id": rule_id,
        "received_at": T0,
        "channel": Channel.PORTAL,
        "kind": RequestKind.USER_DATA,
        "instrument": Instrument.INFORMATION_REQUEST,
        "summary": "Account data for @example",
        **overrides,
    }
    return await requests.log_request(book, NewRequest(**fields), actor=ROOT, now=T0)  # type: ignore[arg-type]


async def trail(reg_request: RegulatoryRequest) -> list[tuple[str, str]]:
    found = await store.entries(subject=("request", str(reg_request.id)))
    return [(e.action, e.actor_id) for e in found]


async def last_change(reg_request: RegulatoryRequest) -> dict[str, object]:
    found = await store.entries(subject=("request", str(reg_request.id)))
    record = await store.changes_for(found[-1].index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    return change


async def test_logging_a_request_computes_its_deadline_and_records_it(db, rulebook) -> None:
    reg_request = await given_request(rulebook, tags=("Urgent-Review", "csam", "csam"))
    preview = deadlines.preview_deadline(rulebook, GB_RIGHTS, received_at=T0, actor=ROOT)
    assert reg_request.reference == "REQ-2026-000001"
    assert (reg_request.state, reg_request.version) == (S.RECEIVED, 1)
    assert reg_request.jurisdiction == "GB"
    assert reg_request.tz == "Europe/London"
    assert reg_request.tags == ("csam", "urgent-review")
    assert reg_request.due_at == preview.due_at
    assert reg_request.extended_due_at == preview.extended_due_at
    assert await trail(reg_request) == [("request.logged", "cli:test")]
    change = await last_change(reg_request)
    assert change["before"] is None
    assert isinstance(change["after"], dict)
    assert change["after"]["reference"] == "REQ-2026-000001"


async def test_a_logged_request_is_returned_exactly_as_it_reads_back_from_the_database(
    db, rulebook
) -> None:
    # the service returns the request built from the values it wrote, without reading the row
    # back: it must be the same value, down to the time zone of every instant
    tokyo = ZoneInfo("Asia/Tokyo")
    assignee = await make_user(Role.SPECIALIST)
    record = RequestRecord(
        mlat=True,
        service="Messaging",
        nondisclosure_order=True,
        nondisclosure_expires_on=date(2026, 9, 1),
        identifiers=(Identifier(IdentifierType.ACCOUNT, "@a"), Identifier(IdentifierType.URL, "u")),
        content_items=(
            ContentItem(ref="post/1", action=ContentAction.REMOVED, basis=ActionBasis.LAW),
            ContentItem(ref="post/2", description="video"),
        ),
        receipt_acknowledged_at=(T0 - timedelta(hours=2)).astimezone(tokyo),
        notice_decision=NoticeDecision.DELAY,
        notice_delay_order="Gag order 12/2026",
        notice_delay_expires_on=date(2026, 6, 1),
    )
    logged = await given_request(
        rulebook,
        received_at=(T0 - timedelta(days=1, microseconds=7)).astimezone(tokyo),
        tz="Asia/Tokyo",
        kind=RequestKind.CONTENT_ACTION,
        emergency=True,
        priority=Priority.HIGH,
        tags=("b", "a"),
        assignee=assignee.id,
        record=record,
    )
    stored = await requests_repo.get_request(logged.id)
    assert logged == stored
    assert repr(logged) == repr(stored)  # equal instants in other zones would pass ==
    assert logged.received_at.utcoffset() == timedelta(0)


async def test_logging_refuses_unknown_rules_naive_times_and_unknown_authorities(
    db, rulebook
) -> None:
    with pytest.raises(ValidationError) as no_rule:
        await given_request(rulebook, rule_id="GB/no-such-rule")
    assert no_rule.value.field == "rule"
    with pytest.raises(DeadlineInputError) as naive:
        await given_request(rulebook, received_at=T0.replace(tzinfo=None))
    assert naive.value.field == "received_at"
    with pytest.raises(ValidationError) as future:
        await given_request(rulebook, received_at=T0 + timedelta(days=1))
    assert future.value.field == "received_at"
    with pytest.raises(ValidationError) as bad_tag:
        await given_request(rulebook, tags=("no spaces",))
    assert bad_tag.value.field == "tags"
    await authorities.create_authority(
        NewAuthority(name="X", country="DE", type=AuthorityType.POLICE), actor=ROOT, now=T0
    )
    with pytest.raises(ValidationError) as unknown:
        await requests.log_request(
            rulebook,
            NewRequest(
                authority_id=uuid.UUID(int=1),
                rule_id=GB_RIGHTS,
                received_at=T0,
                channel=Channel.EMAIL,
                kind=RequestKind.CONTENT_ACTION,
                instrument=Instrument.REMOVAL_ORDER,
            ),
            actor=ROOT,
            now=T0,
        )
    assert unknown.value.field == "authority_id"
    assert await request_list.query_requests(RequestFilters(), now=T0, limit=10, after=None) == []


async def test_the_whole_life_of_a_request_is_audited_step_by_step(db, rulebook) -> None:
    specialist, legal = await actor_with(Role.SPECIALIST), await actor_with(Role.LEGAL)
    reg_request = await given_request(rulebook)
    steps = [
        (A.TRIAGE, specialist, S.TRIAGED, "request.triaged"),
        (A.START, specialist, S.IN_PROGRESS, "request.started"),
        (A.START_DRAFTING, specialist, S.DRAFTING, "request.drafting_started"),
        (A.SUBMIT_FOR_REVIEW, specialist, S.IN_LEGAL_REVIEW, "request.submitted_for_review"),
        (A.SEND_BACK, legal, S.DRAFTING, "request.sent_back"),
        (A.SUBMIT_FOR_REVIEW, specialist, S.IN_LEGAL_REVIEW, "request.submitted_for_review"),
        (A.APPROVE, legal, S.APPROVED, "request.approved"),
        (A.SEND, specialist, S.SENT, "request.sent"),
        (A.CLOSE, specialist, S.CLOSED, "request.closed"),
        (A.REOPEN, legal, S.REOPENED, "request.reopened"),
        (A.WITHDRAW, specialist, S.WITHDRAWN, "request.withdrawn"),
    ]
    for action, actor, to, audit_action in steps:
        before = reg_request
        reg_request = await requests.transition(
            rulebook,
            reg_request.id,
            action,
            expected_version=before.version,
            note=f"{action} note",
            actor=actor,
            now=T0,
        )
        assert (reg_request.state, reg_request.version) == (to, before.version + 1)
        found = await store.entries(subject=("request", str(reg_request.id)))
        assert (found[-1].action, found[-1].actor_id) == (audit_action, f"user:{actor.id}")
        change = await last_change(reg_request)
        assert isinstance(change["before"], dict)
        assert isinstance(change["after"], dict)
        assert change["before"]["state"] == before.state.value
        assert change["after"]["state"] == to.value
        assert change["after"]["note"] == f"{action} note"
    assert len(await trail(reg_request)) == 1 + len(steps)


@pytest.mark.parametrize(
    ("action", "role", "error"),
    [
        (A.APPROVE, Role.SPECIALIST, InvalidTransitionError),
        (A.TRIAGE, Role.LEGAL, TransitionNotPermittedError),
        (A.REOPEN, Role.SPECIALIST, InvalidTransitionError),
        (A.TRIAGE, Role.AUDITOR, PermissionDeniedError),
    ],
    ids=["approve-unreviewed", "legal-triages", "reopen-open", "auditor-writes"],
)
async def test_a_refused_step_changes_nothing_and_writes_no_entry(
    db, rulebook, action: RequestAction, role: Role, error: type[Exception]
) -> None:
    reg_request = await given_request(rulebook)
    with pytest.raises(error):
        await requests.transition(
            rulebook,
            reg_request.id,
            action,
            expected_version=1,
            actor=await actor_with(role),
            now=T0,
        )
    assert await requests_repo.get_request(reg_request.id) == reg_request
    assert await trail(reg_request) == [("request.logged", "cli:test")]


async def test_a_stale_version_is_refused_and_changes_nothing(db, rulebook) -> None:
    reg_request = await given_request(rulebook)
    await requests.transition(
        rulebook, reg_request.id, A.TRIAGE, expected_version=1, actor=ROOT, now=T0
    )
    current = await requests_repo.get_request(reg_request.id)
    with pytest.raises(StaleVersionError) as stale:
        await requests.transition(
            rulebook, reg_request.id, A.START, expected_version=1, actor=ROOT, now=T0
        )
    assert stale.value.public_fields()["version"] == 2
    with pytest.raises(StaleVersionError):
        await requests.assign(reg_request.id, expected_version=1, assignee=None, actor=ROOT, now=T0)
    assert await requests_repo.get_request(reg_request.id) == current
    assert len(await trail(reg_request)) == 2


async def move_to_in_progress(book: deadlines.RuleBook, reg_request: RegulatoryRequest) -> int:
    for version, action in enumerate((A.TRIAGE, A.START), start=1):
        await requests.transition(
            book, reg_request.id, action, expected_version=version, actor=ROOT, now=T0
        )
    return 3


async def test_clarification_stops_the_clock_for_the_days_it_took(db, rulebook) -> None:
    reg_request = await given_request(rulebook)
    version = await move_to_in_progress(rulebook, reg_request)
    asked, answered = datetime(2026, 3, 10, 10, tzinfo=UTC), datetime(2026, 3, 12, 10, tzinfo=UTC)
    paused = await requests.transition(
        rulebook, reg_request.id, A.REQUEST_CLARIFICATION, expected_version=version,
        actor=ROOT, now=asked,
    )  # fmt: skip
    assert paused.state is S.AWAITING_CLARIFICATION
    resumed = await requests.transition(
        rulebook, reg_request.id, A.RECEIVE_CLARIFICATION, expected_version=version + 1,
        actor=ROOT, now=answered,
    )  # fmt: skip
    assert await requests_repo.list_pauses(reg_request.id) == [
        ClockPause(started_at=asked, ended_at=answered)
    ]
    # DPA 2018 s.54(3C): 10, 11 and 12 March do not count, so the deadlines move by three days
    assert reg_request.extended_due_date == date(2026, 6, 2)
    assert resumed.extended_due_date == date(2026, 6, 5)
    expected = deadlines.preview_deadline(
        rulebook, GB_RIGHTS, received_at=T0, pauses=[(asked, answered)], actor=ROOT
    )
    assert resumed.due_at == expected.due_at
    assert resumed.due_at is not None
    assert reg_request.due_at is not None
    assert resumed.due_at > reg_request.due_at
    actions = [a for a, _ in await trail(reg_request)]
    assert actions[-2:] == ["request.clock_paused", "request.clock_resumed"]


async def test_clarification_is_refused_when_the_rule_never_stops_the_clock(db, rulebook) -> None:
    reg_request = await given_request(rulebook, rule_id=NO_STOP_NO_EXTENSION)
    version = await move_to_in_progress(rulebook, reg_request)
    with pytest.raises(ClockStopRefusedError):
        await requests.transition(
            rulebook, reg_request.id, A.REQUEST_CLARIFICATION, expected_version=version,
            actor=ROOT, now=T0,
        )  # fmt: skip
    assert await requests_repo.list_pauses(reg_request.id) == []
    assert (await requests_repo.get_request(reg_request.id)).version == version
    current = await requests_repo.get_request(reg_request.id)
    assert A.REQUEST_CLARIFICATION not in requests.available_actions(rulebook, current, Role.ADMIN)


async def test_an_extension_moves_the_binding_deadline_once(db, rulebook) -> None:
    reg_request = await given_request(rulebook)
    extended = await requests.take_extension(
        rulebook, reg_request.id, expected_version=1, reason="complex", notified_on=T0.date(),
        actor=ROOT, now=T0,
    )  # fmt: skip
    assert extended.extension_taken
    assert extended.effective_due_at == reg_request.extended_due_at
    assert (extended.extension_reason, extended.extension_notified_on) == ("complex", T0.date())
    assert [a for a, _ in await trail(reg_request)][-1] == "request.extended"
    with pytest.raises(ExtensionAlreadyTakenError):
        await requests.take_extension(
            rulebook, reg_request.id, expected_version=2, reason="again", notified_on=T0.date(),
            actor=ROOT, now=T0,
        )  # fmt: skip


async def test_an_extension_is_refused_without_one_in_the_rule_or_after_the_notice_deadline(
    db, rulebook
) -> None:
    none = await given_request(rulebook, rule_id=NO_STOP_NO_EXTENSION)
    with pytest.raises(NoExtensionError):
        await requests.take_extension(
            rulebook, none.id, expected_version=1, reason="x", notified_on=T0.date(),
            actor=ROOT, now=T0,
        )  # fmt: skip
    gb = await given_request(rulebook)
    late, now = date(2026, 4, 3), datetime(2026, 4, 10, tzinfo=UTC)  # notice was due 2 April
    with pytest.raises(ExtensionNoticeLateError) as caught:
        await requests.take_extension(
            rulebook, gb.id, expected_version=1, reason="x", notified_on=late, actor=ROOT, now=now
        )
    assert caught.value.public_fields()["notice_due_on"] == "2026-04-02"
    for reg_request in (none, gb):
        assert not (await requests_repo.get_request(reg_request.id)).extension_taken
        assert len(await trail(reg_request)) == 1


async def test_assigning_checks_the_assignee_and_records_the_change(db, rulebook) -> None:
    reg_request = await given_request(rulebook)
    specialist = await make_user(Role.SPECIALIST)
    auditor = await make_user(Role.AUDITOR)
    with pytest.raises(ValidationError) as caught:
        await requests.assign(
            reg_request.id, expected_version=1, assignee=auditor.id, actor=ROOT, now=T0
        )
    assert caught.value.field == "assignee"
    assigned = await requests.assign(
        reg_request.id, expected_version=1, assignee=specialist.id, actor=ROOT, now=T0
    )
    assert (assigned.assignee, assigned.version) == (specialist.id, 2)
    change = await last_change(assigned)
    assert isinstance(change["after"], dict)
    assert change["after"]["assignee"] == str(specialist.id)


async def test_a_failure_before_commit_leaves_neither_the_change_nor_its_entry(
    db, rulebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg_request = await given_request(rulebook)
    real_record = audit_trail.record

    async def record_then_fail(*args: object, **kwargs: object) -> int:
        await real_record(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("crash after the save and the entry, before commit")

    monkeypatch.setattr(audit_trail, "record", record_then_fail)
    with pytest.raises(RuntimeError):
        await requests.transition(
            rulebook, reg_request.id, A.TRIAGE, expected_version=1, actor=ROOT, now=T0
        )
    assert await requests_repo.get_request(reg_request.id) == reg_request
    assert await trail(reg_request) == [("request.logged", "cli:test")]
    assert await store.size() == 2  # the authority and the request; nothing else


async def test_concurrently_logged_requests_get_distinct_references(db, rulebook) -> None:
    authority = await authorities.create_authority(
        NewAuthority(name="BKA", country="DE", type=AuthorityType.POLICE), actor=ROOT, now=T0
    )
    new = NewRequest(
        authority_id=authority.id,
        rule_id=GB_RIGHTS,
        received_at=T0,
        channel=Channel.EMAIL,
        kind=RequestKind.PRESERVATION,
        instrument=Instrument.PRESERVATION_REQUEST,
    )
    logged = await asyncio.gather(
        *(requests.log_request(rulebook, new, actor=ROOT, now=T0) for _ in range(20))
    )
    references = sorted(r.reference for r in logged)
    assert references == [f"REQ-2026-{n:06d}" for n in range(1, 21)]


async def test_lists_filter_and_page_by_deadline_without_repeats(db, rulebook) -> None:
    first = await given_request(rulebook, received_at=T0 - timedelta(days=40), tags=("csam",))
    second = await given_request(rulebook, summary="Needle in the haystack")
    third = await given_request(rulebook, rule_id=NO_STOP_NO_EXTENSION)
    everything = await requests.list_requests(RequestFilters(), actor=ROOT, now=T0, limit=200)
    assert everything.next_cursor is None
    keys = [(r.effective_due_at, str(r.id)) for r in everything.items]
    assert keys == sorted(keys)
    seen: list[RegulatoryRequest] = []
    page = await requests.list_requests(RequestFilters(), actor=ROOT, now=T0, limit=1)
    while True:
        seen.extend(page.items)
        await given_request(
            rulebook, received_at=T0 - timedelta(days=60)
        )  # lands before the cursor
        if page.next_cursor is None:
            break
        page = await requests.list_requests(
            RequestFilters(), actor=ROOT, now=T0, limit=1, cursor=page.next_cursor
        )
    assert [r.id for r in seen] == [r.id for r in everything.items]

    async def ids(**filters: object) -> set[object]:
        found = await requests.list_requests(RequestFilters(**filters), actor=ROOT, now=T0)  # type: ignore[arg-type]
        return {r.id for r in found.items}

    assert first.id in await ids(overdue=True)
    assert second.id not in await ids(overdue=True)
    assert await ids(tag="csam") == {first.id}
    assert await ids(q="needle") == {second.id}
    assert await ids(rule_id=NO_STOP_NO_EXTENSION) == {third.id}
    assert second.id in await ids(due_within_days=40)
    assert second.id not in await ids(due_within_days=1)
    with pytest.raises(ValidationError):
        await requests.list_requests(RequestFilters(), actor=ROOT, now=T0, cursor="garbage")
