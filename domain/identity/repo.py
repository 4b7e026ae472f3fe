"""Users and API tokens in and out of their tables."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.identity.errors import ApiTokenNotFoundError, UserNotFoundError
from domain.identity.model import ApiToken, User, WebSession
from domain.identity.tables import ApiTokenTable, UserTable, WebSessionTable
from domain.shared.model import Role
from domain.shared.rows import Row, as_uuid, aware, aware_or_none

USER_COLUMNS = (
    UserTable.id,
    UserTable.email,
    UserTable.display_name,
    UserTable.role,
    UserTable.created_at,
    UserTable.disabled_at,
    UserTable.time_zone,
    UserTable.locale,
)


def user_from_row(row: Row) -> User:
    """A ``User`` from a ``UserTable`` row dict."""
    return User(
        id=as_uuid(row["id"]),
        email=str(row["email"]),
        display_name=str(row["display_name"]),
        role=Role(str(row["role"])),
        created_at=aware(row["created_at"]),
        disabled_at=aware_or_none(row["disabled_at"]),
        time_zone=str(row["time_zone"]),
        locale=str(row["locale"]),
    )


def token_from_row(row: Row) -> ApiToken:
    """An ``ApiToken`` from an ``ApiTokenTable`` row dict."""
    return ApiToken(
        id=as_uuid(row["id"]),
        name=str(row["name"]),
        role=Role(str(row["role"])),
        prefix=str(row["prefix"]),
        created_at=aware(row["created_at"]),
        created_by=None if row["created_by"] is None else as_uuid(row["created_by"]),
        expires_at=aware_or_none(row["expires_at"]),
        revoked_at=aware_or_none(row["revoked_at"]),
    )


async def get_user(user_id: UUID) -> User:
    """The user with this id.

    Raises:
        UserNotFoundError: when there is none.
    """
    row = await UserTable.select(*USER_COLUMNS).where(UserTable.id == user_id).first().run()
    if row is None:
        raise UserNotFoundError(user_id)
    return user_from_row(row)


async def find_user_with_hash(email: str) -> tuple[User, str] | None:
    """The user with this (lower-cased) e-mail and their password hash, if any."""
    row = (
        await UserTable.select(*USER_COLUMNS, UserTable.password_hash)
        .where(UserTable.email == email)
        .first()
        .run()
    )
    return None if row is None else (user_from_row(row), str(row["password_hash"]))


async def list_users() -> list[User]:
    """Every user, by e-mail."""
    rows = await UserTable.select(*USER_COLUMNS).order_by(UserTable.email).run()
    return [user_from_row(r) for r in rows]


async def count_users() -> int:
    """How many users exist (disabled ones included)."""
    return int(await UserTable.count().run())


async def get_token(token_id: UUID) -> ApiToken:
    """The API token with this id.

    Raises:
        ApiTokenNotFoundError: when there is none.
    """
    row = await ApiTokenTable.select().where(ApiTokenTable.id == token_id).first().run()
    if row is None:
        raise ApiTokenNotFoundError(token_id)
    return token_from_row(row)


async def find_token_by_hash(secret_sha256: str) -> ApiToken | None:
    """The API token whose secret hashes to ``secret_sha256``, if any."""
    row = (
        await ApiTokenTable.select()
        .where(ApiTokenTable.secret_sha256 == secret_sha256)
        .first()
        .run()
    )
    return None if row is None else token_from_row(row)


async def list_tokens() -> list[ApiToken]:
    """Every API token, newest first."""
    rows = await ApiTokenTable.select().order_by(ApiTokenTable.created_at, ascending=False).run()
    return [token_from_row(r) for r in rows]


def session_from_row(row: Row) -> WebSession:
    """A ``WebSession`` from a ``WebSessionTable`` row dict."""
    return WebSession(
        id=as_uuid(row["id"]),
        user_id=as_uuid(row["user_id"]),
        created_at=aware(row["created_at"]),
        expires_at=aware(row["expires_at"]),
        revoked_at=aware_or_none(row["revoked_at"]),
    )


async def insert_session(session: WebSession, secret_sha256: str) -> None:
    """Store a new session under the digest of its secret."""
    await WebSessionTable.insert(
        WebSessionTable(
            id=session.id,
            secret_sha256=secret_sha256,
            user_id=session.user_id,
            created_at=session.created_at,
            expires_at=session.expires_at,
        )
    ).run()


async def find_session(secret_sha256: str) -> WebSession | None:
    """The session whose secret has this digest, if any."""
    row = (
        await WebSessionTable.select()
        .where(WebSessionTable.secret_sha256 == secret_sha256)
        .first()
        .run()
    )
    return None if row is None else session_from_row(row)


async def find_session_with_user(secret_sha256: str) -> tuple[WebSession, User | None] | None:
    """The session whose secret has this digest and its user (None if gone), in one query.

    Every page asks this first, so it is one round trip rather than two.
    """
    s, u = WebSessionTable, UserTable
    user_columns = ", ".join(
        f"u.{c._meta.db_column_name} AS u_{c._meta.name}" for c in USER_COLUMNS
    )
    rows = await s.raw(
        f"SELECT s.id, s.user_id, s.created_at, s.expires_at, s.revoked_at, {user_columns} "  # noqa: S608 - our columns
        f"FROM {s._meta.tablename} s LEFT JOIN {u._meta.tablename} u ON u.id = s.user_id "
        "WHERE s.secret_sha256 = {}",
        secret_sha256,
    )
    if not rows:
        return None
    row = rows[0]
    user_row = {c._meta.name: row[f"u_{c._meta.name}"] for c in USER_COLUMNS}
    user = None if user_row["id"] is None else user_from_row(user_row)
    return session_from_row(row), user


async def revoke_session(session_id: UUID, at: datetime) -> None:
    """Mark a session signed out."""
    await (
        WebSessionTable.update({WebSessionTable.revoked_at: at})
        .where(WebSessionTable.id == session_id)
        .run()
    )


async def set_password_hash(user_id: UUID, password_hash: str) -> None:
    """Store a user's new password hash."""
    await (
        UserTable.update({UserTable.password_hash: password_hash})
        .where(UserTable.id == user_id)
        .run()
    )


async def revoke_sessions_of(user_id: UUID, at: datetime) -> None:
    """Sign a user out of every browser still signed in."""
    await (
        WebSessionTable.update({WebSessionTable.revoked_at: at})
        .where((WebSessionTable.user_id == user_id) & WebSessionTable.revoked_at.is_null())
        .run()
    )


async def set_time_zone(user_id: UUID, time_zone: str) -> None:
    """Store the zone a user reads times in ("" for the organisation's)."""
    await UserTable.update({UserTable.time_zone: time_zone}).where(UserTable.id == user_id).run()


async def set_locale(user_id: UUID, locale: str) -> None:
    """Store the language Docket writes to a user in ("" for the organisation's)."""
    await UserTable.update({UserTable.locale: locale}).where(UserTable.id == user_id).run()
