"""Untrusted Markdown to inert HTML: no raw HTML, no links to follow, no images to fetch.

The response text is written by a specialist and may contain anything. It is rendered with
markdown-it-py's CommonMark preset with raw HTML off, so ``<img>``, ``<style>`` and ``<link>``
come out as escaped text. Tables (the pipe syntax of GitHub) are on, because a response often
lists accounts or items; a cell's alignment is the only attribute they add. Links and images
are not emitted as ``<a>`` or ``<img>`` at all: a link shows its text followed by its URL, an
image shows its alt text followed by its URL. The output therefore contains no attribute that
WeasyPrint could resolve to a URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


def _url_html(url: str) -> str:
    return f' <span class="url">&lt;{escapeHtml(url)}&gt;</span>'


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<span class="link">'


def _link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    opening = next(t for t in reversed(tokens[:idx]) if t.type == "link_open")
    if opening.markup == "autolink":
        return "</span>"  # the text already is the URL
    return "</span>" + _url_html(str(opening.attrGet("href") or ""))


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="image">[{escapeHtml(alt)}]</span>' + _url_html(
        str(token.attrGet("src") or "")
    )


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


_MD: Final = _build()


def render_markdown(text: str) -> str:
    """Render untrusted Markdown to HTML that holds no markup of the author's and no URL to fetch.

    Requires nothing of ``text``: any string is accepted.
    """
    html: str = _MD.render(text)
    return html
