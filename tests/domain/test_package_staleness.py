"""A version's letter must match the request it answers: printed request fields make it stale."""

from __future__ import annotations

import operator
import types
import typing
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import fields, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import pytest

from audit import store
from audit.entry import AuditEntry
from documents.render import build_html
from domain import deadlines
from domain.packages import content
from domain.packages import review as package_review
from domain.packages import service as packages
from domain.packages.errors import RequestChangedSinceBuildError, RequestChangedWhileBuildingError
from domain.packages.model import PackageState, PackageVersion, describe_fields
from domain.packages.repo import empty_draft
from domain.packages.tables import PackageVersionTable
from domain.requests import authorities
from domain.requests import queries as request_queries
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.clock_fields import AuthorityDue
from domain.requests.letter import printed_request
from domain.requests.model import Authority, AuthorityType, RegulatoryRequest
from domain.requests.updates import update_request
from domain.requests.workflow import RequestState
from domain.shared.model import AuditAction
from tests.conftest import ROOT, T0
from tests.domain.test_packages_service import ORG, Desk, approve, build, write
from tests.domain.test_packages_service import desk as desk  # noqa: PLC0414 - the fixture

pytestmark = pytest.mark.usefixtures("db")

Change = Callable[[Desk, deadlines.RuleBook], Awaitable[None]]


async def _patch(desk: Desk, book: deadlines.RuleBook, changes: dict[str, object]) -> None:
    current = await requests.get_request(desk.reg_request.id, actor=ROOT)
    await update_request(
        book,
        current.id,
        expected_version=current.version,
        changes=changes,
        actor=desk.specialist,
        now=T0,
    )


async def _new_authority(desk: Desk, book: deadlines.RuleBook) -> None:
    other = await authorities.create_authority(
        NewAuthority(
            name="Information Commissioner's Office",
            country="GB",
            type=AuthorityType.REGULATOR,
            contact="Wycliffe House\nWilmslow SK9 5AF",
        ),
        actor=ROOT,
        now=T0,
    )
    await _patch(desk, book, {"authority_id": str(other.id)})


async def _extension(desk: Desk, book: deadlines.RuleBook) -> None:
    current = await requests.get_request(desk.reg_request.id, actor=ROOT)
    await requests.take_extension(
        book,
        current.id,
        expected_version=current.version,
        reason="A complex request",
        notified_on=date(2026, 3, 2),
        actor=desk.specialist,
        now=T0,
    )


CHANGES: Final[dict[str, tuple[Change, tuple[str, ...], str]]] = {
    "authority reference": (
        lambda d, b: _patch(d, b, {"authority_reference": "ICO/2026/17"}),
        ("authority_reference",),
        AuditAction.REQUEST_UPDATED,
    ),
    "legal basis": (
        lambda d, b: _patch(d, b, {"legal_basis": "UK GDPR Art 15"}),
        ("legal_basis",),
        AuditAction.REQUEST_UPDATED,
    ),
    "received at": (
        lambda d, b: _patch(d, b, {"received_at": (T0 - timedelta(days=1)).isoformat()}),
        ("received_at", "due_at"),
        AuditAction.REQUEST_UPDATED,
    ),
    "authority": (
        _new_authority,
        ("authority_name", "authority_contact"),
        AuditAction.REQUEST_UPDATED,
    ),
    "time zone": (
        lambda d, b: _patch(d, b, {"tz": "Asia/Tokyo"}),
        ("due_at", "time_zone"),
        AuditAction.REQUEST_UPDATED,
    ),
    "due date (extension)": (_extension, ("due_at",), AuditAction.REQUEST_EXTENDED),
}
STAGES: Final = ("built", "submitted", "approved")


async def _at_stage(desk: Desk, stage: str) -> PackageVersion:
    await write(desk, "Our answer.")
    version, _ = await build(desk)
    if stage in {"submitted", "approved"}:
        version = await package_review.submit_package(
            desk.reg_request.id, version.number, actor=desk.specialist, now=T0
        )
    if stage == "approved":
        version = await approve(desk, version, desk.lawyer)
    return version


async def _entries(desk: Desk) -> list[AuditEntry]:
    return await store.entries(subject=("request", str(desk.reg_request.id)), limit=1000)


async def _next_step(desk: Desk, stage: str) -> None:
    """The step the version would take next from ``stage``."""
    request_id = desk.reg_request.id
    if stage == "built":
        await package_review.submit_package(request_id, 1, actor=desk.specialist, now=T0)
    elif stage == "submitted":
        await approve(desk, await packages.get_version(request_id, 1, actor=ROOT), desk.lawyer)
    else:
        await package_review.mark_package_sent(request_id, 1, actor=desk.specialist, now=T0)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", list(CHANGES))
async def test_a_printed_field_changed_after_a_step_makes_the_version_stale(
    desk: Desk, rulebook: deadlines.RuleBook, name: str, stage: str
) -> None:
    change, fields, action = CHANGES[name]
    before = await _at_stage(desk, stage)
    count = len(await _entries(desk))

    await change(desk, rulebook)

    version = await packages.get_version(desk.reg_request.id, 1, actor=ROOT)
    assert version.state is before.state
    assert version.request_digest == before.request_digest != ""
    assert version.stale_fields == fields
    draft = await packages.get_draft(desk.reg_request.id, actor=ROOT)
    assert version.is_stale(draft)
    assert describe_fields(fields) in version.stale_reason(draft)
    reg_request = await requests.get_request(desk.reg_request.id, actor=ROOT)
    assert reg_request.state is RequestState.DRAFTING
    entries = await _entries(desk)
    assert [e.action for e in entries[count:]] == [action]  # one entry: the change's own
    record = await store.changes_for(entries[-1].index)
    assert record is not None
    after = record.change()["after"]  # type: ignore[index, call-overload]
    assert after["package_stale"] == {"fields": list(fields), "versions": [1]}
    assert after["state"] == "drafting"
    with pytest.raises(RequestChangedSinceBuildError) as refused:
        await _next_step(desk, stage)
    assert "no longer matches the request" in str(refused.value)
    assert f"the request's {describe_fields(fields)} changed" in str(refused.value)
    assert len(await _entries(desk)) == count + 1
    rebuilt, created = await build(desk)
    assert (rebuilt.number, created, rebuilt.stale_fields) == (2, True, ())
    assert rebuilt.request_digest != version.request_digest


async def test_a_field_the_letter_does_not_print_leaves_the_approved_version_valid(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    await _at_stage(desk, "approved")
    await _patch(
        desk,
        rulebook,
        {"summary": "Narrowed to one account", "priority": "high", "tags": ["narrowed"]},
    )
    version = await packages.get_version(desk.reg_request.id, 1, actor=ROOT)
    assert version.stale_fields == ()
    assert (await requests.get_request(desk.reg_request.id, actor=ROOT)).state is (
        RequestState.APPROVED
    )
    record = await store.changes_for((await _entries(desk))[-1].index)
    assert record is not None
    assert "package_stale" not in record.change()["after"]  # type: ignore[index, operator]
    sent = await package_review.mark_package_sent(
        desk.reg_request.id, 1, actor=desk.specialist, now=T0
    )
    assert sent.state is PackageState.SENT


async def test_changing_a_field_back_does_not_revive_a_stale_version(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    await _at_stage(desk, "submitted")
    original = desk.reg_request.authority_reference
    await _patch(desk, rulebook, {"authority_reference": "ICO/2026/17"})
    await _patch(desk, rulebook, {"authority_reference": original})
    version = await packages.get_version(desk.reg_request.id, 1, actor=ROOT)
    assert version.stale_fields == ("authority_reference",)
    with pytest.raises(RequestChangedSinceBuildError):
        await approve(desk, version, desk.lawyer)
    rebuilt, _ = await build(desk)
    assert rebuilt.number == 2
    assert rebuilt.request_digest == version.request_digest  # the letter prints the same again
    submitted = await package_review.submit_package(
        desk.reg_request.id, 2, actor=desk.specialist, now=T0
    )
    assert (await approve(desk, submitted, desk.lawyer)).state is PackageState.APPROVED


async def test_a_request_changed_while_its_package_renders_is_not_inserted(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    await write(desk, "Our answer.")
    reg_request = await requests.get_request(desk.reg_request.id, actor=ROOT)
    draft = await packages.get_draft(reg_request.id, actor=ROOT)
    rendered = await content.render(
        reg_request, draft, number=1, locale="en", organisation=ORG, store=desk.blobs
    )
    await _patch(desk, rulebook, {"legal_basis": "UK GDPR Art 15"})  # while it rendered
    version = PackageVersion(
        id=reg_request.id,
        request_id=reg_request.id,
        number=1,
        sha256=rendered.sha256,
        size=len(rendered.pdf),
        locale="en",
        draft_revision=draft.revision,
        drafted_by=draft.updated_by,
        built_by="user:x",
        created_at=T0,
        state=PackageState.DRAFT,
        request_digest=rendered.printed.digest(),
    )
    with pytest.raises(RequestChangedWhileBuildingError) as refused:
        await packages._insert_built(version, rendered.printed, actor=desk.specialist, now=T0)
    assert refused.value.fields == ("legal_basis",)
    assert await packages.list_versions(reg_request.id, actor=ROOT) == []


async def test_a_version_built_before_digests_were_recorded_is_never_stale_on_that_account(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    version = await _at_stage(desk, "submitted")
    await PackageVersionTable.update({PackageVersionTable.request_digest: ""}).where(
        PackageVersionTable.id == version.id
    )  # as the migration left the versions built before it
    await _patch(desk, rulebook, {"authority_reference": "ICO/2026/17"})
    current = await packages.get_version(desk.reg_request.id, 1, actor=ROOT)
    assert current.stale_fields == ()
    assert (await requests.get_request(desk.reg_request.id, actor=ROOT)).state is (
        RequestState.IN_LEGAL_REVIEW
    )
    assert (await approve(desk, current, desk.lawyer)).state is PackageState.APPROVED


async def test_a_change_marks_every_built_version_and_names_them_in_its_entry(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    await write(desk, "First.")
    await build(desk)
    await write(desk, "Second.")
    await build(desk)
    await _patch(desk, rulebook, {"legal_basis": "UK GDPR Art 15"})
    versions = await packages.list_versions(desk.reg_request.id, actor=ROOT)
    assert [v.stale_fields for v in versions] == [("legal_basis",), ("legal_basis",)]
    record = await store.changes_for((await _entries(desk))[-1].index)
    assert record is not None
    after = record.change()["after"]  # type: ignore[index, call-overload]
    assert after["package_stale"] == {"fields": ["legal_basis"], "versions": [1, 2]}
    await _patch(desk, rulebook, {"authority_reference": "ICO/2026/17"})
    again = await packages.list_versions(desk.reg_request.id, actor=ROOT)
    assert [v.stale_fields for v in again] == [("legal_basis", "authority_reference")] * 2


def test_the_version_names_what_changed_in_a_sentence() -> None:
    some = uuid.UUID(int=7)
    version = PackageVersion(
        id=some,
        request_id=some,
        number=3,
        sha256="0" * 64,
        size=1,
        locale="en",
        draft_revision=2,
        drafted_by="user:a",
        built_by="user:a",
        created_at=T0,
        state=PackageState.DRAFT,
        request_digest="1" * 64,
        stale_fields=("authority_reference", "due_at"),
    )
    draft = replace(empty_draft(some), revision=3)
    assert version.stale_reason(draft) == (
        "the request's authority reference and due date changed after it was built; "
        "the response is at revision 3, it was built from revision 2"
    )
    assert replace(version, stale_fields=()).stale_reason(replace(draft, revision=2)) == ""


_SOME: Final[dict[object, object]] = {datetime: T0, date: T0.date(), uuid.UUID: uuid.UUID(int=9)}
_SOME[str] = "ENG"
_SOME[AuthorityDue] = AuthorityDue(due_at=T0, source="order 17")
_CHANGED: Final[tuple[tuple[type | types.UnionType, Callable[[Any], object]], ...]] = (
    (bool, operator.not_),
    (StrEnum, lambda v: next(m for m in type(v) if m != v)),
    (str, lambda v: f"{v} (changed)"),
    (datetime | date, lambda v: v + timedelta(days=1)),
    (int, lambda v: v + 1),
    (uuid.UUID, lambda _: uuid.uuid4()),
    (tuple, lambda v: (*v, "changed")),
    (dict, lambda v: {**v, "aware": T0}),
    (AuthorityDue, lambda v: replace(v, source=f"{v.source} (changed)")),
)


def _other_value(value: object, annotation: object, name: str) -> object:
    """A different value of the same type (the zone: another real zone)."""
    if name == "tz":
        return "Asia/Tokyo"
    if value is None:
        kind = next(a for a in typing.get_args(annotation) if a is not type(None))
        return (
            next(iter(kind))
            if isinstance(kind, type) and issubclass(kind, StrEnum)
            else _SOME[kind]
        )
    return next(change(value) for kind, change in _CHANGED if isinstance(value, kind))


def _variants(value: object) -> list[tuple[str, object]]:
    """``value`` (a request, its record or an authority) with each field changed in turn."""
    hints = typing.get_type_hints(type(value))
    out: list[tuple[str, object]] = []
    for f in fields(value):  # type: ignore[arg-type]
        current = getattr(value, f.name)
        if f.name == "record":
            out += [(f"record.{n}", replace(value, record=r)) for n, r in _variants(current)]  # type: ignore[type-var]
            continue
        changed = _other_value(current, hints[f.name], f.name)
        out.append((f.name, replace(value, **{f.name: changed})))  # type: ignore[type-var]
    return out


async def test_the_digest_changes_exactly_when_the_letter_does(
    desk: Desk, rulebook: deadlines.RuleBook
) -> None:
    await write(desk, "Our answer.")
    reg_request = await requests.get_request(desk.reg_request.id, actor=ROOT)
    authority = await request_queries.load_authority(reg_request.authority_id)
    draft = await packages.get_draft(reg_request.id, actor=ROOT)

    async def letter(reg: RegulatoryRequest, by: Authority) -> tuple[str, str]:
        shown = await content.package_content(
            reg, by, draft, number=1, locale="en", organisation=ORG, store=desk.blobs
        )
        return build_html(shown), printed_request(reg, by).digest()

    base = await letter(reg_request, authority)
    cases = [(n, v, authority) for n, v in _variants(reg_request)]
    cases += [(f"authority.{n}", reg_request, a) for n, a in _variants(authority)]
    shown_by = set()
    for name, reg, by in cases:
        html, digest = await letter(reg, by)  # type: ignore[arg-type]
        assert (html != base[0]) == (digest != base[1]), name
        if html != base[0]:
            shown_by.add(name)
    assert {"authority_reference", "received_at", "tz", "authority.name"} <= shown_by
    assert "summary" not in shown_by
