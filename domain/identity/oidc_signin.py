"""Single sign-on with OpenID Connect: start a sign-in, take it back once, open the session.

The HTTP parts (discovery, keys, the token endpoint) are in ``api``; the token checks are in
``domain.identity.oidc``. Here: what a sign-in under way keeps (its ``state`` single-use, with
the nonce and the PKCE verifier), and what a verified identity may do — whose account it is, a
new account when the role map gives a role, the role following the map — each change audited
in the transaction that opens the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from domain.identity import oidc_repo, repo, sessions, users
from domain.identity.credential_cache import credential_change
from domain.identity.errors import SingleSignOnRefusedError
from domain.identity.model import SignedIn, User
from domain.identity.oidc import VerifiedIdentity, new_secret, pkce_challenge
from domain.identity.oidc_repo import PendingLogin
from domain.identity.passwords import NO_PASSWORD
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.model import Actor, ActorKind, AuditAction, Role

SSO_ACTOR: Final = Actor(kind=ActorKind.SYSTEM, id=None, role=Role.SYSTEM, name="single-sign-on")
"""Who creates a user on their first single sign-on, and moves a role to follow the map."""

LOGIN_LIFETIME: Final = timedelta(minutes=10)
"""How long a person has at the provider before the sign-in must start again."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StartedLogin:
    """What the authorization request carries: the provider hands ``state`` back unchanged."""

    state: str
    nonce: str
    code_challenge: str
    """The S256 challenge of the code verifier, which stays here until the code is redeemed."""


async def start_login(next_page: str, *, now: datetime) -> StartedLogin:
    """Begin a single sign-on that returns to ``next_page``; abandoned ones are dropped."""
    state, verifier = new_secret(), new_secret()
    pending = PendingLogin(
        nonce=new_secret(),
        code_verifier=verifier,
        next_page=next_page,
        expires_at=now + LOGIN_LIFETIME,
    )
    async with write_transaction():
        await oidc_repo.forget_expired_logins(now)
        await oidc_repo.insert_login(state, pending, now=now)
    return StartedLogin(state=state, nonce=pending.nonce, code_challenge=pkce_challenge(verifier))


async def take_login(state: str, *, now: datetime) -> PendingLogin:
    """The sign-in under way with this ``state``, which can be taken only once.

    Raises:
        SingleSignOnRefusedError: unknown, used already, or expired.
    """
    async with write_transaction():
        pending = await oidc_repo.take_login(state) if state else None
    if pending is None:
        raise SingleSignOnRefusedError("this sign-in was used already or is unknown; start again")
    if pending.expires_at <= now:
        raise SingleSignOnRefusedError("this sign-in took too long; start again")
    return pending


async def complete_login(
    identity: VerifiedIdentity, *, role: Role | None, lifetime: timedelta, now: datetime
) -> SignedIn:
    """Open a session for the Docket user the provider vouches for.

    The user is the one who signed in as this subject before, else the one with the verified
    e-mail address. Unknown, they are created with ``role`` (the mapped role), or refused when
    there is none. A known user's role becomes ``role`` when the map gives one.

    Raises:
        SingleSignOnRefusedError: no such user and no mapped role, no verified e-mail address,
            the address belongs to a user linked to another subject, or the user is disabled.
    """
    # a role the map changes must reach the user's open sessions and tokens at once
    async with credential_change():
        user, linked = await _find_user(identity)
        if user is None:
            user = await _create_user(identity, role, now=now)
        if not user.is_active:
            raise SingleSignOnRefusedError("this Docket account is disabled")
        if role is not None and role is not user.role:
            user = await _change_role(user, role, now=now)
        if not linked:
            await oidc_repo.link(user.id, identity.issuer, identity.subject, now=now)
        how = {"method": "oidc", "issuer": identity.issuer, "subject": identity.subject}
        return await sessions.open_session(user, lifetime=lifetime, now=now, how=dict(how))


async def _find_user(identity: VerifiedIdentity) -> tuple[User | None, bool]:
    """The user and whether they are linked to this subject already."""
    user = await oidc_repo.find_linked_user(identity.issuer, identity.subject)
    if user is not None:
        return user, True
    if not identity.email:
        return None, False
    found = await repo.find_user_with_hash(identity.email)
    if found is None:
        return None, False
    user = found[0]
    other = await oidc_repo.subject_of(user.id, identity.issuer)
    if other is not None and other != identity.subject:
        # the address moved to another person at the provider: not the same account
        raise SingleSignOnRefusedError(
            "the Docket account with this e-mail address signs in as another person"
        )
    return user, False


async def _create_user(identity: VerifiedIdentity, role: Role | None, *, now: datetime) -> User:
    if not identity.email:
        raise SingleSignOnRefusedError("the identity provider vouches for no verified e-mail")
    if role is None:
        raise SingleSignOnRefusedError(
            "Docket has no account for this person and the role map gives them no role"
        )
    return await users.insert_user(
        identity.email,
        identity.name or identity.email,
        role,
        password_hash=NO_PASSWORD,
        actor=SSO_ACTOR,
        now=now,
    )


async def _change_role(user: User, role: Role, *, now: datetime) -> User:
    await oidc_repo.set_role(user.id, role)
    changed = await repo.get_user(user.id)
    await audit_trail.record(
        SSO_ACTOR,
        AuditAction.USER_ROLE_CHANGED,
        subject_type="user",
        subject_id=str(user.id),
        before=users.user_snapshot(user),
        after=users.user_snapshot(changed),
        now=now,
    )
    return changed
