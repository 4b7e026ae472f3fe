"""Every front-end file Docket uses is served by Docket: pinned, vendored with its licence, and no
page refers to another host."""

from __future__ import annotations

import importlib.util
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from api.static_assets import STATIC_DIR
from domain.shared.model import Role
from tests.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "background"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def vendor_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor", ROOT / "scripts" / "vendor.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_foreign(url: str) -> bool:
    """True if fetching ``url`` from a Docket page would reach another host."""
    url = url.strip()
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme not in {"", "data", "mailto", "tel", "javascript"} or bool(urlsplit(url).netloc)


class References(HTMLParser):
    """Every URL an HTML page would load or submit to: attributes, inline CSS and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in URL_ATTRIBUTES:
                self.urls.append(value)
            elif name == "style":
                self.urls += CSS_URL.findall(value)

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += CSS_URL.findall(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return parser.urls


def test_the_reference_finder_sees_what_a_cdn_page_loads() -> None:
    page = """<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/x.css">
    <script src="//unpkg.com/htmx.org"></script><img srcset="/a.png 1x, https://x.test/b.png 2x">
    <style>@import "https://fonts.googleapis.com/css";</style><a href="/requests?q=1">ok</a>"""
    assert [u for u in references(page) if is_foreign(u)] == [
        "https://cdn.jsdelivr.net/npm/x.css",
        "//unpkg.com/htmx.org",
        "https://x.test/b.png",
        "https://fonts.googleapis.com/css",
    ]


def test_every_vendored_file_is_pinned_with_its_digest_and_licence() -> None:
    vendor = vendor_script()
    for folder in vendor.VENDOR_DIRS:
        assert vendor.problems(folder) == []
        for package in vendor.packages(folder):
            assert package["license"], package["name"]
            assert str(package["integrity"]).startswith("sha512-"), package["name"]
            names = {Path(name).name for name in package["files"]}
            assert names & {"LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE"}, package["name"]


def test_a_changed_vendored_file_is_caught(tmp_path: Path) -> None:
    vendor = vendor_script()
    copy = tmp_path / "vendor"
    shutil.copytree(STATIC_DIR / "vendor", copy)
    css = next(copy.rglob("swagger-ui.css"))
    css.write_bytes(css.read_bytes() + b"\n")
    (copy / "stray.js").write_text("//")
    assert sorted(vendor.problems(copy)) == [
        "changed: swagger-ui-dist-5.36.0/swagger-ui.css",
        "not in vendored.toml: stray.js",
    ]


async def test_no_page_docket_serves_refers_to_another_host(client, app) -> None:
    admin_login = await _admin_token(client)
    pages = {"/schema", "/schema/swagger", "/ack/not-a-valid-token"}
    pages |= {
        route.path
        for route in app.routes
        if "GET" in getattr(route, "methods", ()) and "{" not in route.path
    }
    seen_html = 0
    for path in sorted(pages):
        response = await client.get(path, headers={"Authorization": f"Bearer {admin_login}"})
        kind = response.headers.get("content-type", "")
        if "html" in kind:
            seen_html += 1
            foreign = [u for u in references(response.text) if is_foreign(u)]
            assert foreign == [], path
            for url in references(response.text):
                if url.startswith("/static/"):
                    asset = await client.get(url)
                    assert asset.status_code == 200, url
                    if url.endswith(".css"):
                        assert [u for u in CSS_URL.findall(asset.text) if is_foreign(u)] == []
    assert seen_html >= 3


def test_no_template_or_static_file_refers_to_another_host() -> None:
    files = [*ROOT.glob("api/**/*.html"), *ROOT.glob("api/static/docket/*")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        foreign = [u for u in references(text) + CSS_URL.findall(text) if is_foreign(u)]
        assert foreign == [], path


async def _admin_token(client) -> str:
    admin = await make_user(Role.ADMIN)
    response = await client.post(
        "/api/v1/auth/login", json={"email": admin.email, "password": PASSWORD}
    )
    return str(response.json()["access_token"])
