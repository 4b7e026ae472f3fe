"""Demo response packages: one in Legal's review, one approved, signed and sent, one sent back.

Each goes through the real steps (a request logged and taken to drafting, the response written,
an exhibit attached, a version built, submitted, and approved and signed or sent back by Legal),
so Legal's review queue, the PDF views and a package's audit trail have something to show on a
new installation. Seeded once: only while no package version exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from documents.signing import SigningIdentity
from domain import deadlines
from domain.packages import queries as package_queries
from domain.packages import review
from domain.packages import service as packages
from domain.packages.model import DraftExhibit, PackageVersion
from domain.packages.service import DraftChange
from domain.requests import files as request_files
from domain.requests import service as requests
from domain.requests.fields import DataScope, Identifier, IdentifierType, RequestRecord
from domain.requests.model import Authority, Channel, DsaBasis, Instrument, RequestKind
from domain.requests.records import NewRequest
from domain.requests.workflow import RequestAction
from domain.shared.blobs import BlobStore
from domain.shared.model import Actor

IN_REVIEW: Final = "in_review"
SENT: Final = "sent"
SENT_BACK: Final = "sent_back"
PACKAGES: Final = (
    (IN_REVIEW, "Bundeskriminalamt", "BKA-ZI25-2026-0412", "@nightowl"),
    (SENT, "Politie Nederland", "PN-2026-118734", "@tulipseller"),
    (SENT_BACK, "Audiencia Nacional", "AN-DP-77/2026", "@barcelona_fan"),
)
"""What each demo package ends as, its authority (of the demo's), reference, account."""
RULE: Final = "EU/dsa.art10-order"
SEND_BACK_COMMENT: Final = (
    "Name the period of the records in the first paragraph, and say that no content data is "
    "enclosed."
)
EXHIBIT: Final = b"account,created,last_login,country\n{account},2021-05-04,2026-02-27,NL\n"
MAX_EXHIBIT_BYTES: Final = 1 << 20


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoDesk:
    """Who works on the demo packages, and with what."""

    specialist: Actor
    lawyer: Actor
    organisation: str
    store: BlobStore
    identity: SigningIdentity


def _response(account: str) -> str:
    return (
        f"We received your order concerning the account **{account}** and searched the "
        "subscriber, billing and login records it names.\n\n"
        "- the subscriber record (name, e-mail address, date of registration)\n"
        "- the last login and the country it was made from\n\n"
        "The records found are enclosed as an exhibit. We hold no further data within the "
        "scope of the order."
    )


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _drafted(
    book: deadlines.RuleBook,
    authority: Authority,
    reference: str,
    account: str,
    *,
    desk: DemoDesk,
    now: datetime,
) -> PackageVersion:
    """A request logged and taken to drafting, its response written with an exhibit, built."""
    new = NewRequest(
        authority_id=authority.id,
        rule_id=RULE,
        received_at=now - timedelta(days=3),
        channel=Channel.PORTAL,
        kind=RequestKind.USER_DATA,
        instrument=Instrument.PRODUCTION_ORDER,
        dsa_basis=DsaBasis.ART10,
        summary=f"Subscriber data about {account}",
        authority_reference=reference,
        legal_basis="Regulation (EU) 2022/2065, Article 10",
        record=RequestRecord(
            service="Social network",
            identifiers=(Identifier(IdentifierType.ACCOUNT, account),),
            data_scope=DataScope.NON_CONTENT,
        ),
    )
    who = desk.specialist
    reg_request = await requests.log_request(book, new, actor=who, now=now)
    for action in (RequestAction.TRIAGE, RequestAction.START, RequestAction.START_DRAFTING):
        reg_request = await requests.transition(
            book, reg_request.id, action, expected_version=reg_request.version, actor=who, now=now
        )
    attached = await request_files.attach_document(
        reg_request.id,
        _chunks(EXHIBIT.replace(b"{account}", account.encode())),
        original_name="subscriber-records.csv",
        max_bytes=MAX_EXHIBIT_BYTES,
        store=desk.store,
        actor=who,
        now=now,
    )
    change = DraftChange(
        markdown=_response(account),
        exhibits=(DraftExhibit(attached.id, "Subscriber records"),),
    )
    await packages.update_draft(reg_request.id, change, expected_revision=0, actor=who, now=now)
    built = await packages.build_version(
        reg_request.id, organisation=desk.organisation, store=desk.store, actor=who, now=now
    )
    return await review.submit_package(reg_request.id, built.version.number, actor=who, now=now)


async def _reviewed(version: PackageVersion, end: str, *, desk: DemoDesk, now: datetime) -> None:
    """Legal's part: approve and sign, then send (``SENT``), or send back with a comment."""
    request_id, number = version.request_id, version.number
    if end == SENT:
        await review.approve_package(
            request_id,
            number,
            sha256=version.sha256,
            identity=desk.identity,
            organisation=desk.organisation,
            store=desk.store,
            actor=desk.lawyer,
            now=now,
        )
        await review.mark_package_sent(request_id, number, actor=desk.specialist, now=now)
    elif end == SENT_BACK:
        await review.send_back_package(
            request_id, number, SEND_BACK_COMMENT, actor=desk.lawyer, now=now
        )


async def seed_demo_packages(
    book: deadlines.RuleBook, authorities: list[Authority], *, desk: DemoDesk, now: datetime
) -> list[PackageVersion]:
    """Seed the three demo packages, only while no package version exists (else none).

    ``authorities`` are the demo's (by name); a package whose authority is missing is left out.
    Returns each package's version as it ends, in ``PACKAGES`` order.
    """
    if await package_queries.has_package_versions():
        return []
    by_name = {a.name: a for a in authorities}
    seeded = []
    for end, name, reference, account in PACKAGES:
        if name not in by_name:
            continue
        submitted = await _drafted(book, by_name[name], reference, account, desk=desk, now=now)
        await _reviewed(submitted, end, desk=desk, now=now)
        seeded.append(await packages.get_version(submitted.request_id, 1, actor=desk.lawyer))
    return seeded
