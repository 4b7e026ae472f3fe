"""Single sign-on against a real OpenID Connect provider on loopback (oidc-provider-mock).

The provider runs in a thread of the test process; Docket discovers it, sends the browser there,
redeems the code at its token endpoint and checks the ID token with its published key.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from audit import store
from domain import deadlines
from domain.identity import repo as identity_repo
from domain.identity import users
from domain.identity.passwords import NO_PASSWORD
from domain.shared.model import Role
from tests.conftest import ROOT, T0, FixedClock, make_user
from tests.web.sso_helpers import (
    CLIENT_ID,
    Client,
    authorize_at_provider,
    provider,
    set_person,
    sso_settings,
    sso_sign_in,
    start,
)

pytestmark = [
    pytest.mark.usefixtures("db"),
    # the mock provider runs on Authlib's deprecated APIs (not Docket's concern)
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib"),
]


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with provider() as url:
        yield url


@pytest.fixture
def sso_clock() -> FixedClock:
    # the provider stamps its tokens with the real time; Docket's clock must agree with it
    return FixedClock(datetime.now(UTC))


@pytest.fixture
async def sso_client(
    settings: Settings,
    issuer: str,
    sso_clock: FixedClock,
    rulebook: deadlines.RuleBook,
    db: str,
) -> AsyncIterator[Client]:
    app = create_app(sso_settings(settings, issuer), clock=sso_clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        yield client


async def _actions(user_id: object) -> list[str]:
    return [e.action for e in await store.entries(subject=("user", str(user_id)))]


async def _change(user_id: object, action: str) -> dict[str, object]:
    trail = await store.entries(subject=("user", str(user_id)))
    entry = next(e for e in trail if e.action == action)
    record = await store.changes_for(entry.index)
    assert record is not None
    change: dict[str, object] = json.loads(record.change_json)
    return change


async def test_the_sign_in_page_offers_single_sign_on_only_when_a_provider_is_set(
    client, sso_client
) -> None:
    plain = await client.get("/sign-in")
    assert "Sign in with" not in plain.text
    assert (await client.get("/sign-in/oidc")).status_code == 404
    offered = await sso_client.get("/sign-in?next=/queue")
    assert 'href="/sign-in/oidc?next=/queue"' in offered.text
    assert "Sign in with Test ID" in offered.text


async def test_the_authorization_request_uses_pkce_s256_state_and_nonce(sso_client, issuer) -> None:
    target = urlsplit(await start(sso_client))
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{issuer}/oauth2/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://docket.test/sign-in/oidc/callback"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["scope"].split() == ["openid", "email", "profile"]
    assert len(query["state"]) == len(query["nonce"]) == 43
    assert query["state"] != query["nonce"]


async def test_a_known_user_signs_in_by_verified_email_and_gets_a_session(
    sso_client, issuer
) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-sam", email=user.email.upper(), email_verified=True)

    response = await sso_sign_in(sso_client, issuer, "sub-sam", next_page="/queue")

    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == "/queue"
    assert response.cookies.get("docket_session")
    assert (await sso_client.get("/queue")).status_code == 200
    assert await _actions(user.id) == ["user.created", "user.signed_in"]
    after = (await _change(user.id, "user.signed_in"))["after"]
    assert isinstance(after, dict)
    assert after["method"] == "oidc"
    assert after["issuer"] == issuer
    assert after["subject"] == "sub-sam"


async def test_the_next_sign_in_finds_the_user_by_subject_when_the_email_changed(
    sso_client, issuer
) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-moved", email=user.email, email_verified=True)
    assert (await sso_sign_in(sso_client, issuer, "sub-moved")).status_code == 303
    await set_person(issuer, "sub-moved", email="new-name@elsewhere.example", email_verified=True)

    response = await sso_sign_in(sso_client, issuer, "sub-moved")

    assert response.status_code == 303
    assert (await _actions(user.id)).count("user.signed_in") == 2


async def test_a_new_person_whose_group_maps_to_a_role_gets_an_account(sso_client, issuer) -> None:
    await set_person(
        issuer,
        "sub-new",
        email="New.Lawyer@docket.example",
        email_verified=True,
        name="New Lawyer",
        groups=["everyone", "docket-legal"],
    )

    response = await sso_sign_in(sso_client, issuer, "sub-new")

    assert response.status_code == 303, response.text[:500]
    found = await identity_repo.find_user_with_hash("new.lawyer@docket.example")
    assert found is not None
    user, _ = found
    assert (user.role, user.display_name) == (Role.LEGAL, "New Lawyer")
    assert await _actions(user.id) == ["user.created", "user.signed_in"]
    created = await store.entries(subject=("user", str(user.id)))
    assert created[0].actor_id == "system:single-sign-on"
    assert (await sso_client.get("/reviews")).status_code == 200
    # an account made by single sign-on has no password that could be guessed
    assert found[1] == NO_PASSWORD


async def test_a_person_unknown_to_docket_without_a_mapped_role_is_refused(
    sso_client, issuer
) -> None:
    await set_person(
        issuer, "sub-stranger", email="stranger@docket.example", email_verified=True, groups=["x"]
    )

    response = await sso_sign_in(sso_client, issuer, "sub-stranger")

    assert response.status_code == 401
    assert "the role map gives them no role" in response.text
    assert "docket_session" not in response.cookies
    assert await identity_repo.find_user_with_hash("stranger@docket.example") is None


async def test_an_unverified_email_does_not_match_an_account(sso_client, issuer) -> None:
    user = await make_user(Role.ADMIN)
    await set_person(issuer, "sub-claims-admin", email=user.email, email_verified=False)

    response = await sso_sign_in(sso_client, issuer, "sub-claims-admin")

    assert response.status_code == 401
    assert "verified e-mail" in response.text
    assert await _actions(user.id) == ["user.created"]


async def test_the_role_follows_the_mapped_group_at_each_sign_in(sso_client, issuer) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(
        issuer, "sub-promoted", email=user.email, email_verified=True, groups="docket-legal"
    )

    assert (await sso_sign_in(sso_client, issuer, "sub-promoted")).status_code == 303

    assert (await identity_repo.get_user(user.id)).role is Role.LEGAL
    assert await _actions(user.id) == ["user.created", "user.role_changed", "user.signed_in"]
    change = await _change(user.id, "user.role_changed")
    assert change["before"]["role"] == "specialist"  # type: ignore[index]
    assert change["after"]["role"] == "legal"  # type: ignore[index]
    # signing in again with the same group changes nothing more
    assert (await sso_sign_in(sso_client, issuer, "sub-promoted")).status_code == 303
    assert (await _actions(user.id)).count("user.role_changed") == 1


async def test_a_disabled_user_is_refused(sso_client, issuer) -> None:
    user = await make_user(Role.SPECIALIST)
    await users.disable_user(user.id, actor=ROOT, now=T0)
    await set_person(
        issuer, "sub-gone", email=user.email, email_verified=True, groups=["docket-legal"]
    )

    response = await sso_sign_in(sso_client, issuer, "sub-gone")

    assert response.status_code == 401
    assert "this Docket account is disabled" in response.text
    assert (await identity_repo.get_user(user.id)).role is Role.SPECIALIST
    assert await _actions(user.id) == ["user.created", "user.disabled"]


async def test_a_replayed_state_is_refused(sso_client, issuer) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-replay", email=user.email, email_verified=True)
    callback = await authorize_at_provider(await start(sso_client), "sub-replay")
    assert (await sso_client.get(callback)).status_code == 303
    sso_client.cookies.clear()

    # the same answer again, with the state cookie put back as an attacker would
    state = parse_qs(urlsplit(callback).query)["state"][0]
    sso_client.cookies.set("docket_sso_state", state, path="/sign-in/oidc")
    replayed = await sso_client.get(callback)

    assert replayed.status_code == 401
    assert "used already" in replayed.text
    assert (await _actions(user.id)).count("user.signed_in") == 1


async def test_a_sign_in_left_at_the_provider_too_long_is_refused(
    sso_client, sso_clock, issuer
) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-slow", email=user.email, email_verified=True)
    callback = await authorize_at_provider(await start(sso_client), "sub-slow")
    sso_clock.current += timedelta(minutes=11)

    response = await sso_client.get(callback)

    assert response.status_code == 401
    assert "this sign-in took too long" in response.text
    assert (await _actions(user.id)).count("user.signed_in") == 0


async def test_an_answer_for_a_sign_in_started_in_another_browser_is_refused(
    sso_client, issuer
) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-csrf", email=user.email, email_verified=True)
    callback = await authorize_at_provider(await start(sso_client), "sub-csrf")
    sso_client.cookies.clear()  # the victim's browser never started this sign-in

    response = await sso_client.get(callback)

    assert response.status_code == 401
    assert "did not start in this browser" in response.text


async def test_a_token_carrying_another_sign_ins_nonce_is_refused(sso_client, issuer) -> None:
    user = await make_user(Role.SPECIALIST)
    await set_person(issuer, "sub-nonce", email=user.email, email_verified=True)
    first = urlsplit(await start(sso_client))
    second = urlsplit(await start(sso_client))  # the browser's cookie now holds this state
    # the provider is asked with the first sign-in's nonce but answers to the second's state
    query = parse_qs(first.query)
    query["state"] = parse_qs(second.query)["state"]
    mixed = first._replace(query=urlencode({k: v[0] for k, v in query.items()})).geturl()

    response = await sso_client.get(await authorize_at_provider(mixed, "sub-nonce"))

    assert response.status_code == 401
    assert "nonce" in response.text


async def test_an_error_from_the_provider_is_said_on_the_sign_in_page(sso_client) -> None:
    target = urlsplit(await start(sso_client))
    state = parse_qs(target.query)["state"][0]

    response = await sso_client.get(
        "/sign-in/oidc/callback", params={"state": state, "error": "access_denied"}
    )

    assert response.status_code == 401
    assert "access_denied" in response.text


async def test_a_provider_that_names_another_issuer_is_not_trusted(
    settings, rulebook, sso_clock, issuer
) -> None:
    # the configured issuer differs from the provider's own by a trailing slash: not exact
    configured = sso_settings(settings, f"{issuer}/")
    app = create_app(configured, clock=sso_clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        response = await client.get("/sign-in/oidc")
    assert response.status_code == 401
    assert "the identity provider calls itself" in response.text


async def test_an_expired_id_token_is_refused(settings, rulebook) -> None:
    with provider(token_lifetime=timedelta(seconds=1)) as short_lived:
        clock = FixedClock(datetime.now(UTC))
        configured = sso_settings(settings, short_lived)
        app = create_app(configured, clock=clock, pool=False, rulebook=rulebook)
        async with AsyncTestClient(app=app) as client:
            client.follow_redirects = False
            user = await make_user(Role.SPECIALIST)
            await set_person(short_lived, "sub-late", email=user.email, email_verified=True)
            callback = await authorize_at_provider(await start(client), "sub-late")
            clock.current += timedelta(minutes=3)  # within the sign-in's time, past the token's
            response = await client.get(callback)
    assert response.status_code == 401
    assert "the ID token has expired" in response.text
