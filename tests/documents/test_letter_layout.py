"""The cover letter as a lawyer reads it: tables in the response text."""

from __future__ import annotations

from documents.render import build_html, render_package
from tests.documents.conftest import make_content, pdftext

TABLE = """Accounts concerned:

| Account | Opened | Status |
|---------|:------:|-------:|
| 4711 | 2019-05-01 | closed |
| <b>0815</b> | 2021-11-30 | open |
"""


def test_a_markdown_table_in_the_response_prints_as_a_table() -> None:
    content = make_content(response_markdown=TABLE, exhibits=())
    html = build_html(content)
    assert "<table>" in html
    assert "<th>Account</th>" in html
    assert "<td>&lt;b&gt;0815&lt;/b&gt;</td>" in html  # cell text stays escaped
    text = pdftext(render_package(content), "-layout").split("\f")[0]
    assert "|" not in text
    assert "---" not in text
    rows = [line.split() for line in text.splitlines()]
    assert ["Account", "Opened", "Status"] in rows
    assert ["4711", "2019-05-01", "closed"] in rows
    assert ["<b>0815</b>", "2021-11-30", "open"] in rows
