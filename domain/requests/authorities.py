"""Use cases for the authorities directory: the regulators, courts and police that send requests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests import repo as requests_repo
from domain.requests.model import Authority, AuthorityType
from domain.requests.tables import AuthorityTable
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require

COUNTRY: Final = re.compile(r"[A-Z]{2}")
MAX_NAME: Final = 300
MAX_CONTACT: Final = 2000


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAuthority:
    """What a specialist supplies to add an authority to the directory."""

    name: str
    country: str
    type: AuthorityType
    contact: str = ""
    verified: bool = False


def authority_snapshot(authority: Authority) -> dict[str, JsonValue]:
    """What the audit trail records of an authority."""
    return {
        "name": authority.name,
        "country": authority.country,
        "type": authority.type.value,
        "contact": authority.contact,
        "verified": authority.verified,
    }


def normalize_country(country: str) -> str:
    """An ISO 3166-1 alpha-2 code in upper case (``EU`` for Union bodies).

    Raises:
        ValidationError: on ``country`` when it is not two letters.
    """
    code = country.strip().upper()
    if not COUNTRY.fullmatch(code):
        raise ValidationError("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    return code


async def create_authority(new: NewAuthority, *, actor: Actor, now: datetime) -> Authority:
    """Add an authority to the directory.

    Raises:
        PermissionDeniedError: unless the actor may write authorities.
        ValidationError: empty or overlong name or contact, or a bad country code.
    """
    require(actor.role, Permission.AUTHORITIES_WRITE)
    name, contact = new.name.strip(), new.contact.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError("name", f"must be 1 to {MAX_NAME} characters")
    if len(contact) > MAX_CONTACT:
        raise ValidationError("contact", f"must be at most {MAX_CONTACT} characters")
    row = AuthorityTable(
        name=name,
        country=normalize_country(new.country),
        type=new.type.value,
        contact=contact,
        verified=new.verified,
        created_at=now.astimezone(UTC),
    )
    async with write_transaction():
        await row.save().run()
        authority = await requests_repo.get_authority(row.id)
        await audit_trail.record(
            actor,
            AuditAction.AUTHORITY_CREATED,
            subject_type="authority",
            subject_id=str(authority.id),
            before=None,
            after=authority_snapshot(authority),
            now=now,
        )
    return authority


async def list_authorities(*, actor: Actor, country: str | None = None) -> list[Authority]:
    """Every authority (of one country), by country and name.

    Raises:
        PermissionDeniedError: unless the actor may read authorities.
        ValidationError: a bad country code.
    """
    require(actor.role, Permission.AUTHORITIES_READ)
    code = None if country is None else normalize_country(country)
    return await requests_repo.list_authorities(code)


async def get_authority(authority_id: UUID, *, actor: Actor) -> Authority:
    """One authority.

    Raises:
        PermissionDeniedError: unless the actor may read authorities.
        AuthorityNotFoundError: no such authority.
    """
    require(actor.role, Permission.AUTHORITIES_READ)
    return await requests_repo.get_authority(authority_id)
