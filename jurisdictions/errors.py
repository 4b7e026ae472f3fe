"""Errors raised by the deadline engine; each carries its evidence and builds its own message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path


class JurisdictionError(Exception):
    """Base of every error raised by `jurisdictions`."""


# ---------------------------------------------------------------- rule packs


class RulePackError(JurisdictionError):
    """A rule pack file is missing a field, has a field of the wrong kind, or an unknown value."""

    def __init__(self, file: Path | str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = str(file), field, problem
        super().__init__(f"{self.file}: field {field!r}: {problem}")


class RuleNotFoundError(JurisdictionError):
    """No rule has the requested id."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        super().__init__(f"deadline rule {rule_id} does not exist")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and the id asked for."""
        return {"kind": "deadline rule", "id": self.rule_id}


class NotATargetError(JurisdictionError, ValueError):
    """A setting tried to change a rule's period that the law sets, not the organisation."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        super().__init__(
            f"rule {rule_id} has a period set by law; only a rule's organisation target can be set"
        )


class JurisdictionNotFoundError(JurisdictionError):
    """No rule pack has the requested jurisdiction code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"jurisdiction {code} does not exist")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and the code asked for."""
        return {"kind": "jurisdiction", "id": self.code}


# ---------------------------------------------------------------- computation inputs


class NaiveDatetimeError(JurisdictionError, ValueError):
    """A datetime passed to the engine has no time zone."""

    def __init__(self, name: str, value: datetime) -> None:
        self.name, self.value = name, value
        super().__init__(f"{name} must be timezone-aware, got naive {value.isoformat()}")


class UnknownTimeZoneError(JurisdictionError, ValueError):
    """The IANA time zone name is not known to zoneinfo."""

    def __init__(self, tz: str) -> None:
        self.tz = tz
        super().__init__(f"unknown IANA time zone {tz!r}")


class UnknownSubdivisionError(JurisdictionError, ValueError):
    """The subdivision is not one the holidays library knows for the country."""

    def __init__(self, country: str | None, subdivision: str, known: Sequence[str]) -> None:
        self.country, self.subdivision, self.known = country, subdivision, tuple(known)
        listed = ", ".join(self.known) or "none"
        super().__init__(
            f"unknown subdivision {subdivision!r} for country {country!r} (known: {listed})"
        )


class MissingEventError(JurisdictionError, ValueError):
    """The rule's clock starts on an event that was not supplied."""

    def __init__(self, rule_id: str, event: str) -> None:
        self.rule_id, self.event = rule_id, event
        super().__init__(f"rule {rule_id} starts its clock on event {event!r}, which is missing")


class ClockStopNotAllowedError(JurisdictionError, ValueError):
    """Pauses were supplied for a rule whose clock may not stop."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id
        super().__init__(f"the clock of rule {rule_id} may not be paused")


class InvalidPauseError(JurisdictionError, ValueError):
    """A pause ends before it starts, or overlaps another pause."""

    def __init__(self, start: datetime, end: datetime | None, reason: str) -> None:
        self.start, self.end, self.reason = start, end, reason
        until = end.isoformat() if end is not None else "open"
        super().__init__(f"invalid pause {start.isoformat()} .. {until}: {reason}")
