"""The per-key token bucket behind the calendar feed's limit (no HTTP: its memory bound)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.rate_limit import RateLimiter
from tests.conftest import T0


def test_a_burst_then_a_steady_trickle_per_key() -> None:
    limiter = RateLimiter(2)
    assert [limiter.retry_after("a", T0) for _ in range(3)] == [None, None, 30]
    assert limiter.retry_after("b", T0) is None
    assert limiter.retry_after("a", T0 + timedelta(seconds=30)) is None


def test_memory_is_bounded_and_idle_keys_go_first() -> None:
    limiter = RateLimiter(1, max_keys=3)
    for key in ("a", "b", "c"):
        limiter.retry_after(key, T0)
    later = T0 + timedelta(minutes=1)
    limiter.retry_after("c", later)  # still busy
    limiter.retry_after("d", later)  # a and b were idle a minute: forgotten
    assert len(limiter._buckets) == 2
    limiter.retry_after("e", later)
    limiter.retry_after("f", later)  # all busy: the longest idle goes
    assert len(limiter._buckets) == 3
    assert limiter.retry_after("f", later) == 60  # f itself is still counted


def test_a_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
