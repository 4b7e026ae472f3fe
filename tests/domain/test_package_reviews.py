"""The read side of Legal's review: the queue, each version's text read back from the audit log
(unknown once lawfully erased), and the preview of the response text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit import store
from domain import audit_log
from domain.packages import review as package_review
from domain.packages import reviews
from domain.packages.service import MAX_MARKDOWN_CHARS
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import AuditAction
from tests.conftest import ROOT, T0
from tests.domain.test_packages_service import build, write
from tests.domain.test_packages_service import desk as desk  # noqa: PLC0414 - the fixture

pytestmark = pytest.mark.usefixtures("db")


async def test_the_queue_holds_submitted_versions_for_those_who_approve(desk) -> None:
    await write(desk, "An answer.")
    version, _ = await build(desk)
    assert await reviews.review_queue(actor=desk.lawyer, now=T0) == []
    await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    (waiting,) = await reviews.review_queue(actor=desk.lawyer, now=T0)
    assert (waiting.version.number, waiting.reference) == (1, desk.reg_request.reference)
    assert waiting.due_at == desk.reg_request.effective_due_at
    assert (waiting.band, waiting.stale_reason) == ("normal", "")
    with pytest.raises(PermissionDeniedError):
        await reviews.review_queue(actor=desk.specialist, now=T0)


async def test_a_version_superseded_by_a_new_revision_leaves_the_queue(desk) -> None:
    await write(desk, "An answer.")
    version, _ = await build(desk)
    await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    await write(desk, "A better answer.")  # takes the request back to drafting
    assert await reviews.review_queue(actor=desk.lawyer, now=T0) == []


async def test_each_versions_text_is_read_back_from_the_log(desk) -> None:
    await write(desk, "First text.")
    await build(desk)
    await write(desk, "Second text.")
    await build(desk)
    first = await reviews.version_texts(desk.reg_request.id, 1, actor=desk.lawyer)
    assert (first.markdown, first.previous_number, first.previous_markdown) == (
        "First text.",
        None,
        None,
    )
    second = await reviews.version_texts(desk.reg_request.id, 2, actor=desk.lawyer)
    assert (second.markdown, second.previous_number, second.previous_markdown) == (
        "Second text.",
        1,
        "First text.",
    )


async def test_a_lawfully_erased_revision_is_unknown_rather_than_guessed(desk) -> None:
    await write(desk, "First text.")
    await build(desk)
    await write(desk, "Second text.")
    await build(desk)
    entries = await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000)
    drafted = [e for e in entries if e.action == AuditAction.PACKAGE_DRAFT_UPDATED.value]
    await audit_log.erase_change(
        drafted[0].index, reason="court order", actor=ROOT, now=T0 + timedelta(days=1)
    )
    second = await reviews.version_texts(desk.reg_request.id, 2, actor=desk.lawyer)
    assert (second.markdown, second.previous_markdown) == ("Second text.", None)


async def test_the_preview_is_inert_html_and_refuses_an_over_long_text(desk) -> None:
    html = await reviews.preview_response(
        desk.reg_request.id, "A **b** <img src=x onerror=alert(1)>", actor=desk.specialist
    )
    assert "<strong>b</strong>" in html
    assert "<img" not in html
    with pytest.raises(ValidationError):
        await reviews.preview_response(
            desk.reg_request.id, "x" * (MAX_MARKDOWN_CHARS + 1), actor=desk.specialist
        )
