"""Draw the pages of PDF exhibits into the placeholder pages the letter left for them.

WeasyPrint cannot embed a PDF page, so the letter carries one placeholder page per exhibit page
(with the reference, the caption and ``page X of Y`` already on it). Each exhibit page becomes a
form XObject that the placeholder draws, scaled to fit, in the frame below the caption. Nothing is
parsed: the exhibit's content stream is copied as is, which keeps this fast for large exhibits.
The letter's catalog (XMP with the PDF/A identification, output intent, embedded files, ``/AF``)
and its ``/ID`` are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Final

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)

_PDF_MAGIC: Final = b"%PDF-"


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """A rectangle in PDF points, origin at the bottom-left corner of the page."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        """Horizontal extent."""
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        """Vertical extent."""
        return self.y2 - self.y1


def pdf_page_count(data: bytes) -> int:
    """How many pages ``data`` contributes: 0 unless it is a readable, unencrypted PDF."""
    if _PDF_MAGIC not in data[:1024]:
        return 0
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            return 0
        for page in reader.pages:
            _ = page.cropbox.width, page.rotation  # a page we cannot place is no page
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return 0


def _placement(page: PageObject, frame: Frame) -> Transformation:
    """Rotate a page as its ``/Rotate`` shows it, then scale it into ``frame``, top-centred."""
    box = page.cropbox
    turned = Transformation().rotate(-(page.rotation % 360))  # /Rotate is clockwise
    corners = [
        turned.apply_on((float(x), float(y)))
        for x in (box.left, box.right)
        for y in (box.bottom, box.top)
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(frame.width / width, frame.height / height)
    return (
        turned.translate(-min(xs), -min(ys))
        .scale(scale, scale)
        .translate(frame.x1 + (frame.width - width * scale) / 2, frame.y2 - height * scale)
    )


def _as_form(page: PageObject, writer: PdfWriter) -> StreamObject:
    """The page as a form XObject (its content stream, resources and crop box), in ``writer``."""
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    box = page.cropbox
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)
            ),
            NameObject("/Resources"): page.get("/Resources", DictionaryObject())
            .get_object()
            .clone(writer),
        }
    )
    return form.flate_encode()


def _draw(
    target: PageObject, form: StreamObject, placement: Transformation, writer: PdfWriter
) -> None:
    resources = target.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    name = NameObject(f"/DocketExhibit{len(xobjects)}")
    xobjects[name] = writer._add_object(form)  # pypdf 7 has no public way to add an object
    matrix = " ".join(f"{v:.6f}" for v in placement.ctm)
    wrap_open, draw = DecodedStreamObject(), DecodedStreamObject()
    wrap_open.set_data(b"q\n")
    draw.set_data(f"\nQ\nq {matrix} cm {name} Do Q\n".encode("ascii"))
    existing = target["/Contents"]
    resolved = existing.get_object()
    parts = list(resolved) if isinstance(resolved, ArrayObject) else [existing]
    target[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(wrap_open), *parts, writer._add_object(draw)]
    )


def merge_exhibit_pages(letter: bytes, exhibits: Sequence[bytes], *, frame: Frame) -> bytes:
    """Draw every page of ``exhibits`` into the letter's placeholder pages.

    Requires the placeholders to be the pages just before the letter's last page, one per
    exhibit page, in order.
    """
    original = PdfReader(BytesIO(letter))
    writer = PdfWriter(clone_from=original)
    writer.pdf_header = original.pdf_header  # keep %PDF-1.7 (pypdf would write 1.3)
    readers = [PdfReader(BytesIO(data), strict=False) for data in exhibits]
    target = len(writer.pages) - 1 - sum(len(r.pages) for r in readers)
    for reader in readers:
        for page in reader.pages:
            _draw(writer.pages[target], _as_form(page, writer), _placement(page, frame), writer)
            target += 1
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
