"""How the pages show a response package: its versions, the draft form, a text diff (no rule).

Which steps a version offers comes from the package's transition table
(``domain.packages.workflow``) and the request step each one moves, so a button is shown only
when the service would take the step now; the service still decides.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from uuid import UUID

from api.web.i18n import N_
from domain.identity.sessions import SessionUser
from domain.packages import reviews
from domain.packages import service as packages
from domain.packages.model import DraftExhibit, PackageState, PackageVersion, ResponseDraft
from domain.packages.workflow import REQUEST_STEPS, PackageAction, available_actions
from domain.requests.model import RegulatoryRequest
from domain.requests.trail import request_trail
from domain.requests.workflow import PACKAGE_STEPS, RequestAction
from domain.shared import audit_trail
from domain.shared.model import AuditAction

STATE_LABELS: Final[Mapping[PackageState, str]] = {
    PackageState.DRAFT: N_("Built, not submitted"),
    PackageState.SUBMITTED: N_("Awaiting Legal's approval"),
    PackageState.APPROVED: N_("Approved and signed"),
    PackageState.SENT_BACK: N_("Sent back"),
    PackageState.SENT: N_("Sent"),
}
AWAITING_A_STEP: Final = frozenset(
    {PackageState.DRAFT, PackageState.SUBMITTED, PackageState.APPROVED}
)
"""States with a step still ahead: only there does staleness stop something, so only there is
it shown (a version sent, or sent back, is history)."""
DIFF_CONTEXT: Final = 3
"""Unchanged lines shown around each change, as ``diff -u`` does."""


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a text diff: ``added``, ``removed``, ``same`` or ``gap`` (a hunk's start)."""

    kind: str
    text: str


def text_diff(before: str, after: str) -> list[DiffLine]:
    """What changed from ``before`` to ``after``, line by line (a unified diff without headers)."""
    lines = []
    diff = difflib.unified_diff(
        before.splitlines(), after.splitlines(), lineterm="", n=DIFF_CONTEXT
    )
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", line))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines


@dataclass(frozen=True, slots=True)
class VersionRow:
    """A built version as the request page lists it."""

    version: PackageVersion
    stale_reason: str
    """Why it can no longer be submitted, approved or sent; empty when it can."""
    actions: tuple[PackageAction, ...]
    """The steps the viewer may take on it now."""


def steps_open(
    version: PackageVersion, draft: ResponseDraft, reg: RegulatoryRequest, viewer: SessionUser
) -> tuple[PackageAction, ...]:
    """The package steps open to the viewer: the version's, where the request is at its step."""
    return tuple(
        a
        for a in available_actions(version, draft, viewer.user.role)
        if REQUEST_STEPS[a][0] == reg.state
    )


async def request_steps(
    actions: list[RequestAction], reg: RegulatoryRequest, viewer: SessionUser
) -> list[RequestAction]:
    """The request's own steps, less those a request with a response takes through its package.

    The requests service refuses them there (``PackageStepRequiredError``), so the page does
    not offer them; the package section offers the package's own.
    """
    if not (await packages.get_draft(reg.id, actor=viewer.actor)).revision:
        return actions
    return [a for a in actions if a not in PACKAGE_STEPS]


@dataclass(frozen=True, slots=True)
class DraftTyped:
    """The draft form as the viewer typed it (shown again after a refusal or a preview)."""

    revision: str
    markdown: str
    locale: str
    exhibits: tuple[DraftExhibit, ...]


@dataclass(frozen=True, slots=True)
class DraftConflict:
    """A save refused because someone saved the response since the viewer loaded it."""

    expected: int
    current: ResponseDraft
    mine: str
    diff: list[DiffLine]
    """From the text now saved (theirs) to the viewer's unsaved text."""


@dataclass(frozen=True, slots=True)
class PackageShown:
    """What the package section shows beyond what is stored: typed text, a preview, a conflict."""

    typed: DraftTyped | None = None
    preview: str | None = None
    conflict: DraftConflict | None = None


async def package_parts(
    reg: RegulatoryRequest, viewer: SessionUser, shown: PackageShown | None
) -> dict[str, object]:
    """The request page's context for its response package section."""
    actor = viewer.actor
    draft = await packages.get_draft(reg.id, actor=actor)
    versions = await packages.list_versions(reg.id, actor=actor)
    rows = [
        VersionRow(
            v,
            v.stale_reason(draft) if v.state in AWAITING_A_STEP else "",
            steps_open(v, draft, reg, viewer),
        )
        for v in reversed(versions)
    ]
    shown = shown or PackageShown()
    typed = shown.typed or DraftTyped(
        str(draft.revision), draft.markdown, draft.locale, draft.exhibits
    )
    return {
        "pkg_draft": draft,
        "pkg_rows": rows,
        "pkg_typed": typed,
        "pkg_titles": {str(e.attachment_id): e.title for e in typed.exhibits},
        "pkg_locales": reviews.response_locales(),
        "pkg_preview": shown.preview,
        "pkg_conflict": shown.conflict,
        "pkg_open": reg.state not in packages.LOCKED_STATES,
        "pkg_states": STATE_LABELS,
    }


async def last_entry(request_id: UUID, viewer: SessionUser, action: AuditAction) -> list[int]:
    """The index of the viewer's latest entry of ``action`` about the request (none: [])."""
    mine = audit_trail.actor_ref(viewer.actor)
    trail = await request_trail(request_id, actor=viewer.actor)
    found = [e.index for e in trail if e.action == action.value and e.actor_ref == mine]
    return found[-1:]
