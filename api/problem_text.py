"""Problem details as sentences for a person: never a repr, a class name or a parser's jargon.

Litestar's validation errors carry msgspec's messages ("Expected `str`, got `int`", "Object
missing required field `password`"), and a decoder hook's ``TypeError`` can carry a repr
("Unsupported type: <class 'list'>"). Each is rewritten here into a sentence that names the
field; a message of a shape not known here gets a plain sentence rather than being passed on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Final

from litestar.exceptions import HTTPException

_TYPES: Final[Mapping[str, str]] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "object": "a JSON object",
    "array": "a list",
    "null": "null",
    "datetime": "a date and time",
    "date": "a date",
    "time": "a time",
    "uuid": "a UUID",
    "duration": "a duration",
}
_BOUNDS: Final[Mapping[str, str]] = {
    ">=": "at least",
    "<=": "at most",
    ">": "more than",
    "<": "less than",
}
_FIRST_WORD: Final = re.compile(r"[a-z][a-z-]*\b")


def sentence(text: str) -> str:
    """``text`` with a capital first letter (unless it begins with a name) and a full stop."""
    text = text.strip()
    if _FIRST_WORD.match(text) and not text.split(" ", 1)[0].endswith(":"):
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _kind(name: str) -> str:
    """Msgspec's type name as words; a union (``str | null``) as "text or null"."""
    return " or ".join(_TYPES.get(part.strip(), "another type") for part in name.split("|"))


def _subject(key: str, source: str) -> str:
    if not key or key == "data":
        return "The request body"
    if source in {"query", "path", "header", "cookie"}:
        return f"The {source} parameter {key}"
    return f"The field {key}"


def _bound(want: str, rule: str) -> str:
    match = re.fullmatch(r"(of length )?(>=|<=|>|<) (\S+)", rule)
    if match is None:
        return "in the expected format" if rule.startswith("matching") else "within its limits"
    length, op, limit = match.groups()
    if not length:
        return f"of {_BOUNDS[op]} {limit}"
    unit = "characters" if want == "str" else "items"
    return f"of {_BOUNDS[op]} {limit} {unit}"


_RULES: Final[list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]]] = [
    (
        re.compile(r"Expected `([^`]+)`, got `([^`]+)`"),
        lambda m, who: f"{who} must be {_kind(m[1])}, not {_kind(m[2])}",
    ),
    (
        re.compile(r"Expected `([^`]+)` (.+)"),
        lambda m, who: f"{who} must be {_kind(m[1])} {_bound(m[1], m[2])}",
    ),
    (
        re.compile(r"Object missing required field `([^`]+)`"),
        lambda m, who: f"{_nested(who, m[1])} is missing",
    ),
    (
        re.compile(r"Object contains unknown field `([^`]+)`"),
        lambda m, who: f"{_nested(who, m[1])} is not one this request accepts",
    ),
    (
        re.compile(r"Invalid enum value (.+)"),
        lambda m, who: f"{who} must be one of its listed values, not {m[1]}",
    ),
    (
        re.compile(r"Invalid RFC3339 encoded datetime"),
        lambda _, who: f"{who} must be a date and time such as 2026-03-02T09:30:00+01:00",
    ),
    (
        re.compile(r"Invalid (RFC3339|ISO8601) encoded date"),
        lambda _, who: f"{who} must be a date such as 2026-03-02",
    ),
    (re.compile(r"Invalid UUID"), lambda _, who: f"{who} must be a UUID"),
]


def _nested(who: str, name: str) -> str:
    return f"The field {name}" if who == "The request body" else f"{who}.{name}"


_PREDICATE: Final = re.compile(r"[a-z][^`<>]*")
"""How Docket's own checks word a problem ("contains a control character …"); msgspec's
messages begin with a capital and quote types in backticks."""
_INTERNALS: Final = re.compile(r"<class '|<[A-Z]\w*\.[A-Z_]+: |Traceback|\w+Error\(")


def shows_internals(text: str) -> bool:
    """Whether ``text`` holds a repr, a class name or a traceback."""
    return _INTERNALS.search(text) is not None


def invalid_value(message: str, *, key: str = "", source: str = "body") -> str:
    """One of Litestar's validation messages about ``key`` (in ``source``) as a sentence."""
    who = _subject(key, source)
    for pattern, say in _RULES:
        found = pattern.match(message)
        if found is not None:
            return sentence(say(found, who))
    if _PREDICATE.fullmatch(message) and not shows_internals(message):
        return sentence(f"{who} {message}")  # Docket's own check says what is wrong
    return sentence(f"{who} has a value that is not valid")


HTTP_DETAILS: Final[Mapping[int, str]] = {
    400: "The request is malformed.",
    401: "This needs you to sign in or send a bearer token.",
    403: "You may not do this.",
    404: "There is nothing at this address.",
    405: "This address does not answer this method.",
    413: "The request body is larger than this endpoint accepts.",
    415: "This endpoint does not accept this media type.",
    429: "Too many requests; wait a little and try again.",
}


def http_detail(exc: HTTPException) -> str:
    """Litestar's detail as a sentence; its bare status phrase or anything internal, ours."""
    ours = HTTP_DETAILS.get(exc.status_code, "The request cannot be answered.")
    if not exc.detail or exc.detail == HTTPStatus(exc.status_code).phrase:
        return ours
    return ours if shows_internals(exc.detail) else sentence(exc.detail)


def invalid_error(error: object) -> dict[str, object]:
    """One of Litestar's validation errors, its message a sentence naming the field."""
    found = error if isinstance(error, dict) else {}
    raw_source = found.get("source", "body")  # "body", or a ParamType member
    key, source = str(found.get("key", "")), str(getattr(raw_source, "value", raw_source))
    message = invalid_value(str(found.get("message", "")), key=key, source=source)
    return {"message": message, "key": key, "source": source}
