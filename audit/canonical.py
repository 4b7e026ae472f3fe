"""RFC 8785 JSON Canonicalization Scheme (JCS): serialize, and parse only canonical bytes."""

from __future__ import annotations

import json
from typing import TypeAlias

import rfc8785

from audit.errors import AuditError

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
"""A value that RFC 8785 can serialize."""


class NonCanonicalJsonError(AuditError, ValueError):
    """Bytes or a value that have no RFC 8785 canonical form, or are not in it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not canonical JSON (RFC 8785): {reason}")


def canonical_json(value: JsonValue) -> bytes:
    """Return the RFC 8785 serialization of `value` (UTF-8, sorted keys, no whitespace).

    Raises:
        NonCanonicalJsonError: for values outside the I-JSON domain (RFC 8785 §3.2.2.3:
            integers beyond 2^53, NaN, lone surrogates).
    """
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise NonCanonicalJsonError(str(exc)) from exc


def _reject_duplicates(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # RFC 8785 §3.1: I-JSON forbids duplicate names (RFC 7493 §2.3)
        raise NonCanonicalJsonError("duplicate object member name")
    return obj


def _reject_constant(name: str) -> JsonValue:
    raise NonCanonicalJsonError(f"{name} is not JSON")


def parse_canonical(data: bytes) -> JsonValue:
    """Parse `data`, accepting it only if it is exactly its own RFC 8785 serialization.

    Raises:
        NonCanonicalJsonError: for invalid UTF-8, invalid JSON, duplicate names, or any
            byte that differs from the canonical form (whitespace, key order, escapes, ...).
    """
    try:
        text = data.decode("utf-8")
        value: JsonValue = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NonCanonicalJsonError(str(exc)) from exc
    if canonical_json(value) != data:
        raise NonCanonicalJsonError("bytes differ from the canonical serialization")
    return value
