"""PAdES signatures on response packages: the signing identity, signing, and checking.

A package approved by Legal is signed with the organisation's certificate (PEM files named by the
operator) or, when none is configured, with a demo identity: a small CA and a leaf certificate it
issued, created once in the data directory. A certificate used directly as its own CA does not
verify as trusted in poppler's `pdfsig`, hence the CA plus leaf pair.

Signing appends an incremental update, so the approved bytes stay a prefix of the signed file.
The signing time is the `signed_at` passed in (the signature dictionary's /M entry; PAdES
forbids the CMS signing-time attribute), and nothing here reads the clock. Three pyHanko defaults
would break PDF/A-3b and are overridden: the XMP ModifyDate (the wall clock; here `signed_at`),
the Info /Producer (made to match the XMP one) and the catalog /Version (raised to 2.0 for
ECDSA keys; kept at 1.7). A visible signature's appearance is rendered by WeasyPrint, so its
fonts are embedded; pyHanko's own text stamp would use a non-embedded standard font.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Final, TypeVar

from cryptography import x509
from pyhanko.keys import (
    load_certs_from_pemder_data,
    load_private_key_from_pemder_data,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import (
    IncrementalPdfFileWriter,
)
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.metadata.model import VENDOR, DocumentMetadata
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from weasyprint import HTML, URLFetcher

from documents.signing_identity import (
    DEMO_FILES,
    SigningError,
    SigningIdentity,
    common_name,
    demo_identity,
    load_identity,
)

__all__ = [
    "DEMO_FILES",
    "SignatureCheck",
    "SigningError",
    "SigningIdentity",
    "check_signature",
    "demo_identity",
    "load_identity",
    "sign_pdf",
]

DEFAULT_FIELD_NAME: Final = "Signature1"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True, kw_only=True)
class SignatureCheck:
    """What validating a PDF's last signature found.

    `intact`: the signed byte ranges hash to the signed digest. `valid`: intact, and the
    signature over it verifies with the signer's key. `trusted`: valid, and the signer's
    certificate chains to a given trust root. `signed_at` is the time the signer claims (/M).
    """

    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    covers_whole_file: bool


def _outside_event_loop(work: Callable[[], _T]) -> _T:
    """Run `work` here, or in a worker thread if this thread runs an event loop.

    pyHanko's synchronous API calls `asyncio.run`, which refuses to run inside a running loop.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


class _FixedTimePdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given rather than read from the system clock."""

    def __init__(
        self,
        signature_meta: signers.PdfSignatureMetadata,
        signer: signers.Signer,
        *,
        stamp_style: StaticStampStyle | None,
        new_field_spec: fields.SigFieldSpec,
        signing_time: datetime,
    ) -> None:
        super().__init__(
            signature_meta, signer, stamp_style=stamp_style, new_field_spec=new_field_spec
        )
        self._signing_time = signing_time

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session

    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        """Declare only the PAdES (ESIC) extension, so the document stays PDF 1.7.

        pyHanko also declares ISO 32002 for ECDSA on P-256, which raises the catalog /Version
        to 2.0: a PDF/A-3 file must stay on ISO 32000-1 (PDF 1.7).
        """
        pdf_out.ensure_output_version(version=(1, 7))  # type: ignore[no-untyped-call]
        pdf_out.register_extension(ESIC_EXTENSION_1)


class _PinnedMetadata(DocumentMetadata):
    """Document metadata whose modification time stays fixed when pyHanko stamps "now" on it."""

    def __init__(self, modified_at: datetime, creator: str | None) -> None:
        object.__setattr__(self, "_modified_at", modified_at)
        super().__init__(last_modified=modified_at, creator=creator)

    def __setattr__(self, name: str, value: object) -> None:
        if name == "last_modified" and value == "now":
            value = object.__getattribute__(self, "_modified_at")
        super().__setattr__(name, value)


class _PdfAUpdateWriter(IncrementalPdfFileWriter):
    """An incremental writer that keeps the document's PDF/A metadata consistent.

    pyHanko stamps the wall clock as XMP ModifyDate and writes different producers into the
    Info dictionary ("WeasyPrint 70.0; pyHanko 0.38.0") and the XMP ("pyHanko 0.38.0"), which
    PDF/A forbids (ISO 19005-3, 6.6.2.3.1). Here the modification time is `modified_at`, the
    Info producer is set to the XMP one, and the creator (the Docket release that rendered the
    document) is carried into the XMP that pyHanko writes afresh.
    """

    def __init__(self, pdf: bytes, *, modified_at: datetime) -> None:
        super().__init__(BytesIO(pdf), strict=False)
        info = self.trailer["/Info"].get_object() if "/Info" in self.trailer else {}
        creator = info.get("/Creator")
        self._meta = _PinnedMetadata(modified_at, str(creator) if creator is not None else None)

    def _update_meta(self) -> None:
        super()._update_meta()  # type: ignore[no-untyped-call]
        if self._info is not None and "/Metadata" in self.root:
            info = self._info.get_object()  # type: ignore[no-untyped-call]
            info["/Producer"] = generic.TextStringObject(VENDOR)
            self.mark_update(self._info)


class _RenderedAppearance(PdfContent):
    """The first page of an in-memory PDF, imported as the signature's appearance."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self._pdf = pdf

    def render(self) -> bytes:
        xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(BytesIO(self._pdf)))
        self.resources.xobject["/DocketAppearance"] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/DocketAppearance Do"


def _appearance_pdf(width: float, height: float, lines: tuple[str, ...]) -> bytes:
    """A one-page PDF of `width` x `height` points showing `lines`, fonts embedded."""
    size = max(4.0, min(9.0, (height - 6) / (1.25 * max(len(lines), 1))))
    body = "<br>".join(html.escape(line) for line in lines)
    page = (
        f"<style>@page{{size:{width:.2f}pt {height:.2f}pt;margin:0}}"
        f"body{{margin:0;font:{size:.2f}pt/1.25 sans-serif;color:#000}}"
        "div{height:100vh;box-sizing:border-box;border:0.75pt solid #333;padding:2pt 3pt;"
        f"overflow:hidden}}</style><div>{body}</div>"
    )
    pdf: bytes = HTML(string=page, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf()
    return pdf


def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    signer_name: str,
    reason: str,
    location: str,
    signed_at: datetime,
    box: tuple[int, float, float, float, float] | None = None,
    field_name: str = DEFAULT_FIELD_NAME,
    appearance_lines: tuple[str, ...] | None = None,
) -> bytes:
    """Sign `pdf` with a PAdES baseline signature (SHA-256) in an incremental update.

    Args:
        pdf: the document; its bytes stay a prefix of the result.
        identity: the certificate, key and chain to sign with.
        signer_name: the person approving, shown in the signature (/Name).
        reason: why it is signed (/Reason).
        location: where it is signed (/Location).
        signed_at: the signing time, aware; written as the signature's /M.
        box: a visible signature as (page index, x1, y1, x2, y2) in points from the page's
            lower left corner; page index -1 is the last page. None signs invisibly.
        field_name: the signature field; an existing empty field of that name is filled.
        appearance_lines: the visible signature's text, e.g. translated; by default English
            lines with the signer, reason, location and `signed_at` in UTC.

    Returns:
        The signed PDF.

    Raises:
        SigningError: if `signed_at` is naive or pyHanko cannot read or sign the PDF.
    """
    if signed_at.tzinfo is None:
        raise SigningError("sign_pdf needs an aware `signed_at`")
    when = signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = appearance_lines or (
        f"Digitally signed by {signer_name}",
        f"Reason: {reason}",
        f"Location: {location}",
        f"Date: {when}",
    )

    def work() -> bytes:
        chain = [load_certs_from_pemder_data(pem) for pem in identity.chain_pem]
        signer = signers.SimpleSigner(
            signing_cert=next(iter(load_certs_from_pemder_data(identity.cert_pem))),
            signing_key=load_private_key_from_pemder_data(identity.key_pem, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [cert for certs in chain for cert in certs]
            ),
        )
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            name=signer_name,
            reason=reason,
            location=location,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        stamp, spec = None, fields.SigFieldSpec(field_name)
        if box is not None:
            page, x1, y1, x2, y2 = box
            corners = (round(x1), round(y1), round(x2), round(y2))
            spec = fields.SigFieldSpec(field_name, on_page=page, box=corners)
            appearance = _RenderedAppearance(_appearance_pdf(abs(x2 - x1), abs(y2 - y1), lines))
            stamp = StaticStampStyle(background=appearance, border_width=0)
        pdf_signer = _FixedTimePdfSigner(
            meta, signer=signer, new_field_spec=spec, stamp_style=stamp, signing_time=signed_at
        )
        # A fixed reservation spares pyHanko a dry-run signature to estimate the CMS size.
        reserve = 8192 + 2 * sum(len(pem) for pem in (identity.cert_pem, *identity.chain_pem))
        writer = _PdfAUpdateWriter(pdf, modified_at=signed_at)
        output = pdf_signer.sign_pdf(writer, bytes_reserved=reserve)
        signed: bytes = output.getvalue()
        return signed

    try:
        return _outside_event_loop(work)
    except SigningError:
        raise
    except Exception as exc:  # pyHanko raises many types (PdfReadError, SigningError, ...)
        raise SigningError(f"cannot sign the PDF: {type(exc).__name__}: {exc}") from exc


def check_signature(
    pdf: bytes, trust_roots: tuple[bytes, ...], *, now: datetime | None = None
) -> SignatureCheck:
    """Validate the last signature in `pdf` with pyHanko, trusting only `trust_roots`.

    Args:
        pdf: the signed document.
        trust_roots: PEM or DER certificates to trust (no system trust list, no fetching).
        now: the validation time; None lets pyHanko use the current time.

    A signature container that pyHanko cannot parse or check counts as neither intact nor
    valid (with an empty `signer`).

    Raises:
        SigningError: if the PDF cannot be read or holds no signature, or a trust root is not
            a certificate.
    """
    try:
        roots = [cert for root in trust_roots for cert in load_certs_from_pemder_data(root)]
    except ValueError as exc:
        raise SigningError(f"a trust root is not a certificate: {exc}") from None

    def work() -> SignatureCheck:
        try:
            signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
        except Exception as exc:
            raise SigningError(f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc
        if not signatures:
            raise SigningError("the PDF holds no signature")
        context = ValidationContext(trust_roots=roots, moment=now)
        try:
            status = validate_pdf_signature(signatures[-1], context)
        except Exception:  # a malformed container: pyHanko raises rather than reports
            return SignatureCheck(
                intact=False,
                valid=False,
                trusted=False,
                signer="",
                signed_at=None,
                covers_whole_file=False,
            )
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        intact = bool(status.intact)
        valid = intact and bool(status.valid)
        return SignatureCheck(
            intact=intact,
            valid=valid,
            trusted=valid and bool(status.trusted),
            signer=common_name(cert),
            signed_at=status.signer_reported_dt,
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        )

    return _outside_event_loop(work)
