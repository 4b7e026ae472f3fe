from domain.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import PASSWORD, make_user


async def test_a_user_logs_in_and_sees_who_they_are(client) -> None:
    user = await make_user(Role.SPECIALIST)
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "specialist"


async def test_no_token_is_401(client) -> None:
    assert_problem(await client.get("/api/v1/me"), 401, "missing-credentials")


async def test_token_lists_users(client) -> None:
    r = await client.get("/api/v1/users", headers=await bearer(Role.ADMIN))
    assert r.status_code == 200, r.text
    assert_problem(
        await client.get("/api/v1/users", headers=await bearer(Role.LEGAL)),
        403,
        "permission-denied",
    )
