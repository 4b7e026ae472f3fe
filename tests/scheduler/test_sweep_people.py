"""Each person hears in their own language and zone; a webhook in the organisation's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain import deadlines
from domain.identity import sessions
from domain.notifications.tables import InboxMessageTable
from domain.shared.model import Role
from scheduler.sweep import fan_out
from scheduler.sweep_plan import Event, SweepPolicy, Target
from tests.conftest import make_user
from tests.scheduler.sweep_support import given_request, sweep_at

AU_REMOVAL = "AU/osa.removal-notice"  # exactly 24 hours after the notice was given
ORGANISATION = SweepPolicy(
    base_url="http://docket.test", digest_hour=0, locale="fr", time_zone="Europe/Paris"
)


@dataclass(frozen=True)
class _Named:
    name: str

    async def send(self, *_: object) -> None:  # pragma: no cover - fan_out sends nothing
        raise AssertionError


def test_each_channel_speaks_to_its_reader_and_the_webhook_to_the_organisation() -> None:
    chooser = Target(email="a@x", user_id=uuid4(), locale="ja", time_zone="Asia/Tokyo")
    default = Target(email="b@x", user_id=uuid4())
    custodian = Target(email="c@x", user_id=None)
    event = Event(
        subject_type="request",
        subject_id="r1",
        kind="request.due",
        due_at=datetime(2026, 3, 3, tzinfo=UTC),
        context={},
        targets=(chooser, default, custodian),
    )
    channels = [_Named("email"), _Named("inbox"), _Named("webhook")]

    found = fan_out(event, channels, "fr", "Europe/Paris")  # type: ignore[arg-type]

    heard = {(n.key.channel, n.recipient_email): (n.locale, n.time_zone) for n in found}
    assert heard == {
        ("email", "a@x"): ("ja", "Asia/Tokyo"),
        ("email", "b@x"): ("fr", "Europe/Paris"),
        ("email", "c@x"): ("fr", "Europe/Paris"),
        ("inbox", "a@x"): ("ja", "Asia/Tokyo"),
        ("inbox", "b@x"): ("fr", "Europe/Paris"),
        ("webhook", "a@x"): ("fr", "Europe/Paris"),  # no person reads a webhook
    }


async def _digest(user_id: object) -> str:
    rows = await InboxMessageTable.select(InboxMessageTable.subject, InboxMessageTable.text).where(
        (InboxMessageTable.user_id == user_id) & (InboxMessageTable.kind == "digest.daily")
    )
    assert len(rows) == 1, rows
    return f"{rows[0]['subject']}\n{rows[0]['text']}"


@pytest.mark.usefixtures("db")
async def test_a_digest_groups_by_the_readers_own_day_around_midnight_utc(
    rulebook: deadlines.RuleBook,
) -> None:
    kiwi = await make_user(Role.SPECIALIST, "kiwi@docket.example")
    angeleno = await make_user(Role.SPECIALIST, "angeleno@docket.example")
    given = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    await sessions.set_time_zone("Pacific/Auckland", actor=kiwi.as_actor(), now=given)
    await sessions.set_locale("de", actor=kiwi.as_actor(), now=given)
    await sessions.set_time_zone("America/Los_Angeles", actor=angeleno.as_actor(), now=given)
    # the angeleno keeps the organisation's language (French)
    for person in (kiwi, angeleno):
        reg = await given_request(rulebook, assignee=person, rule_id=AU_REMOVAL, received_at=given)
        assert reg.due_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)

    midnight = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # the digest hour, by the fake clock
    await sweep_at(midnight + timedelta(minutes=1), rulebook, policy=ORGANISATION)

    # 13:01 on 3 March in Auckland: due at 23:00 the same evening
    kiwi_digest = await _digest(kiwi.id)
    assert "Ihre Fristen: 1 Eintrag in den nächsten 7 Tagen" in kiwi_digest
    assert "Heute\n- " in kiwi_digest
    assert "3. März 2026, 23:00 NZDT" in kiwi_digest
    assert "Morgen" not in kiwi_digest
    # 16:01 on 2 March in Los Angeles: due at 02:00 the next night
    la_digest = await _digest(angeleno.id)
    assert "Vos échéances" in la_digest
    assert "Demain\n- " in la_digest
    assert "3 mars 2026, 02:00 PST" in la_digest
    assert "Aujourd\u2019hui" not in la_digest
