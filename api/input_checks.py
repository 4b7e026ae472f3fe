"""What every endpoint refuses alike, before any handler runs, each named in a sentence.

- a query parameter the endpoint does not take (a typo would otherwise list everything), or a
  single-valued one given twice (only the last would count);
- control characters in the path, the query, a JSON body or a page's form: NUL cannot be
  stored by PostgreSQL at all, and the others make no sense in Docket's text (tab, line feed
  and carriage return do, in a body or a form);
- JSON values of another type than the body's schema states (Litestar would convert them);
- a JSON body nested deeper than any of Docket's documents, refused before it is decoded.

The same rules are stated in the OpenAPI document (``api.openapi_limits``), so that generated
clients and fuzzers see the contract the server enforces.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final, cast

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import FormMultiDict, State
from litestar.enums import ParamType
from litestar.exceptions import ClientException, ValidationException
from litestar.handlers.base import BaseRouteHandler

if TYPE_CHECKING:
    from litestar.types.internal_types import PathParameterDefinition

BODY_TEXT_PATTERN: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""A string of a body: no control characters but tab, line feed and carriage return."""
QUERY_TEXT_PATTERN: Final = r"^[^\x00-\x1f\x7f]*$"
"""A string of a query or a path: no control character at all."""
MAX_JSON_DEPTH: Final = 32
"""Deeper than any body Docket takes (the deepest nests four levels)."""
MAX_BODY_STRING: Final = 100_000
"""The longest string a JSON body may hold where its field states no shorter maximum."""

_BODY_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_QUERY_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_STRINGS: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_API_PREFIX: Final = "/api/"


class InputRefusedError(ClientException):
    """A request refused for its shape: its problem type is ``slug``."""

    slug = "bad-request"
    title = "The request is malformed"


class UnknownParameterError(InputRefusedError):
    """A query parameter the endpoint does not take."""

    slug = "unknown-parameter"
    title = "Unknown query parameter"


class RepeatedParameterError(InputRefusedError):
    """A single-valued query parameter given more than once."""

    slug = "repeated-parameter"
    title = "A query parameter is given twice"


def _codepoint(found: re.Match[str]) -> str:
    return f"U+{ord(found.group()):04X}"


# ---------------------------------------------------------------- path and query
_known: dict[int, tuple[BaseRouteHandler, frozenset[str], frozenset[str]]] = {}


def _query_names(
    connection: ASGIConnection[Any, Any, Any, State], handler: BaseRouteHandler
) -> tuple[frozenset[str], frozenset[str]]:
    """The query parameters ``handler`` (and its dependencies) take, and those taking a list."""
    cached = _known.get(id(handler))
    if cached is None or cached[0] is not handler:
        # only the names of the path parameters matter here (they are not query parameters)
        path = cast("dict[str, PathParameterDefinition]", connection.scope["path_params"])
        model = handler.create_kwargs_model(path_parameters=path)
        names = frozenset(
            p.field_alias for p in model.expected_query_params if p.param_type is ParamType.QUERY
        )
        cached = (handler, names, frozenset(model.sequence_query_parameter_names))
        _known[id(handler)] = cached
    return cached[1], cached[2]


def refuse_malformed_query(
    connection: ASGIConnection[Any, Any, Any, State], handler: BaseRouteHandler
) -> None:
    """App-wide guard: control characters anywhere, unknown or repeated API query parameters.

    Raises:
        InputRefusedError: naming the parameter and what is wrong with it.
    """
    if found := _QUERY_CONTROL.search(connection.scope["path"]):
        msg = f"The path contains a control character ({_codepoint(found)}); no URL has one."
        raise InputRefusedError(msg)
    pairs = list(connection.query_params.multi_items())
    for name, value in pairs:
        if found := _QUERY_CONTROL.search(name + value):
            msg = (
                f"The query parameter {name!r} contains a control character ({_codepoint(found)})."
            )
            raise InputRefusedError(msg)
    if not connection.scope["path"].startswith(_API_PREFIX):
        return  # the pages read their query strings themselves, and name what they refuse
    known, lists = _query_names(connection, handler)
    unknown = sorted({name for name, _ in pairs} - known)
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        takes = ", ".join(sorted(known)) or "none"
        msg = f"This endpoint takes no query parameter {names} (it takes: {takes})."
        raise UnknownParameterError(msg)
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen and name not in lists:
            msg = f"The query parameter {name!r} takes one value, but was given more than once."
            raise RepeatedParameterError(msg)
        seen.add(name)


# ---------------------------------------------------------------- bodies
def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest more than ``limit`` levels deep.

    Strings are skipped first, so brackets inside them do not count; the text need not be
    valid JSON (the decoder refuses it afterwards if it is not).
    """
    depth = 0
    for char in re.sub(rb"[^\[\]{}]", b"", _STRINGS.sub(b"", body)):
        depth += 1 if char in b"[{" else -1
        if depth > limit:
            return True
    return False


def _control_at(value: object, where: str) -> tuple[str, str, int] | None:
    """The first string in ``value`` that breaks the body's rules: (where, what, which)."""
    if isinstance(value, str):
        if found := _BODY_CONTROL.search(value):
            return where, "control", ord(found.group())
        if len(value) > MAX_BODY_STRING:
            return where, "length", len(value)
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if bad := _control_at(key, inner) or _control_at(item, inner):
                return bad
    if isinstance(value, list):
        for index, item in enumerate(value):
            if bad := _control_at(item, f"{where}[{index}]"):
                return bad
    return None


def check_body_text(value: object) -> None:
    """Refuse a decoded body whose strings hold control characters or are over-long.

    Raises:
        ValidationException: naming the field (as ``a.b[0]``) and the character or length.
    """
    bad = _control_at(value, "")
    if bad is None:
        return
    where, what, which = bad
    if what == "control":
        message = f"contains a control character (U+{which:04X}), which Docket does not store"
    else:
        message = f"is {which} characters long; at most {MAX_BODY_STRING} are accepted"
    raise ValidationException(
        detail=f"The field {where or 'body'!r} {message}.",
        extra=[{"key": where, "message": message}],
    )


def _integral(value: object) -> object:
    """``value`` with whole floats as integers: JSON Schema counts ``1.0`` as an integer."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral(item) for item in value]
    return value


class DocketRequest(Request[Any, Any, State]):
    """Litestar's request, with the body checks above applied before a handler sees the body."""

    async def json(self) -> Any:  # noqa: ANN401 - any JSON value, as Litestar's
        """The decoded JSON body, refused when nested too deep or holding control characters.

        Raises:
            InputRefusedError: the body nests deeper than ``MAX_JSON_DEPTH``.
            ValidationException: a string in it holds a control character or is over-long.
        """
        if nests_deeper_than(await self.body(), MAX_JSON_DEPTH):
            msg = (
                f"The JSON body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep, "
                "deeper than any document Docket takes."
            )
            raise InputRefusedError(msg)
        value = await super().json()
        check_body_text(value)
        self._check_types(value)
        return value

    async def form(self) -> FormMultiDict:
        """The form's fields, refused when a text field holds a control character.

        Raises:
            ValidationException: naming the field (files are not text, and are not checked).
        """
        form = await super().form()
        check_body_text({k: v for k, v in form.multi_items() if isinstance(v, str)})
        return form

    def _check_types(self, value: object) -> None:
        """Refuse JSON whose values have other types than the body's schema states.

        Litestar converts a body leniently (``0`` to ``false``, a number to a date and time);
        the document promises the types it states, so they are checked strictly first.

        Raises:
            ValidationException: naming the field whose value has the wrong type.
        """
        data = self.route_handler.parsed_fn_signature.parameters.get("data")
        if data is None:
            return
        try:
            msgspec.convert(_integral(value), data.annotation, strict=True)
        except msgspec.ValidationError as exc:
            # msgspec says where as a suffix (" - at `$.a.b`"), and nothing at the body's top
            message, at, where = str(exc).rpartition(" - at `$")
            if not at:
                message, where = str(exc), ""
            raise ValidationException(
                detail="The body does not match the schema.",
                extra=[
                    {"key": where.rstrip("`").lstrip("."), "message": message, "source": "body"}
                ],
            ) from None
