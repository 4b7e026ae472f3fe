"""Benchmark: deadlines per second over a mix of rules, against a holidays-look-up baseline.

Run: .venv/bin/python bench/deadlines.py [count]

The baseline is measured in the same run: the same loop over the same requests doing only the
public-holiday look-ups that each computation needed, against `holidays` objects built up front.
The ratio says how much the whole computation (time zones, arithmetic, audit steps, the result
value) costs on top of those look-ups.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import holidays

from jurisdictions import Rule, WorkingCalendar, compute_deadline, load_rulebook

SEED = 20260126
ROUNDS = 7
MIX = [
    "GB/uk-gdpr.rights-request",
    "DE/gdpr.rights-request",
    "FR/gdpr.rights-request",
    "IE/gdpr.rights-request",
    "ES/gdpr.rights-request",
    "NL/gdpr.breach-notification",
    "US-CA/ccpa.request-to-know",
    "US-CA/ccpa.confirm-receipt",
    "US-CA/ccpa.opt-out",
    "US-TX/tdpsa.consumer-request",
    "US/sca-2703f.preservation",
    "US/subpoena",
    "BR/lgpd.access-complete",
    "SG/pdpa.access-request",
    "CA/pipeda.access-request",
    "AU/osa.removal-notice",
    "KR/pipa.access-request",
    "IN/it-rules.takedown-order",
]
Case = tuple[Rule, datetime, dict[str, datetime]]
Lookup = tuple[tuple[str, str | None], date]


def make_cases(count: int) -> list[Case]:
    """Return `count` requests over the mix, received at random instants in 2025-2027."""
    book = load_rulebook()
    rules = [book.rule(rule_id) for rule_id in MIX]
    rng = random.Random(SEED)
    start, span = datetime(2025, 1, 1, tzinfo=UTC), 3 * 365 * 24 * 3600
    cases: list[Case] = []
    for index in range(count):
        received_at = start + timedelta(seconds=rng.randrange(span))
        cases.append((rules[index % len(rules)], received_at, {"aware": received_at}))
    return cases


def record_lookups(cases: list[Case]) -> list[list[Lookup]]:
    """Run every case once, recording the holiday look-ups its days need.

    Working days are added by walking day by day, as the definition reads, so that the baseline
    stays the same when the engine finds the same day with fewer look-ups (it bisects a year's
    working days): the ratio measures the engine against the work the period implies.
    """
    current: list[Lookup] = []
    real_working: Callable[[WorkingCalendar, date], bool] = WorkingCalendar.is_working_day
    real_name: Callable[[WorkingCalendar, date], str | None] = WorkingCalendar.holiday_name

    def working(calendar: WorkingCalendar, day: date) -> bool:
        if calendar.country is not None and day.weekday() not in calendar.non_working_weekdays:
            current.append(((calendar.country, calendar.subdivision), day))
        return real_working(calendar, day)

    def name(calendar: WorkingCalendar, day: date) -> str | None:
        if calendar.country is not None:
            current.append(((calendar.country, calendar.subdivision), day))
        return real_name(calendar, day)

    def add_days(calendar: WorkingCalendar, day: date, count: int) -> date:
        while count > 0:
            day += timedelta(days=1)
            if calendar.is_working_day(day):
                count -= 1
        return day

    recorded: list[list[Lookup]] = []
    with (
        mock.patch.object(WorkingCalendar, "is_working_day", working),
        mock.patch.object(WorkingCalendar, "holiday_name", name),
        mock.patch.object(WorkingCalendar, "add_business_days", add_days),
    ):
        for rule, received_at, events in cases:
            current = []
            compute_deadline(rule, received_at, events=events)
            recorded.append(current)
    return recorded


def run_engine(cases: list[Case]) -> float:
    """Return the seconds taken to compute every case."""
    began = time.perf_counter()
    for rule, received_at, events in cases:
        compute_deadline(rule, received_at, events=events)
    return time.perf_counter() - began


def run_baseline(cases: list[Case], lookups: list[list[Lookup]]) -> float:
    """Return the seconds the same loop takes doing only its `holidays` look-ups."""
    keys = {key for case_lookups in lookups for key, _ in case_lookups}
    tables = {
        key: holidays.country_holidays(key[0], subdiv=key[1], years=range(2025, 2030))
        for key in keys
    }
    plan = [[(tables[key], day) for key, day in case_lookups] for case_lookups in lookups]
    found = 0
    began = time.perf_counter()
    for (_rule, _received_at, _events), case_plan in zip(cases, plan, strict=True):
        for table, day in case_plan:
            if day in table:
                found += 1
    elapsed = time.perf_counter() - began
    if found < 0:  # pragma: no cover - uses the result so no look-up can be optimised away
        raise RuntimeError(found)
    return elapsed


def main() -> None:
    """Print load time, deadlines per second, the baseline and their ratio."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    began = time.perf_counter()
    book = load_rulebook()
    load_ms = (time.perf_counter() - began) * 1000
    print(
        f"load_rulebook: {len(book)} rules, {len(book.jurisdictions())} jurisdictions, "
        f"{load_ms:.1f} ms"
    )
    cases = make_cases(count)
    lookups = record_lookups(cases)  # also warms every calendar's per-year tables
    per_case = sum(len(case_lookups) for case_lookups in lookups) / count
    # Engine and baseline alternate, and each round gives its own ratio: on a shared machine the
    # load changes between rounds, and a pair run back to back sees about the same load.
    rounds = [(run_engine(cases), run_baseline(cases, lookups)) for _ in range(ROUNDS)]
    engine = min(engine for engine, _ in rounds)
    baseline = min(baseline for _, baseline in rounds)
    ratio = statistics.median(engine / baseline for engine, baseline in rounds)
    rate, base_rate = count / engine, count / baseline
    print(f"rules in mix: {len(MIX)}; holiday look-ups per deadline: {per_case:.2f}")
    print(f"engine:   {rate:>12,.0f} deadlines/s  ({engine * 1e6 / count:.2f} us each, best round)")
    print(f"baseline: {base_rate:>12,.0f} loops/s      (holidays look-ups only, best round)")
    print(f"ratio:    {ratio:>12.2f} x  (engine time / baseline time, median of {ROUNDS} rounds)")


if __name__ == "__main__":
    main()
