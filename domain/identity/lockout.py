"""The login lockout: every attempt is counted before its password is checked.

Three counters, each of the attempts in the last ``lockout_seconds``:

- per account: ``max_failures`` wrong passwords lock the account, from everywhere;
- per address: past ``max_failures`` wrong passwords from one address, that address gets one
  guess per account: an account that failed from there is refused until its failures age out.
  A colleague behind the same address who has not failed still signs in;
- per address and account, which decides the previous rule.

An attempt is written (reserved) in the same write transaction that counts, before the slow
Argon2 check, and it stays a failure unless the password proves right. Guesses sent all at
once therefore see each other: no more than ``max_failures`` are ever checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from domain.identity import lockout_repo
from domain.identity.errors import LoginLockedError
from domain.shared.database import write_transaction

MAX_EMAIL: Final = 320
MAX_ADDRESS: Final = 64


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    """One attempt, counted: the keys it counts against and the rows that count it."""

    account: str
    address: str
    pair: str
    row_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, email: str, client_address: str) -> LoginAttempt:
        """The keys of a login for ``email`` (lower-cased) from ``client_address``.

        Both are cut to what a key can hold: no account's e-mail is longer than 320
        characters, so a longer one names no account whichever way it is cut.
        """
        email, client_address = email[:MAX_EMAIL], client_address[:MAX_ADDRESS]
        return cls(
            account=f"account:{email}",
            address=f"address:{client_address}",
            pair=f"pair:{client_address} {email}",
        )


async def reserve(
    attempt: LoginAttempt, *, max_failures: int, window: timedelta, now: datetime
) -> LoginAttempt:
    """Count ``attempt`` as a failure unless it must be refused; the attempt with its rows.

    Raises:
        LoginLockedError: the account is locked, or the address is over its limit and this
            account already failed from it.
    """
    since = now - window
    async with write_transaction():
        await lockout_repo.lock_keys((attempt.account, attempt.address))
        account = await lockout_repo.recent(attempt.account, since=since, limit=max_failures)
        if len(account) >= max_failures:
            raise _locked(account[-1] + window, now)
        address = await lockout_repo.recent(attempt.address, since=since, limit=max_failures)
        if len(address) >= max_failures:
            pair = await lockout_repo.recent(attempt.pair, since=since, limit=1)
            if pair:
                raise _locked(min(address[-1], pair[0]) + window, now)
        keys = (attempt.account, attempt.address, attempt.pair)
        ids = await lockout_repo.add(keys, at=now)
    return LoginAttempt(attempt.account, attempt.address, attempt.pair, tuple(ids))


async def succeeded(attempt: LoginAttempt) -> None:
    """The password was right: clear the account's failures, and this attempt's own rows.

    The address keeps its other failures, so that signing in to one's own account between
    guesses at others does not reset the address's count.
    """
    async with write_transaction():
        await lockout_repo.forget(keys=(attempt.account, attempt.pair), ids=attempt.row_ids)


def _locked(until: datetime, now: datetime) -> LoginLockedError:
    return LoginLockedError(until, max(1, int((until - now).total_seconds())))
