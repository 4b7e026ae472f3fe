"""Typed, path-aware reads from a parsed TOML table, failing with the file and field named."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from jurisdictions.errors import RulePackError

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class Fields:
    """One TOML table of a rule pack, read field by field; every failure names file and field."""

    __slots__ = ("data", "file", "path")

    def __init__(self, data: Mapping[str, object], file: Path, path: str) -> None:
        """Wrap `data`, found at dotted `path` in `file`."""
        self.data, self.file, self.path = data, file, path

    def name(self, key: str) -> str:
        """Return the dotted name of `key` in this table."""
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> RulePackError:
        """Return the error for `key`, to be raised by the caller."""
        return RulePackError(self.file, self.name(key), problem)

    def only(self, allowed: Collection[str]) -> None:
        """Reject keys outside `allowed`, so that a misspelt field is not silently ignored."""
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"unknown field; expected one of {sorted(allowed)}")

    def _get(self, key: str, kind: type[T], kind_name: str, *, required: bool) -> T | None:
        if key not in self.data:
            if required:
                raise self.fail(key, "missing")
            return None
        value = self.data[key]
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        raise self.fail(key, f"must be {kind_name}, got {type(value).__name__}")

    def text(self, key: str) -> str:
        """Return a required, non-blank string."""
        value = self._get(key, str, "a string", required=True)
        if value is None or not value.strip():
            raise self.fail(key, "must not be blank")
        return value

    def optional_text(self, key: str) -> str | None:
        """Return a string, or None when absent or empty."""
        value = self._get(key, str, "a string", required=False)
        return value if isinstance(value, str) and value else None

    def integer(self, key: str, *, minimum: int = 0) -> int:
        """Return a required integer no smaller than `minimum`."""
        value = self._get(key, int, "an integer", required=True)
        if value is None or value < minimum:
            raise self.fail(key, f"must be >= {minimum}, got {value}")
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        """Return a TOML local date (`2026-02-20`, unquoted), or None when absent."""
        value = self._get(key, date, "a date such as 2026-02-20 (unquoted)", required=required)
        if isinstance(value, datetime):  # a datetime is a date to Python, not to a rule pack
            raise self.fail(key, "must be a date such as 2026-02-20, without a time")
        return value

    def flag(self, key: str, default: bool) -> bool:
        """Return a boolean, or `default` when absent."""
        value = self._get(key, bool, "true or false", required=False)
        return default if value is None else bool(value)

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        """Return a list of strings as a tuple (empty when absent and not required)."""
        value = self._get(key, list, "a list of strings", required=required)
        if value is None:
            return ()
        if not all(isinstance(item, str) and item for item in value):
            raise self.fail(key, "must be a list of non-empty strings")
        if required and not value:
            raise self.fail(key, "must not be empty")
        return tuple(value)

    def choice(self, key: str, enum: type[E], default: E | None = None) -> E:
        """Return the member of `enum` named by the string at `key`."""
        value = self._get(key, str, "a string", required=default is None)
        if value is None:
            if default is None:  # pragma: no cover - _get raised already
                raise self.fail(key, "missing")
            return default
        try:
            return enum(value)
        except ValueError:
            raise self.fail(key, f"{value!r} is not one of {[m.value for m in enum]}") from None

    def table(self, key: str, *, required: bool = True) -> Fields | None:
        """Return the sub-table at `key` (None if absent and not required)."""
        value: dict[str, object] | None = self._get(key, dict, "a table", required=required)
        if value is None:
            return None
        return Fields(value, self.file, self.name(key))
