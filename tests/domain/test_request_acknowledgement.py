"""Acknowledgement due: a request whose rule names an acknowledgement rule records when receipt
must be acknowledged (CCPA: 10 business days, 11 CCR § 7021(a)); other requests record none."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from domain import deadlines
from domain.requests import repo as requests_repo
from domain.requests import service as requests
from domain.requests.workflow import RequestAction
from domain.shared.model import Role
from tests.api.helpers import bearer
from tests.api.test_requests_api import log
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import GB_RIGHTS, given_request

CCPA_KNOW = "US-CA/ccpa.request-to-know"
# T0 is Monday 2 March 2026; the 10th California business day after it is Monday 16 March,
# which ends at midnight Pacific Daylight Time (DST began on 8 March).
CCPA_ACK_DUE = datetime(2026, 3, 17, 6, 59, 59, 999999, tzinfo=UTC)


async def test_a_ccpa_request_is_acknowledged_within_10_california_business_days(
    db, rulebook
) -> None:
    reg_request = await given_request(rulebook, CCPA_KNOW)
    assert reg_request.acknowledgement_due_at == CCPA_ACK_DUE
    confirm = deadlines.preview_deadline(
        rulebook, "US-CA/ccpa.confirm-receipt", received_at=T0, actor=ROOT
    )
    assert reg_request.acknowledgement_due_at == confirm.due_at
    assert reg_request.due_at is not None
    assert reg_request.due_at > CCPA_ACK_DUE
    stored = await requests_repo.get_request(reg_request.id)
    assert stored.acknowledgement_due_at == CCPA_ACK_DUE


async def test_the_subdivision_is_passed_on_only_where_the_ack_rule_knows_it(db, rulebook) -> None:
    reg_request = await given_request(rulebook, CCPA_KNOW, subdivision="CA")
    assert reg_request.acknowledgement_due_at == CCPA_ACK_DUE


async def test_a_gb_request_has_no_acknowledgement_due(db, rulebook) -> None:
    reg_request = await given_request(rulebook, GB_RIGHTS)
    assert reg_request.acknowledgement_due_at is None
    assert (await requests_repo.get_request(reg_request.id)).acknowledgement_due_at is None


async def test_a_workflow_step_keeps_the_acknowledgement(db, rulebook) -> None:
    reg_request = await given_request(rulebook, CCPA_KNOW)
    moved = await requests.transition(
        rulebook,
        reg_request.id,
        RequestAction.TRIAGE,
        expected_version=1,
        actor=ROOT,
        now=T0,
    )
    assert moved.acknowledgement_due_at == CCPA_ACK_DUE


async def test_the_acknowledgement_due_is_shown_over_http_and_in_the_export(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    # Sunday 1 March 2026, 02:00 in Los Angeles: 10 business days end on Friday 13 March (PDT).
    ccpa = await log(client, specialist, rule=CCPA_KNOW)
    assert ccpa["acknowledgement_due_at"] == "2026-03-14T06:59:59.999999Z"
    gb = await log(client, specialist)
    assert gb["acknowledgement_due_at"] is None
    auditor = await bearer(Role.AUDITOR)
    seen = await client.get(f"/api/v1/requests/{ccpa['id']}", headers=auditor)
    assert seen.json()["acknowledgement_due_at"] == "2026-03-14T06:59:59.999999Z"
    export = await client.get("/api/v1/requests/export.csv", headers=auditor)
    assert export.status_code == 200, export.text
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(export.text))}
    exported = datetime.fromisoformat(rows[str(ccpa["id"])]["acknowledgement_due_at"])
    assert exported == datetime(2026, 3, 14, 6, 59, 59, 999999, tzinfo=UTC)
    assert rows[str(gb["id"])]["acknowledgement_due_at"] == ""
