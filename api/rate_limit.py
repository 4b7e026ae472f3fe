"""A per-key rate limit (a token bucket per key), kept in this process's memory.

Used for the calendar feed, which calendar clients fetch on their own schedule and which needs
no login: each feed token may be fetched ``per_minute`` times in a burst, then once every
``60 / per_minute`` seconds. The count is per process: with several API processes behind a
load balancer a token may be fetched up to that many times more often. That is enough to stop a
misbehaving client hammering one URL, which is what the limit is for; a shared count would
cost a database write on every fetch.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Final

_MINUTE: Final = 60.0
MAX_KEYS: Final = 10_000
"""Buckets kept at most; full ones (idle for a minute or more) go first."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: datetime


class RateLimiter:
    """At most ``per_minute`` requests per key in any minute-long burst; then a steady trickle."""

    def __init__(self, per_minute: int, *, max_keys: int = MAX_KEYS) -> None:
        """Allow ``per_minute`` requests a minute per key (``per_minute`` > 0)."""
        if per_minute <= 0:
            raise ValueError(f"per_minute must be positive, got {per_minute}")
        self.capacity = float(per_minute)
        self.rate = per_minute / _MINUTE  # tokens per second
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def retry_after(self, key: str, now: datetime) -> int | None:
        """Count a request for ``key`` at ``now``: None if allowed, else whole seconds to wait.

        A refused request is not counted, so a client that waits as told gets through.
        """
        name = hashlib.sha256(key.encode()).hexdigest()  # no secret kept in memory
        bucket = self._buckets.get(name)
        if bucket is None:
            self._make_room(now)
            bucket = self._buckets[name] = _Bucket(tokens=self.capacity, at=now)
        elapsed = max((now - bucket.at).total_seconds(), 0.0)
        bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate))

    def _make_room(self, now: datetime) -> None:
        if len(self._buckets) < self.max_keys:
            return
        full = [k for k, b in self._buckets.items() if (now - b.at).total_seconds() >= _MINUTE]
        for name in full:
            del self._buckets[name]
        if len(self._buckets) >= self.max_keys:  # all busy: forget the longest idle
            del self._buckets[min(self._buckets, key=lambda k: self._buckets[k].at)]
