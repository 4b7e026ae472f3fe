"""Every problem's detail is a sentence for a person: forbidden calls, bad bodies, bad queries."""

from __future__ import annotations

import pytest

from domain.shared.errors import PermissionDeniedError, TransitionNotPermittedError
from domain.shared.model import Role
from domain.shared.permissions import ACTIONS, Permission, has_permission, require
from tests.api.helpers import assert_problem, assert_sentence, bearer

LOGIN = "/api/v1/auth/login"


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_refused_permission_of_every_role_is_said_in_a_sentence(role: Role) -> None:
    refused = [p for p in Permission if not has_permission(role, p)]
    for permission in refused:
        with pytest.raises(PermissionDeniedError) as caught:
            require(role, permission)
        assert_sentence(str(caught.value))
        assert str(caught.value).endswith(f" may not {ACTIONS[permission]}.")
        assert caught.value.public_fields() == {"role": role.value, "permission": permission.value}


def test_every_permission_has_words() -> None:
    assert set(ACTIONS) == set(Permission)


# one forbidden call per role that is refused something, over HTTP
FORBIDDEN = [
    (Role.SPECIALIST, "POST", "/api/v1/holds", "A specialist may not manage legal holds."),
    (Role.LEGAL, "GET", "/api/v1/users", "Someone in Legal may not see the users."),
    (Role.AUDITOR, "POST", "/api/v1/requests", "An auditor may not log or change requests."),
    (Role.SYSTEM, "GET", "/api/v1/requests", "A system token may not read requests."),
]


@pytest.mark.parametrize(("role", "method", "path", "said"), FORBIDDEN, ids=str)
async def test_a_forbidden_call_says_who_may_not_do_what(
    client, role: Role, method: str, path: str, said: str
) -> None:
    response = await client.request(method, path, json={}, headers=await bearer(role))
    body = assert_problem(response, 403, "permission-denied")
    assert body["detail"] == said


def test_a_refused_transition_names_the_role_in_words() -> None:
    error = TransitionNotPermittedError(
        "request", "awaiting_clarification", "request_clarification", Role.AUDITOR
    )
    assert str(error) == (
        "An auditor may not request clarification a request that is awaiting clarification."
    )


# (body, what the detail says) -> wrong types, missing and unknown fields, not JSON at all
BAD_LOGINS = [
    ([1, 2], "The request body must be a JSON object, not a list."),
    ({"email": 1, "password": "x"}, "The field email must be text, not a whole number."),
    ({"email": ["a"], "password": "x"}, "The field email must be text, not a list."),
    ({"email": "a@docket.example"}, "The field password is missing."),
    (
        {"email": "a", "password": "b", "admin": True},
        "The field admin is not one this request accepts.",
    ),
    ("not json", "The request body must be a JSON object, not text."),
]


@pytest.mark.parametrize(("body", "said"), BAD_LOGINS, ids=[s for _, s in BAD_LOGINS])
async def test_a_body_of_the_wrong_shape_is_said_in_a_sentence_naming_the_field(
    client, body: object, said: str
) -> None:
    response = await client.post(LOGIN, json=body)
    problem = assert_problem(response, 400, "validation-failed")
    assert problem["detail"] == said
    errors = problem["errors"]
    assert isinstance(errors, list)
    for error in errors:
        assert_sentence(error["message"])


async def test_bad_query_parameters_and_malformed_json_are_said_in_sentences(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    limit = assert_problem(
        await client.get("/api/v1/requests?limit=abc", headers=headers), 400, "validation-failed"
    )
    assert limit["detail"] == "The query parameter limit must be a whole number, not text."
    broken = await client.post(
        LOGIN, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(broken, 400, "bad-request")
    gone = assert_problem(await client.get("/api/v1/nothing", headers=headers), 404, "not-found")
    assert gone["detail"] == "There is nothing at this address."
    wrong_method = assert_problem(
        await client.delete("/api/v1/me", headers=headers), 405, "method-not-allowed"
    )
    assert wrong_method["detail"] == "This address does not answer this method."


async def test_a_domain_error_is_said_in_a_sentence(client) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.post(
        "/api/v1/users",
        json={
            "email": "robot@docket.example",
            "display_name": "Robot",
            "role": "system",
            "password": "a-long-enough-password",
        },
        headers=headers,
    )
    body = assert_problem(response, 422, "invalid-field")
    assert "Role." not in str(body["detail"])
