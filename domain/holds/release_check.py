"""What releasing would leave behind, asked before the release: a read, nothing changes.

Legal must see, before it confirms a release, that a preservation request's period (18 U.S.C.
2703(f), with its renewals) still runs, and which of the items stay preserved by other holds
anyway. ``release_warnings`` answers both for the whole hold, one custodian, or one data source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.holds import coverage_repo
from domain.holds import repo as holds_repo
from domain.holds.errors import HoldItemNotFoundError, HoldItemReleasedError
from domain.holds.model import CoveringHold, LegalHold, parse_data_source
from domain.identity.users import normalize_email
from domain.shared.errors import ValidationError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require


@dataclass(frozen=True, slots=True)
class ReleaseWarnings:
    """What a release would leave behind; nothing to warn of when both are empty."""

    hold: LegalHold
    items: tuple[str, ...]
    """What would be released, in normal form: ``custodian:<e-mail>``, ``<system>:<id>``."""
    preservation_until: datetime | None
    """When the preservation request the hold follows ends, while its period still runs."""
    still_covered_by: tuple[CoveringHold, ...]
    """Other preserving holds on those items (with what of each matched)."""

    @property
    def any(self) -> bool:
        """Whether there is anything to warn of."""
        return self.preservation_until is not None or bool(self.still_covered_by)


Items = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]
"""Custodians (e-mail) and data sources (system, identifier) that a release would let go."""


def _items(hold: LegalHold, custodian: str | None, data_source: str | None) -> Items:
    if custodian is not None:
        email = normalize_email(custodian)
        found = next((c for c in hold.custodians if c.email == email), None)
        if found is None:
            raise HoldItemNotFoundError("custodian", email)
        if not found.is_held:
            raise HoldItemReleasedError("custodian", email)
        return (email,), ()
    if data_source is not None:
        try:
            system, identifier = parse_data_source(data_source)
        except ValueError as exc:
            raise ValidationError("data_source", str(exc)) from None
        key = f"{system}:{identifier}"
        source = next((d for d in hold.data_sources if d.key == key), None)
        if source is None:
            raise HoldItemNotFoundError("data source", key)
        if not source.is_held:
            raise HoldItemReleasedError("data source", key)
        return (), ((system, identifier),)
    return (
        tuple(c.email for c in hold.custodians if c.is_held),
        tuple((d.system, d.identifier) for d in hold.data_sources if d.is_held),
    )


async def _covering(hold_id: UUID, items: Items) -> tuple[CoveringHold, ...]:
    emails, sources = items
    found: dict[UUID, CoveringHold] = {}
    covering = [c for e in emails for c in await coverage_repo.holds_covering_custodian(e)]
    for system, identifier in sources:
        covering += await coverage_repo.holds_covering_data_source(system, identifier)
    for c in covering:
        if c.id != hold_id:
            before = found.get(c.id)
            kept = () if before is None else before.matched
            found[c.id] = CoveringHold(c.id, c.matter, (*kept, *c.matched))
    return tuple(found.values())


async def release_warnings(
    hold_id: UUID,
    *,
    actor: Actor,
    now: datetime,
    custodian: str | None = None,
    data_source: str | None = None,
) -> ReleaseWarnings:
    """What releasing the hold (or only ``custodian`` or ``data_source``) would leave behind.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        HoldNotFoundError: no such hold.
        HoldItemNotFoundError: the hold names no such custodian or data source.
        HoldItemReleasedError: it was released from the hold already.
        ValidationError: ``custodian`` is not an e-mail address, ``data_source`` not SYSTEM:ID.
    """
    require(actor.role, Permission.HOLDS_READ)
    hold = await holds_repo.get_hold(hold_id)
    items = _items(hold, custodian, data_source)
    emails, sources = items
    runs = (
        hold.preservation_request_id is not None
        and hold.expires_at is not None
        and hold.expires_at > now
    )
    return ReleaseWarnings(
        hold=hold,
        items=(*(f"custodian:{e}" for e in emails), *(f"{s}:{i}" for s, i in sources)),
        preservation_until=hold.expires_at if runs else None,
        still_covered_by=await _covering(hold_id, items),
    )
