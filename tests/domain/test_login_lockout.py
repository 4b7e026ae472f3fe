"""Logins checked concurrently: counted before the hash, hashed off the event loop, bounded."""

from __future__ import annotations

import asyncio

from domain.identity import auth
from domain.identity.auth import AuthPolicy
from domain.identity.errors import InvalidCredentialsError, LoginLockedError
from domain.identity.passwords import PasswordChecks, hash_password
from domain.shared.model import Role
from tests.conftest import PASSWORD, SECRET, T0, make_user


def policy(*, max_failures: int = 3, concurrency: int = 2) -> AuthPolicy:
    return AuthPolicy(
        secret_key=SECRET,
        access_token_ttl=60,
        max_failures=max_failures,
        lockout_seconds=300,
        password_checks=PasswordChecks(concurrency),
    )


async def attempt(email: str, password: str, rules: AuthPolicy, address: str) -> str:
    try:
        await auth.check_credentials(email, password, client_address=address, policy=rules, now=T0)
    except InvalidCredentialsError:
        return "checked"
    except LoginLockedError:
        return "refused"
    return "signed in"


async def test_guesses_sent_at_once_are_checked_no_more_often_than_the_limit(db) -> None:
    user = await make_user(Role.LEGAL)
    rules = policy(max_failures=5)
    outcomes = await asyncio.gather(
        *(attempt(user.email, f"guess-{i}", rules, "192.0.2.1") for i in range(30))
    )
    assert outcomes.count("checked") == 5, outcomes
    assert outcomes.count("refused") == 25, outcomes
    # the account stays locked for the right password as well, from any address
    assert await attempt(user.email, PASSWORD, rules, "192.0.2.2") == "refused"


async def test_the_event_loop_runs_other_work_while_a_password_is_hashed() -> None:
    checks = PasswordChecks(1)
    stored = hash_password(PASSWORD)
    ticks = 0
    hashing = True

    async def tick() -> None:
        nonlocal ticks
        while hashing:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    assert await checks.verify(stored, PASSWORD)
    assert not await checks.verify(stored, "not-the-password")
    hashing = False
    await ticker
    # on the event loop, a hash would run to its end before the ticker ran even once
    assert ticks > 0


async def test_no_more_password_checks_run_at_once_than_the_bound(db) -> None:
    users = [await make_user(Role.SPECIALIST) for _ in range(4)]
    rules = policy(concurrency=1)
    limiter = rules.password_checks._limiter
    peak, waiting = 0, 0
    running = True

    async def watch() -> None:
        nonlocal peak, waiting
        while running:
            stats = limiter.statistics()
            peak = max(peak, stats.borrowed_tokens)
            waiting = max(waiting, stats.tasks_waiting)
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    outcomes = await asyncio.gather(
        *(attempt(u.email, PASSWORD, rules, f"192.0.2.{i}") for i, u in enumerate(users))
    )
    running = False
    await watcher
    assert outcomes == ["signed in"] * 4
    assert peak == 1  # one at a time, and in a worker thread (a token was borrowed)
    assert waiting >= 1  # the others waited for it
