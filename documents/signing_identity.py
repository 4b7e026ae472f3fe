"""The signing identity of response packages: the organisation's certificate, or a demo CA.

A package approved by Legal is signed with the organisation's certificate (PEM files named by the
operator) or, when none is configured, with a demo identity: a small CA and a leaf certificate it
issued, created once in the data directory. A certificate used directly as its own CA does not
verify as trusted in poppler's `pdfsig`, hence the CA plus leaf pair.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DEMO_FILES: Final = ("demo-ca.pem", "demo-ca-key.pem", "signing-cert.pem", "signing-key.pem")
DOCUMENT_SIGNING: Final = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning
CA_YEARS: Final = 10
LEAF_YEARS: Final = 5


class SigningError(Exception):
    """A signing identity could not be loaded or made, or a PDF could not be signed or read."""


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """A leaf certificate, its unencrypted PKCS#8 private key, and its chain (all PEM)."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    chain_pem: tuple[bytes, ...]

    @property
    def subject(self) -> str:
        """The leaf certificate's subject common name (the whole subject if it has none)."""
        return common_name(x509.load_pem_x509_certificate(self.cert_pem))


def common_name(cert: x509.Certificate) -> str:
    """A certificate's subject common name (the whole subject when it has none)."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else cert.subject.rfc4514_string()
    return value if isinstance(value, str) else value.decode()


def load_identity(
    cert_path: Path, key_path: Path, *, passphrase: bytes | None = None
) -> SigningIdentity:
    """Load a signing identity from PEM files.

    Args:
        cert_path: the leaf certificate, optionally followed by its chain.
        key_path: the leaf's private key (PKCS#8 or traditional PEM).
        passphrase: the key's passphrase, if it is encrypted.

    Raises:
        SigningError: if a file cannot be read or parsed, or the key does not match the leaf.
    """
    try:
        cert_data, key_data = cert_path.read_bytes(), key_path.read_bytes()
    except OSError as exc:
        raise SigningError(f"cannot read {exc.filename}: {exc.strerror}") from None
    try:
        certs = x509.load_pem_x509_certificates(cert_data)
    except ValueError:
        raise SigningError(f"{cert_path} holds no PEM certificate") from None
    try:
        key = serialization.load_pem_private_key(key_data, password=passphrase)
    except TypeError as exc:  # encrypted without a passphrase, or a passphrase for a clear key
        raise SigningError(f"{key_path}: {exc}") from None
    except ValueError:
        raise SigningError(f"{key_path} holds no readable PEM private key") from None
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    pem = serialization.Encoding.PEM
    if key.public_key().public_bytes(pem, spki) != certs[0].public_key().public_bytes(pem, spki):
        raise SigningError(f"{key_path} is not the key of the first certificate in {cert_path}")
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return SigningIdentity(
        cert_pem=certs[0].public_bytes(pem),
        key_pem=key_pem,
        chain_pem=tuple(cert.public_bytes(pem) for cert in certs[1:]),
    )


def demo_identity(data_dir: Path, organisation: str, *, now: datetime) -> SigningIdentity:
    """The demo signing identity in `data_dir/signing`, created on first use.

    The four files are made in a private temporary directory which is then renamed into place,
    so concurrent first runs agree on one identity and no half-made set is ever visible.

    Raises:
        SigningError: if `now` is naive, or the directory holds an incomplete set of files,
            or the files cannot be written or read.
    """
    if now.tzinfo is None:
        raise SigningError("demo_identity needs an aware `now`")
    target = data_dir / "signing"
    if not all((target / name).is_file() for name in DEMO_FILES):
        _create_demo_files(data_dir, target, organisation, now)
    missing = [name for name in DEMO_FILES if not (target / name).is_file()]
    if missing:
        raise SigningError(f"{target} holds an incomplete demo identity: {', '.join(missing)}")
    return load_identity(target / "signing-cert.pem", target / "signing-key.pem")


def _create_demo_files(data_dir: Path, target: Path, organisation: str, now: datetime) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".signing.", dir=data_dir))  # mode 0700
    except OSError as exc:
        raise SigningError(f"cannot create {data_dir}: {exc.strerror}") from None
    try:
        for name, data in zip(DEMO_FILES, _make_demo_pems(organisation, now), strict=True):
            mode = 0o600 if name.endswith("-key.pem") else 0o644
            fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        # atomic; replaces only a missing or empty directory. On failure another process won the
        # race, or `target` holds other files: the caller checks.
        with contextlib.suppress(OSError):
            staging.rename(target)
    except OSError as exc:
        raise SigningError(f"cannot write the demo identity: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _make_demo_pems(organisation: str, now: datetime) -> tuple[bytes, bytes, bytes, bytes]:
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    org = organisation.strip() or "Docket"
    start = now.astimezone(UTC) - timedelta(hours=1)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{org} Docket demo CA"),
        ]
    )
    leaf_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{org} (Docket demo signer)"),
        ]
    )
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), start, CA_YEARS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_cert = (
        _builder(leaf_name, ca_name, leaf_key.public_key(), start, LEAF_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    clear = serialization.NoEncryption()
    ca_pem = ca_cert.public_bytes(pem)
    return (
        ca_pem,
        ca_key.private_bytes(pem, pkcs8, clear),
        leaf_cert.public_bytes(pem) + ca_pem,
        leaf_key.private_bytes(pem, pkcs8, clear),
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePublicKey,
    start: datetime,
    years: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * years))
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
