"""People and other systems that use Docket, and their tokens (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.shared.model import Actor, ActorKind, Role


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """A person who logs in to Docket."""

    id: UUID
    email: str
    display_name: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None = None
    time_zone: str = ""
    """The IANA zone the user reads times in; empty: the organisation's (``DOCKET_TIME_ZONE``)."""
    locale: str = ""
    """The language Docket writes to the user in (``de``, ``pt_BR``, …); empty: the
    organisation's (``DOCKET_NOTIFICATION_LOCALE``)."""

    @property
    def is_active(self) -> bool:
        """Whether the user may log in and use the API."""
        return self.disabled_at is None

    def as_actor(self) -> Actor:
        """This user as the actor of a change."""
        return Actor(kind=ActorKind.USER, id=self.id, role=self.role, name=self.email)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiToken:
    """A bearer token for another system; the secret itself is never stored, only its hash."""

    id: UUID
    name: str
    role: Role
    prefix: str
    created_at: datetime
    created_by: UUID | None
    expires_at: datetime | None
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def as_actor(self) -> Actor:
        """This token as the actor of a change."""
        return Actor(kind=ActorKind.TOKEN, id=self.id, role=self.role, name=self.name)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as created: the secret is shown once, here, and never again."""

    token: ApiToken
    secret: str


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A signed, short-lived login token for a user."""

    value: str
    expires_in: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSession:
    """A signed-in browser: the cookie's secret is never stored, only its SHA-256."""

    id: UUID
    user_id: UUID
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def is_live(self, now: datetime) -> bool:
        """Neither signed out nor expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session as opened: the cookie value is handed out once, here."""

    session: WebSession
    user: User
    secret: str
