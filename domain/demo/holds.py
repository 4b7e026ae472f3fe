"""Demo legal holds: two active (one following a preservation request), one released.

Seeded through the real services, so every step has its audit entry and its notices; one
custodian acknowledges through a real acknowledgement link, another has not yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from domain import deadlines
from domain.holds import notices as hold_notices
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.ack_links import sign_ack_token
from domain.holds.model import Custodian, DataSource, HoldNotice, LegalHold, NoticeKind
from domain.holds.service import NewHold
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.fields import Identifier, IdentifierType, RequestRecord
from domain.requests.model import AuthorityType, Channel, Instrument, RequestKind
from domain.requests.records import NewRequest
from domain.shared.model import Actor

PRESERVATION_RULE: Final = "US/sca-2703f.preservation"
JANE: Final = Custodian(
    email="jane.roe@example.com", name="Jane Roe", manager_email="maria.lopez@example.com"
)
OMAR: Final = Custodian(
    email="omar.haddad@example.com", name="Omar Haddad", manager_email="maria.lopez@example.com"
)
PRIYA: Final = Custodian(email="priya.shah@example.com", name="Priya Shah", manager_email="")


def _first_notice(found: list[HoldNotice], email: str) -> HoldNotice:
    return next(n for n in found if n.custodian_email == email and n.kind is NoticeKind.NOTICE)


async def _acknowledge(
    hold: LegalHold, email: str, *, lawyer: Actor, key: bytes, now: datetime
) -> None:
    notice = _first_notice(await hold_notices.notices_of(hold.id, actor=lawyer), email)
    answers = {"q0": "Only in my work mailbox and the team drive."} if hold.questions else {}
    await hold_notices.acknowledge(
        sign_ack_token(notice.id, key),
        answers,
        address="192.0.2.10",
        user_agent="Demo mail client",
        key=key,
        now=now,
    )


async def _us_authority(actor: Actor, now: datetime) -> UUID:
    listed = await authorities.list_authorities(actor=actor, country="US")
    found = [a for a in listed if a.type is AuthorityType.POLICE]
    if found:
        return found[0].id
    made = await authorities.create_authority(
        authorities.NewAuthority(
            name="Federal Bureau of Investigation",
            country="US",
            type=AuthorityType.POLICE,
            verified=True,
        ),
        actor=actor,
        now=now,
    )
    return made.id


async def seed_demo_holds(
    book: deadlines.RuleBook, *, lawyer: Actor, specialist: Actor, key: bytes, now: datetime
) -> list[LegalHold]:
    """Seed three holds when there are none yet; return them (empty when there were some)."""
    if await hold_queries.any_hold():
        return []
    issued_at = now - timedelta(days=10)
    litigation = await holds.create_hold(
        NewHold(
            matter="MAT-2026-017 Acme v. Roe",
            title="Acme v. Roe: Q1 trading records",
            custodians=(JANE, OMAR),
            data_sources=(
                DataSource(system="exchange", identifier="jane.roe@example.com"),
                DataSource(system="drive", identifier="team-trading"),
            ),
            keywords=("merger", "Acme"),
            scope_description="Mail, chat and files about the Acme merger, Jan-Mar 2026.",
            notice_text=(
                "You hold information relevant to litigation. Do not delete, alter or move any "
                "mail, chat or file about the Acme merger until Legal releases this hold."
            ),
            questions=("Do you keep work files anywhere else (USB drives, personal cloud)?",),
        ),
        actor=lawyer,
        now=issued_at,
    )
    litigation = await holds.issue_hold(
        litigation.id, expected_version=litigation.version, actor=lawyer, now=issued_at
    )
    await _acknowledge(
        litigation, JANE.email, lawyer=lawyer, key=key, now=issued_at + timedelta(hours=3)
    )

    authority_id = await _us_authority(specialist, issued_at)
    preservation = await requests.log_request(
        book,
        NewRequest(
            authority_id=authority_id,
            rule_id=PRESERVATION_RULE,
            received_at=issued_at,
            channel=Channel.PORTAL,
            kind=RequestKind.PRESERVATION,
            instrument=Instrument.PRESERVATION_REQUEST,
            summary="Preserve account records for 90 days (18 U.S.C. 2703(f))",
            authority_reference="FBI-WFO-2026-0412",
            record=RequestRecord(
                identifiers=(Identifier(IdentifierType.ACCOUNT, "@user7781"),),
            ),
        ),
        actor=specialist,
        now=issued_at,
    )
    kept = await holds.create_hold(
        NewHold(
            matter=f"{preservation.reference} preservation",
            title="2703(f) preservation of @user7781",
            custodians=(PRIYA,),
            preservation_request_id=preservation.id,
            notice_text="Preserve the account's records; do not run deletion jobs on it.",
        ),
        actor=lawyer,
        now=issued_at,
    )
    kept = await holds.issue_hold(
        kept.id, expected_version=kept.version, actor=lawyer, now=issued_at
    )
    await _acknowledge(kept, PRIYA.email, lawyer=lawyer, key=key, now=issued_at + timedelta(days=1))

    old = await holds.create_hold(
        NewHold(
            matter="MAT-2025-044 Internal review",
            title="Closed internal review",
            custodians=(OMAR,),
            notice_text="Preserve files about the 2025 vendor review.",
        ),
        actor=lawyer,
        now=now - timedelta(days=200),
    )
    old = await holds.issue_hold(
        old.id, expected_version=old.version, actor=lawyer, now=now - timedelta(days=200)
    )
    released = await holds.release_hold(
        old.id, expected_version=old.version, actor=lawyer, now=now - timedelta(days=30)
    )
    return [
        await hold_queries.get_hold(litigation.id, actor=lawyer),
        await hold_queries.get_hold(kept.id, actor=lawyer),
        released,
    ]
