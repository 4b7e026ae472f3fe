"""User and token services on the real database."""

from __future__ import annotations

import asyncio

import pytest

from domain.identity import repo, tokens, users
from domain.identity.errors import DuplicateEmailError, SelfLockoutError
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import ROOT, T0, make_user


async def test_concurrent_creates_of_one_email_make_one_user(db: str) -> None:
    new = users.NewUser(
        email="same@docket.example",
        display_name="",
        role=Role.LEGAL,
        password="a-long-enough-password",
    )
    results = await asyncio.gather(
        *(users.create_user(new, actor=ROOT, now=T0, password_min_length=12) for _ in range(4)),
        return_exceptions=True,
    )
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, DuplicateEmailError) for r in results if isinstance(r, BaseException))
    assert await repo.count_users() == 1


async def test_only_admins_manage_users_and_tokens_even_outside_the_api(db: str) -> None:
    legal = Actor(kind=ActorKind.USER, id=None, role=Role.LEGAL, name="legal")
    new = users.NewUser(
        email="x@docket.example",
        display_name="",
        role=Role.LEGAL,
        password="a-long-enough-password",
    )
    with pytest.raises(PermissionDeniedError):
        await users.create_user(new, actor=legal, now=T0, password_min_length=12)
    with pytest.raises(PermissionDeniedError):
        await tokens.create_token(name="x", role=Role.SYSTEM, expires_in=None, actor=legal, now=T0)
    assert await repo.count_users() == 0
    assert await repo.list_tokens() == []


async def test_an_admin_cannot_disable_themselves(db: str) -> None:
    admin = await make_user(Role.ADMIN)
    with pytest.raises(SelfLockoutError):
        await users.disable_user(admin.id, actor=admin.as_actor(), now=T0)
    assert (await repo.get_user(admin.id)).is_active


async def test_a_password_over_the_limit_is_refused(db: str) -> None:
    new = users.NewUser(
        email="x@docket.example", display_name="", role=Role.LEGAL, password="p" * 1025
    )
    with pytest.raises(ValidationError, match="at most 1024"):
        await users.create_user(new, actor=ROOT, now=T0, password_min_length=12)


async def test_demo_users_are_seeded_once(db: str) -> None:
    first = await users.seed_demo_users(actor=ROOT, now=T0)
    assert sorted(u.role.value for u in first) == ["admin", "auditor", "legal", "specialist"]
    assert await users.seed_demo_users(actor=ROOT, now=T0) == []
    assert await repo.count_users() == 4
