"""The API documentation page (/schema): Swagger UI, served entirely from Docket's own files."""

from __future__ import annotations

import html
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

from api.static_assets import static_url, vendor_url


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI from the vendored swagger-ui-dist; Litestar's own plugin loads it from a CDN."""

    def __init__(self, *, path: tuple[str, ...] = ("/", "/swagger")) -> None:
        super().__init__(path=path, favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The HTML page; the document itself is fetched from /schema/openapi.json."""
        title = html.escape(str(openapi_schema["info"]["title"]))
        spec_url = html.escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{static_url("favicon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="{vendor_url("swagger-ui-dist", "swagger-ui.css")}">
<script src="{vendor_url("swagger-ui-dist", "swagger-ui-bundle.js")}" defer></script>
<script src="{static_url("api-docs.js")}" defer></script>
</head>
<body>
<main id="swagger-ui" data-spec-url="{spec_url}"></main>
<noscript>The interactive documentation needs JavaScript; the document itself is at
<a href="{spec_url}">{spec_url}</a>.</noscript>
</body>
</html>
""".encode()
