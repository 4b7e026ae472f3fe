"""Docket's deadline engine: rule packs as cited data, calendars, and pure deadline arithmetic.

Pure: imports only the standard library and `holidays`, reads no clock; time is passed in.
"""

from __future__ import annotations

from jurisdictions.calendar import WorkingCalendar
from jurisdictions.deadline import compute_deadline, resolve_zone
from jurisdictions.errors import (
    ClockStopNotAllowedError,
    InvalidPauseError,
    JurisdictionError,
    JurisdictionNotFoundError,
    MissingEventError,
    NaiveDatetimeError,
    RuleNotFoundError,
    RulePackError,
    UnknownSubdivisionError,
    UnknownTimeZoneError,
)
from jurisdictions.model import RECEIVED, SPECIFIED_DUE, Jurisdiction, PeriodUnit, Rule
from jurisdictions.result import Deadline, Step
from jurisdictions.rulebook import RuleBook, load_rulebook

__all__ = [
    "RECEIVED",
    "SPECIFIED_DUE",
    "ClockStopNotAllowedError",
    "Deadline",
    "InvalidPauseError",
    "Jurisdiction",
    "JurisdictionError",
    "JurisdictionNotFoundError",
    "MissingEventError",
    "NaiveDatetimeError",
    "PeriodUnit",
    "Rule",
    "RuleBook",
    "RuleNotFoundError",
    "RulePackError",
    "Step",
    "UnknownSubdivisionError",
    "UnknownTimeZoneError",
    "WorkingCalendar",
    "compute_deadline",
    "load_rulebook",
    "resolve_zone",
]
