"""Fixtures for the renderer tests: package content, real PDF exhibits, poppler read-back."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from documents.package import Exhibit, PackageContent, PrintedRequest
from documents.render import render_package
from tests.conftest import IN_CI

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DUE = datetime(2026, 4, 2, 21, 59, tzinfo=UTC)
CREATED = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
REFERENCE = "REQ-2026-000123"


def make_pdf(*pages: str) -> bytes:
    """A real PDF (WeasyPrint, nothing fetched) with one page per text."""
    body = "".join(f'<p style="break-before: page">{text}</p>' for text in pages)
    pdf: bytes = HTML(string=body, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf()
    return pdf


EXHIBIT_PDF = make_pdf("Exhibit alpha page one", "Exhibit alpha page two")
CSV = Exhibit(
    title="Account extract",
    file_name="extract.csv",
    media_type="text/csv",
    content=b"account,opened\n4711,2019-05-01\n",
)
CONTRACT = Exhibit(
    title="Contract", file_name="contract.pdf", media_type="application/pdf", content=EXHIBIT_PDF
)


def make_content(**overrides: object) -> PackageContent:
    """Deterministic package content; override any field (of the printed request too)."""
    printed = PrintedRequest(
        reference=REFERENCE,
        authority_name="Bundesamt für Justiz",
        authority_contact="Adenauerallee 99\n53113 Bonn\npost@bfj.example",
        authority_reference="BfJ-4711/26",
        legal_basis="Art. 15 GDPR",
        received_at=RECEIVED,
        due_at=DUE,
        time_zone="Europe/Berlin",
    )
    of_request = {k: overrides.pop(k) for k in list(overrides) if hasattr(printed, k)}
    content = PackageContent(
        request=replace(printed, **of_request),  # type: ignore[arg-type]
        locale="en",
        organisation="Acme GmbH",
        response_markdown="We **hold** the requested data.\n\n- item one\n- item two\n",
        exhibits=(CSV, CONTRACT),
        version=2,
        created_at=CREATED,
        prepared_by="Erika Mustermann",
        approval_page=True,  # most tests read the approval page too; the letter alone is separate
    )
    return replace(content, **overrides)  # type: ignore[arg-type]


def need(tool: str) -> str:
    """The path of a poppler tool; missing tools skip locally and fail under CI."""
    path = shutil.which(tool)
    if path is None:
        if IN_CI:
            pytest.fail(f"{tool} (poppler-utils) is required in CI")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    done = subprocess.run(
        [need(tool), *args, "-", "-"] if tool == "pdftotext" else [need(tool), *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    assert done.stderr == b"", done.stderr  # poppler reports every syntax error it meets
    return done.stdout.decode("utf-8")


def pdftext(pdf: bytes, *args: str) -> str:
    """``pdftotext`` of the whole PDF (pages separated by form feeds)."""
    return _run("pdftotext", pdf, *args)


def page_texts(pdf: bytes) -> list[str]:
    """One text per page, read back by poppler."""
    return pdftext(pdf).split("\f")[:-1]


def pdffonts(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """``(font name, emb)`` for every font poppler lists."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [need("pdffonts"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    rows = out.splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def attachments(pdf: bytes) -> dict[str, list[bytes]]:
    """The embedded files, as pypdf sees them."""
    return dict(PdfReader(BytesIO(pdf)).attachments)


def squash(text: str) -> str:
    """Collapse runs of whitespace, so line wrapping does not matter."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def english_pdf() -> bytes:
    """The default content rendered once (English, a CSV and a two-page PDF exhibit)."""
    return render_package(make_content())


class _Counting(http.server.BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on a loopback port; yields (port, paths it was asked for)."""
    seen: list[str] = []
    handler = type("Handler", (_Counting,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
