"""A real OpenID Connect provider on loopback (oidc-provider-mock) and a Docket that trusts it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.settings import OidcSettings, Secret, Settings
from domain.shared.model import Role

with warnings.catch_warnings():  # it imports Authlib's deprecated JOSE module; Docket does not
    warnings.simplefilter("ignore")
    from oidc_provider_mock import run_server_in_thread

Client = AsyncTestClient[Litestar]
CLIENT_ID = "docket-test"
ROLE_MAP = (("docket-legal", Role.LEGAL), ("docket-specialists", Role.SPECIALIST))


@contextmanager
def provider(token_lifetime: timedelta = timedelta(hours=1)) -> Iterator[str]:
    """A provider in a thread of this process; yields its issuer URL."""
    with run_server_in_thread(access_token_max_age=token_lifetime) as server:
        yield f"http://localhost:{server.server_port}"


def sso_settings(settings: Settings, issuer: str) -> Settings:
    """``settings`` with single sign-on through ``issuer``."""
    oidc = OidcSettings(
        issuer=issuer,
        client_id=CLIENT_ID,
        client_secret=Secret("test-client-secret"),
        provider_name="Test ID",
        role_map=ROLE_MAP,
    )
    return replace(settings, oidc=oidc)


async def set_person(issuer: str, sub: str, **claims: object) -> None:
    """Tell the provider who ``sub`` is (the claims its ID tokens will carry)."""
    async with httpx.AsyncClient() as http:
        answer = await http.put(f"{issuer}/users/{sub}", json=claims)
        answer.raise_for_status()


async def authorize_at_provider(authorization_url: str, sub: str) -> str:
    """Sign in at the provider as ``sub``; the path and query it sends the browser back to."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(authorization_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["location"])
    return f"{back.path}?{back.query}"


async def start(client: Client, next_page: str = "") -> str:
    """Press "Sign in with …": the provider's authorization URL Docket sends the browser to."""
    response = await client.get("/sign-in/oidc", params={"next": next_page} if next_page else {})
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


async def sso_sign_in(client: Client, issuer: str, sub: str, next_page: str = "") -> Response:
    """The whole round trip for ``sub``: Docket, the provider, and Docket's callback."""
    callback = await authorize_at_provider(await start(client, next_page), sub)
    return await client.get(callback)
