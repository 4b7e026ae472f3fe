"""The queue's rows: what each shows, and their HTML, written here rather than in the template.

A queue page holds up to 200 rows. In Jinja every expression of a row costs an attribute
look-up, an escape and a generator step: about 35 µs a row, a third of the page. One f-string a
row costs about 9 µs. The markup is the one the template wrote; every text that comes from the
data is escaped here, and the words come already translated from the template (``words``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from api.web.templating import Clockface
from domain.requests.model import RegulatoryRequest
from domain.requests.sealing import SealedOutline
from domain.requests.urgency import Band, deadline_band


@dataclass(frozen=True, slots=True)
class Row:
    """One request as the queue shows it, its texts computed once."""

    band: Band
    authority: str
    assignee: str
    id: str
    reference: str
    jurisdiction: str
    kind: str
    """The kind in words ("user data"), as every text here: ready to print, not yet escaped."""
    state: str
    selection: str
    """The value of the row's checkbox: "id:version", the version the reader saw (empty for an
    outline, which cannot be selected)."""
    due_iso: str
    due_here: str
    """The binding deadline in the reader's zone."""
    due_there: str
    """The same instant in the jurisdiction's zone (the title of the time)."""
    relative: str
    """"in 3 days" / "overdue by 5 hours"; empty while the clock is stopped or once answered."""
    redacted: bool = False
    """A sealed request the reader may not read: its reference, state and deadline only."""


def _words(name: str) -> str:
    """A vocabulary name as the page prints it: "awaiting clarification"."""
    return name.replace("_", " ")


def outline_row_of(sealed: SealedOutline, face: Clockface) -> Row:
    """How the queue shows a sealed request's outline: no link, no authority, no assignee."""
    due = sealed.effective_due_at
    quiet = sealed.band in {Band.PAUSED, Band.ANSWERED}
    return Row(
        band=sealed.band,
        authority="",
        assignee="",
        id=str(sealed.id),
        reference=sealed.reference,
        jurisdiction="",
        kind="",
        state=_words(sealed.state.value),
        selection="",
        due_iso=face.iso(due),
        due_here=face.absolute(due),
        due_there="",
        relative="" if quiet else face.relative(due),
        redacted=True,
    )


def row_of(
    reg_request: RegulatoryRequest, face: Clockface, *, authority: str, assignee: str
) -> Row:
    """How the queue shows ``reg_request`` to the reader whose clock face this is."""
    band = deadline_band(reg_request, face.now)
    due = reg_request.effective_due_at
    ident = str(reg_request.id)
    quiet = band in {Band.PAUSED, Band.ANSWERED}
    return Row(
        band=band,
        authority=authority,
        assignee=assignee,
        id=ident,
        reference=reg_request.reference,
        jurisdiction=reg_request.jurisdiction,
        kind=_words(reg_request.kind.value),
        state=_words(reg_request.state.value),
        selection=f"{ident}:{reg_request.version}",
        due_iso=face.iso(due),
        due_here=face.absolute(due),
        due_there=face.absolute(due, reg_request.tz),
        relative="" if quiet else face.relative(due),
    )


def rows_html(rows: Sequence[Row], words: Mapping[str, object], *, can_assign: bool) -> Markup:
    """The ``<tr>`` of every row, in order.

    ``words``: "select", "local_due", "nobody", "sealed" and "bands" (band name -> words), all
    translated.
    """
    e = escape
    select, local_due = e(words["select"]), e(words["local_due"])
    nobody, sealed = e(words["nobody"]), e(words["sealed"])
    bands = {k: e(v) for k, v in words["bands"].items()}  # type: ignore[attr-defined]
    # authorities, people, kinds, states and relative times repeat: each escaped once a page
    names: dict[str, str] = {}

    def named(text: str) -> str:
        found = names.get(text)
        if found is None:
            found = names[text] = e(text)
        return found

    out: list[str] = []
    for row in rows:
        # ids, selections and ISO times are made above of hex digits, dashes, colons, digits
        key = row.band.value
        reference = e(row.reference)
        check = ""
        if can_assign:
            box = (
                f'<input type="checkbox" name="ids" value="{row.selection}"'
                f' aria-label="{select} {reference}">'
                if row.selection
                else ""
            )
            check = f"<td>{box}</td>"
        if row.redacted:
            head = f'<th scope="row">{reference} <small class="sealed">{sealed}</small></th>'
        else:
            head = f'<th scope="row"><a href="/requests/{row.id}">{reference}</a></th>'
        due = ""
        if row.due_iso:
            title = f"{local_due} {e(row.due_there)}"
            due = f'<time datetime="{row.due_iso}" title="{title}">{e(row.due_here)}</time>\n'
            if row.relative:
                due += f'<small class="relative">{named(row.relative)}</small>'
        out.append(
            f'<tr class="row-{key}">{check}{head}\n'
            f"<td>{due}"
            f'<span class="band band-{key}"><span class="band-shape" aria-hidden="true"></span>'
            f"{bands[key]}</span></td>\n"
            f"<td>{named(row.authority)}</td>\n"
            f'<td class="hide-narrow">{named(row.jurisdiction)}</td>\n'
            f'<td class="hide-narrow">{named(row.kind)}</td>\n'
            f"<td>{named(row.state)}</td>\n"
            f'<td class="hide-narrow">{named(row.assignee) or nobody}</td>\n'
            "</tr>\n"
        )
    return Markup("".join(out))  # noqa: S704 - each text from the data was escaped above
