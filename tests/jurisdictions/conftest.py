from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jurisdictions import Deadline, RuleBook, compute_deadline, load_rulebook


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rulebook()


@pytest.fixture(scope="session")
def due(book: RuleBook):
    """Compute a deadline for a rule id, receipt given as local wall time in `at_tz`."""

    def compute(rule_id: str, received: str, at_tz: str | None = None, **kwargs) -> Deadline:
        rule = book.rule(rule_id)
        zone = ZoneInfo(at_tz or kwargs.get("tz") or rule.default_tz)
        when = datetime.fromisoformat(received).replace(tzinfo=zone)
        return compute_deadline(rule, when, **kwargs)

    return compute
