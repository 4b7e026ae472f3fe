"""Use cases for the authorities directory: the regulators, courts and police that send requests."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from iso3166 import countries_by_alpha2

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
UNION: Final = "EU"
"""Bodies of the European Union (the Commission, the Board for Digital Services …)."""
NOT_ISO: Final = {"UK": "GB", "EL": "GR"}
"""Codes the EU writes for two countries that ISO 3166-1 codes otherwise."""
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
        ValidationError: on ``country`` when it is not an assigned ISO 3166-1 alpha-2 code.
    """
    code = country.strip().upper()
    if code == UNION or code in countries_by_alpha2:
        return code
    hint = f" ({NOT_ISO[code]} in ISO 3166-1)" if code in NOT_ISO else ""
    if not COUNTRY.fullmatch(code):
        hint = " (two letters)"
    raise ValidationError(
        "country", f"{country!r} is not an ISO 3166-1 alpha-2 country code nor EU{hint}"
    )


def checked_authority(new: NewAuthority) -> NewAuthority:
    """``new`` trimmed, with its country code normalized, as the directory stores it.

    Raises:
        ValidationError: empty or overlong name or contact, or a bad country code.
    """
    name, contact = new.name.strip(), new.contact.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationError("name", f"must be 1 to {MAX_NAME} characters")
    if len(contact) > MAX_CONTACT:
        raise ValidationError("contact", f"must be at most {MAX_CONTACT} characters")
    country = normalize_country(new.country)
    return NewAuthority(
        name=name, country=country, type=new.type, contact=contact, verified=new.verified
    )


def name_key(name: str) -> str:
    """A name as duplicates are told by: compatibility forms, letter case and spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True, slots=True)
class AddedAuthority:
    """An authority just added, and those it likely duplicates (a warning, not a refusal)."""

    authority: Authority
    likely_duplicates: tuple[Authority, ...]
    """Authorities of the same country whose name differs only in letter case and spaces."""


async def create_authority(new: NewAuthority, *, actor: Actor, now: datetime) -> Authority:
    """Add an authority to the directory.

    Raises:
        PermissionDeniedError: unless the actor may write authorities.
        ValidationError: empty or overlong name or contact, or a bad country code.
    """
    require(actor.role, Permission.AUTHORITIES_WRITE)
    new = checked_authority(new)
    row = AuthorityTable(
        name=new.name,
        country=new.country,
        type=new.type.value,
        contact=new.contact,
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


async def add_authority(new: NewAuthority, *, actor: Actor, now: datetime) -> AddedAuthority:
    """Add an authority to the directory, and say which ones it likely duplicates.

    Two regulators may share a name; the caller is warned, and decides.

    Raises:
        PermissionDeniedError: unless the actor may write authorities.
        ValidationError: empty or overlong name or contact, or a bad country code.
    """
    authority = await create_authority(new, actor=actor, now=now)
    key = name_key(authority.name)
    same = [
        a
        for a in await requests_repo.list_authorities(authority.country)
        if a.id != authority.id and name_key(a.name) == key
    ]
    return AddedAuthority(authority, tuple(same))


async def list_authorities(*, actor: Actor, country: str | None = None) -> list[Authority]:
    """Every authority (of one country), by country and name.

    Raises:
        PermissionDeniedError: unless the actor may read authorities.
        ValidationError: a bad country code.
    """
    require(actor.role, Permission.AUTHORITIES_READ)
    code = None if country is None else normalize_country(country)
    return await requests_repo.list_authorities(code)


def _folded(text: str) -> str:
    """``text`` without letter case or accents, so that "coimisiun" finds "Coimisiún"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _rank(authority: Authority, wanted: str) -> int | None:
    """How well ``authority`` matches the folded text ``wanted`` (0 best), None for no match."""
    name = _folded(authority.name)
    if name.startswith(wanted):
        return 0
    if any(word.startswith(wanted) for word in name.split()):
        return 1
    if wanted in name:
        return 2
    if wanted == authority.country.casefold():
        return 3
    return None


async def search_authorities(
    text: str, *, actor: Actor, limit: int | None = None
) -> list[Authority]:
    """Authorities whose name contains ``text`` or whose country code it is, best match first.

    Letter case and accents are ignored. Names that start with the text come first, then names
    with a word that does, then other names that contain it, then the country's authorities;
    each group by name. An empty text finds every authority, by country and name.

    Raises:
        PermissionDeniedError: unless the actor may read authorities.
    """
    require(actor.role, Permission.AUTHORITIES_READ)
    everyone = await requests_repo.list_authorities(None)
    wanted = _folded(text.strip())
    if not wanted:
        return everyone[:limit]
    ranked = [(rank, a) for a in everyone if (rank := _rank(a, wanted)) is not None]
    ranked.sort(key=lambda pair: (pair[0], _folded(pair[1].name), pair[1].country))
    return [authority for _, authority in ranked][:limit]


async def get_authority(authority_id: UUID, *, actor: Actor) -> Authority:
    """One authority.

    Raises:
        PermissionDeniedError: unless the actor may read authorities.
        AuthorityNotFoundError: no such authority.
    """
    require(actor.role, Permission.AUTHORITIES_READ)
    return await requests_repo.get_authority(authority_id)
