"""The provider's keys: cached, fetched again once when a token names a key they lack.

oidc-provider-mock keeps one key for its lifetime, so key rotation is played by a tiny provider
here: a discovery document and a JWKS on loopback, whose keys the test replaces.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from api.oidc_client import OidcClient
from api.settings import OidcSettings
from domain.identity.errors import SigningKeyNotFoundError, SingleSignOnRefusedError
from domain.identity.oidc import TokenCheck
from tests.domain.test_oidc_tokens import (
    CLIENT,
    EC_KEY,
    NONCE,
    OTHER_RSA_KEY,
    RSA_KEY,
    jwk,
    token,
)

NOW = datetime.now(UTC)


class KeyServer:
    """Serves a discovery document naming itself, and whichever keys it holds now."""

    def __init__(self) -> None:
        self.keys: list[dict[str, object]] = []
        self.jwks_fetches = 0
        self.document_issuer = ""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {
                        "issuer": owner.document_issuer or owner.issuer,
                        "authorization_endpoint": f"{owner.issuer}/authorize",
                        "token_endpoint": f"{owner.issuer}/token",
                        "jwks_uri": f"{owner.issuer}/jwks",
                    }
                elif self.path == "/jwks":
                    owner.jwks_fetches += 1
                    body = {"keys": owner.keys}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def keys() -> Iterator[KeyServer]:
    served = KeyServer()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _client(issuer: str) -> OidcClient:
    settings = OidcSettings(issuer=issuer, client_id=CLIENT)
    return OidcClient(settings, redirect_uri="http://docket.test/sign-in/oidc/callback")


def _check(issuer: str) -> TokenCheck:
    return TokenCheck(issuer=issuer, client_id=CLIENT, nonce=NONCE, now=NOW)


def _token(issuer: str, key: Any, kid: str | None, algorithm: str = "RS256") -> str:
    now = int(NOW.timestamp())
    return token(key, kid=kid, algorithm=algorithm, iss=issuer, iat=now, exp=now + 300)


async def test_the_keys_are_fetched_once_and_kept(keys: KeyServer) -> None:
    keys.keys = [jwk(RSA_KEY, "k1")]
    client = _client(keys.issuer)
    for _ in range(3):
        identity = await client.verify(_token(keys.issuer, RSA_KEY, "k1"), _check(keys.issuer))
        assert identity.subject == "248289761001"
    assert keys.jwks_fetches == 1


async def test_a_new_kid_after_key_rotation_fetches_the_keys_again_once(keys: KeyServer) -> None:
    keys.keys = [jwk(RSA_KEY, "k1")]
    client = _client(keys.issuer)
    await client.verify(_token(keys.issuer, RSA_KEY, "k1"), _check(keys.issuer))
    keys.keys = [jwk(OTHER_RSA_KEY, "k2")]  # the provider rotates its key

    rotated = await client.verify(_token(keys.issuer, OTHER_RSA_KEY, "k2"), _check(keys.issuer))

    assert rotated.subject == "248289761001"
    assert keys.jwks_fetches == 2
    # a token under the retired key is refused after one more look, not retried forever
    with pytest.raises(SigningKeyNotFoundError):
        await client.verify(_token(keys.issuer, RSA_KEY, "k1"), _check(keys.issuer))
    assert keys.jwks_fetches == 3


async def test_a_token_without_kid_under_a_new_key_fetches_the_keys_again(
    keys: KeyServer,
) -> None:
    keys.keys = [jwk(RSA_KEY, None)]
    client = _client(keys.issuer)
    await client.verify(_token(keys.issuer, RSA_KEY, None), _check(keys.issuer))
    keys.keys = [jwk(EC_KEY, None), jwk(OTHER_RSA_KEY, None)]

    rotated = await client.verify(_token(keys.issuer, OTHER_RSA_KEY, None), _check(keys.issuer))

    assert rotated.subject == "248289761001"
    assert keys.jwks_fetches == 2


async def test_a_token_naming_another_issuer_is_refused(keys: KeyServer) -> None:
    keys.keys = [jwk(RSA_KEY, "k1")]
    client = _client(keys.issuer)
    stranger = _token("https://id.elsewhere.example", RSA_KEY, "k1")
    with pytest.raises(SingleSignOnRefusedError, match="names another issuer"):
        await client.verify(stranger, _check(keys.issuer))


async def test_a_discovery_document_naming_another_issuer_is_refused(keys: KeyServer) -> None:
    keys.document_issuer = "https://id.elsewhere.example"
    with pytest.raises(SingleSignOnRefusedError, match="calls itself"):
        await _client(keys.issuer).metadata()


async def test_an_unreachable_provider_is_said_plainly(keys: KeyServer) -> None:
    gone = _client("http://127.0.0.1:9")  # the discard port: nothing listens
    with pytest.raises(SingleSignOnRefusedError, match="cannot be reached"):
        await gone.metadata()
