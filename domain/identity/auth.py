"""Who is calling: password login with lockout, and bearer-token authentication."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

import jwt

from domain.identity import repo
from domain.identity.errors import (
    InvalidAccessTokenError,
    InvalidCredentialsError,
    LoginLockedError,
    UserNotFoundError,
)
from domain.identity.model import AccessToken, User
from domain.identity.passwords import verify_password
from domain.identity.tables import LoginFailureTable
from domain.identity.tokens import TOKEN_PREFIX, secret_digest
from domain.shared.database import write_transaction
from domain.shared.model import Actor
from domain.shared.rows import aware

JWT_ALGORITHM: Final = "HS256"
JWT_AUDIENCE: Final = "docket-api"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthPolicy:
    """The settings authentication runs under (passed down from ``api.settings``)."""

    secret_key: str
    access_token_ttl: int
    max_failures: int
    lockout_seconds: int


async def login(
    email: str, password: str, *, client_address: str, policy: AuthPolicy, now: datetime
) -> AccessToken:
    """Check a password and issue a signed access token.

    Raises:
        LoginLockedError: too many recent failures for this account or this address.
        InvalidCredentialsError: unknown e-mail, wrong password or disabled user (one answer).
    """
    user = await check_credentials(
        email, password, client_address=client_address, policy=policy, now=now
    )
    claims = {
        "sub": str(user.id),
        "aud": JWT_AUDIENCE,
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + policy.access_token_ttl,
        "jti": secrets.token_hex(8),
    }
    value = jwt.encode(claims, policy.secret_key, algorithm=JWT_ALGORITHM)
    return AccessToken(value=value, expires_in=policy.access_token_ttl)


async def check_credentials(
    email: str, password: str, *, client_address: str, policy: AuthPolicy, now: datetime
) -> User:
    """The active user with this e-mail and password.

    API login and the sign-in page share this check, and so its lockout.

    Raises:
        LoginLockedError: too many recent failures for this account or this address.
        InvalidCredentialsError: unknown e-mail, wrong password or disabled user (one answer).
    """
    email = email.strip().lower()
    keys = (f"account:{email}", f"address:{client_address}")
    await _refuse_if_locked(keys, policy=policy, now=now)
    found = await repo.find_user_with_hash(email)
    user, password_hash = found if found is not None else (None, None)
    if not verify_password(password_hash, password) or user is None or not user.is_active:
        async with write_transaction():
            await LoginFailureTable.insert(
                *(LoginFailureTable(key=k, failed_at=now) for k in keys)
            ).run()
        raise InvalidCredentialsError
    async with write_transaction():
        await LoginFailureTable.delete().where(LoginFailureTable.key == keys[0]).run()
    return user


async def _refuse_if_locked(keys: tuple[str, ...], *, policy: AuthPolicy, now: datetime) -> None:
    window_start = now - timedelta(seconds=policy.lockout_seconds)
    for key in keys:
        rows = (
            await LoginFailureTable.select(LoginFailureTable.failed_at)
            .where((LoginFailureTable.key == key) & (LoginFailureTable.failed_at > window_start))
            .order_by(LoginFailureTable.failed_at, ascending=False)
            .limit(policy.max_failures)
            .run()
        )
        if len(rows) >= policy.max_failures:
            oldest = aware(rows[-1]["failed_at"])
            until = oldest + timedelta(seconds=policy.lockout_seconds)
            raise LoginLockedError(until, max(1, int((until - now).total_seconds())))


async def authenticate(bearer: str, *, policy: AuthPolicy, now: datetime) -> Actor:
    """The actor behind a bearer value: an API token (``dkt_…``) or a login's access token.

    Raises:
        InvalidAccessTokenError: malformed, tampered, expired, revoked, or the user is disabled.
    """
    if bearer.startswith(TOKEN_PREFIX):
        token = await repo.find_token_by_hash(secret_digest(bearer))
        if token is None:
            raise InvalidAccessTokenError("unknown API token")
        if token.revoked_at is not None:
            raise InvalidAccessTokenError("the API token was revoked")
        if not token.is_usable(now):
            raise InvalidAccessTokenError("the API token has expired")
        return token.as_actor()
    user_id = _user_id_from_jwt(bearer, policy=policy, now=now)
    try:
        user = await repo.get_user(user_id)
    except UserNotFoundError:
        raise InvalidAccessTokenError("the user no longer exists") from None
    if not user.is_active:
        raise InvalidAccessTokenError("the user is disabled")
    return user.as_actor()


def _user_id_from_jwt(value: str, *, policy: AuthPolicy, now: datetime) -> UUID:
    try:
        claims = jwt.decode(
            value,
            policy.secret_key,
            algorithms=[JWT_ALGORITHM],
            audience=JWT_AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud"], "verify_exp": False},
        )
    except jwt.InvalidSignatureError:
        raise InvalidAccessTokenError("the signature does not verify") from None
    except jwt.PyJWTError:
        raise InvalidAccessTokenError("it is malformed") from None
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now.timestamp():
        raise InvalidAccessTokenError("it has expired")
    try:
        return UUID(str(claims["sub"]))
    except ValueError:
        raise InvalidAccessTokenError("it names no user") from None
