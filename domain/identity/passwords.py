"""Password hashing with Argon2id (argon2-cffi's RFC 9106 defaults), off the event loop.

One Argon2 check costs about 64 MiB and tens of milliseconds of CPU. Run on the event loop it
stalls every other request of the process, health checks included; so checks run in worker
threads, and at most a fixed number at once, which also bounds the memory a burst of logins
can take.
"""

from __future__ import annotations

from typing import Final

import anyio.to_thread
from anyio import CapacityLimiter
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER: Final = PasswordHasher()

# A real hash of an unguessable password: verifying against it when the e-mail is unknown keeps
# the time of "unknown user" and "wrong password" the same, so neither reveals which it was.
# Written out rather than hashed at import, which cost every process and CLI command one Argon2
# hash (a quarter of a second and 64 MiB); it must carry the hasher's parameters, or the two
# times differ again: tests/domain/test_passwords.py fails when they drift apart.
DUMMY_HASH: Final = (
    "$argon2id$v=19$m=65536,t=3,p=4$VmaM8zodkTyDGRWxTv2Agw"
    "$fqtnqk5Sud1+53W9Tqoj7n0sxNWlmzXNvWhJJBj9nHo"
)


def hash_parameters_are_current(password_hash: str) -> bool:
    """Whether ``password_hash`` was made with the parameters this module hashes with."""
    return not _HASHER.check_needs_rehash(password_hash)


def hash_password(password: str) -> str:
    """An Argon2id hash string (salt and parameters included); blocks, see ``PasswordChecks``."""
    return _HASHER.hash(password)


NO_PASSWORD: Final = "!no-password"  # noqa: S105 - a marker that no password matches
"""The hash of a user who signs in only through single sign-on."""


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches.

    ``None`` (unknown user) and ``NO_PASSWORD`` cost the same time as a real check and are False,
    so the answer's timing does not tell who has an account or a password.
    """
    usable = password_hash if password_hash and password_hash != NO_PASSWORD else None
    try:
        return _HASHER.verify(usable or DUMMY_HASH, password) and usable is not None
    except (VerificationError, InvalidHashError):
        return False


class PasswordChecks:
    """Argon2 in worker threads, at most ``concurrency`` at a time (the others wait their turn)."""

    def __init__(self, concurrency: int) -> None:
        """Allow ``concurrency`` (at least 1) hashes at once."""
        self.concurrency = concurrency
        self._limiter = CapacityLimiter(concurrency)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """``verify_password`` in a worker thread."""
        return await anyio.to_thread.run_sync(
            verify_password, password_hash, password, limiter=self._limiter
        )

    async def hash(self, password: str) -> str:
        """``hash_password`` in a worker thread."""
        return await anyio.to_thread.run_sync(hash_password, password, limiter=self._limiter)
