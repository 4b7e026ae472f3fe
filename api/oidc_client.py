"""Talking to the OpenID Connect provider over HTTP: discovery, its keys, the token endpoint.

The provider's metadata comes from ``<issuer>/.well-known/openid-configuration`` (OpenID Connect
Discovery 1.0 §4) and must name the configured issuer exactly (§4.3). Its signing keys (JWKS)
are kept in memory and fetched again, once per sign-in, when a token names a key they lack:
that is how a provider's key rotation reaches Docket without a restart.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlencode

import httpx

from api.settings import OidcSettings
from domain.identity.errors import SigningKeyNotFoundError, SingleSignOnRefusedError
from domain.identity.oidc import TokenCheck, VerifiedIdentity, verify_id_token
from domain.identity.oidc_signin import StartedLogin

log = logging.getLogger("docket.sso")
METADATA_TTL_S: Final = 3600.0
"""How long the discovery document is kept before it is read again."""
TIMEOUT_S: Final = 10.0
CALLBACK_PATH: Final = "/sign-in/oidc/callback"
"""Where the provider sends the browser back (register ``<DOCKET_BASE_URL>`` + this there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderMetadata:
    """The parts of the discovery document Docket uses."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def client_for(settings: OidcSettings, base_url: str) -> OidcClient | None:
    """The configured provider's client, or None when single sign-on is off."""
    return OidcClient(settings, redirect_uri=base_url + CALLBACK_PATH) if settings.enabled else None


class OidcClient:
    """One configured provider, its metadata and keys cached for this process."""

    def __init__(self, settings: OidcSettings, *, redirect_uri: str) -> None:
        """Bind the provider's settings and where it sends the browser back to."""
        self.settings = settings
        self.redirect_uri = redirect_uri
        self._metadata: ProviderMetadata | None = None
        self._metadata_at = 0.0
        self._jwks: dict[str, object] | None = None

    @property
    def name(self) -> str:
        """The provider as the sign-in page names it."""
        return self.settings.display_name

    async def authorization_url(self, started: StartedLogin) -> str:
        """Where to send the browser: an authorization code request with PKCE S256.

        Raises:
            SingleSignOnRefusedError: the provider cannot be reached or describes itself wrongly.
        """
        metadata = await self.metadata()
        query = {
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": " ".join(self.settings.scopes),
            "state": started.state,
            "nonce": started.nonce,
            "code_challenge": started.code_challenge,
            "code_challenge_method": "S256",
        }
        separator = "&" if "?" in metadata.authorization_endpoint else "?"
        return f"{metadata.authorization_endpoint}{separator}{urlencode(query)}"

    async def redeem(self, code: str, code_verifier: str) -> str:
        """The ID token the provider gives for an authorization code.

        Raises:
            SingleSignOnRefusedError: no code, the provider refuses it, or answers no ID token.
        """
        if not code:
            raise SingleSignOnRefusedError("the identity provider sent no authorization code")
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": code_verifier,
        }
        secret = self.settings.client_secret.value
        auth: httpx.Auth | None = None
        if secret:  # client_secret_basic: each part form-encoded first (RFC 6749 §2.3.1)
            auth = httpx.BasicAuth(quote(self.settings.client_id, safe=""), quote(secret, safe=""))
        else:  # a public client names itself in the form
            form["client_id"] = self.settings.client_id
        answer = await self._post(metadata.token_endpoint, form, auth)
        id_token = answer.get("id_token")
        if not isinstance(id_token, str):
            raise SingleSignOnRefusedError("the identity provider answered no ID token")
        return id_token

    async def verify(self, id_token: str, check: TokenCheck) -> VerifiedIdentity:
        """The identity in an ID token, checked with the provider's keys (fetched again once).

        Raises:
            SingleSignOnRefusedError: a check fails, or no key of the provider verifies it.
        """
        jwks = self._jwks if self._jwks is not None else await self._fetch_jwks()
        try:
            return verify_id_token(id_token, jwks, check)
        except SigningKeyNotFoundError as exc:
            log.info("single sign-on: %s; fetching the provider's keys again", exc.reason)
        return verify_id_token(id_token, await self._fetch_jwks(), check)

    async def metadata(self) -> ProviderMetadata:
        """The provider's endpoints, from its discovery document (kept for an hour).

        Raises:
            SingleSignOnRefusedError: unreachable, not JSON, another issuer, an endpoint missing.
        """
        if self._metadata is not None and time.monotonic() - self._metadata_at < METADATA_TTL_S:
            return self._metadata
        issuer = self.settings.issuer
        document = await self._get(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
        if document.get("issuer") != issuer:
            raise SingleSignOnRefusedError(
                f"the identity provider calls itself {document.get('issuer')!r}, not {issuer!r}"
            )
        endpoints = [document.get(k) for k in ("authorization_endpoint", "token_endpoint")]
        jwks_uri = document.get("jwks_uri")
        if not all(isinstance(e, str) and e for e in [*endpoints, jwks_uri]):
            raise SingleSignOnRefusedError("the identity provider's metadata lacks an endpoint")
        self._metadata = ProviderMetadata(
            authorization_endpoint=str(endpoints[0]),
            token_endpoint=str(endpoints[1]),
            jwks_uri=str(jwks_uri),
        )
        self._metadata_at = time.monotonic()
        return self._metadata

    async def _fetch_jwks(self) -> dict[str, object]:
        metadata = await self.metadata()
        self._jwks = await self._get(metadata.jwks_uri)
        return self._jwks

    async def _get(self, url: str) -> dict[str, object]:
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
                response = await http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            log.warning("single sign-on: GET %s failed: %s", url, exc)
            raise SingleSignOnRefusedError("the identity provider cannot be reached") from None
        return _json_object(response, url)

    async def _post(
        self, url: str, form: dict[str, str], auth: httpx.Auth | None
    ) -> dict[str, object]:
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT_S) as http:
                response = await http.post(
                    url,
                    data=form,
                    auth=auth or httpx.USE_CLIENT_DEFAULT,
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            log.warning("single sign-on: POST %s failed: %s", url, exc)
            raise SingleSignOnRefusedError("the identity provider cannot be reached") from None
        return _json_object(response, url)


def _json_object(response: httpx.Response, url: str) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != httpx.codes.OK or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        log.warning("single sign-on: %s answered %s %s", url, response.status_code, error or "")
        reason = f"the identity provider refused ({error})" if error else "the provider failed"
        raise SingleSignOnRefusedError(reason)
    return body
