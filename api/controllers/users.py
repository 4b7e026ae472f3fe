"""Admin: people who log in."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.schemas.auth import PasswordReset, UserCreate, UserList, UserRead
from api.settings import AuthSettings
from domain.identity import users
from domain.identity.password_reset import reset_password
from domain.identity.users import NewUser
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class UserController(Controller):
    """List, create and disable users."""

    path = "/api/v1/users"
    tags = ["Users"]

    @get(operation_id="ListUsers", opt=needs(Permission.USERS_READ), responses=protected())
    async def list_users(self, actor: NamedDependency[Actor]) -> UserList:
        """Every user, by e-mail."""
        return UserList(
            items=[UserRead.from_domain(u) for u in await users.list_users(actor=actor)]
        )

    @get(
        "/{user_id:uuid}",
        operation_id="GetUser",
        opt=needs(Permission.USERS_READ),
        responses=protected(404),
    )
    async def get_user(self, user_id: FromPath[UUID], actor: NamedDependency[Actor]) -> UserRead:
        """One user."""
        return UserRead.from_domain(await users.get_user(user_id, actor=actor))

    @post(
        operation_id="CreateUser",
        opt=needs(Permission.USERS_MANAGE),
        status_code=HTTP_201_CREATED,
        responses=protected(409, 422),
    )
    async def create_user(
        self,
        data: Annotated[UserCreate, Body(title="New user")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        auth_settings: NamedDependency[AuthSettings],
    ) -> UserRead:
        """Create a user who logs in with the given password."""
        new = NewUser(
            email=data.email, display_name=data.display_name, role=data.role, password=data.password
        )
        user = await users.create_user(
            new,
            actor=actor,
            now=clock.now(),
            password_min_length=auth_settings.password_min_length,
        )
        return UserRead.from_domain(user)

    @post(
        "/{user_id:uuid}/disable",
        operation_id="DisableUser",
        opt=needs(Permission.USERS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def disable_user(
        self, user_id: FromPath[UUID], actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> UserRead:
        """Disable a user: their logins and tokens are refused from now on."""
        return UserRead.from_domain(await users.disable_user(user_id, actor=actor, now=clock.now()))

    @post(
        "/{user_id:uuid}/password",
        operation_id="ResetUserPassword",
        opt=needs(Permission.USERS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def reset_password(
        self,
        user_id: FromPath[UUID],
        data: Annotated[PasswordReset, Body(title="New password")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        auth_settings: NamedDependency[AuthSettings],
    ) -> UserRead:
        """Set a user's new password; their browser sessions end at once."""
        user = await reset_password(
            user_id,
            data.password,
            actor=actor,
            now=clock.now(),
            password_min_length=auth_settings.password_min_length,
        )
        return UserRead.from_domain(user)
