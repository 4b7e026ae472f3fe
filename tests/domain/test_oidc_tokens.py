"""The ID token checks, with tokens signed here by keys made for the test (no provider needed).

oidc-provider-mock always signs for the client that asks and never names a ``kid``; the cases it
cannot produce (another audience or issuer in the token, a ``kid``, a forged signature, an
algorithm that must be refused) are made here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domain.identity.errors import SigningKeyNotFoundError, SingleSignOnRefusedError
from domain.identity.oidc import TokenCheck, mapped_role, pkce_challenge, verify_id_token
from domain.shared.model import Role

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ISSUER = "https://id.example.com/realms/staff"
CLIENT = "docket"
NONCE = "n-0S6_WzA2Mj"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def jwk(private_key: Any, kid: str | None) -> dict[str, object]:
    """The public JWK of a key, as a provider's JWKS lists it."""
    public = jwt.algorithms.RSAAlgorithm if isinstance(private_key, rsa.RSAPrivateKey) else None
    if public is not None:
        entry: dict[str, object] = json.loads(public.to_jwk(private_key.public_key()))
    else:
        entry = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key()))
    if kid is not None:
        entry["kid"] = kid
    return entry


def token(
    key: Any = RSA_KEY, *, kid: str | None = "k1", algorithm: str = "RS256", **changes: object
) -> str:
    claims: dict[str, object] = {
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT,
        "iat": int(NOW.timestamp()) - 10,
        "exp": int(NOW.timestamp()) + 300,
        "nonce": NONCE,
        "email": "Jane.Doe@Example.com",
        "email_verified": True,
        "name": "Jane Doe",
        "groups": ["docket-legal"],
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


CHECK = TokenCheck(issuer=ISSUER, client_id=CLIENT, nonce=NONCE, now=NOW)
JWKS = {"keys": [jwk(RSA_KEY, "k1"), jwk(EC_KEY, "k2")]}


def test_a_good_token_gives_the_verified_identity() -> None:
    identity = verify_id_token(token(), JWKS, CHECK)
    assert (identity.issuer, identity.subject) == (ISSUER, "248289761001")
    assert (identity.email, identity.name) == ("jane.doe@example.com", "Jane Doe")
    assert identity.claims["groups"] == ["docket-legal"]


def test_a_token_without_kid_is_tried_with_each_key_of_its_type() -> None:
    jwks = {"keys": [jwk(OTHER_RSA_KEY, None), jwk(EC_KEY, None), jwk(RSA_KEY, None)]}
    assert verify_id_token(token(kid=None), jwks, CHECK).subject == "248289761001"
    ec_token = token(EC_KEY, kid=None, algorithm="ES256")
    assert verify_id_token(ec_token, jwks, CHECK).subject == "248289761001"


def test_a_token_without_kid_that_no_key_verifies_asks_for_the_keys_again() -> None:
    with pytest.raises(SigningKeyNotFoundError):
        verify_id_token(token(OTHER_RSA_KEY, kid=None), JWKS, CHECK)


def test_an_unknown_kid_asks_for_the_keys_again() -> None:
    with pytest.raises(SigningKeyNotFoundError) as caught:
        verify_id_token(token(OTHER_RSA_KEY, kid="k9"), JWKS, CHECK)
    assert caught.value.kid == "k9"


def test_a_forged_signature_under_a_known_kid_is_refused() -> None:
    with pytest.raises(SingleSignOnRefusedError, match="signature does not verify") as caught:
        verify_id_token(token(OTHER_RSA_KEY, kid="k1"), JWKS, CHECK)
    assert not isinstance(caught.value, SigningKeyNotFoundError)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"iss": "https://id.example.com/realms/other"}, "names another issuer"),
        ({"iss": ISSUER + "/"}, "names another issuer"),
        ({"aud": "someone-else"}, "meant for another client"),
        ({"aud": ["someone-else", CLIENT]}, "meant for another client"),  # azp missing
        ({"exp": int(NOW.timestamp()) - 61}, "has expired"),
        ({"iat": int(NOW.timestamp()) + 120}, "issued in the future"),
        ({"nbf": int(NOW.timestamp()) + 120}, "not valid yet"),
        ({"nonce": "n-replayed"}, "does not carry this sign-in's nonce"),
        ({"nonce": None}, "does not carry this sign-in's nonce"),
        ({"sub": None}, "not valid"),
    ],
    ids=[
        "issuer",
        "issuer-slash",
        "audience",
        "audiences-no-azp",
        "expired",
        "future",
        "nbf",
        "nonce",
        "no-nonce",
        "no-sub",
    ],
)
def test_a_token_that_fails_a_check_is_refused(changes: dict[str, object], says: str) -> None:
    with pytest.raises(SingleSignOnRefusedError, match=says):
        verify_id_token(token(**changes), JWKS, CHECK)


def test_the_clock_may_differ_by_the_leeway() -> None:
    late = token(exp=int(NOW.timestamp()) - 30, iat=int(NOW.timestamp()) - 400)
    assert verify_id_token(late, JWKS, CHECK).subject == "248289761001"


def test_several_audiences_are_accepted_when_docket_is_the_authorized_party() -> None:
    several = token(aud=["someone-else", CLIENT], azp=CLIENT)
    assert verify_id_token(several, JWKS, CHECK).subject == "248289761001"


def test_an_unverified_email_is_not_taken() -> None:
    assert verify_id_token(token(email_verified=False), JWKS, CHECK).email == ""
    assert verify_id_token(token(email_verified="true"), JWKS, CHECK).email == ""


def test_an_unsigned_or_hmac_token_is_refused() -> None:
    unsigned = jwt.encode({"iss": ISSUER, "sub": "x", "aud": CLIENT}, None, algorithm="none")
    with pytest.raises(SingleSignOnRefusedError, match="signed with 'none'"):
        verify_id_token(unsigned, JWKS, CHECK)
    hmac_token = token("a-shared-secret-that-is-long-enough-000", kid=None, algorithm="HS256")
    with pytest.raises(SingleSignOnRefusedError, match="signed with 'HS256'"):
        verify_id_token(hmac_token, JWKS, CHECK)
    with pytest.raises(SingleSignOnRefusedError, match="malformed"):
        verify_id_token("not.a.token", JWKS, CHECK)


def test_pkce_s256_matches_rfc_7636_appendix_b() -> None:
    # RFC 7636 Appendix B: the verifier and its S256 challenge
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


ROLE_MAP = (("docket-legal", Role.LEGAL), ("docket-specialists", Role.SPECIALIST))


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"groups": ["everyone", "docket-specialists"]}, Role.SPECIALIST),
        ({"groups": ["docket-specialists", "docket-legal"]}, Role.LEGAL),  # the map's order wins
        ({"groups": "docket-legal"}, Role.LEGAL),
        ({"groups": ["everyone"]}, None),
        ({"groups": [3, None]}, None),
        ({}, None),
    ],
)
def test_the_role_is_the_first_of_the_map_that_the_claim_holds(
    claims: dict[str, object], role: Role | None
) -> None:
    assert mapped_role(claims, "groups", ROLE_MAP) is role


def test_a_role_people_cannot_hold_is_never_given() -> None:
    assert mapped_role({"groups": ["bots"]}, "groups", (("bots", Role.SYSTEM),)) is None
