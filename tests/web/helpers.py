"""Helpers for the web pages' tests: sign in through the form, read CSRF tokens and forms."""

from __future__ import annotations

import re

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from domain.identity.model import User
from domain.shared.model import Role
from tests.conftest import PASSWORD, make_user

Client = AsyncTestClient[Litestar]
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_of(page: Response) -> str:
    """The CSRF token a page's forms carry."""
    found = TOKEN.search(page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


async def csrf(client: Client, path: str = "/sign-in") -> str:
    """Open ``path`` (which sets the CSRF cookie) and return the token of its forms."""
    page = await client.get(path)
    assert page.status_code == 200, page.text[:500]
    return csrf_of(page)


async def sign_in(client: Client, user: User, password: str = PASSWORD) -> Response:
    """Sign ``user`` in through the form; the client keeps the session cookie."""
    token = await csrf(client)
    return await client.post(
        "/sign-in",
        data={"_csrf_token": token, "email": user.email, "password": password, "next": ""},
    )


async def signed_in(client: Client, role: Role) -> User:
    """A new user of ``role``, signed in on ``client``."""
    user = await make_user(role)
    response = await sign_in(client, user)
    assert response.status_code == 303, response.text
    return user


async def post_form(client: Client, path: str, data: dict[str, object], *, page: str) -> Response:
    """POST a form from ``page`` (whose token it carries), as a browser does."""
    token = await csrf(client, page)
    return await client.post(path, data={"_csrf_token": token, **data})
