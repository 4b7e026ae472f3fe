"""The inbox's page order (unread first, both ways across the two parts) and marking all read."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from audit import store
from domain.identity.model import User
from domain.notifications import inbox
from domain.notifications.model import DeliveryKey
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import T0, make_user

pytestmark = pytest.mark.usefixtures("db")


async def _deliver(user: User, subject: str, at: datetime) -> uuid.UUID:
    key = DeliveryKey(
        subject=f"request:{uuid.uuid4()}",
        kind="request.reminder",
        due_at=at,
        recipient=user.email,
        channel="inbox",
    )
    await inbox.deliver(
        user_id=user.id, key=key, kind=key.kind, subject=subject, text="", link="", now=at
    )
    found = await inbox.list_inbox(actor=user.as_actor(), limit=200)
    return next(m.id for m in found.items if m.subject == subject)


async def _walk(actor: Actor, limit: int) -> tuple[list[list[str]], list[list[str]]]:
    """Every page forward from the first, then every page back from the last."""
    forward, page = [], await inbox.list_unread_first(actor=actor, limit=limit)
    forward.append([m.subject for m in page.items])
    while page.next_cursor:
        page = await inbox.list_unread_first(actor=actor, limit=limit, after=page.next_cursor)
        forward.append([m.subject for m in page.items])
    backward = [[m.subject for m in page.items]]
    while page.prev_cursor:
        page = await inbox.list_unread_first(actor=actor, limit=limit, before=page.prev_cursor)
        backward.append([m.subject for m in page.items])
    return forward, backward


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
async def test_unread_come_first_and_pages_meet_both_ways_across_the_parts(limit: int) -> None:
    me = await make_user(Role.SPECIALIST)
    ids = {n: await _deliver(me, f"M{n}", T0 - timedelta(hours=n)) for n in range(6)}
    for n in (0, 2, 5):
        await inbox.mark_read(ids[n], actor=me.as_actor(), now=T0)
    order = ["M1", "M3", "M4", "M0", "M2", "M5"]

    forward, backward = await _walk(me.as_actor(), limit)

    assert [s for page in forward for s in page] == order
    assert all(len(page) == limit for page in forward[:-1])
    assert backward == list(reversed(forward))


async def test_equal_times_are_ordered_by_id_without_losing_one() -> None:
    me = await make_user(Role.LEGAL)
    for n in range(5):
        await _deliver(me, f"M{n}", T0)
    forward, _ = await _walk(me.as_actor(), 2)
    assert sorted(s for page in forward for s in page) == [f"M{n}" for n in range(5)]


async def test_a_cursor_not_handed_out_is_refused() -> None:
    me = await make_user(Role.LEGAL)
    for bad in ("garbage", "x.eyJrIjoiMjAyNiJ9", "u.", "r.bm90IGpzb24"):
        with pytest.raises(ValidationError):
            await inbox.list_unread_first(actor=me.as_actor(), after=bad)
        with pytest.raises(ValidationError):
            await inbox.list_unread_first(actor=me.as_actor(), before=bad)


async def test_a_previous_page_whose_messages_were_all_read_meanwhile_is_the_first_page() -> None:
    me = await make_user(Role.SPECIALIST)
    ids = [await _deliver(me, f"M{n}", T0 - timedelta(hours=n)) for n in range(3)]
    first = await inbox.list_unread_first(actor=me.as_actor(), limit=1)
    second = await inbox.list_unread_first(actor=me.as_actor(), limit=1, after=first.next_cursor)
    assert second.prev_cursor is not None
    await inbox.mark_all_read(actor=me.as_actor(), now=T0)
    back = await inbox.list_unread_first(actor=me.as_actor(), limit=1, before=second.prev_cursor)
    assert [m.id for m in back.items] == ids[:1]
    assert back.prev_cursor is None


async def test_mark_all_read_marks_what_came_by_then_with_an_audit_entry_each() -> None:
    me = await make_user(Role.SPECIALIST)
    other = await make_user(Role.SPECIALIST)
    early = [await _deliver(me, f"M{n}", T0 - timedelta(hours=n)) for n in (1, 2)]
    late = await _deliver(me, "late", T0 + timedelta(minutes=1))
    already = await _deliver(me, "read before", T0 - timedelta(days=1))
    await inbox.mark_read(already, actor=me.as_actor(), now=T0)
    theirs = await _deliver(other, "theirs", T0 - timedelta(hours=1))
    now = T0 + timedelta(minutes=5)

    count = await inbox.mark_all_read(actor=me.as_actor(), now=now, up_to=T0)

    assert count == 2
    unread = (await inbox.list_inbox(actor=me.as_actor(), unread=True)).items
    assert [m.id for m in unread] == [late]
    for message in early:
        trail = await store.entries(subject=("inbox_message", str(message)))
        assert [e.action for e in trail] == ["inbox_message.read"]
    assert len(await store.entries(subject=("inbox_message", str(already)))) == 1
    assert await store.entries(subject=("inbox_message", str(theirs))) == []
    assert await inbox.unread_count(actor=other.as_actor()) == 1
    assert await inbox.mark_all_read(actor=me.as_actor(), now=now, up_to=T0) == 0
    # up_to is never later than now: a form cannot reach into the future
    assert await inbox.mark_all_read(actor=me.as_actor(), now=T0, up_to=now) == 0
    assert await inbox.mark_all_read(actor=me.as_actor(), now=now) == 1


async def test_api_tokens_have_no_inbox_and_roles_without_one_are_refused() -> None:
    token = Actor(kind=ActorKind.TOKEN, id=uuid.uuid4(), role=Role.SPECIALIST, name="token:ci")
    assert (await inbox.list_unread_first(actor=token)).items == []
    assert await inbox.mark_all_read(actor=token, now=T0) == 0
    system = Actor(kind=ActorKind.SYSTEM, id=None, role=Role.SYSTEM, name="system:check")
    with pytest.raises(PermissionDeniedError):
        await inbox.list_unread_first(actor=system)
    with pytest.raises(PermissionDeniedError):
        await inbox.mark_all_read(actor=system, now=T0)
