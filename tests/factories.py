"""Explicit, deterministic test data made through the real services (no rows written by hand)."""

from __future__ import annotations

from datetime import datetime

from domain import deadlines
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import (
    Authority,
    AuthorityType,
    Channel,
    Instrument,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.records import NewRequest
from tests.conftest import ROOT, T0

GB_RIGHTS = "GB/uk-gdpr.rights-request"
"""One month, clock may stop, a two-month extension."""


async def given_authority(name: str = "Ofcom", country: str = "GB") -> Authority:
    """A regulator logged by an admin at T0."""
    return await authorities.create_authority(
        NewAuthority(name=name, country=country, type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )


async def given_request(
    book: deadlines.RuleBook,
    *,
    authority: Authority | None = None,
    received_at: datetime = T0,
    rule_id: str = GB_RIGHTS,
    **overrides: object,
) -> RegulatoryRequest:
    """A request logged through ``log_request`` by an admin; ``overrides`` are NewRequest fields."""
    authority = authority or await given_authority()
    fields: dict[str, object] = {
        "authority_id": authority.id,
        "rule_id": rule_id,
        "received_at": received_at,
        "channel": Channel.PORTAL,
        "kind": RequestKind.USER_DATA,
        "instrument": Instrument.INFORMATION_REQUEST,
        "summary": "Account data for @example",
        **overrides,
    }
    new = NewRequest(**fields)  # type: ignore[arg-type]
    return await requests.log_request(book, new, actor=ROOT, now=received_at)
