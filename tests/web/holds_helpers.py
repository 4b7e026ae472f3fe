"""Legal holds for the page tests, made through the real services."""

from __future__ import annotations

from datetime import timedelta

from domain.holds import notices as hold_notices
from domain.holds import service as holds
from domain.holds.ack_links import sign_ack_token
from domain.holds.model import Custodian, DataSource, LegalHold, NoticeKind
from domain.holds.service import NewHold
from tests.conftest import ROOT, T0

JANE = Custodian(email="jane.roe@example.com", name="Jane Roe", manager_email="boss@example.com")
OMAR = Custodian(email="omar.haddad@example.com", name="Omar Haddad", manager_email="")


async def given_hold(
    matter: str = "MAT-1 Acme v. Roe",
    *,
    custodians: tuple[Custodian, ...] = (JANE, OMAR),
    sources: tuple[str, ...] = ("exchange:jane.roe@example.com",),
    issued: bool = True,
    **changes: object,
) -> LegalHold:
    """A hold on ``matter``, issued unless told otherwise."""
    data_sources = tuple(
        DataSource(system=s.split(":")[0], identifier=s.split(":")[1]) for s in sources
    )
    new = NewHold(
        matter=matter,
        title=f"{matter}: records",
        custodians=custodians,
        data_sources=data_sources,
        questions=("Where else do you keep files?",),
        notice_text="Keep everything about the merger.",
        **changes,  # type: ignore[arg-type]
    )
    hold = await holds.create_hold(new, actor=ROOT, now=T0)
    if issued:
        hold = await holds.issue_hold(hold.id, expected_version=hold.version, actor=ROOT, now=T0)
    return hold


async def acknowledged(hold: LegalHold, email: str, key: bytes, answer: str = "") -> None:
    """``email`` acknowledges ``hold`` from their notice's link, an hour after it was issued."""
    found = await hold_notices.notices_of(hold.id, actor=ROOT)
    notice = next(n for n in found if n.custodian_email == email and n.kind is NoticeKind.NOTICE)
    await hold_notices.acknowledge(
        sign_ack_token(notice.id, key),
        {"q0": answer} if answer else {},
        address="192.0.2.7",
        user_agent="Test mail client",
        key=key,
        now=T0 + timedelta(hours=1),
    )
