"""An admin sets a new password for someone who lost theirs (one audit entry, no hash logged)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import anyio.to_thread

from domain.identity import repo
from domain.identity.credential_cache import credential_change
from domain.identity.errors import AlreadyDisabledError
from domain.identity.model import User
from domain.identity.passwords import hash_password
from domain.identity.users import check_password
from domain.shared import audit_trail
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require


async def reset_password(
    user_id: UUID, password: str, *, actor: Actor, now: datetime, password_min_length: int
) -> User:
    """Give a user a new password and sign them out of every browser.

    The old password stops working at once; the sessions opened with it end too, since a reset
    often follows a password that leaked. The audit entry names the user, never the password.

    Raises:
        PermissionDeniedError: unless the actor may manage users.
        ValidationError: a password too short or too long.
        UserNotFoundError: no such user.
        AlreadyDisabledError: the user is disabled (enable is not a reset).
    """
    require(actor.role, Permission.USERS_MANAGE)
    check_password(password, password_min_length)
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    async with credential_change():
        user = await repo.get_user(user_id)
        if not user.is_active:
            raise AlreadyDisabledError("user", user_id)
        await repo.set_password_hash(user_id, password_hash)
        await repo.revoke_sessions_of(user_id, now)
        await audit_trail.record(
            actor,
            AuditAction.USER_PASSWORD_RESET,
            subject_type="user",
            subject_id=str(user_id),
            before=None,
            after={"user_id": str(user_id), "sessions_ended": True},
            now=now,
        )
        return user
