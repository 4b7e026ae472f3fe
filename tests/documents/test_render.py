"""The response package read back from the PDF: letter, index, exhibits, metadata, determinism."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from importlib import metadata
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from documents.package import Exhibit
from documents.render import SIGNATURE_FIELD, build_html, render_package
from tests.documents.conftest import (
    CONTRACT,
    CSV,
    REFERENCE,
    attachments,
    make_content,
    make_pdf,
    page_texts,
    pdftext,
    squash,
)


def test_the_letter_names_addressee_references_dates_and_sender(english_pdf: bytes) -> None:
    text = squash(page_texts(english_pdf)[0])
    for expected in (
        "Bundesamt für Justiz Adenauerallee 99 53113 Bonn post@bfj.example",
        f"Our reference {REFERENCE}",
        "Your reference BfJ-4711/26",
        "Legal basis Art. 15 GDPR",
        # 09:30 UTC and 21:59 UTC shown in Europe/Berlin (CET, then CEST after 29 March)
        "Request received March 2, 2026, 10:30:00 AM +0100",
        "Response due April 2, 2026, 11:59:00 PM +0200",
        "Date March 20, 2026",
        f"Response to request {REFERENCE}",
        "Dear Sir or Madam,",
        "We hold the requested data.",
        "Yours faithfully, Acme GmbH",
    ):
        assert expected in text


def test_dates_are_formatted_for_the_locale_in_the_request_time_zone() -> None:
    pdf = render_package(make_content(locale="de", time_zone="Asia/Tokyo"))
    text = squash(page_texts(pdf)[0])
    assert "Eingang des Ersuchens 2. März 2026, 18:30:00 +0900" in text
    assert "Antwortfrist 3. April 2026, 06:59:00 +0900" in text
    assert "Datum 20. März 2026" in text


def test_optional_fields_are_left_out_when_empty() -> None:
    pdf = render_package(
        make_content(authority_reference="", legal_basis="", due_at=None, authority_contact="")
    )
    text = page_texts(pdf)[0]
    assert "Your reference" not in text
    assert "Legal basis" not in text
    assert "Response due" not in text


def test_every_page_carries_the_reference_and_page_x_of_y(english_pdf: bytes) -> None:
    pages = page_texts(english_pdf)
    assert len(pages) == 4  # letter, two exhibit pages, approval
    for number, text in enumerate(pages, start=1):
        assert REFERENCE in text
        assert f"Page {number} of {len(pages)}" in text


def test_exhibit_index_lists_title_file_size_and_the_digest_of_the_embedded_file(
    english_pdf: bytes,
) -> None:
    text = squash(page_texts(english_pdf)[0])
    embedded = attachments(english_pdf)
    assert sorted(embedded) == ["contract.pdf", "extract.csv"]
    for exhibit in (CSV, CONTRACT):
        (content,) = embedded[exhibit.file_name]
        assert content == exhibit.content
        digest = hashlib.sha256(content).hexdigest()
        assert digest == exhibit.sha256
        assert digest in text.replace(" ", "")
    assert "This response encloses 2 exhibits." in text
    assert "1 Account extract extract.csv 31 byte" in text
    assert "2 pages appended" in text


def test_embedded_files_carry_their_media_type_and_relationship(english_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(english_pdf))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {names[i]: names[i + 1].get_object() for i in range(0, len(names), 2)}
    assert specs["extract.csv"]["/AFRelationship"] == "/Supplement"
    assert specs["extract.csv"]["/EF"]["/F"].get_object()["/Subtype"] == "/text/csv"
    assert specs["contract.pdf"]["/EF"]["/F"].get_object()["/Subtype"] == "/application/pdf"
    assert len(reader.trailer["/Root"]["/AF"]) == 2


def test_a_pdf_exhibit_is_drawn_page_by_page_after_the_letter(english_pdf: bytes) -> None:
    pages = page_texts(english_pdf)
    assert "Exhibit 2: Contract · contract.pdf · 1/2" in squash(pages[1])
    assert "Exhibit alpha page one" in pages[1]
    assert "Exhibit alpha page two" in pages[2]
    assert "Approval" in pages[3]
    assert "Exhibit alpha" not in pages[0] + pages[3]


def test_exhibits_that_are_not_readable_pdfs_are_only_embedded() -> None:
    broken = Exhibit(
        title="Broken", file_name="b.pdf", media_type="application/pdf", content=b"%PDF-1.7 junk"
    )
    pdf = render_package(make_content(exhibits=(broken, CSV)))
    assert len(page_texts(pdf)) == 2
    assert sorted(attachments(pdf)) == ["b.pdf", "extract.csv"]


def test_no_exhibits_says_so_and_embeds_nothing() -> None:
    pdf = render_package(make_content(exhibits=()))
    assert "No exhibits are enclosed." in page_texts(pdf)[0]
    assert attachments(pdf) == {}


def test_metadata_and_pdfa_3b_identification(english_pdf: bytes) -> None:
    assert english_pdf.startswith(b"%PDF-1.7")
    reader = PdfReader(BytesIO(english_pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == f"Response to request {REFERENCE}"
    assert REFERENCE in str(info.subject)
    assert REFERENCE in str(info["/Keywords"])
    assert info["/CreationDate"] == "D:20260320100000Z"
    assert info["/ModDate"] == "D:20260320100000Z"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert f"Response to request {REFERENCE}" in xmp
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"


def test_the_pdf_names_the_docket_release_that_made_it(english_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(english_pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    made_by = f"Docket {metadata.version('docket')}"
    assert xmp.xmp_creator_tool == made_by
    assert reader.metadata is not None
    assert reader.metadata["/Creator"] == made_by


def test_identical_content_gives_identical_bytes(english_pdf: bytes) -> None:
    assert render_package(make_content()) == english_pdf


def test_different_content_gives_a_different_file_identifier(english_pdf: bytes) -> None:
    other = render_package(make_content(version=3))
    first = PdfReader(BytesIO(english_pdf)).trailer["/ID"][0]
    second = PdfReader(BytesIO(other)).trailer["/ID"][0]
    assert first != second


def test_the_signature_field_is_empty_space_on_the_last_page_below_its_label(
    english_pdf: bytes,
) -> None:
    page, x1, y1, x2, y2 = SIGNATURE_FIELD
    assert page == -1
    height = float(PdfReader(BytesIO(english_pdf)).pages[-1].mediabox.height)
    last = len(page_texts(english_pdf))
    bbox = pdftext(english_pdf, "-bbox", "-f", str(last), "-l", str(last))
    words = [
        (w, float(a), height - float(d), float(c), height - float(b))
        for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', bbox
        )
    ]  # (word, x1, y1, x2, y2) in PDF coordinates
    inside = [w for w in words if w[1] < x2 and w[3] > x1 and w[2] < y2 and w[4] > y1]
    assert inside == []
    label = next(w for w in words if w[0] == "Approved")
    assert x1 <= label[1] < x2
    assert y2 <= label[2] < y2 + 20


def test_build_html_is_what_gets_rendered() -> None:
    html = build_html(make_content(locale="ar"))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in html
    assert html.count("<style>") == 1
    assert "Noto Naskh Arabic" in html


def test_locale_and_time_zone_change_only_what_they_should() -> None:
    base = make_content()
    assert build_html(make_content(time_zone="UTC")) != build_html(base)
    assert build_html(base) == build_html(make_content())


def test_rotated_and_odd_sized_pdf_exhibits_are_scaled_into_the_frame() -> None:
    wide = make_pdf("Wide exhibit text")
    reader = PdfReader(BytesIO(wide))
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].rotate(90)
    writer.pages[0].mediabox.upper_right = (1200, 400)
    out = BytesIO()
    writer.write(out)
    exhibit = Exhibit(
        title="Plan", file_name="plan.pdf", media_type="application/pdf", content=out.getvalue()
    )
    pdf = render_package(make_content(exhibits=(exhibit,)))
    pages = PdfReader(BytesIO(pdf)).pages
    assert len(pages) == 3
    assert {float(p.mediabox.width) for p in pages} == {595.2756}
    assert "Exhibit 1: Plan" in page_texts(pdf)[1]


def test_another_process_renders_the_same_bytes(english_pdf: bytes) -> None:
    # Versions are compared by hash across restarts: nothing may depend on the process.
    code = (
        "import hashlib, sys; from tests.documents.conftest import make_content; "
        "from documents.render import render_package; "
        "sys.stdout.write(hashlib.sha256(render_package(make_content())).hexdigest())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert done.stdout == hashlib.sha256(english_pdf).hexdigest()


def test_incompressible_exhibits_are_stored_and_read_back_byte_for_byte() -> None:
    noise = hashlib.sha256(b"seed").digest()
    blob = b"".join(hashlib.sha256(noise + i.to_bytes(4, "big")).digest() for i in range(8192))
    photo = Exhibit(title="Photo", file_name="photo.png", media_type="image/png", content=blob)
    text = Exhibit(
        title="Log", file_name="log.txt", media_type="text/plain", content=b"line\n" * 50_000
    )
    pdf = render_package(make_content(exhibits=(photo, text)))
    embedded = attachments(pdf)
    assert embedded["photo.png"] == [blob]
    assert embedded["log.txt"] == [text.content]
    assert len(pdf) < len(blob) + len(text.content) // 10  # the text was deflated, not stored
    reader = PdfReader(BytesIO(pdf))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    streams = {
        names[i]: names[i + 1].get_object()["/EF"]["/F"].get_object()
        for i in range(0, len(names), 2)
    }
    assert "/Filter" not in streams["photo.png"]
    assert streams["log.txt"]["/Filter"] == "/FlateDecode"
    assert streams["photo.png"]["/Subtype"] == "/image/png"
