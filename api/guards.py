"""Authorization: each endpoint declares the permission it needs; none declared, none granted."""

from __future__ import annotations

from typing import Final

from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler

from api.auth import PUBLIC_OPT
from domain.shared.errors import PermissionDeniedError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

PERMISSION_OPT: Final = "permission"
DOCS_PREFIX: Final = "/schema"


def needs(permission: Permission) -> dict[str, object]:
    """The ``opt`` of a handler that needs ``permission``."""
    return {PERMISSION_OPT: permission}


PUBLIC: Final[dict[str, object]] = {PUBLIC_OPT: True}


def authorize(
    connection: ASGIConnection[object, object, object, State], handler: BaseRouteHandler
) -> None:
    """App-wide guard: deny unless the handler is public or the actor's role has its permission.

    Raises:
        PermissionDeniedError: the role lacks the permission, or the handler declares none.
    """
    if handler.opt.get(PUBLIC_OPT) or connection.scope["path"].startswith(DOCS_PREFIX):
        return
    actor = connection.scope.get("user")
    if not isinstance(actor, Actor):  # unreachable behind BearerAuthMiddleware; deny anyway
        raise PermissionDeniedError("anonymous", "any")
    permission = handler.opt.get(PERMISSION_OPT)
    if not isinstance(permission, Permission):
        raise PermissionDeniedError(
            actor.role, "undeclared", "use an endpoint that declares no permission"
        )
    require(actor.role, permission)
