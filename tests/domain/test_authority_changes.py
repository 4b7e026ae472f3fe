"""Correcting an authority, and merging a duplicate into another: one audit entry each."""

from __future__ import annotations

import uuid

import pytest

from audit import store
from domain import deadlines
from domain.requests import authority_changes, repo
from domain.requests.authorities import NewAuthority
from domain.requests.errors import AuthorityNotFoundError
from domain.requests.model import AuthorityType
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import actor_with
from tests.factories import given_authority, given_request

pytestmark = pytest.mark.usefixtures("db")


def fields(**changes: object) -> NewAuthority:
    values: dict[str, object] = {
        "name": "Ofcom",
        "country": "GB",
        "type": AuthorityType.REGULATOR,
        "contact": "",
        "verified": False,
        **changes,
    }
    return NewAuthority(**values)  # type: ignore[arg-type]


async def actions(subject_id: object) -> list[str]:
    found = await store.entries(subject=("authority", str(subject_id)), limit=10)
    return [e.action for e in found]


async def test_an_edit_changes_the_fields_and_records_before_and_after() -> None:
    ofcom = await given_authority("OFCOM ", "GB")
    specialist = await actor_with(Role.SPECIALIST)
    changed = await authority_changes.update_authority(
        ofcom.id,
        fields(country="gb", contact=" osa@ofcom.org.uk ", verified=True),
        actor=specialist,
        now=T0,
    )
    assert (changed.name, changed.country, changed.contact, changed.verified) == (
        "Ofcom",
        "GB",
        "osa@ofcom.org.uk",
        True,
    )
    assert await repo.get_authority(ofcom.id) == changed
    assert await actions(ofcom.id) == ["authority.created", "authority.updated"]
    entry = (await store.entries(subject=("authority", str(ofcom.id)), limit=10))[-1]
    record = await store.changes_for(entry.index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    assert change["before"]["name"] == "OFCOM"  # type: ignore[index,call-overload]
    assert change["after"]["verified"] is True  # type: ignore[index,call-overload]


async def test_an_unchanged_edit_writes_no_entry_and_bad_fields_are_named() -> None:
    ofcom = await given_authority("Ofcom", "GB")
    same = await authority_changes.update_authority(ofcom.id, fields(), actor=ROOT, now=T0)
    assert same == ofcom
    assert await actions(ofcom.id) == ["authority.created"]
    with pytest.raises(ValidationError) as bad:
        await authority_changes.update_authority(ofcom.id, fields(name="  "), actor=ROOT, now=T0)
    assert bad.value.field == "name"
    with pytest.raises(ValidationError) as bad:
        await authority_changes.update_authority(ofcom.id, fields(country="UK"), actor=ROOT, now=T0)
    assert bad.value.field == "country"
    assert await actions(ofcom.id) == ["authority.created"]


async def test_only_roles_that_write_authorities_may_edit_them() -> None:
    ofcom = await given_authority("Ofcom", "GB")
    for role in (Role.AUDITOR, Role.LEGAL):
        with pytest.raises(PermissionDeniedError):
            await authority_changes.update_authority(
                ofcom.id, fields(name="Ofcom UK"), actor=await actor_with(role), now=T0
            )
    with pytest.raises(AuthorityNotFoundError):
        await authority_changes.update_authority(uuid.uuid4(), fields(), actor=ROOT, now=T0)


async def test_a_merge_moves_the_requests_removes_the_duplicate_and_writes_one_entry(
    rulebook: deadlines.RuleBook,
) -> None:
    kept = await given_authority("Ofcom", "GB")
    duplicate = await given_authority("OFCOM", "GB")
    other = await given_authority("ICO", "GB")
    moved = [await given_request(rulebook, authority=duplicate) for _ in range(2)]
    stays = await given_request(rulebook, authority=other)
    admin = await actor_with(Role.ADMIN)
    plan = await authority_changes.plan_merge(duplicate.id, kept.id, actor=admin)
    assert plan.references == tuple(sorted(r.reference for r in moved))
    before = await store.size()
    merged = await authority_changes.merge_authorities(duplicate.id, kept.id, actor=admin, now=T0)
    assert merged.kept == kept
    assert merged.references == plan.references
    for reg_request in moved:
        now_at = await repo.get_request(reg_request.id)
        assert now_at.authority_id == kept.id
        assert now_at.version == reg_request.version + 1  # an edit form opened before is stale
    assert (await repo.get_request(stays.id)).authority_id == other.id
    with pytest.raises(AuthorityNotFoundError):
        await repo.get_authority(duplicate.id)
    assert await actions(duplicate.id) == ["authority.created", "authority.merged"]
    assert await actions(kept.id) == ["authority.created"]
    assert await store.size() == before + 1
    record = await store.changes_for(merged.entry_index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    after = change["after"]
    assert isinstance(after, dict)
    assert after["merged_into"] == str(kept.id)
    assert after["requests_moved"] == list(plan.references)


async def test_a_merge_into_itself_or_a_missing_authority_changes_nothing(
    rulebook: deadlines.RuleBook,
) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    await given_request(rulebook, authority=ofcom)
    with pytest.raises(ValidationError) as bad:
        await authority_changes.merge_authorities(ofcom.id, ofcom.id, actor=ROOT, now=T0)
    assert bad.value.field == "kept_id"
    with pytest.raises(AuthorityNotFoundError):
        await authority_changes.merge_authorities(ofcom.id, uuid.uuid4(), actor=ROOT, now=T0)
    assert await repo.get_authority(ofcom.id) == ofcom
    assert await actions(ofcom.id) == ["authority.created"]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEGAL, Role.AUDITOR], ids=str)
async def test_only_admins_merge_authorities(role: Role) -> None:
    kept = await given_authority("Ofcom", "GB")
    duplicate = await given_authority("OFCOM", "GB")
    actor = await actor_with(role)
    with pytest.raises(PermissionDeniedError):
        await authority_changes.plan_merge(duplicate.id, kept.id, actor=actor)
    with pytest.raises(PermissionDeniedError):
        await authority_changes.merge_authorities(duplicate.id, kept.id, actor=actor, now=T0)
    assert await repo.get_authority(duplicate.id) == duplicate
