"""The validators of the calendar feeds this process last served, so that a 304 builds nothing.

A feed is remembered with the version of the data it was built from
(``calendar.feed_version``: read from the database on every fetch, two small queries). While
that version holds, a client's ``If-None-Match`` or ``If-Modified-Since`` is checked against
the remembered ``ETag`` and ``Last-Modified`` and the events are not built again. Memory only
makes it faster: a new process, or another one behind the same load balancer, builds the feed
once and remembers it too; the version comes from the database, so no process answers from
stale data.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final

MAX_FEEDS: Final = 10_000


@dataclass(frozen=True, slots=True)
class Validators:
    """What a served feed is revalidated with."""

    version: tuple[object, ...]
    etag: str
    last_modified: datetime | None


class FeedValidators:
    """The last validators served per feed token, at most ``max_feeds`` of them."""

    def __init__(self, max_feeds: int = MAX_FEEDS) -> None:
        """Remember nothing yet."""
        self.max_feeds = max_feeds
        self._known: dict[str, Validators] = {}

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()  # no secret kept in memory

    def current(self, token: str, version: tuple[object, ...]) -> Validators | None:
        """The validators served for ``token``, if its data is still at ``version``."""
        known = self._known.get(self._key(token))
        return known if known is not None and known.version == version else None

    def remember(self, token: str, validators: Validators) -> None:
        """Keep ``validators`` for ``token``, forgetting the oldest feed when full."""
        key = self._key(token)
        self._known.pop(key, None)
        if len(self._known) >= self.max_feeds:
            del self._known[next(iter(self._known))]
        self._known[key] = validators
