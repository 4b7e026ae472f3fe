"""Hold notices and acknowledgements on the real database.

Notices and reminders are rows written in the transaction of the change that calls for them; a
custodian acknowledges from a single-use, expiring, signed link; a preservation request's hold
follows its 90 days and their renewal.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from audit import store
from domain import deadlines
from domain.holds import notices as hold_notices
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.ack_links import ack_key, read_ack_token, sign_ack_token
from domain.holds.errors import AckLinkExpiredError, AckLinkInvalidError, AckLinkUsedError
from domain.holds.model import Custodian, DataSource, HoldNotice, HoldState, LegalHold, NoticeKind
from domain.holds.notice_plan import HoldPolicy
from domain.holds.notices import AckStatus
from domain.holds.service import NewHold
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.fields import Identifier, IdentifierType, RequestRecord
from domain.requests.model import AuthorityType, Channel, Instrument, RequestKind
from domain.requests.service import NewRequest
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import Role
from tests.conftest import ROOT, T0, make_user

pytestmark = pytest.mark.usefixtures("db")

KEY = ack_key("test-secret-key-that-is-long-enough-0123456789")
POLICY = HoldPolicy(
    reminder_every=timedelta(days=3),
    escalate_after=timedelta(days=7),
    reaffirm_every=timedelta(days=90),
    link_valid_for=timedelta(days=14),
)
JANE = Custodian(email="jane.roe@example.com", name="Jane Roe", manager_email="boss@example.com")
JOHN = Custodian(email="john.doe@example.com", name="John Doe", manager_email="")
MAILBOX = DataSource(system="exchange", identifier="jane.roe@example.com")
PRESERVATION_RULE = "US/sca-2703f.preservation"


async def _issued(*custodians: Custodian, questions: tuple[str, ...] = ()) -> LegalHold:
    new = NewHold(
        matter="MAT-7",
        title="Acme v. Roe",
        custodians=custodians,
        data_sources=(MAILBOX,),
        notice_text="Keep every mail about the merger.",
        questions=questions,
    )
    draft = await holds.create_hold(new, actor=ROOT, now=T0)
    return await holds.issue_hold(
        draft.id, expected_version=draft.version, actor=ROOT, now=T0, policy=POLICY
    )


async def _notices(hold: LegalHold) -> list[HoldNotice]:
    return await hold_notices.notices_of(hold.id, actor=ROOT)


def _link(notices: list[HoldNotice], email: str, kind: NoticeKind = NoticeKind.NOTICE) -> str:
    notice = next(n for n in notices if n.custodian_email == email and n.kind is kind)
    return sign_ack_token(notice.id, KEY)


async def _actions(hold: LegalHold) -> list[str]:
    return [e.action for e in await store.entries(subject=("legal_hold", str(hold.id)))]


# ---------------------------------------------------------------- notices as rows
async def test_issuing_writes_each_custodians_notices_in_the_same_transaction() -> None:
    hold = await _issued(JANE, JOHN)
    assert hold.state is HoldState.ISSUED
    found = {(n.custodian_email, n.recipient_email, n.kind, n.due_at) for n in await _notices(hold)}
    assert found == {
        (JANE.email, JANE.email, NoticeKind.NOTICE, T0),
        (JANE.email, JANE.email, NoticeKind.REMINDER, T0 + timedelta(days=3)),
        (JANE.email, "boss@example.com", NoticeKind.ESCALATION, T0 + timedelta(days=7)),
        (JANE.email, JANE.email, NoticeKind.REAFFIRMATION, T0 + timedelta(days=90)),
        (JOHN.email, JOHN.email, NoticeKind.NOTICE, T0),
        (JOHN.email, JOHN.email, NoticeKind.REMINDER, T0 + timedelta(days=3)),
        (JOHN.email, JOHN.email, NoticeKind.REAFFIRMATION, T0 + timedelta(days=90)),
    }  # John has no manager: no escalation
    assert await _actions(hold) == ["hold.created", "hold.issued"]


async def test_a_refused_issue_writes_no_notice() -> None:
    specialist = (await make_user(Role.SPECIALIST)).as_actor()
    draft = await holds.create_hold(
        NewHold(matter="M", title="t", custodians=(JANE,)), actor=ROOT, now=T0
    )
    with pytest.raises(PermissionDeniedError):
        await holds.issue_hold(draft.id, expected_version=1, actor=specialist, now=T0)
    assert await _notices(draft) == []


async def test_a_hold_without_custodians_is_active_at_once() -> None:
    draft = await holds.create_hold(
        NewHold(matter="M", title="t", data_sources=(MAILBOX,)), actor=ROOT, now=T0
    )
    issued = await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    assert issued.state is HoldState.ACTIVE
    assert await _notices(issued) == []


async def test_the_sweep_sees_due_notices_and_delivery_plans_the_next_reminder() -> None:
    hold = await _issued(JANE)
    due_now = await hold_notices.due_hold_notices(T0, key=KEY)
    assert [(d.kind, d.recipient_email) for d in due_now] == [("hold.notice", JANE.email)]
    ack_path = due_now[0].context["ack_path"]
    assert isinstance(ack_path, str)
    assert ack_path.startswith("/ack/")
    assert due_now[0].context["title"] == "Acme v. Roe"
    await hold_notices.mark_hold_notice_delivered(due_now[0].id, now=T0, policy=POLICY)
    await hold_notices.mark_hold_notice_delivered(due_now[0].id, now=T0, policy=POLICY)  # no-op
    assert await hold_notices.due_hold_notices(T0, key=KEY) == []

    later = T0 + timedelta(days=3)
    reminders = await hold_notices.due_hold_notices(later, key=KEY)
    assert [d.kind for d in reminders] == ["hold.reminder"]
    assert reminders[0].context["days_outstanding"] == 3
    await hold_notices.mark_hold_notice_delivered(reminders[0].id, now=later, policy=POLICY)
    kinds = [(n.kind, n.due_at) for n in await _notices(hold) if n.delivered_at is None]
    assert (NoticeKind.REMINDER, later + timedelta(days=3)) in kinds


async def test_a_sweep_that_was_down_gets_one_reminder_not_a_burst() -> None:
    hold = await _issued(JANE)
    late = T0 + timedelta(days=20)
    due = [
        d for d in await hold_notices.due_hold_notices(late, key=KEY) if d.kind == "hold.reminder"
    ]
    assert len(due) == 1
    await hold_notices.mark_hold_notice_delivered(due[0].id, now=late, policy=POLICY)
    pending = [
        n
        for n in await _notices(hold)
        if n.kind is NoticeKind.REMINDER and n.delivered_at is None and n.cancelled_at is None
    ]
    assert [n.due_at for n in pending] == [late + timedelta(days=3)]


async def test_reaffirmation_repeats_while_the_custodian_is_held() -> None:
    hold = await _issued(JANE)
    at = T0 + timedelta(days=90)
    due = [
        d
        for d in await hold_notices.due_hold_notices(at, key=KEY)
        if d.kind == "hold.reaffirmation"
    ]
    assert due[0].context["ack_path"] is None  # re-affirmations carry no link
    await hold_notices.mark_hold_notice_delivered(due[0].id, now=at, policy=POLICY)
    pending = [n for n in await _notices(hold) if n.kind is NoticeKind.REAFFIRMATION]
    assert [n.due_at for n in pending] == [at, at + timedelta(days=90)]


# ---------------------------------------------------------------- acknowledgement
async def test_acknowledging_records_when_where_and_answers_and_cancels_reminders() -> None:
    hold = await _issued(JANE, JOHN, questions=("Where else do you keep files?",))
    link = _link(await _notices(hold), JANE.email)
    view = await hold_notices.open_ack_link(link, key=KEY, now=T0)
    assert view.status is AckStatus.READY
    assert await _actions(hold) == ["hold.created", "hold.issued"]  # opening changes nothing

    now = T0 + timedelta(hours=2)
    view = await hold_notices.acknowledge(
        link,
        {"q0": "  a USB stick  ", "q9": "ignored"},
        address="203.0.113.9",
        user_agent="Mail/1.0",
        key=KEY,
        now=now,
    )
    assert view.status is AckStatus.ACKNOWLEDGED
    ack = view.custodian.acknowledgement
    assert ack is not None
    assert (ack.at, ack.address, ack.user_agent) == (now, "203.0.113.9", "Mail/1.0")
    assert dict(ack.answers) == {"Where else do you keep files?": "a USB stick"}
    assert view.hold.state is HoldState.ISSUED  # John has not acknowledged
    assert view.hold.version == hold.version + 1  # saved against the version it loaded
    notices = await _notices(hold)
    jane = {n.kind: n for n in notices if n.custodian_email == JANE.email}
    assert jane[NoticeKind.REMINDER].cancelled_at == now
    assert jane[NoticeKind.ESCALATION].cancelled_at == now
    assert jane[NoticeKind.REAFFIRMATION].cancelled_at is None
    assert jane[NoticeKind.NOTICE].used_at == now
    john = {n.kind: n for n in notices if n.custodian_email == JOHN.email}
    assert john[NoticeKind.REMINDER].cancelled_at is None
    assert await _actions(hold) == ["hold.created", "hold.issued", "hold.acknowledged"]
    entry = (await store.entries(subject=("legal_hold", str(hold.id))))[-1]
    assert entry.actor_id == "system:ack-link"
    change = await store.changes_for(entry.index)
    assert change is not None

    await hold_notices.acknowledge(
        _link(notices, JOHN.email), {}, address="::1", user_agent="", key=KEY, now=now
    )
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).state is HoldState.ACTIVE


async def test_custodians_acknowledging_at_once_all_count_and_the_hold_becomes_active() -> None:
    hold = await _issued(JANE, JOHN)
    notices = await _notices(hold)
    views = await asyncio.gather(
        *(
            hold_notices.acknowledge(
                _link(notices, c.email), {}, address="a", user_agent="b", key=KEY, now=T0
            )
            for c in (JANE, JOHN)
        )
    )
    assert [v.status for v in views] == [AckStatus.ACKNOWLEDGED] * 2
    current = await hold_queries.get_hold(hold.id, actor=ROOT)
    assert (current.state, current.version) == (HoldState.ACTIVE, hold.version + 2)
    assert await _actions(hold) == [
        "hold.created",
        "hold.issued",
        "hold.acknowledged",
        "hold.acknowledged",
    ]


async def test_a_link_is_single_use_and_a_second_link_is_told_it_is_done() -> None:
    hold = await _issued(JANE)
    notices = await _notices(hold)
    link = _link(notices, JANE.email)
    await hold_notices.acknowledge(link, {}, address="a", user_agent="b", key=KEY, now=T0)
    size = await store.size()
    with pytest.raises(AckLinkUsedError):
        # a used link stays used, even for someone who did not acknowledge through it
        await hold_notices.acknowledge(link, {}, address="a", user_agent="b", key=KEY, now=T0)
    assert (await hold_notices.open_ack_link(link, key=KEY, now=T0)).status is AckStatus.USED
    reminder = _link(notices, JANE.email, NoticeKind.REMINDER)
    view = await hold_notices.acknowledge(
        reminder, {}, address="a", user_agent="b", key=KEY, now=T0
    )
    assert view.status is AckStatus.ACKNOWLEDGED
    assert await store.size() == size  # nothing changed


async def test_an_expired_link_is_refused_and_changes_nothing() -> None:
    hold = await _issued(JANE)
    link = _link(await _notices(hold), JANE.email)
    late = T0 + timedelta(days=14)
    assert (await hold_notices.open_ack_link(link, key=KEY, now=late)).status is AckStatus.EXPIRED
    size = await store.size()
    with pytest.raises(AckLinkExpiredError):
        await hold_notices.acknowledge(link, {}, address="a", user_agent="b", key=KEY, now=late)
    assert await store.size() == size
    jane = (await hold_queries.get_hold(hold.id, actor=ROOT)).custodians[0]
    assert jane.acknowledgement is None


async def test_tampered_forged_and_foreign_links_are_invalid() -> None:
    hold = await _issued(JANE)
    notices = await _notices(hold)
    link = _link(notices, JANE.email)
    flipped = link[:-1] + ("A" if link[-1] != "A" else "B")
    other_id = link[:5] + ("0" if link[5] != "0" else "1") + link[6:]
    for bad in (flipped, other_id, "garbage", "", link + "x", link.split(".")[0]):
        with pytest.raises(AckLinkInvalidError):
            await hold_notices.open_ack_link(bad, key=KEY, now=T0)
    with pytest.raises(AckLinkInvalidError):
        await hold_notices.open_ack_link(link, key=ack_key("another secret"), now=T0)
    escalation = next(n for n in notices if n.kind is NoticeKind.ESCALATION)
    with pytest.raises(AckLinkInvalidError):  # only notices and reminders carry a link
        await hold_notices.open_ack_link(sign_ack_token(escalation.id, KEY), key=KEY, now=T0)
    assert read_ack_token(link, KEY) in {n.id for n in notices}


async def test_an_answer_too_long_is_refused() -> None:
    hold = await _issued(JANE, questions=("Anything else?",))
    link = _link(await _notices(hold), JANE.email)
    with pytest.raises(ValidationError):
        await hold_notices.acknowledge(
            link, {"q0": "x" * 5000}, address="a", user_agent="b", key=KEY, now=T0
        )
    assert (await hold_notices.open_ack_link(link, key=KEY, now=T0)).status is AckStatus.READY


# ---------------------------------------------------------------- releases and notices
async def test_release_cancels_pending_notices_and_queues_release_notices() -> None:
    hold = await _issued(JANE, JOHN)
    partial = await holds.release_custodian(
        hold.id, JOHN.email, expected_version=hold.version, actor=ROOT, now=T0
    )
    assert partial.hold.state is HoldState.PARTIALLY_RELEASED
    link = _link(await _notices(hold), JOHN.email)
    assert (await hold_notices.open_ack_link(link, key=KEY, now=T0)).status is AckStatus.RELEASED
    released = await holds.release_hold(
        hold.id, expected_version=partial.hold.version, actor=ROOT, now=T0 + timedelta(days=1)
    )
    assert released.state is HoldState.RELEASED
    notices = await _notices(hold)
    releases = sorted(n.custodian_email for n in notices if n.kind is NoticeKind.RELEASE)
    assert releases == [JANE.email, JOHN.email]  # one each, John's at his own release
    pending = [
        n
        for n in notices
        if n.kind is not NoticeKind.RELEASE and n.delivered_at is None and n.cancelled_at is None
    ]
    assert pending == []


async def test_releasing_the_last_held_item_releases_the_hold() -> None:
    draft = await holds.create_hold(
        NewHold(matter="M", title="t", data_sources=(MAILBOX,)), actor=ROOT, now=T0
    )
    issued = await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    release = await holds.release_data_source(
        draft.id, MAILBOX.key, expected_version=issued.version, actor=ROOT, now=T0
    )
    assert release.hold.state is HoldState.RELEASED


# ---------------------------------------------------------------- preservation requests
async def _preservation_request(rulebook: deadlines.RuleBook) -> object:
    authority = await authorities.create_authority(
        NewAuthority(name="FBI", country="US", type=AuthorityType.POLICE), actor=ROOT, now=T0
    )
    record = RequestRecord(
        identifiers=(
            Identifier(IdentifierType.ACCOUNT, "12345"),
            Identifier(IdentifierType.EMAIL, "suspect@example.net"),
        )
    )
    new = NewRequest(
        authority_id=authority.id,
        rule_id=PRESERVATION_RULE,
        received_at=T0,
        channel=Channel.PORTAL,
        kind=RequestKind.PRESERVATION,
        instrument=Instrument.PRESERVATION_REQUEST,
        record=record,
    )
    return await requests.log_request(rulebook, new, actor=ROOT, now=T0)


async def test_a_preservation_requests_hold_follows_its_90_days_and_renewal(rulebook) -> None:
    reg = await _preservation_request(rulebook)
    draft = await holds.create_hold(
        NewHold(matter="US v. Doe", title="2703(f)", preservation_request_id=reg.id),  # type: ignore[attr-defined]
        actor=ROOT,
        now=T0,
    )
    assert draft.preservation_request_id == reg.id  # type: ignore[attr-defined]
    assert draft.request_ids == (reg.id,)  # type: ignore[attr-defined]
    assert [d.key for d in draft.data_sources] == ["account:12345", "email:suspect@example.net"]
    assert draft.expires_at == reg.due_at  # type: ignore[attr-defined]
    assert draft.expires_at is not None
    assert draft.expires_at.date() > (T0 + timedelta(days=89)).date()
    issued = await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    covering = await hold_queries.check_preservation(None, "account:12345", actor=ROOT)
    assert [c.id for c in covering] == [issued.id]

    renewed = await requests.take_extension(
        rulebook,
        reg.id,  # type: ignore[attr-defined]
        expected_version=reg.version,  # type: ignore[attr-defined]
        reason="renewed 2703(f) request",
        notified_on=date(2026, 5, 20),
        actor=ROOT,
        now=T0 + timedelta(days=80),
    )
    after = await hold_queries.get_hold(issued.id, actor=ROOT)
    assert after.expires_at == renewed.extended_due_at
    assert after.expires_at is not None
    assert after.expires_at - draft.expires_at >= timedelta(days=89)


async def test_a_hold_refuses_a_request_that_is_not_a_preservation_request(rulebook) -> None:
    authority = await authorities.create_authority(
        NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )
    reg = await requests.log_request(
        rulebook,
        NewRequest(
            authority_id=authority.id,
            rule_id="GB/uk-gdpr.rights-request",
            received_at=T0,
            channel=Channel.PORTAL,
            kind=RequestKind.USER_DATA,
            instrument=Instrument.INFORMATION_REQUEST,
        ),
        actor=ROOT,
        now=T0,
    )
    size = await store.size()
    with pytest.raises(ValidationError, match="not a preservation request"):
        await holds.create_hold(
            NewHold(matter="M", title="t", custodians=(JANE,), preservation_request_id=reg.id),
            actor=ROOT,
            now=T0,
        )
    assert await store.size() == size
