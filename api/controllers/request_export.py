"""Requests as a CSV file, for transparency reports and re-import (streamed, page by page)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Stream

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.request_filters import FILTERS
from domain.requests import queries as request_queries
from domain.requests.csv_format import EXPORT_COLUMNS, csv_line, csv_lines, listed_row
from domain.requests.repo import RequestFilters
from domain.requests.sealing import Listed
from domain.shared.model import Actor
from domain.shared.permissions import Permission

CSV_MEDIA_TYPE = "text/csv"
"""Litestar adds ``; charset=utf-8`` to a text type."""


CHUNK_ROWS = 500
"""Rows sent together: a chunk a row cost more in sending than in writing the row."""


async def _lines(found: AsyncIterator[Listed]) -> AsyncIterator[str]:
    yield csv_line(EXPORT_COLUMNS)
    rows: list[list[str]] = []
    async for reg_request in found:
        rows.append(listed_row(reg_request))
        if len(rows) == CHUNK_ROWS:
            yield csv_lines(rows)
            rows = []
    if rows:
        yield csv_lines(rows)


class RequestExportController(Controller):
    """Every request matching the list's filters, one CSV row each."""

    path = "/api/v1/requests"
    tags = ["Requests"]

    @get(
        "/export.csv",
        operation_id="ExportRequests",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(422),
        dependencies=FILTERS,
        media_type=CSV_MEDIA_TYPE,
    )
    async def export_requests(
        self,
        *,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        filters: NamedDependency[RequestFilters],
    ) -> Stream:
        """A header row, then every matching request (lists as JSON in a cell), deadline order.

        A sealed request the caller may not read is a row of its id, reference, state and
        deadlines only.
        """
        found = request_queries.export_requests(filters, actor=actor, now=clock.now())
        return Stream(
            _lines(found),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": 'attachment; filename="requests.csv"'},
        )
