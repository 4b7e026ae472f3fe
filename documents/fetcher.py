"""URL fetchers for WeasyPrint 70 that fetch nothing from outside Docket.

WeasyPrint's default fetcher follows ``file:``, ``http:`` and ``https:`` URLs found anywhere in
the HTML or CSS (``<img>``, ``<link>``, ``url()``, ``rel=attachment``). Docket hands WeasyPrint
untrusted text, so every render uses :class:`AssetFetcher`, which serves only files shipped in
``documents/templates/`` under the ``docket-asset:`` scheme and refuses every other URL
(``file:``, ``http:``, ``https:``, ``data:``, ``ftp:`` …) without opening a connection.
Exhibits reach WeasyPrint through :class:`ExhibitFetcher`, which is given only to the
attachments and never to the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATES: Final = Path(__file__).parent / "templates"
ASSET_SCHEME: Final = "docket-asset"
EXHIBIT_SCHEME: Final = "docket-exhibit"
_ASSET_TYPES: Final = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
_MEDIA_TYPE: Final = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*")


class RefusedURLError(ValueError):
    """WeasyPrint asked for a URL that Docket does not serve; nothing was fetched."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"refused to fetch {url[:200]!r}")


def _shipped_assets() -> dict[str, tuple[bytes, str]]:
    return {
        path.name: (path.read_bytes(), _ASSET_TYPES[path.suffix])
        for path in sorted(TEMPLATES.iterdir())
        if path.is_file() and path.suffix in _ASSET_TYPES
    }


class _ServingFetcher(URLFetcher):  # type: ignore[misc]
    """Serves a fixed in-memory map of URLs and refuses everything else."""

    def __init__(self, files: Mapping[str, tuple[bytes, str]]) -> None:
        super().__init__(timeout=1, allowed_protocols=set(), allow_redirects=False)
        self._files = dict(files)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Return the served file for ``url``.

        Raises:
            RefusedURLError: for any URL that is not served (WeasyPrint logs it and goes on).
        """
        served = self._files.get(url)
        if served is None:
            self.refused.append(url)
            raise RefusedURLError(url)
        body, media_type = served
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        """Refuse urllib-style use: this fetcher only answers :meth:`fetch`.

        Raises:
            RefusedURLError: always.
        """
        raise RefusedURLError(str(url))


class AssetFetcher(_ServingFetcher):
    """Serves ``docket-asset:<name>`` for the CSS/SVG/PNG files in ``documents/templates/``."""

    def __init__(self) -> None:
        super().__init__({f"{ASSET_SCHEME}:{n}": v for n, v in _shipped_assets().items()})


def exhibit_url(index: int) -> str:
    """The URL under which :class:`ExhibitFetcher` serves the exhibit at ``index``."""
    return f"{EXHIBIT_SCHEME}:{index}"


class ExhibitFetcher(_ServingFetcher):
    """Serves the exhibits' bytes, with their declared media type, to WeasyPrint attachments."""

    def __init__(self, exhibits: tuple[tuple[bytes, str], ...]) -> None:
        super().__init__(
            {
                exhibit_url(i): (
                    body,
                    media if _MEDIA_TYPE.fullmatch(media) else "application/octet-stream",
                )
                for i, (body, media) in enumerate(exhibits)
            }
        )
