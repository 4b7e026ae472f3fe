"""The one place Docket reads the system clock; everything else is handed ``now``."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.shared.clock import Clock

__all__ = ["Clock", "SystemClock"]


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current instant, in UTC."""
        return datetime.now(UTC)
