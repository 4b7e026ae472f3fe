"""Use cases for people: create, disable and list users; seed the demo logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

import anyio.to_thread
from email_validator import EmailNotValidError, validate_email

from audit.canonical import JsonValue
from domain.identity import repo
from domain.identity.credential_cache import credential_change
from domain.identity.errors import (
    AlreadyDisabledError,
    DuplicateEmailError,
    SelfLockoutError,
    UserNotFoundError,
)
from domain.identity.model import User
from domain.identity.passwords import hash_password
from domain.identity.tables import UserTable
from domain.shared import audit_trail
from domain.shared.database import is_unique_violation, write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import USER_ROLES, Actor, AuditAction, Role
from domain.shared.permissions import Permission, require

MAX_PASSWORD_LENGTH: Final = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class NewUser:
    """What an admin supplies to create a user."""

    email: str
    display_name: str
    role: Role
    password: str


def user_snapshot(user: User) -> dict[str, JsonValue]:
    """What the audit trail records of a user (never the password hash)."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role.value,
        "disabled_at": None if user.disabled_at is None else user.disabled_at.isoformat(),
    }


def normalize_email(email: str) -> str:
    """The canonical, lower-cased form of an e-mail address.

    Raises:
        ValidationError: when it is not an e-mail address.
    """
    try:
        checked = validate_email(
            email.strip(), check_deliverability=False, globally_deliverable=False
        )
    except EmailNotValidError as exc:
        raise ValidationError("email", str(exc)) from None
    return checked.normalized.lower()


def check_password(password: str, min_length: int) -> None:
    """Refuse a password that is too short or absurdly long.

    Raises:
        ValidationError: naming the rule it breaks.
    """
    if len(password) < min_length:
        raise ValidationError("password", f"must be at least {min_length} characters long")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("password", f"must be at most {MAX_PASSWORD_LENGTH} characters long")


async def create_user(
    new: NewUser, *, actor: Actor, now: datetime, password_min_length: int
) -> User:
    """Create a user who can log in with ``new.password``.

    Raises:
        PermissionDeniedError: unless the actor may manage users.
        ValidationError: bad e-mail, role or password.
        DuplicateEmailError: the e-mail address is taken.
    """
    require(actor.role, Permission.USERS_MANAGE)
    email = normalize_email(new.email)
    if new.role not in USER_ROLES:
        raise ValidationError("role", f"{new.role.value} is a role for API tokens, not people")
    display_name = new.display_name.strip() or email
    check_password(new.password, password_min_length)
    # off the event loop; creating users needs an admin, so anyio's own thread limit bounds it
    password_hash = await anyio.to_thread.run_sync(hash_password, new.password)
    async with write_transaction():
        return await insert_user(
            email, display_name, new.role, password_hash=password_hash, actor=actor, now=now
        )


async def insert_user(
    email: str, display_name: str, role: Role, *, password_hash: str, actor: Actor, now: datetime
) -> User:
    """Store a new user and write its ``user.created`` entry; inside the caller's transaction.

    ``email`` is normalized already. Creating a user by hand (``create_user``) and on a first
    single sign-on both come here, so both are audited alike.

    Raises:
        DuplicateEmailError: the e-mail address is taken.
    """
    if await repo.find_user_with_hash(email) is not None:
        raise DuplicateEmailError(email)
    row = UserTable(
        email=email,
        display_name=display_name,
        role=role.value,
        password_hash=password_hash,
        created_at=now,
    )
    try:
        await row.save().run()
    except Exception as exc:
        if is_unique_violation(exc):  # a concurrent create won the race
            raise DuplicateEmailError(email) from None
        raise
    user = await repo.get_user(row.id)
    await audit_trail.record(
        actor,
        AuditAction.USER_CREATED,
        subject_type="user",
        subject_id=str(user.id),
        before=None,
        after=user_snapshot(user),
        now=now,
    )
    return user


async def disable_user(user_id: UUID, *, actor: Actor, now: datetime) -> User:
    """Disable a user: their logins and access tokens are refused from now on.

    Raises:
        PermissionDeniedError: unless the actor may manage users.
        UserNotFoundError: no such user.
        SelfLockoutError: an admin disabling themselves.
        AlreadyDisabledError: the user is disabled already.
    """
    require(actor.role, Permission.USERS_MANAGE)
    if actor.id == user_id:
        raise SelfLockoutError(user_id)
    async with credential_change():
        user = await repo.get_user(user_id)
        if not user.is_active:
            raise AlreadyDisabledError("user", user_id)
        await UserTable.update({UserTable.disabled_at: now}).where(UserTable.id == user_id).run()
        disabled = await repo.get_user(user_id)
        await audit_trail.record(
            actor,
            AuditAction.USER_DISABLED,
            subject_type="user",
            subject_id=str(user_id),
            before=user_snapshot(user),
            after=user_snapshot(disabled),
            now=now,
        )
        return disabled


async def list_users(*, actor: Actor) -> list[User]:
    """Every user, by e-mail.

    Raises:
        PermissionDeniedError: unless the actor may read users.
    """
    require(actor.role, Permission.USERS_READ)
    return await repo.list_users()


async def get_user(user_id: UUID, *, actor: Actor) -> User:
    """One user.

    Raises:
        PermissionDeniedError: unless the actor may read users (or it is themselves).
        UserNotFoundError: no such user.
    """
    if actor.id != user_id:
        require(actor.role, Permission.USERS_READ)
    return await repo.get_user(user_id)


@dataclass(frozen=True, slots=True)
class Colleague:
    """Someone a request can be assigned to or named by: a name, not an account."""

    id: UUID
    display_name: str
    role: Role
    active: bool


async def colleagues(*, actor: Actor) -> list[Colleague]:
    """Everyone who works on requests, by name (disabled people too: old requests name them).

    Raises:
        PermissionDeniedError: unless the actor may read requests.
    """
    require(actor.role, Permission.REQUESTS_READ)
    found = await repo.list_users()
    return sorted(
        (Colleague(u.id, u.display_name, u.role, u.is_active) for u in found),
        key=lambda c: c.display_name.casefold(),
    )


async def find_user(user_id: UUID) -> User | None:
    """The user with this id, disabled or not; None when there is none.

    An internal lookup for other aggregates' services (an assignee to check, a name to print):
    no permission check, the calling use case has made its own.
    """
    try:
        return await repo.get_user(user_id)
    except UserNotFoundError:
        return None


async def active_users() -> list[User]:
    """Every user who is not disabled (who can be told something), in the database's order.

    An internal lookup for the reminder sweep: no permission check. No ORDER BY, as the sweep
    has always read them: the first of several hearers is who a webhook call names.
    """
    t = UserTable
    rows = await t.select(*repo.USER_COLUMNS).where(t.disabled_at.is_null()).run()
    return [repo.user_from_row(r) for r in rows]


DEMO_PASSWORD: Final = "docket-demo-password"  # noqa: S105 - printed by `make run`, demo only
DEMO_USERS: Final = (
    ("admin@docket.example", "Ada Admin", Role.ADMIN),
    ("specialist@docket.example", "Sam Specialist", Role.SPECIALIST),
    ("legal@docket.example", "Lee Legal", Role.LEGAL),
    ("auditor@docket.example", "Alex Auditor", Role.AUDITOR),
)


async def seed_demo_users(*, actor: Actor, now: datetime) -> list[User]:
    """Create one demo user per role, only when the database has no users at all."""
    if await repo.count_users() > 0:
        return []
    created = []
    for email, name, role in DEMO_USERS:
        new = NewUser(email=email, display_name=name, role=role, password=DEMO_PASSWORD)
        created.append(
            await create_user(new, actor=actor, now=now, password_min_length=len(DEMO_PASSWORD))
        )
    return created
