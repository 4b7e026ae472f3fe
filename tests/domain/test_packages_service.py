"""Response packages on the real database: drafts, deterministic versions, four-eyes, signing."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit import store
from documents.signing import check_signature
from domain.packages import review as package_review
from domain.packages import service as packages
from domain.packages.errors import (
    PackageHashMismatchError,
    ResponseDraftChangedError,
    SelfApprovalError,
    StalePackageError,
)
from domain.packages.model import DraftExhibit, PackageState, PackageVersion
from domain.packages.review import SigningIdentity, load_signing_identity
from domain.packages.service import DraftChange
from domain.packages.workflow import (
    PACKAGE_WORKFLOW,
    REQUEST_STEPS,
    PackageAction,
    check_not_author,
    request_action,
)
from domain.requests import files as request_files
from domain.requests import service as requests
from domain.requests.errors import PackageStepRequiredError
from domain.requests.fields import RequestRecord
from domain.requests.model import RegulatoryRequest
from domain.requests.workflow import REQUEST_WORKFLOW, RequestAction, RequestState
from domain.shared.blobs import BlobStore
from domain.shared.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    TransitionNotPermittedError,
    ValidationError,
)
from domain.shared.model import Actor, Role
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import actor_with, given_request, last_change

pytestmark = pytest.mark.usefixtures("db")
ORG = "Docket test organisation"
ROOT_ID = uuid.UUID(int=1)
EXHIBIT = b"subscriber,created\n@example,2024-01-01\n"


@dataclass
class Desk:
    """A request in drafting, the people who work on it, the blob store and the signer."""

    reg_request: RegulatoryRequest
    specialist: Actor
    lawyer: Actor
    other_lawyer: Actor
    blobs: BlobStore
    identity: SigningIdentity
    ca_pem: bytes


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def in_drafting(book, reg_request: RegulatoryRequest) -> RegulatoryRequest:
    for action in (RequestAction.TRIAGE, RequestAction.START, RequestAction.START_DRAFTING):
        reg_request = await requests.transition(
            book,
            reg_request.id,
            action,
            expected_version=reg_request.version,
            actor=ROOT,
            now=T0,
        )
    return reg_request


@pytest.fixture
async def desk(rulebook, tmp_path: Path) -> Desk:
    reg_request = await in_drafting(rulebook, await given_request(rulebook))
    return Desk(
        reg_request=reg_request,
        specialist=await actor_with(Role.SPECIALIST),
        lawyer=await actor_with(Role.LEGAL),
        other_lawyer=await actor_with(Role.LEGAL),
        blobs=BlobStore(tmp_path / "blobs"),
        identity=load_signing_identity(None, None, data_dir=tmp_path, organisation=ORG, now=T0),
        ca_pem=(tmp_path / "signing" / "demo-ca.pem").read_bytes(),
    )


async def write(desk: Desk, text: str, *, by: Actor | None = None, **more: object) -> int:
    draft = await packages.get_draft(desk.reg_request.id, actor=ROOT)
    change = DraftChange(markdown=text, **more)  # type: ignore[arg-type]
    changed = await packages.update_draft(
        desk.reg_request.id,
        change,
        expected_revision=draft.revision,
        actor=by or desk.specialist,
        now=T0,
    )
    return changed.revision


async def build(desk: Desk, by: Actor | None = None) -> tuple[PackageVersion, bool]:
    built = await packages.build_version(
        desk.reg_request.id,
        organisation=ORG,
        store=desk.blobs,
        actor=by or desk.specialist,
        now=T0,
    )
    return built.version, built.created


async def approve(
    desk: Desk, version: PackageVersion, by: Actor, sha256: str = ""
) -> PackageVersion:
    return await package_review.approve_package(
        desk.reg_request.id,
        version.number,
        sha256=sha256 or version.sha256,
        identity=desk.identity,
        organisation=ORG,
        store=desk.blobs,
        actor=by,
        now=T0,
    )


async def trail(desk: Desk) -> list[str]:
    found = await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000)
    return [e.action for e in found]


async def request_state(desk: Desk) -> RequestState:
    return (await requests.get_request(desk.reg_request.id, actor=ROOT)).state


# ---------------------------------------------------------------- the pure workflow
def test_only_legal_approves_and_the_authors_never_do() -> None:
    to = PACKAGE_WORKFLOW.next_state(PackageState.SUBMITTED, PackageAction.APPROVE, Role.LEGAL)
    assert (to, request_action(PackageAction.APPROVE)) == (
        PackageState.APPROVED,
        RequestAction.APPROVE,
    )
    with pytest.raises(TransitionNotPermittedError) as admin:  # admin holds every permission
        PACKAGE_WORKFLOW.next_state(PackageState.SUBMITTED, PackageAction.APPROVE, Role.ADMIN)
    assert admin.value.public_fields() == {
        "kind": "package version",
        "state": "submitted",
        "action": "approve",
        "role": "admin",
    }
    with pytest.raises(InvalidTransitionError) as draft:
        PACKAGE_WORKFLOW.next_state(PackageState.DRAFT, PackageAction.APPROVE, Role.LEGAL)
    assert draft.value.public_fields() == {
        "kind": "package version",
        "state": "draft",
        "action": "approve",
    }
    with pytest.raises(InvalidTransitionError):
        PACKAGE_WORKFLOW.next_state(PackageState.SENT_BACK, PackageAction.SUBMIT, Role.SPECIALIST)
    assert PACKAGE_WORKFLOW.available_actions(PackageState.SUBMITTED, Role.ADMIN) == []
    assert PACKAGE_WORKFLOW.available_actions(PackageState.APPROVED, Role.LEGAL) == [
        PackageAction.MARK_SENT
    ]
    version = PackageVersion(
        id=ROOT_ID,
        request_id=ROOT_ID,
        number=1,
        sha256="0" * 64,
        size=1,
        locale="en",
        draft_revision=1,
        drafted_by="user:a",
        built_by="user:b",
        created_at=T0,
        state=PackageState.SUBMITTED,
    )
    for author in ("user:a", "user:b"):
        with pytest.raises(SelfApprovalError):
            check_not_author(version, author)
    check_not_author(version, "user:c")


@pytest.mark.parametrize("action", list(PackageAction), ids=[a.value for a in PackageAction])
def test_each_package_step_is_open_to_exactly_the_roles_of_the_request_step_it_moves(
    action: PackageAction,
) -> None:
    request_state, moves = REQUEST_STEPS[action]
    for state in PACKAGE_WORKFLOW.steps[action]:
        for role in Role:
            package_open = action in PACKAGE_WORKFLOW.available_actions(state, role)
            request_open = moves in REQUEST_WORKFLOW.available_actions(request_state, role)
            assert package_open is request_open, (action, role)


# ---------------------------------------------------------------- the draft
async def test_the_draft_changes_only_from_the_revision_read_and_each_change_is_audited(
    desk: Desk,
) -> None:
    assert (await packages.get_draft(desk.reg_request.id, actor=ROOT)).revision == 0
    assert await write(desk, "First text.") == 1
    stale = DraftChange(markdown="Lost update")
    with pytest.raises(ResponseDraftChangedError):
        await packages.update_draft(
            desk.reg_request.id, stale, expected_revision=0, actor=desk.specialist, now=T0
        )
    with pytest.raises(ValidationError, match="locale"):
        await write(desk, "x", locale="tlh")
    auditor = await actor_with(Role.AUDITOR)
    with pytest.raises(PermissionDeniedError):
        await packages.update_draft(
            desk.reg_request.id, stale, expected_revision=1, actor=auditor, now=T0
        )
    draft = await packages.get_draft(desk.reg_request.id, actor=auditor)
    assert (draft.revision, draft.markdown) == (1, "First text.")
    assert await write(desk, "First text.", by=desk.lawyer) == 1  # the same text: no change
    assert (await packages.get_draft(desk.reg_request.id, actor=ROOT)).updated_by == (
        f"user:{desk.specialist.id}"
    )
    assert (await trail(desk))[-1:] == ["package.draft_updated"]
    assert (await trail(desk)).count("package.draft_updated") == 1


async def test_an_exhibit_must_be_an_attachment_of_the_same_request(desk: Desk, rulebook) -> None:
    other = await given_request(rulebook)
    foreign = await request_files.attach_document(
        other.id,
        _chunks(EXHIBIT),
        original_name="x.csv",
        max_bytes=10**6,
        store=desk.blobs,
        actor=ROOT,
        now=T0,
    )
    with pytest.raises(ValidationError, match="exhibits"):
        await write(desk, "text", exhibits=(DraftExhibit(foreign.id, "Foreign"),))


# ---------------------------------------------------------------- versions
async def test_building_the_same_draft_twice_gives_the_same_version_and_exhibits_are_embedded(
    desk: Desk,
) -> None:
    attachment = await request_files.attach_document(
        desk.reg_request.id,
        _chunks(EXHIBIT),
        original_name="records.csv",
        max_bytes=10**6,
        store=desk.blobs,
        actor=ROOT,
        now=T0,
    )
    await write(desk, "We enclose the records.", exhibits=(DraftExhibit(attachment.id, "Records"),))
    first, created = await build(desk)
    assert (first.number, created, first.state) == (1, True, PackageState.DRAFT)
    again, created_again = await build(desk, by=desk.lawyer)
    assert (again.id, again.sha256, created_again) == (first.id, first.sha256, False)
    pdf = desk.blobs.path(first.sha256).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == first.sha256
    assert PdfReader(io.BytesIO(pdf)).attachments["records.csv"] == [EXHIBIT]
    assert (await trail(desk)).count("package.built") == 1
    built = (await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000))[-1]
    assert built.action == "package.built"
    assert first.locale == "en"  # the request's response language
    await write(desk, "Wir fügen die Unterlagen bei.", locale="de")
    second, created = await build(desk)
    assert (second.number, created, second.locale) == (2, True, "de")
    assert second.sha256 != first.sha256


async def test_nothing_written_cannot_be_built(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="markdown"):
        await build(desk)


# ---------------------------------------------------------------- review
async def test_a_package_goes_from_draft_to_sent_moving_the_request_and_signed_on_approval(
    desk: Desk,
) -> None:
    await write(desk, "Our answer.")
    version, _ = await build(desk)
    submitted = await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    assert submitted.state is PackageState.SUBMITTED
    assert await request_state(desk) is RequestState.IN_LEGAL_REVIEW
    approved = await approve(desk, version, desk.lawyer)
    assert approved.state is PackageState.APPROVED
    assert await request_state(desk) is RequestState.APPROVED
    signed = desk.blobs.path(approved.signed_sha256).read_bytes()
    unsigned = desk.blobs.path(version.sha256).read_bytes()
    assert signed[: len(unsigned)] == unsigned
    check = check_signature(signed, (desk.ca_pem,))
    assert (check.intact, check.valid, check.trusted, check.covers_whole_file) == (
        True,
        True,
        True,
        True,
    )
    assert check.signed_at == T0
    sent_at = T0 + timedelta(hours=2)
    sent = await package_review.mark_package_sent(
        desk.reg_request.id, version.number, actor=desk.lawyer, now=sent_at
    )
    assert sent.state is PackageState.SENT
    assert await request_state(desk) is RequestState.SENT
    assert (await requests.get_request(desk.reg_request.id, actor=ROOT)).record.responded_at == (
        sent_at
    )
    found = await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000)
    steps = [e for e in found if e.action.startswith("package.")]
    assert [e.action for e in steps] == [
        "package.draft_updated",
        "package.built",
        "package.submitted",
        "package.approved",
        "package.sent",
    ]
    approval = steps[3]
    assert approval.actor_id == f"user:{desk.lawyer.id}"


async def test_the_author_cannot_approve_nor_can_an_admin_and_the_hash_must_match(
    desk: Desk,
) -> None:
    await write(desk, "Drafted by a lawyer.", by=desk.lawyer)
    version, _ = await build(desk)
    await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    before = await trail(desk)
    with pytest.raises(SelfApprovalError):
        await approve(desk, version, desk.lawyer)
    with pytest.raises(TransitionNotPermittedError) as admin:
        await approve(desk, version, ROOT)
    assert admin.value.kind == "package version"
    with pytest.raises(PermissionDeniedError):
        await approve(desk, version, desk.specialist)
    with pytest.raises(PackageHashMismatchError):
        await approve(desk, version, desk.other_lawyer, sha256="a" * 64)
    assert await trail(desk) == before
    current = await packages.get_version(desk.reg_request.id, version.number, actor=ROOT)
    assert (current.state, current.signed_sha256) == (PackageState.SUBMITTED, "")
    assert (await approve(desk, version, desk.other_lawyer)).state is PackageState.APPROVED


async def test_whoever_built_a_version_cannot_approve_it(desk: Desk) -> None:
    await write(desk, "Text.")
    version, _ = await build(desk, by=desk.lawyer)
    await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    with pytest.raises(SelfApprovalError):
        await approve(desk, version, desk.lawyer)


async def test_a_change_after_approval_makes_the_version_stale_and_a_new_one_is_needed(
    desk: Desk,
) -> None:
    await write(desk, "Version one.")
    first, _ = await build(desk)
    await package_review.submit_package(desk.reg_request.id, 1, actor=desk.specialist, now=T0)
    await approve(desk, first, desk.lawyer)
    await write(desk, "Version two.")
    assert await request_state(desk) is RequestState.DRAFTING
    changed = (await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000))[-1]
    assert changed.action == "package.draft_updated"
    with pytest.raises(StalePackageError):
        await package_review.mark_package_sent(desk.reg_request.id, 1, actor=desk.lawyer, now=T0)
    second, created = await build(desk)
    assert (second.number, created) == (2, True)
    await package_review.submit_package(desk.reg_request.id, 2, actor=desk.specialist, now=T0)
    await approve(desk, second, desk.lawyer)
    sent = await package_review.mark_package_sent(
        desk.reg_request.id, 2, actor=desk.specialist, now=T0
    )
    assert sent.state is PackageState.SENT
    with pytest.raises(InvalidTransitionError):
        await write(desk, "After sending.")


async def test_legal_sends_back_with_a_comment_and_the_request_returns_to_drafting(
    desk: Desk,
) -> None:
    await write(desk, "Needs work.")
    version, _ = await build(desk)
    with pytest.raises(InvalidTransitionError) as early:
        await package_review.send_back_package(
            desk.reg_request.id, 1, "too early", actor=desk.lawyer, now=T0
        )
    assert early.value.kind == "package version"
    with pytest.raises(TransitionNotPermittedError) as lawyer:  # Legal reviews, not submits
        await package_review.submit_package(desk.reg_request.id, 1, actor=desk.lawyer, now=T0)
    assert lawyer.value.kind == "package version"
    await package_review.submit_package(desk.reg_request.id, 1, actor=desk.specialist, now=T0)
    with pytest.raises(ValidationError):
        await package_review.send_back_package(
            desk.reg_request.id, 1, "  ", actor=desk.lawyer, now=T0
        )
    back = await package_review.send_back_package(
        desk.reg_request.id, 1, "Cite the order.", actor=desk.lawyer, now=T0
    )
    assert back.state is PackageState.SENT_BACK
    assert [c.comment for c in back.comments] == ["Cite the order."]
    assert await request_state(desk) is RequestState.DRAFTING
    with pytest.raises(InvalidTransitionError) as again:
        await package_review.submit_package(
            desk.reg_request.id, version.number, actor=desk.specialist, now=T0
        )
    assert again.value.kind == "package version"
    assert (await trail(desk))[-1] == "package.sent_back"


async def test_submitting_needs_the_request_in_drafting(desk: Desk, rulebook) -> None:
    await write(desk, "Text.")
    await build(desk)
    await requests.transition(  # withdrawn by the authority: nothing is submitted any more
        rulebook,
        desk.reg_request.id,
        RequestAction.WITHDRAW,
        expected_version=(await requests.get_request(desk.reg_request.id, actor=ROOT)).version,
        actor=ROOT,
        now=T0,
    )
    with pytest.raises(InvalidTransitionError) as withdrawn:
        await package_review.submit_package(desk.reg_request.id, 1, actor=desk.specialist, now=T0)
    assert withdrawn.value.kind == "request"


async def test_two_lawyers_approving_at_once_give_one_approval_and_one_entry(desk: Desk) -> None:
    await write(desk, "Text.")
    version, _ = await build(desk)
    await package_review.submit_package(desk.reg_request.id, 1, actor=desk.specialist, now=T0)
    third = await actor_with(Role.LEGAL)
    results = await asyncio.gather(
        approve(desk, version, desk.lawyer),
        approve(desk, version, third),
        return_exceptions=True,
    )
    approved = [r for r in results if isinstance(r, PackageVersion)]
    refused = [
        r for r in results if isinstance(r, InvalidTransitionError) and r.kind == "package version"
    ]
    assert (len(approved), len(refused)) == (1, 1), results
    assert (await trail(desk)).count("package.approved") == 1
    current = await packages.get_version(desk.reg_request.id, 1, actor=ROOT)
    assert current.signed_sha256 == approved[0].signed_sha256


async def test_a_request_with_a_package_is_reviewed_only_through_the_package(
    desk: Desk, rulebook
) -> None:
    await write(desk, "We hold no data about this account.")
    size = await store.size()
    with pytest.raises(PackageStepRequiredError):
        await requests.transition(
            rulebook,
            desk.reg_request.id,
            RequestAction.SUBMIT_FOR_REVIEW,
            expected_version=desk.reg_request.version,
            actor=desk.specialist,
            now=T0,
        )
    assert await store.size() == size


async def test_without_a_package_the_request_steps_stay_open(rulebook) -> None:
    reg = await in_drafting(rulebook, await given_request(rulebook))
    submitted = await requests.transition(
        rulebook,
        reg.id,
        RequestAction.SUBMIT_FOR_REVIEW,
        expected_version=reg.version,
        actor=ROOT,
        now=T0,
    )
    revised = await requests.transition(
        rulebook,
        reg.id,
        RequestAction.REVISE,
        expected_version=submitted.version,
        actor=ROOT,
        now=T0,
    )
    assert revised.state is RequestState.DRAFTING


async def _send(book, reg: RegulatoryRequest, *, at: datetime) -> RegulatoryRequest:
    lawyer = await actor_with(Role.LEGAL)
    for action, actor in (
        (RequestAction.SUBMIT_FOR_REVIEW, ROOT),
        (RequestAction.APPROVE, lawyer),
        (RequestAction.SEND, ROOT),
    ):
        reg = await requests.transition(
            book, reg.id, action, expected_version=reg.version, actor=actor, now=at
        )
    return reg


async def test_sending_the_response_records_when_unless_it_was_recorded(rulebook) -> None:
    at = T0 + timedelta(hours=3)
    sent = await _send(rulebook, await in_drafting(rulebook, await given_request(rulebook)), at=at)
    assert (sent.state, sent.record.responded_at) == (RequestState.SENT, at)
    change = await last_change(sent)
    assert change["after"]["responded_at"] == at.isoformat()  # type: ignore[index]
    earlier = T0 - timedelta(hours=1)
    answered = await given_request(rulebook, record=RequestRecord(responded_at=earlier))
    kept = await _send(rulebook, await in_drafting(rulebook, answered), at=at)
    assert kept.record.responded_at == earlier
