"""The migration that names the deadline in force fills it in for the requests already stored."""

from __future__ import annotations

import importlib

from domain.requests import repo as requests_repo
from domain.requests import service as requests
from domain.requests.tables import RequestTable
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import given_request

BACKFILL = importlib.import_module("domain.piccolo_migrations.domain_2026_12_07t22_31_00_000000")


async def test_stored_requests_get_their_statutory_and_in_force_deadlines(db, rulebook) -> None:
    plain = await given_request(rulebook)
    extended = await given_request(rulebook)
    extended = await requests.take_extension(
        rulebook,
        extended.id,
        expected_version=1,
        reason="complex",
        notified_on=T0.date(),
        actor=ROOT,
        now=T0,
    )
    # the rows as the schema before left them: due_* statutory, statutory_* not there yet
    await RequestTable.raw(
        "UPDATE regulatory_request SET due_at = statutory_due_at, due_date = statutory_due_date"
    )
    await RequestTable.raw(
        "UPDATE regulatory_request SET statutory_due_at = NULL, statutory_due_date = NULL"
    )
    await (await BACKFILL.forwards()).run()
    after_plain = await requests_repo.get_request(plain.id)
    after_extended = await requests_repo.get_request(extended.id)
    assert (after_plain.due_at, after_plain.statutory_due_at) == (plain.due_at, plain.due_at)
    assert after_extended.statutory_due_at == extended.statutory_due_at
    assert after_extended.due_at == extended.extended_due_at != extended.statutory_due_at
    assert after_extended.due_date == extended.extended_due_date
