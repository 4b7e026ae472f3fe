"""The hold page: one legal hold, its custodians with their notices and acknowledgements.

Mail and inbox messages link here. Everyone who may read holds may open it; the steps (edit and
issue a draft, release) appear only to those who may take them now, from the hold workflow's
table, and each has a page of its own (``hold_forms``, ``hold_release``) that comes back here
naming the audit entry it wrote (``?entry=12``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from api.guards import needs
from api.settings import WebSettings
from api.web.i18n import N_
from api.web.pages import page
from domain.holds import notices as hold_notices
from domain.holds import queries as hold_queries
from domain.holds.history import hold_history
from domain.holds.model import HoldNotice, LegalHold, NoticeKind, ack_progress
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.requests import queries as request_queries
from domain.shared.clock import Clock
from domain.shared.errors import DocketError
from domain.shared.permissions import Permission

MAX_SHOWN_ENTRIES: Final = 20
NOTICE_LABELS: Final = {
    NoticeKind.NOTICE: N_("Hold notice"),
    NoticeKind.REMINDER: N_("Reminder"),
    NoticeKind.ESCALATION: N_("Escalation to the manager"),
    NoticeKind.REAFFIRMATION: N_("Re-affirmation"),
    NoticeKind.RELEASE: N_("Release notice"),
}
ENTRY_LABELS: Final = {
    "hold.created": N_("Drafted"),
    "hold.draft_updated": N_("Draft changed"),
    "hold.issued": N_("Issued"),
    "hold.acknowledged": N_("Acknowledged by a custodian"),
    "hold.custodian_released": N_("Custodian released"),
    "hold.data_source_released": N_("Data source released"),
    "hold.released": N_("Released"),
}


@dataclass(frozen=True, slots=True)
class LinkedRequest:
    """A request the hold names: its page, and its reference when the viewer may read it."""

    id: UUID
    reference: str


async def _linked(ids: Sequence[UUID], viewer: SessionUser) -> list[LinkedRequest]:
    found = []
    for ident in ids:
        try:
            reg = await request_queries.get_request(ident, actor=viewer.actor)
        except DocketError:  # gone, or sealed from this viewer: the id alone
            found.append(LinkedRequest(ident, str(ident)))
        else:
            found.append(LinkedRequest(ident, reg.reference))
    return found


def notices_by_custodian(found: Sequence[HoldNotice]) -> dict[str, list[HoldNotice]]:
    """Each custodian's notices, by due time (their manager's escalations among them)."""
    grouped: dict[str, list[HoldNotice]] = {}
    for notice in sorted(found, key=lambda n: (n.due_at, n.kind.value)):
        grouped.setdefault(notice.custodian_email, []).append(notice)
    return grouped


async def hold_page(
    hold_id: UUID,
    *,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    done: Sequence[int] = (),
) -> Template:
    """The page of one hold, with the entries just written named at the top.

    Raises:
        HoldNotFoundError: no such hold (a 404 page).
    """
    hold = await hold_queries.get_hold(hold_id, actor=viewer.actor)
    actions = hold_queries.available_actions(hold, viewer.user.role)
    history = await hold_history(hold_id, actor=viewer.actor)
    wanted = set(done[:MAX_SHOWN_ENTRIES])
    people = await users.colleagues(actor=viewer.actor)
    return await page(
        "hold.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="holds",
        hold=hold,
        progress=ack_progress(hold),
        notices=notices_by_custodian(await hold_notices.notices_of(hold_id, actor=viewer.actor)),
        notice_labels=NOTICE_LABELS,
        preservation=await _linked(_preservation(hold), viewer),
        requests=await _linked(
            [i for i in hold.request_ids if i != hold.preservation_request_id], viewer
        ),
        actions={a.value for a in actions},
        history=list(reversed(history)),
        outcome=[e for e in history if e.index in wanted],
        entry_labels=ENTRY_LABELS,
        authors={f"user:{p.id}": p.display_name for p in people},
    )


def _preservation(hold: LegalHold) -> list[UUID]:
    return [] if hold.preservation_request_id is None else [hold.preservation_request_id]


def entries_asked(raw: Sequence[str]) -> list[int]:
    """The ``entry`` indexes of the URL that are numbers (others are ignored)."""
    return [int(v) for v in raw if v.isdigit()]


class HoldPageController(Controller):
    """The page of one legal hold."""

    path = "/holds"
    include_in_schema = False

    @get("/{hold_id:uuid}", opt=needs(Permission.HOLDS_READ))
    async def show(
        self,
        *,
        hold_id: FromPath[UUID],
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The hold, its custodians' notices and acknowledgements, its steps and trail."""
        return await hold_page(
            hold_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            done=entries_asked(request.query_params.getall("entry", [])),
        )
