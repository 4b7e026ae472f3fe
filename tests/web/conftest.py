"""The pages are tested over HTTP through the ASGI app, seeing redirects as a browser does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient


@pytest.fixture
async def client(app: Litestar, db: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        test_client.follow_redirects = False
        yield test_client
