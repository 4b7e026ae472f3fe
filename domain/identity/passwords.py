"""Password hashing with Argon2id (argon2-cffi's RFC 9106 defaults)."""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER: Final = PasswordHasher()

# A real hash of an unguessable password: verifying against it when the e-mail is unknown keeps
# the time of "unknown user" and "wrong password" the same, so neither reveals which it was.
_DUMMY_HASH: Final = _HASHER.hash("docket-dummy-password-never-matches")


def hash_password(password: str) -> str:
    """An Argon2id hash string (salt and parameters included)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; ``None`` (unknown user) costs the same time and is False."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
