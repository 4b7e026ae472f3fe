"""The cover letter as a lawyer reads it: tables in the response, dates beside their labels."""

from __future__ import annotations

from documents import i18n
from documents.render import build_html, render_package
from tests.documents.conftest import make_content, pdftext, squash

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


_BIDI_MARKS = dict.fromkeys([0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None)


def test_in_arabic_each_date_stays_apart_from_its_label() -> None:
    content = make_content(locale="ar", exhibits=(), approval_page=True)
    pdf = render_package(content)
    gettext = i18n.translations("ar").gettext
    lines = [
        squash(line.translate(_BIDI_MARKS)) for line in pdftext(pdf).splitlines() if line.strip()
    ]
    for label in ("Request received", "Response due", "Date", "Version date"):
        translated = gettext(label)
        assert translated != label
        assert translated in lines, label  # a line of its own, not run into its date
        touching = [line for line in lines if translated in line and any(c.isdigit() for c in line)]
        assert touching == [], label
    html = build_html(content)
    assert html.count("\u2068") == html.count("\u2069") == 4  # each date isolated


def test_the_organisations_greeting_and_closing_frame_the_body_once_as_plain_text() -> None:
    content = make_content(
        exhibits=(),
        response_markdown="We hold the requested data.",
        greeting="Dear Colleagues,\nat the <b>Bureau</b>:\n\nOur answer follows.",
        closing="Kind regards,",
    )
    html = build_html(content)
    assert '<p class="greeting">Dear Colleagues,<br>at the &lt;b&gt;Bureau&lt;/b&gt;:</p>' in html
    text = squash(pdftext(render_package(content)).split("\f")[0])
    assert (
        "Dear Colleagues, at the <b>Bureau</b>: Our answer follows. "
        "We hold the requested data. Kind regards, Acme GmbH"
    ) in text
    assert "Dear Sir or Madam" not in text
    assert "Yours faithfully" not in text


def test_without_a_template_the_letter_uses_the_locales_default_frame() -> None:
    text = squash(pdftext(render_package(make_content(locale="de", exhibits=()))).split("\f")[0])
    assert "Sehr geehrte Damen und Herren," in text
    assert "Mit freundlichen Grüßen Acme GmbH" in text
