"""Every error is a problem document; every domain error has a mapping; nothing internal leaks."""

from __future__ import annotations

import logging

import pytest
from litestar import get

from api.errors import PROBLEMS, problem_for
from api.guards import needs
from audit import errors as audit_errors
from domain.audit_log import ChangeAlreadyErasedError, EntryNotFoundError, TileNotFoundError
from domain.deadlines import JurisdictionNotFoundError, RuleNotFoundError
from domain.identity.errors import InvalidCredentialsError, UserNotFoundError
from domain.shared.errors import EXPECTED_ERRORS, DocketError, NotFoundError
from domain.shared.model import Role
from domain.shared.permissions import Permission
from jurisdictions import errors as jurisdiction_errors
from tests.api.helpers import assert_problem, bearer


def all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= all_subclasses(sub)
    return found


@pytest.mark.parametrize("error", sorted(all_subclasses(DocketError), key=lambda c: c.__name__))
def test_every_domain_error_has_a_problem_mapping(error: type[DocketError]) -> None:
    mapped = [cls for cls in error.__mro__ if cls in PROBLEMS and cls is not DocketError]
    assert mapped, f"{error.__name__} maps to nothing more specific than DocketError"
    problem = PROBLEMS[mapped[0]]
    assert 400 <= problem.status < 600
    assert problem.slug.replace("-", "").isalnum()


# The deadline engine's and the audit core's errors that a service lets reach a caller.
REACHING_THE_EDGE = [
    RuleNotFoundError,
    JurisdictionNotFoundError,
    EntryNotFoundError,
    ChangeAlreadyErasedError,
    TileNotFoundError,
]


@pytest.mark.parametrize("error", REACHING_THE_EDGE, ids=lambda c: c.__name__)
def test_every_core_error_that_reaches_a_caller_has_a_problem_mapping(error: type) -> None:
    problem = problem_for(error.__new__(error))
    assert problem is not None
    assert 400 <= problem.status < 500


def test_no_two_errors_share_a_name_across_the_three_hierarchies() -> None:
    names = [c.__name__ for root in EXPECTED_ERRORS for c in {root, *all_subclasses(root)}]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert {jurisdiction_errors.JurisdictionError, audit_errors.AuditError} < set(EXPECTED_ERRORS)


async def test_an_engine_error_without_a_mapping_is_a_500_not_a_4xx(client, app) -> None:
    @get("/api/v1/boom-rulepack", opt=needs(Permission.ME_READ))
    async def boom() -> None:
        raise jurisdiction_errors.RulePackError("xx.toml", "period", "missing")

    app.register(boom)
    response = await client.get("/api/v1/boom-rulepack", headers=await bearer(Role.SPECIALIST))
    body = assert_problem(response, 500, "internal-error")
    assert "xx.toml" not in response.text
    assert body["correlation_id"]


def test_the_most_specific_mapping_wins() -> None:
    assert problem_for(UserNotFoundError("x")) is PROBLEMS[NotFoundError]
    assert problem_for(InvalidCredentialsError()).slug == "invalid-credentials"


async def test_an_unexpected_exception_is_a_generic_500_with_a_correlation_id(
    client, app, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/api/v1/boom", opt=needs(Permission.ME_READ))
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    app.register(boom)
    with caplog.at_level(logging.ERROR, logger="docket.errors"):
        response = await client.get("/api/v1/boom", headers=await bearer(Role.AUDITOR))
    body = assert_problem(response, 500, "internal-error")
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "docket.errors"]
    assert logged
    assert body["correlation_id"] in logged[0].getMessage()
    assert logged[0].exc_info is not None


async def test_an_unknown_route_and_a_wrong_method_are_problems(client) -> None:
    assert_problem(await client.get("/api/v1/nowhere"), 404, "not-found")
    response = await client.delete("/api/v1/me", headers=await bearer(Role.ADMIN))
    assert_problem(response, 405, "method-not-allowed")


async def test_a_caller_supplied_correlation_id_is_kept_when_it_is_plain(client) -> None:
    plain = await client.get("/healthz", headers={"X-Correlation-ID": "abc-123-def-456"})
    assert plain.headers["x-correlation-id"] == "abc-123-def-456"
    odd = await client.get("/healthz", headers={"X-Correlation-ID": "<script>"})
    assert odd.headers["x-correlation-id"] != "<script>"
    assert len(odd.headers["x-correlation-id"]) == 32
