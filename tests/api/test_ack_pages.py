"""Custodians acknowledge from the link in their notice, through the real ASGI app, unlogged."""

from __future__ import annotations

from uuid import UUID

from audit import store
from domain.holds import notices as hold_notices
from domain.holds.ack_links import ack_key, sign_ack_token
from domain.holds.model import NoticeKind
from domain.shared.model import Role
from tests.api.helpers import bearer
from tests.conftest import ROOT, SECRET

KEY = ack_key(SECRET)
HOLD = {
    "matter": "MAT-9",
    "title": "Acme <b>v.</b> Roe",
    "custodians": [{"email": "jane.roe@example.com", "name": "Jane Roe"}],
    "notice_text": "Keep <script>alert(1)</script> every mail.",
    "questions": ["Where else do you keep files?"],
}


async def _issued_link(client) -> tuple[str, str]:
    legal = await bearer(Role.LEGAL)
    created = await client.post("/api/v1/holds", json=HOLD, headers=legal)
    assert created.status_code == 201, created.text
    hold_id = created.json()["id"]
    issued = await client.post(
        f"/api/v1/holds/{hold_id}/actions/issue", json={"expected_version": 1}, headers=legal
    )
    assert issued.status_code == 200, issued.text
    notices = await client.get(f"/api/v1/holds/{hold_id}/notices", headers=legal)
    assert notices.status_code == 200
    first = next(n for n in notices.json() if n["kind"] == NoticeKind.NOTICE.value)
    return hold_id, sign_ack_token(UUID(first["id"]), KEY)


async def test_open_then_acknowledge_then_reuse(client, clock) -> None:
    hold_id, token = await _issued_link(client)
    page = await client.get(f"/ack/{token}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # escaped, never markup
    assert "<script>" not in page.text
    assert "Where else do you keep files?" in page.text
    assert [e.action for e in await store.entries(subject=("legal_hold", hold_id))] == [
        "hold.created",
        "hold.issued",
    ]  # opening changed nothing

    clock.advance(hours=1)
    done = await client.post(
        f"/ack/{token}",
        data={"q0": "a USB stick"},
        headers={"user-agent": "Thunderbird/128"},
    )
    assert done.status_code == 200, done.text
    assert "Acknowledged" in done.text
    legal = await bearer(Role.LEGAL)
    hold = (await client.get(f"/api/v1/holds/{hold_id}", headers=legal)).json()
    assert hold["state"] == "active"
    ack = hold["custodians"][0]["acknowledgement"]
    assert ack["user_agent"] == "Thunderbird/128"
    assert ack["address"]  # the client address the ASGI server saw
    assert ack["answers"] == {"Where else do you keep files?": "a USB stick"}

    again = await client.post(f"/ack/{token}", data={})
    assert again.status_code == 410
    assert "used already" in again.text
    assert (await client.get(f"/ack/{token}")).status_code == 410


async def test_tampered_and_unknown_links_get_a_page_not_a_trace(client) -> None:
    _, token = await _issued_link(client)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "nonsense", "0" * 32 + ".x"):
        for method in ("GET", "POST"):
            resp = await client.request(method, f"/ack/{bad}", data={})
            assert resp.status_code == 404, (method, bad)
            assert resp.headers["content-type"].startswith("text/html")
            assert "Link not valid" in resp.text
            assert "Traceback" not in resp.text


async def test_an_expired_link_gets_a_clear_page(client, clock) -> None:
    _, token = await _issued_link(client)
    clock.advance(days=31)  # DOCKET_ACK_LINK_DAYS defaults to 30
    page = await client.get(f"/ack/{token}")
    assert page.status_code == 410
    assert "expired" in page.text
    posted = await client.post(f"/ack/{token}", data={})
    assert posted.status_code == 410
    assert "expired" in posted.text


async def test_the_notices_list_needs_hold_read(client) -> None:
    hold_id, _ = await _issued_link(client)
    system = await bearer(Role.SYSTEM)
    assert (await client.get(f"/api/v1/holds/{hold_id}/notices", headers=system)).status_code == 403
    assert (await client.get(f"/api/v1/holds/{hold_id}/notices")).status_code == 401
    found = await hold_notices.notices_of(UUID(hold_id), actor=ROOT)
    assert {n.kind for n in found} == {
        NoticeKind.NOTICE,
        NoticeKind.REMINDER,
        NoticeKind.REAFFIRMATION,
    }  # Jane has no manager: no escalation
    assert [n.due_at for n in found] == sorted(n.due_at for n in found)
