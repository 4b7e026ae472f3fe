"""PAdES signing of response packages: identities, signatures checked by pyHanko and by pdfsig."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pypdf import PdfReader
from weasyprint import HTML, URLFetcher

from documents.signing import (
    DEMO_FILES,
    SigningError,
    SigningIdentity,
    check_signature,
    demo_identity,
    load_identity,
    sign_pdf,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIGNED_AT = datetime(2026, 3, 4, 16, 5, 7, tzinfo=UTC)
BOX = (-1, 350.0, 50.0, 550.0, 110.0)
PAGES = 3


GENERATOR = "Docket 9.8.7"


def make_pdfa(pages: int = PAGES) -> bytes:
    body = "".join(
        f'<h1 style="page-break-before: always">Part {n}</h1><p>Response text {n}.</p>'
        for n in range(1, pages + 1)
    )
    head = f"<title>Response</title><meta name='generator' content='{GENERATOR}'>"
    html = f"<html lang='en'><head>{head}</head><body>{body}</body></html>"
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=set())).write_pdf(
        pdf_variant="pdf/a-3b"
    )
    return pdf


def sign(pdf: bytes, identity: SigningIdentity, **overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "signer_name": "Jane Doe",
        "reason": "Approved by Legal",
        "location": "Berlin",
        "signed_at": SIGNED_AT,
        "box": BOX,
    }
    arguments.update(overrides)
    return sign_pdf(pdf, identity, **arguments)  # type: ignore[arg-type]


def xmp_text(pdf: bytes) -> str:
    metadata = PdfReader(BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object()
    return metadata.get_data().decode()


@pytest.fixture(scope="module")
def pdfa() -> bytes:
    return make_pdfa()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def identity(data_dir: Path) -> SigningIdentity:
    return demo_identity(data_dir, "Acme GmbH", now=T0)


@pytest.fixture(scope="module")
def ca_pem(identity: SigningIdentity, data_dir: Path) -> bytes:
    return (data_dir / "signing" / "demo-ca.pem").read_bytes()


@pytest.fixture(scope="module")
def signed(pdfa: bytes, identity: SigningIdentity) -> bytes:
    return sign(pdfa, identity)


# ---------------------------------------------------------------- pdfsig with an NSS database
def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (poppler-utils / libnss3-tools)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def nss_db(directory: Path, *trusted_pems: bytes) -> Path:
    certutil = require_tool("certutil")
    directory.mkdir()
    subprocess.run([certutil, "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    for index, pem in enumerate(trusted_pems):
        cert_file = directory / f"ca-{index}.pem"
        cert_file.write_bytes(pem)
        command = [certutil, "-A", "-d", f"sql:{directory}", "-n", f"ca-{index}", "-t", "CT,C,C"]
        subprocess.run([*command, "-i", str(cert_file)], check=True)
    return directory


def pdfsig(pdf: bytes, nssdb: Path, tmp_path: Path) -> str:
    binary = require_tool("pdfsig")
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [binary, "-nssdir", f"sql:{nssdb}", str(path)], capture_output=True, text=True, check=False
    )
    return result.stdout + result.stderr


def flip_signed_byte(pdf: bytes) -> bytes:
    """Flip one bit inside the first compressed stream, well inside the first signed range."""
    reader = PdfReader(BytesIO(pdf))
    first_range_end = int(reader.trailer["/Root"]["/AcroForm"]["/Fields"][0]["/V"]["/ByteRange"][1])
    at = pdf.index(b"stream\n") + 20
    assert at < first_range_end
    tampered = bytearray(pdf)
    tampered[at] ^= 0x01
    return bytes(tampered)


def test_pdfsig_says_valid_and_trusted_with_the_demo_ca_in_nss(
    signed: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    report = pdfsig(signed, nss_db(tmp_path / "nss", ca_pem), tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report
    assert "SHA-256" in report
    assert "Signing Time: Mar 04 2026 16:05:07" in report
    assert "Signer Certificate Common Name: Acme GmbH (Docket demo signer)" in report


def test_pdfsig_does_not_trust_the_signer_without_the_ca(signed: bytes, tmp_path: Path) -> None:
    report = pdfsig(signed, nss_db(tmp_path / "empty-nss"), tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." not in report
    assert "Certificate issuer isn't Trusted." in report


def test_pdfsig_reports_a_flipped_byte_as_a_digest_mismatch(
    signed: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    report = pdfsig(flip_signed_byte(signed), nss_db(tmp_path / "nss", ca_pem), tmp_path)
    assert "Signature is Valid." not in report
    assert "Digest Mismatch." in report


def corrupt_signature_value(pdf: bytes) -> bytes:
    """Change the last byte of the CMS (the end of the ECDSA signature value)."""
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    end = start + len(pdf[start : pdf.index(b">", start)].rstrip(b"0"))
    last = pdf[end - 2 : end]
    return pdf[: end - 2] + (b"11" if last == b"00" else b"00") + pdf[end:]


def test_pdfsig_reports_a_corrupted_signature_value_as_invalid(
    signed: bytes, ca_pem: bytes, tmp_path: Path
) -> None:
    report = pdfsig(corrupt_signature_value(signed), nss_db(tmp_path / "nss", ca_pem), tmp_path)
    assert "Signature is Valid." not in report
    assert "Signature Validation: Signature is Invalid." in report


# ---------------------------------------------------------------- pyHanko validation
def test_check_signature_finds_intact_valid_and_trusted_with_the_ca_as_root(
    signed: bytes, ca_pem: bytes
) -> None:
    check = check_signature(signed, (ca_pem,))
    assert (check.intact, check.valid, check.trusted) == (True, True, True)
    assert check.signer == "Acme GmbH (Docket demo signer)"
    assert check.signed_at == SIGNED_AT
    assert check.covers_whole_file


def test_check_signature_does_not_trust_another_ca(signed: bytes, tmp_path: Path) -> None:
    demo_identity(tmp_path, "Other Org", now=T0)
    other_ca = (tmp_path / "signing" / "demo-ca.pem").read_bytes()
    check = check_signature(signed, (other_ca,))
    assert (check.intact, check.valid, check.trusted) == (True, True, False)


def test_check_signature_finds_a_flipped_byte(signed: bytes, ca_pem: bytes) -> None:
    check = check_signature(flip_signed_byte(signed), (ca_pem,))
    assert not check.intact
    assert not check.valid


def test_check_signature_finds_a_corrupted_signature_value_intact_but_invalid(
    signed: bytes, ca_pem: bytes
) -> None:
    check = check_signature(corrupt_signature_value(signed), (ca_pem,))
    assert (check.intact, check.valid, check.trusted) == (True, False, False)


def test_check_signature_refuses_a_trust_root_that_is_not_a_certificate(signed: bytes) -> None:
    with pytest.raises(SigningError, match="trust root"):
        check_signature(signed, (b"not a certificate",))


def test_check_signature_sees_bytes_appended_after_the_signature(
    signed: bytes, ca_pem: bytes
) -> None:
    check = check_signature(signed + b"\n% appended\n", (ca_pem,))
    assert check.intact
    assert not check.covers_whole_file


def test_check_signature_refuses_an_unsigned_pdf(pdfa: bytes) -> None:
    with pytest.raises(SigningError, match="no signature"):
        check_signature(pdfa, ())


# ---------------------------------------------------------------- the signed document
def test_the_original_bytes_are_a_prefix_of_the_signed_pdf(pdfa: bytes, signed: bytes) -> None:
    assert signed.startswith(pdfa)
    assert len(signed) > len(pdfa)


def test_signing_keeps_the_pdfa_3b_identification_and_pins_the_metadata_time(
    pdfa: bytes, signed: bytes
) -> None:
    before, after = xmp_text(pdfa), xmp_text(signed)
    assert re.search(r'pdfaid:part(="|>)3', before)
    assert re.search(r'pdfaid:part(="|>)3', after)
    assert re.search(r'pdfaid:conformance(="|>)B', after)
    assert 'xmp:ModifyDate="2026-03-04T16:05:07+00:00"' in after  # signed_at, not the clock
    reader = PdfReader(BytesIO(signed))
    producer = re.search(r'pdf:Producer="([^"]*)"', after)
    assert producer is not None
    assert reader.metadata is not None
    assert reader.metadata["/Producer"] == producer.group(1)  # Info and XMP agree (PDF/A)
    assert reader.pdf_header == "%PDF-1.7"
    assert "/Version" not in reader.trailer["/Root"]  # still PDF 1.7, as PDF/A-3 requires
    # the signed file still names the Docket release that rendered it
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.xmp_creator_tool == GENERATOR


def test_the_visible_signature_sits_on_the_last_page_with_its_text(
    signed: bytes, tmp_path: Path
) -> None:
    reader = PdfReader(BytesIO(signed))
    assert len(reader.pages) == PAGES
    widgets = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    assert [float(v) for v in widgets[0]["/Rect"]] == [350.0, 50.0, 550.0, 110.0]
    assert widgets[0]["/P"].get_object() == reader.pages[-1].get_object()
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    pdftotext = require_tool("pdftotext")
    last = str(PAGES)
    text = subprocess.run(
        [pdftotext, "-f", last, "-l", last, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Digitally signed by Jane Doe" in text
    assert "Date: 2026-03-04 16:05:07 UTC" in text
    pdffonts = require_tool("pdffonts")
    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows
    assert all(" yes " in row for row in rows)  # every font embedded, the appearance's too


def test_an_invisible_signature_has_an_empty_rectangle(
    pdfa: bytes, identity: SigningIdentity, ca_pem: bytes
) -> None:
    signed = sign(pdfa, identity, box=None)
    reader = PdfReader(BytesIO(signed))
    field = reader.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()
    assert [float(v) for v in field["/Rect"]] == [0.0, 0.0, 0.0, 0.0]
    assert check_signature(signed, (ca_pem,)).trusted


def test_signing_a_naive_time_is_refused(pdfa: bytes, identity: SigningIdentity) -> None:
    with pytest.raises(SigningError, match="aware"):
        sign(pdfa, identity, signed_at=datetime(2026, 3, 4, 16, 5))  # noqa: DTZ001


def test_signing_something_that_is_not_a_pdf_is_a_signing_error(
    identity: SigningIdentity,
) -> None:
    with pytest.raises(SigningError, match="cannot sign the PDF"):
        sign(b"%PDF-1.7\nnot really\n", identity)


async def test_signing_and_checking_work_inside_a_running_event_loop(
    pdfa: bytes, identity: SigningIdentity, ca_pem: bytes
) -> None:
    signed = sign(pdfa, identity, box=None)
    assert check_signature(signed, (ca_pem,)).trusted


# ---------------------------------------------------------------- identities
def test_the_demo_identity_is_created_once_and_reused(tmp_path: Path) -> None:
    first = demo_identity(tmp_path, "Acme GmbH", now=T0)
    files = {name: (tmp_path / "signing" / name).read_bytes() for name in DEMO_FILES}
    second = demo_identity(tmp_path, "Another name", now=datetime(2027, 1, 1, tzinfo=UTC))
    assert second == first
    assert {name: (tmp_path / "signing" / name).read_bytes() for name in DEMO_FILES} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signing"]  # no staging left behind
    for name in ("demo-ca-key.pem", "signing-key.pem"):
        assert stat.S_IMODE((tmp_path / "signing" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "signing").stat().st_mode) == 0o700


def test_concurrent_first_runs_agree_on_one_demo_identity(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: demo_identity(tmp_path, "Acme", now=T0), range(8)))
    assert len(set(made)) == 1
    assert sorted(p.name for p in (tmp_path / "signing").iterdir()) == sorted(DEMO_FILES)


def test_the_demo_chain_is_a_ca_and_a_leaf_it_issued(tmp_path: Path) -> None:
    identity = demo_identity(tmp_path, "Acme GmbH", now=T0)
    ca_file = (tmp_path / "signing" / "demo-ca.pem").read_bytes()
    assert identity.chain_pem == (ca_file,)
    ca = x509.load_pem_x509_certificate(ca_file)
    leaf = x509.load_pem_x509_certificate(identity.cert_pem)
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment
    assert not usage.key_cert_sign
    leaf_key = leaf.public_key()
    assert isinstance(leaf_key, ec.EllipticCurvePublicKey)
    assert leaf_key.curve.name == "secp256r1"
    assert leaf.not_valid_before_utc <= T0
    assert (leaf.not_valid_after_utc - T0).days >= 3 * 365
    assert identity.subject == "Acme GmbH (Docket demo signer)"
    assert b"PRIVATE KEY" not in repr(identity).encode()


def test_an_incomplete_demo_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "signing").mkdir()
    (tmp_path / "signing" / "demo-ca.pem").write_bytes(b"left over")
    with pytest.raises(SigningError, match="incomplete demo identity"):
        demo_identity(tmp_path, "Acme GmbH", now=T0)


def test_the_demo_identity_needs_an_aware_now(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="aware"):
        demo_identity(tmp_path, "Acme GmbH", now=datetime(2026, 3, 2))  # noqa: DTZ001


def test_load_identity_reads_the_demo_files(tmp_path: Path) -> None:
    identity = demo_identity(tmp_path, "Acme GmbH", now=T0)
    folder = tmp_path / "signing"
    assert load_identity(folder / "signing-cert.pem", folder / "signing-key.pem") == identity


def test_load_identity_with_a_file_that_is_not_a_certificate(tmp_path: Path) -> None:
    demo_identity(tmp_path, "Acme GmbH", now=T0)
    bad = tmp_path / "bad.pem"
    bad.write_text("this is not a certificate\n")
    with pytest.raises(SigningError, match=r"bad\.pem holds no PEM certificate"):
        load_identity(bad, tmp_path / "signing" / "signing-key.pem")
    with pytest.raises(SigningError, match=r"bad\.pem holds no readable PEM private key"):
        load_identity(tmp_path / "signing" / "signing-cert.pem", bad)
    with pytest.raises(SigningError, match=r"cannot read .*missing\.pem"):
        load_identity(tmp_path / "missing.pem", bad)


def test_load_identity_refuses_a_key_of_another_certificate(tmp_path: Path) -> None:
    demo_identity(tmp_path, "Acme GmbH", now=T0)
    folder = tmp_path / "signing"
    with pytest.raises(SigningError, match="is not the key of the first certificate"):
        load_identity(folder / "signing-cert.pem", folder / "demo-ca-key.pem")


def test_load_identity_opens_an_encrypted_key_with_its_passphrase(tmp_path: Path) -> None:
    identity = demo_identity(tmp_path, "Acme GmbH", now=T0)
    key = serialization.load_pem_private_key(identity.key_pem, password=None)
    encrypted = tmp_path / "encrypted-key.pem"
    encrypted.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"correct horse"),
        )
    )
    cert = tmp_path / "signing" / "signing-cert.pem"
    with pytest.raises(SigningError, match="encrypted"):
        load_identity(cert, encrypted)
    assert load_identity(cert, encrypted, passphrase=b"correct horse") == identity


def test_an_rsa_leaf_from_files_with_its_chain_signs_and_verifies(
    pdfa: bytes, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    demo_identity(tmp_path, "Acme GmbH", now=T0)
    folder = tmp_path / "signing"
    ca_file = (folder / "demo-ca.pem").read_bytes()
    ca = x509.load_pem_x509_certificate(ca_file)
    ca_key = serialization.load_pem_private_key((folder / "demo-ca-key.pem").read_bytes(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Legal Department")])
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(T0)
        .not_valid_after(datetime(2031, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "org-cert.pem", tmp_path / "org-key.pem"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + ca_file)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    identity = load_identity(cert_file, key_file)
    assert identity.subject == "Legal Department"
    assert identity.chain_pem == (ca_file,)
    assert b"BEGIN PRIVATE KEY" in identity.key_pem  # normalised to PKCS#8
    check = check_signature(sign(pdfa, identity), (ca_file,))
    assert (check.valid, check.trusted, check.signer) == (True, True, "Legal Department")


def test_translated_appearance_lines_are_shown_with_embedded_fonts(
    pdfa: bytes, identity: SigningIdentity, ca_pem: bytes, tmp_path: Path
) -> None:
    lines = ("Digital signiert von Jürgen Müller", "署名者: 山田太郎", "Ort: München")
    signed = sign(pdfa, identity, appearance_lines=lines)
    assert check_signature(signed, (ca_pem,)).trusted
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    last = str(PAGES)
    text = subprocess.run(
        [require_tool("pdftotext"), "-f", last, "-l", last, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(line in text for line in lines)
    fonts = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts
    assert all(" yes " in row for row in fonts.splitlines()[2:])
