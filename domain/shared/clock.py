"""The one ``Clock`` port: the edges inject it; pure code is handed ``now`` instead."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant."""
        ...
