"""C2SP signed-note with Ed25519, byte-compatible with golang.org/x/mod/sumdb/note.

A signed note is a text ending in a newline, a blank line, and one or more signature lines
`— <key name> <base64(4-byte key ID || signature)>`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.errors import (
    AmbiguousKeyError,
    InvalidSignatureError,
    MalformedKeyError,
    MalformedNoteError,
    UnverifiedNoteError,
)

ED25519: Final = 0x01  # C2SP signed-note §Signature types: 0x01 Ed25519
KEY_SIZE: Final = 32  # RFC 8032 §5.1.5: public keys and seeds are 32 bytes
KEY_ID_SIZE: Final = 4
MAX_SIGNATURES: Final = 100  # C2SP signed-note: "MUST accept at least up to 16"; Go allows 100
SIG_PREFIX: Final = "\u2014 "  # C2SP signed-note: em dash (U+2014), space (U+0020)
_HEX_ID_LEN: Final = 8
_PRIVATE: Final = "PRIVATE+KEY+"  # golang.org/x/mod/sumdb/note: signer keys start with it


def is_valid_name(name: str) -> bool:
    """Report whether `name` is a valid key name: non-empty, no Unicode space, no plus."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, public_key: bytes) -> int:
    """SHA-256(key name || 0x0A || 0x01 || public key)[:4] as a big-endian uint32."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:KEY_ID_SIZE], "big")  # C2SP signed-note §Ed25519 signatures


def _b64decode(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4): canonical padding and alphabet only."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("bad base64") from None
    if base64.b64encode(raw).decode() != text:
        raise ValueError("non-canonical base64")
    return raw


def _parse_key(text: str) -> tuple[str, int, bytes]:
    """Split `<name>+<hex key ID>+<base64(0x01 || key)>` into its parts."""
    name, _, rest = text.partition("+")
    hex_id, _, b64 = rest.partition("+")
    if not is_valid_name(name):
        raise MalformedKeyError(f"invalid key name {name!r}")
    if len(hex_id) != _HEX_ID_LEN or any(c not in "0123456789abcdefABCDEF" for c in hex_id):
        raise MalformedKeyError(f"key ID {hex_id!r} is not 8 hex digits")
    try:
        raw = _b64decode(b64)
    except ValueError as exc:
        raise MalformedKeyError(str(exc)) from None
    if len(raw) != 1 + KEY_SIZE or raw[0] != ED25519:
        raise MalformedKeyError("not an Ed25519 key (0x01 || 32 bytes)")
    return name, int(hex_id, 16), raw[1:]


def _key_text(name: str, ident: int, key: bytes) -> str:
    return f"{name}+{ident:08x}+{base64.b64encode(bytes([ED25519]) + key).decode()}"


@dataclass(frozen=True, slots=True)
class Verifier:
    """An Ed25519 note verifier: a key name, its key ID and its public key."""

    name: str
    key_id: int
    public_key: bytes
    _key: Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check the key ID and load the key."""
        if not is_valid_name(self.name) or len(self.public_key) != KEY_SIZE:
            raise MalformedKeyError("invalid name or public key size")
        if key_id(self.name, self.public_key) != self.key_id:
            raise MalformedKeyError(f"key ID {self.key_id:08x} does not match the key")
        object.__setattr__(self, "_key", Ed25519PublicKey.from_public_bytes(self.public_key))

    @classmethod
    def from_key(cls, vkey: str) -> Verifier:
        """Parse a verifier key `<name>+<hex key ID>+<base64(0x01 || public key)>`.

        Raises:
            MalformedKeyError: if it does not parse or its key ID is wrong.
        """
        return cls(*_parse_key(vkey))

    def key(self) -> str:
        """The verifier key text form."""
        return _key_text(self.name, self.key_id, self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Report whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class Signer:
    """An Ed25519 note signer, from a `PRIVATE+KEY+<name>+<hex key ID>+<base64>` key."""

    name: str
    key_id: int
    seed: bytes = field(repr=False)
    _key: Ed25519PrivateKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Derive the key and check the key ID against the public key."""
        if not is_valid_name(self.name) or len(self.seed) != KEY_SIZE:
            raise MalformedKeyError("invalid name or seed size")
        private = Ed25519PrivateKey.from_private_bytes(self.seed)
        if key_id(self.name, private.public_key().public_bytes_raw()) != self.key_id:
            raise MalformedKeyError(f"key ID {self.key_id:08x} does not match the key")
        object.__setattr__(self, "_key", private)

    @classmethod
    def from_key(cls, skey: str) -> Signer:
        """Parse a signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`.

        Raises:
            MalformedKeyError: if it does not parse or its key ID is wrong.
        """
        if not skey.startswith(_PRIVATE):
            raise MalformedKeyError("signer key must start with PRIVATE+KEY+")
        return cls(*_parse_key(skey.removeprefix(_PRIVATE)))

    def key(self) -> str:
        """The signer key text form (secret)."""
        return _PRIVATE + _key_text(self.name, self.key_id, self.seed)

    def verifier(self) -> Verifier:
        """The matching verifier."""
        return Verifier(self.name, self.key_id, self._key.public_key().public_bytes_raw())

    def sign(self, message: bytes) -> bytes:
        """The Ed25519 signature of `message` (RFC 8032 §5.1.6)."""
        return self._key.sign(message)


def generate_key(name: str, seed: bytes | None = None) -> tuple[str, str]:
    """Return (signer key, verifier key) for `name`; a random seed unless one is given."""
    seed = os.urandom(KEY_SIZE) if seed is None else seed
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    ident = key_id(name, public)
    return _PRIVATE + _key_text(name, ident, seed), _key_text(name, ident, public)


@dataclass(frozen=True, slots=True)
class Signature:
    """One signature line of a note: key name, key ID and the base64 of ID || signature."""

    name: str
    key_id: int
    base64: str


@dataclass(frozen=True, slots=True)
class Note:
    """An opened note: its text, the signatures verified, and those by unknown keys."""

    text: str
    sigs: tuple[Signature, ...]
    unverified_sigs: tuple[Signature, ...] = ()


def _check_text(text: str) -> None:
    # C2SP signed-note §Format: no ASCII control characters other than newline
    if any(c < " " and c != "\n" for c in text):
        raise MalformedNoteError("control character")


def sign(text: str, signers: Sequence[Signer]) -> bytes:
    """Sign `text` (which must end in a newline) with every signer, in order.

    Raises:
        MalformedNoteError: if the text is empty of a final newline or holds control chars.
    """
    if not text.endswith("\n"):
        raise MalformedNoteError("text must end with a newline")
    _check_text(text)
    message = text.encode()
    lines = [
        f"{SIG_PREFIX}{s.name} "
        + base64.b64encode(s.key_id.to_bytes(KEY_ID_SIZE, "big") + s.sign(message)).decode()
        + "\n"
        for s in signers
    ]
    return (text + "\n" + "".join(lines)).encode()


def _parse_sig_line(line: str) -> tuple[Signature, bytes]:
    if not line.startswith(SIG_PREFIX):
        raise MalformedNoteError(f"not a signature line: {line[:40]!r}")
    name, _, b64 = line.removeprefix(SIG_PREFIX).partition(" ")
    try:
        raw = _b64decode(b64)
    except ValueError:
        raise MalformedNoteError(f"bad signature encoding for {name!r}") from None
    if not is_valid_name(name) or len(raw) <= KEY_ID_SIZE:
        raise MalformedNoteError(f"bad signature line for {name!r}")
    ident = int.from_bytes(raw[:KEY_ID_SIZE], "big")
    return Signature(name, ident, b64), raw[KEY_ID_SIZE:]


def _split(message: bytes) -> tuple[str, list[str]]:
    try:
        whole = message.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedNoteError("not UTF-8") from None
    _check_text(whole)
    split = whole.rfind("\n\n")  # the text is separated by the last empty line
    if split < 0 or not whole.endswith("\n") or split + 2 == len(whole):
        raise MalformedNoteError("no signature block")
    lines = whole[split + 2 : -1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"more than {MAX_SIGNATURES} signatures")
    return whole[: split + 1], lines


def open_note(message: bytes, verifiers: Iterable[Verifier]) -> Note:
    """Parse `message` and verify its signatures by the known `verifiers`.

    Signatures by unknown keys (name and key ID) are kept unverified; repeated ones are
    dropped. A known key's signature must verify, and at least one must be present.

    Raises:
        MalformedNoteError: if the message is not a well-formed signed note.
        AmbiguousKeyError: if two verifiers share a name and key ID.
        InvalidSignatureError: if a signature by a known key does not verify.
        UnverifiedNoteError: if no known key signed the note.
    """
    text, lines = _split(message)
    parsed = [_parse_sig_line(line) for line in lines]
    known: dict[tuple[str, int], list[Verifier]] = {}
    for v in verifiers:
        known.setdefault((v.name, v.key_id), []).append(v)
    sigs: dict[tuple[str, int], Signature] = {}
    unverified: dict[Signature, None] = {}
    for sig, raw in parsed:
        candidates = known.get((sig.name, sig.key_id))
        if candidates is None:
            unverified[sig] = None
            continue
        if len(candidates) > 1:
            raise AmbiguousKeyError(sig.name, sig.key_id)
        if (sig.name, sig.key_id) in sigs:
            continue
        if not candidates[0].verify(text.encode(), raw):
            raise InvalidSignatureError(sig.name, sig.key_id)
        sigs[sig.name, sig.key_id] = sig
    if not sigs:
        raise UnverifiedNoteError(tuple(s.name for s in unverified))
    return Note(text, tuple(sigs.values()), tuple(unverified))
