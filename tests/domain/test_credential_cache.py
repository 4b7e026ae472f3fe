"""What stands behind a credential is kept a few seconds, yet changes made here count at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.identity import auth, sessions, tokens, users
from domain.identity.auth import AuthPolicy
from domain.identity.credential_cache import CredentialCache, forget_credentials, generation
from domain.identity.errors import InvalidAccessTokenError, InvalidSessionError
from domain.identity.password_reset import reset_password
from domain.identity.tables import ApiTokenTable
from domain.shared.model import Role
from tests.conftest import PASSWORD, ROOT, SECRET, T0, make_user

ADDRESS = "192.0.2.1"
HOUR = timedelta(hours=1)
POLICY = AuthPolicy(secret_key=SECRET, access_token_ttl=3600, max_failures=5, lockout_seconds=60)


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    forget_credentials()


async def test_a_revoked_api_token_is_refused_at_once_though_it_was_just_used(db) -> None:
    issued = await tokens.create_token(
        name="pipeline", role=Role.SYSTEM, expires_in=None, actor=ROOT, now=T0
    )
    assert (await auth.authenticate(issued.secret, policy=POLICY, now=T0)).role is Role.SYSTEM
    await tokens.revoke_token(issued.token.id, actor=ROOT, now=T0)
    with pytest.raises(InvalidAccessTokenError, match="revoked"):
        await auth.authenticate(issued.secret, policy=POLICY, now=T0)


async def test_a_disabled_users_login_token_and_session_are_refused_at_once(db) -> None:
    user = await make_user(Role.SPECIALIST)
    access = await auth.login(user.email, PASSWORD, client_address=ADDRESS, policy=POLICY, now=T0)
    signed_in = await sessions.sign_in(
        user.email, PASSWORD, client_address=ADDRESS, policy=POLICY, lifetime=HOUR, now=T0
    )
    assert (await auth.authenticate(access.value, policy=POLICY, now=T0)).id == user.id
    assert (await sessions.authenticate_session(signed_in.secret, now=T0)).user.id == user.id
    await users.disable_user(user.id, actor=ROOT, now=T0)
    with pytest.raises(InvalidAccessTokenError, match="disabled"):
        await auth.authenticate(access.value, policy=POLICY, now=T0)
    with pytest.raises(InvalidSessionError, match="disabled"):
        await sessions.authenticate_session(signed_in.secret, now=T0)


async def test_a_session_ends_at_once_on_sign_out_and_on_a_password_reset(db) -> None:
    user = await make_user(Role.LEGAL)
    first = await sessions.sign_in(
        user.email, PASSWORD, client_address=ADDRESS, policy=POLICY, lifetime=HOUR, now=T0
    )
    second = await sessions.sign_in(
        user.email, PASSWORD, client_address=ADDRESS, policy=POLICY, lifetime=HOUR, now=T0
    )
    for signed_in in (first, second):
        await sessions.authenticate_session(signed_in.secret, now=T0)
    await sessions.sign_out(first.secret, now=T0)
    with pytest.raises(InvalidSessionError):
        await sessions.authenticate_session(first.secret, now=T0)
    await sessions.authenticate_session(second.secret, now=T0)
    await reset_password(
        user.id, "another-long-password", actor=ROOT, now=T0, password_min_length=12
    )
    with pytest.raises(InvalidSessionError):
        await sessions.authenticate_session(second.secret, now=T0)


async def test_a_sessions_user_shows_a_new_time_zone_at_once(db) -> None:
    user = await make_user(Role.SPECIALIST)
    signed_in = await sessions.sign_in(
        user.email, PASSWORD, client_address=ADDRESS, policy=POLICY, lifetime=HOUR, now=T0
    )
    before = await sessions.authenticate_session(signed_in.secret, now=T0)
    await sessions.set_time_zone("Asia/Tokyo", actor=before.actor, now=T0)
    after = await sessions.authenticate_session(signed_in.secret, now=T0)
    assert after.user.time_zone == "Asia/Tokyo"


async def test_a_change_made_by_another_process_is_seen_once_the_rows_are_forgotten(db) -> None:
    # what the docs state: another process's revocation goes unseen for up to CACHE_SECONDS
    issued = await tokens.create_token(
        name="pipeline", role=Role.SYSTEM, expires_in=None, actor=ROOT, now=T0
    )
    await auth.authenticate(issued.secret, policy=POLICY, now=T0)
    await ApiTokenTable.update({ApiTokenTable.revoked_at: T0}).where(
        ApiTokenTable.id == issued.token.id
    )
    await auth.authenticate(issued.secret, policy=POLICY, now=T0)  # still the kept row
    forget_credentials()  # what CACHE_SECONDS of time does
    with pytest.raises(InvalidAccessTokenError, match="revoked"):
        await auth.authenticate(issued.secret, policy=POLICY, now=T0)


def test_a_lookup_that_began_before_a_change_is_not_kept() -> None:
    cache: CredentialCache[str] = CredentialCache()
    began = generation()
    forget_credentials()  # a revocation starts (or commits) while the lookup runs
    cache.put("key", "the row before the change", looked_up_in=began)
    assert cache.get("key") is None
    cache.put("key", "the row after it", looked_up_in=generation())
    assert cache.get("key") == "the row after it"


def test_rows_expire_and_the_least_recently_used_go_first() -> None:
    expired: CredentialCache[str] = CredentialCache(seconds=0.0)
    expired.put("a", "row", looked_up_in=generation())
    assert expired.get("a") is None
    small: CredentialCache[str] = CredentialCache(max_entries=2)
    for key in ("a", "b"):
        small.put(key, key, looked_up_in=generation())
    assert small.get("a") == "a"  # used: "b" is now the oldest
    small.put("c", "c", looked_up_in=generation())
    assert (small.get("a"), small.get("b"), small.get("c")) == ("a", None, "c")
