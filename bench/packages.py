"""Benchmark: a 20-page response package with 10 exhibits, end to end, against the bare render.

Eight of the twenty pages are the pages of three PDF exhibits, drawn into the letter's
placeholder pages; the bench checks that they are drawn (in the package, not in the bare render)
and fails otherwise, so that the ratio always includes that work.

Run: .venv/bin/python bench/packages.py [runs]

The baseline is measured in the same run: WeasyPrint rendering the package's final HTML
(`build_html`) to PDF/A-3b alone, with the same locked-down asset fetcher. The package is
`render_package` (HTML assembly, exhibit hashing and embedding, drawing the PDF exhibits' pages)
followed by `sign_pdf` (PAdES, demo P-256 identity, visible signature on the approval page).
Goal: the package costs at most 30% more than the bare render.
"""

from __future__ import annotations

import io
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML, URLFetcher

from documents.exhibit_pages import pdf_page_count
from documents.fetcher import AssetFetcher
from documents.package import Exhibit, PackageContent, PrintedRequest
from documents.render import SIGNATURE_FIELD, build_html, render_package
from documents.signing import SigningIdentity, demo_identity, sign_pdf

SEED = 20260302
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECTIONS = 14
TARGET_PAGES = 20
GOAL_OVERHEAD = 0.30
PDF = "application/pdf"
DRAWN = re.compile(rb"/DocketExhibit\d+ Do\b")


def noise_png(rng: random.Random, side: int) -> bytes:
    """An incompressible RGB PNG of `side` x `side` pixels (about 3 * side**2 bytes)."""
    image = Image.frombytes("RGB", (side, side), rng.randbytes(3 * side * side))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def exhibit_pdf(rng: random.Random, title: str, pages: int, side: int) -> bytes:
    """A small PDF of `pages` pages, each with a paragraph and a noise image."""
    import base64  # noqa: PLC0415 - only the exhibits need it

    image = base64.b64encode(noise_png(rng, side)).decode()
    page = (
        f"<section style='page-break-after: always'><h1>{title}</h1>"
        f"<p>{'Record of the account activity. ' * 40}</p>"
        f"<img src='data:image/png;base64,{image}' style='width: 12cm'></section>"
    )
    pdf: bytes = HTML(
        string=page * pages, url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).write_pdf()
    return pdf


def csv_text(rng: random.Random, rows: int) -> bytes:
    lines = ["timestamp,ip,user_agent,action,bytes"]
    for row in range(rows):
        at = T0 - timedelta(seconds=rng.randrange(90 * 24 * 3600))
        ip = ".".join(str(rng.randrange(256)) for _ in range(4))
        lines.append(f"{at.isoformat()},{ip},Mozilla/5.0 (X11; Linux) {row},login,{rng.random()}")
    return ("\n".join(lines) + "\n").encode()


def make_exhibits() -> tuple[Exhibit, ...]:
    """Ten exhibits of about 100 KB to 1 MB: three PDFs (8 pages), CSV, text, JSON, PNGs."""
    rng = random.Random(SEED)
    text = " ".join(
        rng.choice(["subscriber", "account", "message", "sent", "at"]) for _ in range(40_000)
    )
    json_rows = ",\n".join(f'{{"id": {i}, "value": {rng.random()}}}' for i in range(9_000))
    made = [
        ("Subscriber record", "subscriber.pdf", PDF, exhibit_pdf(rng, "Subscriber", 2, 200)),
        ("Billing statements", "billing.pdf", PDF, exhibit_pdf(rng, "Billing", 5, 180)),
        ("Court order", "order.pdf", PDF, exhibit_pdf(rng, "Order", 1, 190)),
        ("Login log", "logins.csv", "text/csv", csv_text(rng, 5_000)),
        ("Payment log", "payments.csv", "text/csv", csv_text(rng, 1_500)),
        ("Message headers", "headers.txt", "text/plain", text.encode()),
        ("Notes", "notes.txt", "text/plain", text[:110_000].encode()),
        ("Export", "export.json", "application/json", f"[{json_rows}]".encode()),
        ("Profile photo", "photo.png", "image/png", noise_png(rng, 580)),
        ("Screenshot", "screenshot.png", "image/png", noise_png(rng, 320)),
    ]
    return tuple(Exhibit(title=t, file_name=f, media_type=m, content=c) for t, f, m, c in made)


def make_content(sections: int) -> PackageContent:
    """A response long enough for about TARGET_PAGES pages with the exhibits' pages."""
    paragraph = (
        "The account identified in the request was opened on 4 May 2021. We searched the "
        "subscriber, billing and login systems for the period named in the order and enclose "
        "the records found as exhibits. Records outside that period are not included. "
    ) * 3
    parts = [f"Dear Sir or Madam,\n\nWe respond to your request of {T0:%d %B %Y}.\n"]
    for number in range(1, sections + 1):
        rows = "\n".join(f"| {number}.{i} | record {i} | {i * 17} |" for i in range(1, 9))
        parts.append(
            f"## {number}. Findings, part {number}\n\n{paragraph}\n\n"
            f"- the subscriber record\n- the billing statements\n- the login log\n\n"
            f"| item | description | count |\n|---|---|---|\n{rows}\n\n{paragraph}\n"
        )
    return PackageContent(
        request=PrintedRequest(
            reference="REQ-2026-000123",
            authority_name="Landeskriminalamt Berlin",
            authority_contact="Platz der Luftbrücke 6\n12101 Berlin",
            authority_reference="LKA 123/26",
            legal_basis="§ 100j StPO",
            received_at=T0,
            due_at=T0 + timedelta(days=14),
            time_zone="Europe/Berlin",
        ),
        locale="en",
        organisation="Acme GmbH",
        response_markdown="\n".join(parts),
        exhibits=make_exhibits(),
        version=1,
        created_at=T0 + timedelta(days=3),
        prepared_by="Jane Doe",
        approval_page=True,  # the signature below is drawn on it, as with the setting on
    )


def drawn_pages(pdf: bytes) -> int:
    """How many pages of `pdf` draw a PDF exhibit's page (a `/DocketExhibitN Do` operator)."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        contents = page.get_contents()
        if contents is not None and DRAWN.search(contents.get_data()):
            count += 1
    return count


def interleaved(
    actions: dict[str, Callable[[], bytes]], runs: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU seconds of each action, `runs` times, taking turns.

    Taking turns makes a busy machine slow them alike; CPU time (all single-threaded here)
    barely depends on what else the machine runs.
    """
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            times[name][0].append(time.perf_counter() - wall)
            times[name][1].append(time.process_time() - cpu)
    return times


def main() -> None:
    """Print the page count, bare and package times, their ratio and the overhead."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    content = make_content(SECTIONS)
    html = build_html(content)
    sizes = sorted(len(e.content) for e in content.exhibits)
    with tempfile.TemporaryDirectory() as data_dir:
        identity: SigningIdentity = demo_identity(Path(data_dir), content.organisation, now=T0)

    def bare() -> bytes:
        pdf: bytes = HTML(string=html, url_fetcher=AssetFetcher()).write_pdf(pdf_variant="pdf/a-3b")
        return pdf

    def sign(pdf: bytes) -> bytes:
        return sign_pdf(
            pdf,
            identity,
            signer_name="Jane Doe",
            reason="Approved by Legal",
            location="Berlin",
            signed_at=T0 + timedelta(days=4),
            box=SIGNATURE_FIELD,
        )

    rendered = render_package(content)  # also warms fonts and caches
    signed, bare_pdf = sign(rendered), bare()
    pages = len(PdfReader(io.BytesIO(signed)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare_pdf)).pages)
    if not TARGET_PAGES - 2 <= pages <= TARGET_PAGES + 2:
        raise SystemExit(f"the package has {pages} pages, not about {TARGET_PAGES}")
    exhibit_pages = sum(pdf_page_count(e.content) for e in content.exhibits)
    drawn, bare_drawn = drawn_pages(signed), drawn_pages(bare_pdf)
    if exhibit_pages < 8 or drawn != exhibit_pages or bare_drawn:
        raise SystemExit(
            f"{drawn} pages of the package draw a PDF exhibit's page ({bare_drawn} of the bare "
            f"render), not the {exhibit_pages} pages of its PDF exhibits"
        )
    times = interleaved(
        {
            "bare render": bare,
            "package": lambda: sign(render_package(content)),
            "  render": lambda: render_package(content),
            "  sign": lambda: sign(rendered),
        },
        runs,
    )
    print(
        f"package: {pages} pages ({bare_pages} from the HTML, {drawn} of them with a PDF "
        f"exhibit's page drawn in), {len(content.exhibits)} exhibits "
        f"of {sizes[0] / 1e3:.0f} KB to {sizes[-1] / 1e6:.2f} MB ({sum(sizes) / 1e6:.2f} MB); "
        f"signed PDF {len(signed) / 1e6:.2f} MB; runs: {runs}, interleaved"
    )
    print(f"{'':<12} {'wall best':>10} {'median':>10} {'cpu best':>10} {'median':>10}  (ms)")
    for name, (wall, cpu) in times.items():
        print(
            f"{name:<12} {min(wall) * 1e3:10.1f} {statistics.median(wall) * 1e3:10.1f} "
            f"{min(cpu) * 1e3:10.1f} {statistics.median(cpu) * 1e3:10.1f}"
        )
    for kind, index in (("wall", 0), ("cpu", 1)):
        bare_best = min(times["bare render"][index])
        ratio = min(times["package"][index]) / bare_best
        verdict = "met" if ratio - 1 <= GOAL_OVERHEAD else "MISSED"
        goal = f"goal <= {GOAL_OVERHEAD * 100:.0f}%: {verdict}"
        print(
            f"{kind + ':':<5} ratio {ratio:5.2f} x, overhead {(ratio - 1) * 100:6.1f} % "
            f"(package / bare render, best of {runs}; {goal})"
        )


if __name__ == "__main__":
    main()
