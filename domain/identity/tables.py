"""Piccolo tables of people, API tokens and failed logins."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class UserTable(Table, tablename="docket_user"):
    """A person who logs in; ``email`` is stored lower-cased."""

    id = UUID(primary_key=True)
    email = Varchar(length=320, unique=True, index=True)
    display_name = Varchar(length=200)
    role = Varchar(length=20)
    password_hash = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
    disabled_at = Timestamptz(null=True, default=None)
    time_zone = Varchar(length=64, default="")
    locale = Varchar(length=16, default="")


class ApiTokenTable(Table, tablename="api_token"):
    """A bearer token for another system; only the SHA-256 of the secret is kept."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    role = Varchar(length=20)
    prefix = Varchar(length=16)
    secret_sha256 = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = UUID(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginFailureTable(Table, tablename="login_failure"):
    """One wrong password, counted against the account and against the client address."""

    key = Varchar(length=400, index=True)
    failed_at = Timestamptz(default=TimestamptzNow(), index=True)


class WebSessionTable(Table, tablename="web_session"):
    """A signed-in browser; only the SHA-256 of the cookie's secret is kept."""

    id = UUID(primary_key=True)
    secret_sha256 = Varchar(length=64, unique=True, index=True)
    user_id = UUID(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class OidcLoginTable(Table, tablename="oidc_login"):
    """A single sign-on under way: its ``state`` (only the SHA-256), nonce and PKCE verifier.

    Deleted when the provider sends the browser back, so a ``state`` is used at most once.
    """

    id = UUID(primary_key=True)
    state_sha256 = Varchar(length=64, unique=True, index=True)
    nonce = Varchar(length=100)
    code_verifier = Varchar(length=128)
    next_page = Varchar(length=2000, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow(), index=True)


class OidcIdentityTable(Table, tablename="oidc_identity"):
    """The provider's subject a user signed in as; ``key`` is the SHA-256 of issuer and subject."""

    id = UUID(primary_key=True)
    key = Varchar(length=64, unique=True, index=True)
    issuer = Varchar(length=1000)
    subject = Varchar(length=255)
    user_id = UUID(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
