"""The working calendar: weekdays, regional holidays, roll-forward and business days."""

from __future__ import annotations

from datetime import date

from jurisdictions import WorkingCalendar


def test_a_calendar_without_a_country_knows_only_weekends() -> None:
    calendar = WorkingCalendar(country=None)
    assert calendar.is_working_day(date(2025, 12, 25))
    assert not calendar.is_working_day(date(2025, 12, 27))
    assert calendar.holidays_in(2025) == {}


def test_regional_holidays_differ_by_subdivision() -> None:
    bavaria = WorkingCalendar(country="DE", subdivision="BY")
    berlin = WorkingCalendar(country="DE", subdivision="BE")
    corpus_christi = date(2026, 6, 4)
    assert not bavaria.is_working_day(corpus_christi)
    assert berlin.is_working_day(corpus_christi)
    assert bavaria.why_not_working(corpus_christi).startswith("public holiday (")


def test_holiday_tables_are_built_once_per_year() -> None:
    calendar = WorkingCalendar(country="GB", subdivision="SCT")
    first = calendar.holidays_in(2026)
    assert calendar.holidays_in(2026) is first
    assert calendar.holiday_name(date(2026, 11, 30)) == "Saint Andrew's Day"
    assert calendar.holiday_name(date(2026, 11, 27)) is None


def test_next_working_day_skips_a_bank_holiday_weekend() -> None:
    england = WorkingCalendar(country="GB", subdivision="ENG")
    assert england.next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)  # Good Friday
    assert england.next_working_day(date(2026, 4, 8)) == date(2026, 4, 8)


def test_business_days_and_working_days_between_agree() -> None:
    england = WorkingCalendar(country="GB", subdivision="ENG")
    end = england.add_business_days(date(2026, 4, 1), 5)
    assert end == date(2026, 4, 10)
    assert england.working_days_between(date(2026, 4, 2), end) == 5
    assert england.add_business_days(date(2026, 4, 1), 0) == date(2026, 4, 1)


def test_a_sunday_only_weekend_keeps_saturdays_working() -> None:
    singapore = WorkingCalendar(country="SG", non_working_weekdays=(6,))
    assert singapore.is_working_day(date(2026, 1, 31))
    assert not singapore.is_working_day(date(2026, 2, 1))
    assert "SG" in repr(singapore)
