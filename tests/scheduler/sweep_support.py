"""What the sweep tests share: a request with an assignee, the real channels, sweeping at times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from audit import store
from domain import deadlines
from domain.identity.model import User
from domain.notifications.model import DeliveryKey
from domain.notifications.tables import InboxMessageTable
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import AuthorityType, Channel, Instrument, RegulatoryRequest, RequestKind
from domain.requests.service import NewRequest
from domain.shared.model import Role
from scheduler.channels.base import Notification, RenderedMessage
from scheduler.channels.inbox import InboxChannel
from scheduler.sweep import SweepReport, run_sweep
from scheduler.sweep_plan import SweepPolicy
from tests.conftest import ROOT, T0, FixedClock, make_user

GB_RIGHTS = "GB/uk-gdpr.rights-request"  # one month; reminders 7d, 3d, 1d
POLICY = SweepPolicy(base_url="http://docket.test", spike_min_count=3)


@dataclass
class Cast:
    """An assignee (specialist) and Legal."""

    assignee: User
    lawyer: User


async def cast() -> Cast:
    return Cast(
        assignee=await make_user(Role.SPECIALIST, "spec@docket.example"),
        lawyer=await make_user(Role.LEGAL, "legal@docket.example"),
    )


async def given_request(
    book: deadlines.RuleBook,
    *,
    assignee: User | None,
    rule_id: str = GB_RIGHTS,
    received_at: datetime = T0,
    **overrides: object,
) -> RegulatoryRequest:
    authority = await authorities.create_authority(
        NewAuthority(name="Ofcom", country="gb", type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )
    new = NewRequest(
        authority_id=authority.id,
        rule_id=rule_id,
        received_at=received_at,
        channel=Channel.PORTAL,
        kind=RequestKind.USER_DATA,
        instrument=Instrument.INFORMATION_REQUEST,
        summary="Account data for @example",
        assignee=None if assignee is None else assignee.id,
        **overrides,  # type: ignore[arg-type]
    )
    return await requests.log_request(book, new, actor=ROOT, now=received_at)


async def sweep_at(
    now: datetime,
    book: deadlines.RuleBook,
    *channels: object,
    dry_run: bool = False,
    worker_id: str = "test-worker",
    policy: SweepPolicy = POLICY,
) -> SweepReport:
    chosen = channels or (InboxChannel(clock=FixedClock(now)),)
    return await run_sweep(
        now,
        channels=chosen,
        rulebook=book,
        policy=policy,
        dry_run=dry_run,  # type: ignore[arg-type]
        worker_id=worker_id,
    )


def kinds(report: SweepReport, prefix: str = "request.") -> list[str]:
    """The kinds of the notifications a report lists (sent, failed or would be sent)."""
    found = [line[11:40].strip() for line in report.lines]
    return [k for k in found if k.startswith(prefix)]


async def inbox_kinds(user: User, prefix: str = "request.") -> list[str]:
    rows = (
        await InboxMessageTable.select(InboxMessageTable.kind)
        .where(InboxMessageTable.user_id == user.id)
        .order_by(InboxMessageTable.created_at)
    )
    return [str(r["kind"]) for r in rows if str(r["kind"]).startswith(prefix)]


async def inbox_texts(user: User) -> list[str]:
    rows = await InboxMessageTable.select(InboxMessageTable.subject, InboxMessageTable.text).where(
        InboxMessageTable.user_id == user.id
    )
    return [f"{r['subject']}\n{r['text']}" for r in rows]


async def sent_entries(prefix: str = "request.") -> list[dict[str, object]]:
    """The ``notification.sent`` audit entries, each as its recorded change."""
    found = []
    for entry in await store.entries(limit=1000):
        if entry.action == "notification.sent":
            record = await store.changes_for(entry.index)
            assert record is not None
            change = record.change()
            assert isinstance(change, dict)
            after = change["after"]
            assert isinstance(after, dict)
            if str(after["kind"]).startswith(prefix):
                found.append(after)
    return found


@dataclass
class RecordingChannel:
    """Counts sends (used only to count deliveries in the concurrency tests)."""

    name: str = "inbox"
    keys: list[DeliveryKey] = field(default_factory=list)

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        self.keys.append(notification.key)
