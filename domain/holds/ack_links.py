"""Acknowledgement links for hold notices: the notice id, signed (pure: stdlib only).

A link is ``<notice id hex>.<HMAC-SHA256 of the id, 160 bits, base64url>``. Nothing secret is
stored: the server recomputes the MAC with its key, so a reader of the database cannot forge a
link, and a changed character anywhere makes the link unknown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Final
from uuid import UUID

from domain.holds.errors import AckLinkInvalidError

_CONTEXT: Final = b"docket hold acknowledgement link\x00"
_MAC_BYTES: Final = 20


def ack_key(secret_key: str) -> bytes:
    """The key that signs acknowledgement links, derived from Docket's secret key."""
    return hashlib.sha256(_CONTEXT + secret_key.encode()).digest()


def _mac(notice_id: UUID, key: bytes) -> str:
    digest = hmac.digest(key, _CONTEXT + notice_id.bytes, "sha256")[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign_ack_token(notice_id: UUID, key: bytes) -> str:
    """The token of a notice's acknowledgement link (``/ack/<token>``)."""
    return f"{notice_id.hex}.{_mac(notice_id, key)}"


def read_ack_token(token: str, key: bytes) -> UUID:
    """The notice a token names, if it was signed with ``key``.

    Raises:
        AckLinkInvalidError: malformed, or the signature does not match (tampered or forged).
    """
    ident, sep, mac = token.partition(".")
    try:
        notice_id = UUID(hex=ident)
    except ValueError:
        raise AckLinkInvalidError from None
    if not sep or len(ident) != 32 or not hmac.compare_digest(mac, _mac(notice_id, key)):  # noqa: PLR2004
        raise AckLinkInvalidError
    return notice_id
