"""The string query parameters' types: each states its maximum length and what it may hold.

Declared once, so that the server enforces and the OpenAPI document states the same limits.
"""

from __future__ import annotations

from typing import Annotated, Final

from litestar.params import PathParameter, QueryParameter

from api.input_checks import QUERY_TEXT_PATTERN
from domain.shared.keyset import MAX_CURSOR_LENGTH

SHORT_TEXT: Final = 200
"""The longest search text, name, e-mail address or identifier a filter takes."""

Cursor = Annotated[
    str | None,
    QueryParameter(
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="`next_cursor` of the page before; absent: the first page",
    ),
]
"""The opaque cursor of a paged list."""

Text = Annotated[
    str | None,
    QueryParameter(max_length=SHORT_TEXT, pattern=QUERY_TEXT_PATTERN),
]
"""A free text filter (a search, a name, an e-mail address, an identifier)."""

Code = Annotated[
    str | None,
    QueryParameter(max_length=64, pattern=r"^[A-Za-z0-9_./:-]*$"),
]
"""A code or id made of letters, digits and ``_ . / : -`` (a jurisdiction, a rule id)."""

Country = Annotated[
    str | None,
    QueryParameter(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1"),
]
"""An ISO 3166-1 alpha-2 country code, in either letter case."""

Tag = Annotated[
    str | None,
    QueryParameter(max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9.:-]*$"),
]
"""A tag as requests carry them (letters, digits, ``. : -``; matched in lower case)."""

JurisdictionCode = Annotated[
    str, PathParameter(max_length=16, pattern=r"^[A-Za-z0-9-]+$", description="e.g. `DE`")
]
"""A jurisdiction's code in a path."""

TilePath = Annotated[
    str,
    PathParameter(
        # Litestar checks a {name:path} value with its leading slash, the document states it as
        # a client writes it (without one): the pattern bounds the length of both alike
        pattern=r"^/?[A-Za-z0-9_./-]{1,128}$",
        description="C2SP tlog-tiles path, at most 128 characters",
    ),
]
"""The path of a tile of the log, as C2SP tlog-tiles names it."""

Instant = Annotated[
    str | None,
    QueryParameter(max_length=64, schema_extra={"format": "date-time"}),
]
"""An ISO 8601 date and time with its UTC offset, read by ``instant`` (a number is refused)."""
