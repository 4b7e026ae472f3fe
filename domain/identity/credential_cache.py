"""What stands behind a credential (API token, login, session), remembered for a few seconds.

Every authenticated request looked its credential up in the database, at least one query before
any work. Here the row found is kept for ``CACHE_SECONDS``; what it allows is still decided on
every request against the current time (expiry, revocation, disabled user), so only a change
made in the database stays unseen, and for at most that long.

Changes made by this process are seen at once: every service that revokes a token or a session,
disables a user or changes what a session shows runs in ``credential_change()``, which forgets
everything before its transaction and again after it. A lookup that started before either
point is not kept, so a lookup that raced the change cannot bring the old row back.
Changes made by another process (a second API process, the CLI) are seen within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Final, Generic, TypeVar

from domain.shared.database import write_transaction

CACHE_SECONDS: Final = 5.0
"""How long another process's revocation can go unseen here (see docs/architecture.md)."""

MAX_ENTRIES: Final = 4096

V = TypeVar("V")


class CredentialCache(Generic[V]):
    """Rows found for credentials, by key (a secret's digest, a user id), for a few seconds."""

    def __init__(self, *, seconds: float = CACHE_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        """Keep at most ``max_entries`` for ``seconds`` each (least recently used go first)."""
        self._seconds = seconds
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        _CLEARS.append(self.clear)

    def get(self, key: str) -> V | None:
        """The row kept for ``key``, if it is fresh."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        if time.monotonic() - stored_at > self._seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: V, *, looked_up_in: int) -> None:
        """Keep ``value``, unless a change began after the lookup began (``looked_up_in``)."""
        if looked_up_in != _generation[0]:
            return
        self._entries[key] = (time.monotonic(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every row."""
        self._entries.clear()


_CLEARS: list[Callable[[], None]] = []
_generation = [0]


def generation() -> int:
    """Take before a lookup; pass to ``put`` after it."""
    return _generation[0]


def forget_credentials() -> None:
    """Forget every credential's row, in every cache, and any lookup now under way."""
    _generation[0] += 1
    for clear in _CLEARS:
        clear()


@asynccontextmanager
async def credential_change() -> AsyncIterator[None]:
    """A write transaction that changes who a credential stands for, seen at once here."""
    forget_credentials()
    try:
        async with write_transaction():
            yield
    finally:
        forget_credentials()
