"""Untrusted text cannot inject markup or styles, and nothing is ever fetched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from weasyprint.urls import URLFetcherResponse

from documents.fetcher import AssetFetcher, ExhibitFetcher, RefusedURLError, exhibit_url
from documents.markdown import render_markdown
from documents.package import Exhibit
from documents.render import build_html, css_string, render_package, safe_file_name
from tests.documents.conftest import CONTRACT, CSV, attachments, make_content, pdftext, squash

PASSWD = Path("/etc/passwd").read_text(encoding="utf-8")


def hostile_markdown(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return "\n\n".join(
        [
            '<img src="file:///etc/passwd">',
            f'<link rel="stylesheet" href="{base}/x.css">',
            f"<style>@import url({base}/y.css); body {{ background: url({base}/bg.png) }}</style>",
            f"[x]({base}/z)",
            f"![i]({base}/i.png)",
            '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
            f'<div style="background: url({base}/div.png)">styled</div>',
            f"<{base}/auto>",
        ]
    )


def test_markdown_renders_raw_html_as_text_and_links_as_inert_text() -> None:
    html = render_markdown(hostile_markdown(8765))
    tags = re.findall(r"<([a-z0-9]+)([^>]*)>", html)
    assert {name for name, _ in tags} <= {"p", "span", "em", "strong", "code", "pre"}
    assert {attrs for _, attrs in tags} <= {"", ' class="link"', ' class="url"', ' class="image"'}
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<span class="link">x</span> <span class="url">&lt;http://127.0.0.1:8765/z&gt;' in html
    assert '<span class="image">[i]</span>' in html


def test_hostile_response_text_fetches_nothing_and_embeds_only_the_exhibits(
    listener: tuple[int, list[str]],
) -> None:
    port, seen = listener
    pdf = render_package(make_content(response_markdown=hostile_markdown(port)))
    assert seen == []
    assert sorted(attachments(pdf)) == sorted([CSV.file_name, CONTRACT.file_name])
    text = squash(pdftext(pdf))
    first_line = PASSWD.splitlines()[0]
    assert first_line not in text
    assert "root:x:0:0" not in text
    # the markup is shown, escaped, as the author typed it
    assert '<img src="file:///etc/passwd">' in text
    assert f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">' in text
    assert f"<style>@import url(http://127.0.0.1:{port}/y.css);" in text
    assert f"x <http://127.0.0.1:{port}/z>" in text
    assert f"[i] <http://127.0.0.1:{port}/i.png>" in text


def test_fields_printed_in_page_margins_cannot_escape_their_css_string(
    listener: tuple[int, list[str]],
) -> None:
    port, seen = listener
    evil = f'Acme" }} @page {{ @top-left {{ content: url(http://127.0.0.1:{port}/o.png) }} }} x{{"'
    tag_evil = f"</style><link rel=stylesheet href=http://127.0.0.1:{port}/t.css>"
    content = make_content(organisation=evil, reference=f"REQ-1{tag_evil}")
    html = build_html(content)
    assert html.count("<style>") == 1
    assert html.count("</style>") == 1
    assert "<link" not in html
    pdf = render_package(content)
    assert seen == []
    assert evil in pdftext(pdf)


def test_css_strings_escape_quotes_backslashes_newlines_and_angle_brackets() -> None:
    assert css_string("Acme GmbH") == '"Acme GmbH"'
    quoted = css_string('a"b\\c\n</style>')
    assert quoted == '"a\\000022b\\00005cc\\00003c/style\\00003e"'
    assert css_string("Société Générale 株式会社") == '"Société Générale 株式会社"'


def test_the_asset_fetcher_serves_only_the_shipped_assets(
    listener: tuple[int, list[str]],
) -> None:
    port, seen = listener
    fetcher = AssetFetcher()
    served = fetcher.fetch("docket-asset:package.css")
    assert isinstance(served, URLFetcherResponse)
    assert served.content_type == "text/css"
    assert b"@page" not in served.read()  # the static sheet; page rules are generated
    for url in (
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/x.css",
        f"https://127.0.0.1:{port}/x.css",
        "data:text/css,body{}",
        "docket-asset:../render.py",
        "docket-asset:package.html",
        "docket-asset:/etc/passwd",
    ):
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)
    with pytest.raises(RefusedURLError):
        fetcher.open(f"http://127.0.0.1:{port}/open")
    assert seen == []


def test_the_exhibit_fetcher_serves_exhibits_with_a_sane_media_type() -> None:
    fetcher = ExhibitFetcher(((b"a", "text/csv"), (b"b", "text/html\r\nX-Evil: 1")))
    assert fetcher.fetch(exhibit_url(0)).content_type == "text/csv"
    assert fetcher.fetch(exhibit_url(1)).content_type == "application/octet-stream"
    with pytest.raises(RefusedURLError):
        fetcher.fetch(exhibit_url(2))
    with pytest.raises(RefusedURLError):
        fetcher.fetch("file:///etc/passwd")


def test_exhibits_are_embedded_under_a_name_without_directories() -> None:
    exhibits = (
        Exhibit(title="a", file_name="../../.bashrc", media_type="text/plain", content=b"a"),
        Exhibit(
            title="b", file_name="C:\\Windows\\evil.txt", media_type="text/plain", content=b"b"
        ),
        Exhibit(title="c", file_name="..", media_type="text/plain", content=b"c"),
        Exhibit(title="d", file_name="line\nbreak.txt", media_type="text/plain", content=b"d"),
    )
    assert [safe_file_name(e.file_name, n) for n, e in enumerate(exhibits, start=1)] == [
        "bashrc",
        "evil.txt",
        "exhibit-3",
        "linebreak.txt",
    ]
    pdf = render_package(make_content(exhibits=exhibits))
    assert sorted(attachments(pdf)) == ["bashrc", "evil.txt", "exhibit-3", "linebreak.txt"]
