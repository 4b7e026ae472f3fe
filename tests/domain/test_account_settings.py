"""A user's own settings: the zone pages show times in, and the calendar feed token's state."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from audit import store
from documents.i18n import SUPPORTED
from domain.identity import repo, sessions
from domain.identity.errors import UserNotFoundError
from domain.notifications import calendar
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import T0, make_user

pytestmark = pytest.mark.usefixtures("db")


async def _zone_changes(user_id: uuid.UUID) -> list[object]:
    trail = await store.entries(subject=("user", str(user_id)))
    return [e for e in trail if e.action == "user.preferences_updated"]


async def test_a_zone_change_is_stored_and_audited_once_per_change() -> None:
    me = await make_user(Role.SPECIALIST)

    changed = await sessions.set_time_zone(" Europe/Paris ", actor=me.as_actor(), now=T0)
    same = await sessions.set_time_zone("Europe/Paris", actor=me.as_actor(), now=T0)
    back = await sessions.set_time_zone("", actor=me.as_actor(), now=T0)

    assert (changed.time_zone, same.time_zone, back.time_zone) == (
        "Europe/Paris",
        "Europe/Paris",
        "",
    )
    assert (await repo.get_user(me.id)).time_zone == ""
    assert len(await _zone_changes(me.id)) == 2


@pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/paris", "../etc/passwd", "Europe/"])
async def test_a_zone_that_is_not_iana_is_refused(zone: str) -> None:
    me = await make_user(Role.SPECIALIST)
    with pytest.raises(ValidationError) as refused:
        await sessions.set_time_zone(zone, actor=me.as_actor(), now=T0)
    assert refused.value.field == "time_zone"
    assert await _zone_changes(me.id) == []


async def test_only_a_user_has_a_zone() -> None:
    token = Actor(kind=ActorKind.TOKEN, id=uuid.uuid4(), role=Role.SPECIALIST, name="token:ci")
    with pytest.raises(UserNotFoundError):
        await sessions.set_time_zone("UTC", actor=token, now=T0)


def test_the_zones_offered_are_the_ones_accepted() -> None:
    zones = sessions.time_zones()
    assert list(zones) == sorted(zones)
    assert {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"} <= set(zones)
    assert all(sessions.check_time_zone(z) == z for z in zones[:: max(1, len(zones) // 40)])


async def test_a_language_change_is_stored_and_audited_once_per_change() -> None:
    me = await make_user(Role.SPECIALIST)
    assert me.locale == ""  # the organisation's until the person chooses

    changed = await sessions.set_locale(" pt-BR ", actor=me.as_actor(), now=T0)
    same = await sessions.set_locale("pt_BR", actor=me.as_actor(), now=T0)
    back = await sessions.set_locale("", actor=me.as_actor(), now=T0)

    assert (changed.locale, same.locale, back.locale) == ("pt_BR", "pt_BR", "")
    assert (await repo.get_user(me.id)).locale == ""
    entries = await _zone_changes(me.id)
    assert len(entries) == 2


@pytest.mark.parametrize("locale", ["xx", "klingon", "de_CH", "../en", "pt_PT"])
async def test_a_language_docket_has_no_texts_in_is_refused(locale: str) -> None:
    me = await make_user(Role.SPECIALIST)
    with pytest.raises(ValidationError) as refused:
        await sessions.set_locale(locale, actor=me.as_actor(), now=T0)
    assert refused.value.field == "locale"
    assert (await repo.get_user(me.id)).locale == ""
    assert await _zone_changes(me.id) == []


def test_the_languages_offered_are_those_of_response_packages() -> None:
    assert sessions.locales() == SUPPORTED
    assert all(sessions.check_locale(tag) == tag for tag in SUPPORTED)


async def test_the_live_feed_token_is_the_newest_unrevoked_one() -> None:
    me = await make_user(Role.LEGAL)
    actor = me.as_actor()
    assert await calendar.live_feed_token(actor=actor) is None
    await calendar.create_feed_token(actor=actor, now=T0)
    newer = await calendar.create_feed_token(actor=actor, now=T0 + timedelta(hours=1))
    live = await calendar.live_feed_token(actor=actor)
    assert live is not None
    assert (live.id, live.prefix) == (newer.token.id, newer.secret[:11])
    await calendar.revoke_feed_token(actor=actor, now=T0 + timedelta(hours=2))
    assert await calendar.live_feed_token(actor=actor) is None
    other = await make_user(Role.SPECIALIST)
    assert await calendar.live_feed_token(actor=other.as_actor()) is None
