"""Working-day calendars: non-working weekdays plus public holidays from the `holidays` library."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

_ONE_DAY = timedelta(days=1)
_LANGUAGE = "en_US"  # holiday names in steps are read by auditors; English where the lib has it


class WorkingCalendar:
    """Which days are working days for one (country, subdivision, non-working weekdays).

    The `holidays` library is slow to construct, so each year's holidays are built once and kept
    in this instance as a plain `{date: name}` table, beside the set of every day of that year
    that is not a working day (weekends and holidays), so that a working-day test is one set
    look-up. A calendar is a memo, not shared state: it never reads the clock and answers the
    same question the same way every time.
    """

    __slots__ = (
        "_by_year",
        "_closed_by_year",
        "_open_by_year",
        "_weekend",
        "country",
        "non_working_weekdays",
        "subdivision",
    )

    def __init__(
        self,
        *,
        country: str | None,
        subdivision: str | None = None,
        non_working_weekdays: Iterable[int] = (5, 6),
    ) -> None:
        """Build a calendar; `country` None means weekdays only, no public holidays."""
        self.country = country
        self.subdivision = subdivision
        self.non_working_weekdays = frozenset(non_working_weekdays)
        self._weekend = self.non_working_weekdays
        self._by_year: dict[int, dict[date, str]] = {}
        self._closed_by_year: dict[int, frozenset[date]] = {}
        self._open_by_year: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(country={self.country!r}, subdivision={self.subdivision!r}, "
            f"non_working_weekdays={sorted(self.non_working_weekdays)!r})"
        )

    def holidays_in(self, year: int) -> dict[date, str]:
        """Return the public holidays of `year` as `{date: name}` (built once per year)."""
        try:
            return self._by_year[year]
        except KeyError:
            table = self._build_year(year)
            self._by_year[year] = table
            return table

    def _build_year(self, year: int) -> dict[date, str]:
        if self.country is None:
            return {}
        probe = holidays.country_holidays(self.country)
        language = _LANGUAGE if _LANGUAGE in probe.supported_languages else None
        found = holidays.country_holidays(
            self.country, subdiv=self.subdivision, years=year, language=language
        )
        return {day: str(name) for day, name in found.items() if day.year == year}

    def holiday_name(self, day: date) -> str | None:
        """Return the name of the public holiday on `day`, or None."""
        try:
            table = self._by_year[day.year]
        except KeyError:
            table = self.holidays_in(day.year)
        return table.get(day)

    def is_working_day(self, day: date) -> bool:
        """Return True unless `day` is a non-working weekday or a public holiday."""
        try:
            closed = self._closed_by_year[day.year]
        except KeyError:
            closed = self._closed_days(day.year)
        return day not in closed

    def _closed_days(self, year: int) -> frozenset[date]:
        """Return (and keep) the non-working days of `year`: its weekend days and holidays."""
        try:
            return self._closed_by_year[year]
        except KeyError:
            pass
        first = date(year, 1, 1)
        length = (date(year + 1, 1, 1) - first).days
        days = (first + timedelta(days=offset) for offset in range(length))
        weekend = {day for day in days if day.weekday() in self._weekend}
        closed = frozenset(weekend.union(self.holidays_in(year)))
        self._closed_by_year[year] = closed
        return closed

    def next_working_day(self, day: date) -> date:
        """Return `day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """Return the `count`-th working day after `day` (`day` itself not counted).

        Requires count >= 0; for 0 the answer is `day`. Counted on each year's sorted working-day
        ordinals, so a period of 15 working days is a bisection, not 21 single-day steps.
        """
        if count <= 0:
            return day
        year, ordinal = day.year, day.toordinal()
        while True:
            working = self._working_ordinals(year)
            passed = bisect_right(working, ordinal)
            if passed + count <= len(working):
                return date.fromordinal(working[passed + count - 1])
            count -= len(working) - passed
            year += 1

    def _working_ordinals(self, year: int) -> list[int]:
        """Return (and keep) the ordinals of the working days of `year`, in order."""
        try:
            return self._open_by_year[year]
        except KeyError:
            pass
        closed = {day.toordinal() for day in self._closed_days(year)}
        first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        working = [ordinal for ordinal in range(first, last + 1) if ordinal not in closed]
        self._open_by_year[year] = working
        return working

    def working_days_between(self, first: date, last: date) -> int:
        """Return how many working days lie in `first` .. `last`, both included."""
        count, day = 0, first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count

    def why_not_working(self, day: date) -> str:
        """Describe why `day` is not a working day, for audit steps."""
        name = self.holiday_name(day)
        if name is not None:
            return f"public holiday ({name})"
        return f"a {_WEEKDAY_NAMES[day.weekday()]}"


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
