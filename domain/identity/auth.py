"""Who is calling: password login with lockout, and bearer-token authentication."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

import jwt

from domain.identity import lockout, repo
from domain.identity.credential_cache import CredentialCache, generation
from domain.identity.errors import (
    InvalidAccessTokenError,
    InvalidCredentialsError,
    UserNotFoundError,
)
from domain.identity.model import AccessToken, ApiToken, User
from domain.identity.passwords import PasswordChecks
from domain.identity.tokens import TOKEN_PREFIX, secret_digest
from domain.shared.model import Actor

JWT_ALGORITHM: Final = "HS256"
JWT_AUDIENCE: Final = "docket-api"
DEFAULT_HASH_CONCURRENCY: Final = 2

# what a bearer stands for, kept a few seconds; whether it still may is decided on every request
_TOKENS: Final[CredentialCache[ApiToken]] = CredentialCache()
_USERS: Final[CredentialCache[User]] = CredentialCache()


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthPolicy:
    """The settings authentication runs under (passed down from ``api.settings``)."""

    secret_key: str
    access_token_ttl: int
    max_failures: int
    lockout_seconds: int
    password_checks: PasswordChecks = field(
        default_factory=lambda: PasswordChecks(DEFAULT_HASH_CONCURRENCY), compare=False
    )
    """Where Argon2 runs: worker threads, a bounded number at once."""


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

    API login and the sign-in page share this check, and so its lockout. The attempt is
    counted before the password is checked (see ``domain.identity.lockout``).

    Raises:
        LoginLockedError: too many recent failures for this account or this address.
        InvalidCredentialsError: unknown e-mail, wrong password or disabled user (one answer).
    """
    email = email.strip().lower()
    attempt = await lockout.reserve(
        lockout.LoginAttempt.of(email, client_address),
        max_failures=policy.max_failures,
        window=timedelta(seconds=policy.lockout_seconds),
        now=now,
    )
    found = await repo.find_user_with_hash(email)
    user, password_hash = found if found is not None else (None, None)
    matches = await policy.password_checks.verify(password_hash, password)
    if not matches or user is None or not user.is_active:
        raise InvalidCredentialsError
    await lockout.succeeded(attempt)
    return user


async def authenticate(bearer: str, *, policy: AuthPolicy, now: datetime) -> Actor:
    """The actor behind a bearer value: an API token (``dkt_…``) or a login's access token.

    Raises:
        InvalidAccessTokenError: malformed, tampered, expired, revoked, or the user is disabled.
    """
    if bearer.startswith(TOKEN_PREFIX):
        digest = secret_digest(bearer)
        token = _TOKENS.get(digest)
        if token is None:
            looked_up_in = generation()
            token = await repo.find_token_by_hash(digest)
            if token is None:
                raise InvalidAccessTokenError("unknown API token")
            _TOKENS.put(digest, token, looked_up_in=looked_up_in)
        if token.revoked_at is not None:
            raise InvalidAccessTokenError("the API token was revoked")
        if not token.is_usable(now):
            raise InvalidAccessTokenError("the API token has expired")
        return token.as_actor()
    user_id = _user_id_from_jwt(bearer, policy=policy, now=now)
    user = _USERS.get(str(user_id))
    if user is None:
        looked_up_in = generation()
        try:
            user = await repo.get_user(user_id)
        except UserNotFoundError:
            raise InvalidAccessTokenError("the user no longer exists") from None
        _USERS.put(str(user_id), user, looked_up_in=looked_up_in)
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
