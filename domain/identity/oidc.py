"""OpenID Connect sign-in, the checks that need no I/O: the ID token, PKCE, the role mapping.

What the provider says about a person is believed only after these checks (OpenID Connect
Core 1.0 §3.1.3.7): the token is signed by one of the issuer's published keys with an
asymmetric algorithm, names the configured issuer exactly, is meant for this client, has not
expired, and carries the nonce this sign-in sent. Time is a parameter (``now``): PyJWT's own
clock checks are switched off and made here, as ``domain.identity.auth`` does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import jwt

from domain.identity.errors import SigningKeyNotFoundError, SingleSignOnRefusedError
from domain.shared.model import USER_ROLES, Role

LEEWAY: Final = timedelta(seconds=60)
"""How far the provider's clock may be from ours (exp, iat)."""

# Asymmetric only: "none" would accept anything, and an HMAC algorithm would let a public
# key (or the client secret) be used as the MAC key (the algorithm-confusion attack).
_KEY_TYPES: Final[Mapping[str, str]] = {
    "RS256": "RSA",
    "RS384": "RSA",
    "RS512": "RSA",
    "PS256": "RSA",
    "PS384": "RSA",
    "PS512": "RSA",
    "ES256": "EC",
    "ES384": "EC",
    "ES512": "EC",
    "EdDSA": "OKP",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedIdentity:
    """Who the provider vouches for, from an ID token that passed every check."""

    issuer: str
    subject: str
    email: str
    """Empty unless the provider says the address is verified (``email_verified`` true)."""
    name: str
    claims: Mapping[str, object]


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenCheck:
    """What an ID token must say to be accepted."""

    issuer: str
    client_id: str
    nonce: str
    now: datetime
    leeway: timedelta = LEEWAY


def new_secret() -> str:
    """A random URL-safe value for ``state``, ``nonce`` or a PKCE code verifier (256 bits)."""
    return secrets.token_urlsafe(32)


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a code verifier: BASE64URL(SHA256(verifier)), unpadded.

    RFC 7636 §4.2.
    """
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_id_token(token: str, jwks: Mapping[str, object], check: TokenCheck) -> VerifiedIdentity:
    """The identity in ``token`` once its signature and claims are checked against ``check``.

    A token with a ``kid`` is checked with that key only; one without is tried with each key
    of the type its algorithm needs.

    Raises:
        SigningKeyNotFoundError: no key in ``jwks`` can check it (the provider may have
            rotated its keys: fetch them again and retry once).
        SingleSignOnRefusedError: malformed, wrong algorithm, bad signature, wrong issuer or
            audience, expired, issued in the future, or the wrong nonce.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise SingleSignOnRefusedError("the ID token is malformed") from None
    algorithm = str(header.get("alg", ""))
    if algorithm not in _KEY_TYPES:
        raise SingleSignOnRefusedError(f"the ID token is signed with {algorithm!r}")
    kid = header.get("kid")
    keys = _candidate_keys(jwks, kid=None if kid is None else str(kid), algorithm=algorithm)
    if not keys:
        raise SigningKeyNotFoundError(None if kid is None else str(kid))
    claims = _decode_with_any(token, keys, algorithm=algorithm, check=check)
    if claims is None:
        if kid is not None:
            raise SingleSignOnRefusedError("the ID token's signature does not verify")
        # no kid and no key fits: perhaps signed with a key published after ours were fetched
        raise SigningKeyNotFoundError(None)
    return _identity(claims, check)


def _candidate_keys(
    jwks: Mapping[str, object], *, kid: str | None, algorithm: str
) -> list[jwt.PyJWK]:
    found = []
    entries = jwks.get("keys")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("kty") != _KEY_TYPES[algorithm]:
            continue
        if kid is not None and entry.get("kid") != kid:
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", algorithm) != algorithm:
            continue
        try:
            found.append(jwt.PyJWK(entry, algorithm=algorithm))
        except jwt.PyJWTError:
            continue  # a key this library cannot use is not one that signed the token
    return found


def _decode_with_any(
    token: str, keys: Sequence[jwt.PyJWK], *, algorithm: str, check: TokenCheck
) -> dict[str, object] | None:
    for key in keys:
        try:
            claims: dict[str, object] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=check.client_id,
                issuer=check.issuer,
                options={
                    "require": ["iss", "sub", "aud", "exp", "iat"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidIssuerError:
            raise SingleSignOnRefusedError("the ID token names another issuer") from None
        except jwt.InvalidAudienceError:
            raise SingleSignOnRefusedError("the ID token is meant for another client") from None
        except jwt.PyJWTError as exc:
            raise SingleSignOnRefusedError(f"the ID token is not valid ({exc})") from None
        return claims
    return None


def _identity(claims: Mapping[str, object], check: TokenCheck) -> VerifiedIdentity:
    now = check.now.timestamp()
    leeway = check.leeway.total_seconds()
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int | float) or expires + leeway <= now:
        raise SingleSignOnRefusedError("the ID token has expired")
    if not isinstance(issued, int | float) or issued - leeway > now:
        raise SingleSignOnRefusedError("the ID token was issued in the future")
    not_before = claims.get("nbf")
    if isinstance(not_before, int | float) and not_before - leeway > now:
        raise SingleSignOnRefusedError("the ID token is not valid yet")
    audience = claims.get("aud")
    # several audiences: the authorized party must be us (OpenID Connect Core §3.1.3.7 item 5)
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != check.client_id:
        raise SingleSignOnRefusedError("the ID token is meant for another client")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not hmac.compare_digest(nonce, check.nonce):
        raise SingleSignOnRefusedError("the ID token does not carry this sign-in's nonce")
    email = claims.get("email")
    verified = claims.get("email_verified") is True and isinstance(email, str)
    name = claims.get("name")
    return VerifiedIdentity(
        issuer=check.issuer,
        subject=str(claims["sub"]),
        email=str(email).strip().lower() if verified else "",
        name=name.strip() if isinstance(name, str) else "",
        claims=dict(claims),
    )


def mapped_role(
    claims: Mapping[str, object], claim: str, role_map: Sequence[tuple[str, Role]]
) -> Role | None:
    """The role of the first pair in ``role_map`` whose value the ``claim`` holds, if any.

    The claim may be one string or a list of strings (groups). Only roles people may hold
    are given; a map that names another is refused when the settings are read.
    """
    value = claims.get(claim)
    held = {value} if isinstance(value, str) else set()
    if isinstance(value, list):
        held = {v for v in value if isinstance(v, str)}
    for group, role in role_map:
        if group in held and role in USER_ROLES:
            return role
    return None
