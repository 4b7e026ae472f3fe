"""Demo data: authorities, requests in every state, packages and holds, each audited."""

from __future__ import annotations

from pathlib import Path

from audit import store
from domain import deadlines
from domain.demo.packages import SEND_BACK_COMMENT, DemoDesk, seed_demo_packages
from domain.demo.requests import AUTHORITIES, seed_demo_data
from domain.identity import users
from domain.packages import service as packages
from domain.packages.model import PackageState
from domain.packages.review import load_signing_identity
from domain.requests import service as requests
from domain.requests.listing import query_requests
from domain.requests.repo import RequestFilters
from domain.requests.workflow import RequestState
from domain.shared.blobs import BlobStore
from domain.shared.model import AuditAction, Role
from tests.conftest import ROOT, T0
from tests.documents.test_signing import nss_db, pdfsig


async def test_a_new_database_gets_requests_in_every_state_once(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    await users.seed_demo_users(actor=ROOT, now=T0)
    seeded = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    assert len(seeded.authorities) == len(AUTHORITIES)
    assert len({a.country for a in seeded.authorities}) == len(AUTHORITIES)
    assert 40 <= len(seeded.requests) <= 60
    assert {r.state for r in seeded.requests} == set(RequestState)
    assert all(r.assignee is not None for r in seeded.requests)
    overdue = await query_requests(RequestFilters(overdue=True), now=T0, limit=200, after=None)
    assert overdue
    later = await query_requests(
        RequestFilters(due_within_days=3660), now=T0, limit=200, after=None
    )
    assert later
    closed = next(r for r in seeded.requests if r.state is RequestState.CLOSED)
    entries = await store.entries(subject=("request", str(closed.id)))
    assert entries[0].action == AuditAction.REQUEST_LOGGED.value
    assert entries[-1].action == AuditAction.REQUEST_CLOSED.value
    again = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    assert (again.authorities, again.requests) == ([], [])


async def test_the_seed_fixes_what_is_seeded(db: str, rulebook: deadlines.RuleBook) -> None:
    await users.seed_demo_users(actor=ROOT, now=T0)
    seeded = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    first = seeded.requests[0]
    assert (first.authority_reference, first.summary, first.received_at.isoformat()) == (
        "GB-27243",
        "User data about @user5242",
        "2026-02-28T19:30:00+00:00",
    )


async def test_demo_holds_two_active_one_released_with_and_without_acknowledgements(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    from domain.demo.holds import seed_demo_holds
    from domain.holds import queries as hold_queries
    from domain.holds.ack_links import ack_key
    from domain.holds.model import HoldState
    from domain.shared.model import Role

    await users.seed_demo_users(actor=ROOT, now=T0)
    await seed_demo_data(rulebook, actor=ROOT, now=T0)
    people = {u.role: u.as_actor() for u in await users.list_users(actor=ROOT)}
    held = await seed_demo_holds(
        rulebook,
        lawyer=people[Role.LEGAL],
        specialist=people[Role.SPECIALIST],
        key=ack_key("k"),
        now=T0,
    )
    assert [h.state for h in held] == [HoldState.ISSUED, HoldState.ACTIVE, HoldState.RELEASED]
    litigation, preservation, _ = held
    acked = {c.email: c.acknowledgement is not None for c in litigation.custodians}
    assert acked == {"jane.roe@example.com": True, "omar.haddad@example.com": False}
    assert preservation.preservation_request_id is not None
    assert preservation.expires_at is not None
    assert [d.key for d in preservation.data_sources] == ["account:@user7781"]
    covering = await hold_queries.check_preservation(None, "account:@user7781", actor=ROOT)
    assert [c.id for c in covering] == [preservation.id]
    again = await seed_demo_holds(
        rulebook, lawyer=people[Role.LEGAL], specialist=people[Role.SPECIALIST], key=b"k", now=T0
    )
    assert again == []


async def test_demo_packages_one_in_review_one_signed_and_sent_one_sent_back(
    db: str, rulebook: deadlines.RuleBook, tmp_path: Path
) -> None:
    await users.seed_demo_users(actor=ROOT, now=T0)
    seeded = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    people = {u.role: u.as_actor() for u in await users.list_users(actor=ROOT)}
    desk = DemoDesk(
        specialist=people[Role.SPECIALIST],
        lawyer=people[Role.LEGAL],
        organisation="Acme GmbH",
        store=BlobStore(tmp_path / "blobs"),
        identity=load_signing_identity(
            None, None, data_dir=tmp_path, organisation="Acme GmbH", now=T0
        ),
    )
    made = await seed_demo_packages(rulebook, seeded.authorities, desk=desk, now=T0)
    assert [v.state for v in made] == [
        PackageState.SUBMITTED,
        PackageState.SENT,
        PackageState.SENT_BACK,
    ]
    lawyer = people[Role.LEGAL]
    in_review, sent, sent_back = [
        await requests.get_request(v.request_id, actor=lawyer) for v in made
    ]
    assert (in_review.state, sent.state, sent_back.state) == (
        RequestState.IN_LEGAL_REVIEW,
        RequestState.SENT,
        RequestState.DRAFTING,
    )
    for version in made:
        listed = await packages.list_versions(version.request_id, actor=lawyer)
        assert listed == [version]
        assert version.request_digest
        assert not version.stale_fields
    assert [c.comment for c in made[2].comments] == [SEND_BACK_COMMENT]
    signed = await packages.open_version_pdf(
        sent.id, 1, signed=True, store=desk.store, actor=lawyer
    )
    assert signed.signed
    ca_pem = (tmp_path / "signing" / "demo-ca.pem").read_bytes()
    report = pdfsig(signed.path.read_bytes(), nss_db(tmp_path / "nss", ca_pem), tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    trail = await store.entries(subject=("request", str(sent.id)), limit=100)
    assert [e.action for e in trail if e.action.startswith("package.")] == [
        "package.draft_updated",
        "package.built",
        "package.submitted",
        "package.approved",
        "package.sent",
    ]
    assert await seed_demo_packages(rulebook, seeded.authorities, desk=desk, now=T0) == []
