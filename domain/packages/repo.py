"""Response drafts and package versions in and out of their tables."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine

from domain.packages.errors import PackageVersionNotFoundError
from domain.packages.model import (
    DraftExhibit,
    PackageState,
    PackageVersion,
    ResponseDraft,
    SendBack,
)
from domain.packages.tables import PackageVersionTable, ResponseDraftTable
from domain.shared.database import current_engine
from domain.shared.rows import Row, as_uuid, aware, aware_or_none

_EMPTY_REVISION: Final = 0


def empty_draft(request_id: UUID) -> ResponseDraft:
    """The draft of a request nobody has written to yet."""
    return ResponseDraft(
        request_id=request_id,
        markdown="",
        locale="",
        exhibits=(),
        revision=_EMPTY_REVISION,
        updated_by="",
        updated_by_name="",
        updated_at=None,
    )


def _draft(row: Row) -> ResponseDraft:
    exhibits = json.loads(str(row["exhibits"]))
    return ResponseDraft(
        request_id=as_uuid(row["request_id"]),
        markdown=str(row["markdown"]),
        locale=str(row["locale"]),
        exhibits=tuple(DraftExhibit(UUID(e["attachment_id"]), str(e["title"])) for e in exhibits),
        revision=int(str(row["revision"])),
        updated_by=str(row["updated_by"]),
        updated_by_name=str(row["updated_by_name"]),
        updated_at=aware_or_none(row["updated_at"]),
    )


async def get_draft(request_id: UUID, *, lock: bool = False) -> ResponseDraft:
    """The response draft of a request (an empty one, revision 0, before the first write).

    With ``lock``, inside a write transaction on PostgreSQL, the draft's row stays locked until
    commit (``FOR UPDATE``), so package changes of one request queue up; SQLite's write
    transactions lock the whole database already.
    """
    query = ResponseDraftTable.select().where(ResponseDraftTable.request_id == request_id)
    if lock and isinstance(current_engine(), PostgresEngine):
        query = query.lock_rows()
    rows = await query.run()
    return empty_draft(request_id) if not rows else _draft(rows[0])


def _exhibits_json(exhibits: tuple[DraftExhibit, ...]) -> str:
    return json.dumps(
        [{"attachment_id": str(e.attachment_id), "title": e.title} for e in exhibits],
        ensure_ascii=False,
    )


async def save_draft(draft: ResponseDraft, *, expected_revision: int) -> bool:
    """Store ``draft`` over the one still at ``expected_revision``; False when it is not."""
    values: dict[str, object] = {
        "markdown": draft.markdown,
        "locale": draft.locale,
        "exhibits": _exhibits_json(draft.exhibits),
        "revision": draft.revision,
        "updated_by": draft.updated_by,
        "updated_by_name": draft.updated_by_name,
        "updated_at": None if draft.updated_at is None else draft.updated_at.astimezone(UTC),
    }
    if expected_revision == _EMPTY_REVISION:
        inserted = (
            await ResponseDraftTable.insert(
                ResponseDraftTable(request_id=draft.request_id, **values)  # type: ignore[arg-type]
            )
            .on_conflict(target=ResponseDraftTable.request_id, action="DO NOTHING")
            .returning(ResponseDraftTable.request_id)
            .run()
        )
        return bool(inserted)
    rows = (
        await ResponseDraftTable.update(values)  # type: ignore[arg-type]
        .where(
            (ResponseDraftTable.request_id == draft.request_id)
            & (ResponseDraftTable.revision == expected_revision)
        )
        .returning(ResponseDraftTable.request_id)
        .run()
    )
    return bool(rows)


def _comments(raw: object) -> tuple[SendBack, ...]:
    return tuple(
        SendBack(str(c["by"]), aware(datetime.fromisoformat(c["at"])), str(c["comment"]))
        for c in json.loads(str(raw))
    )


def _version(row: Row) -> PackageVersion:
    return PackageVersion(
        id=as_uuid(row["id"]),
        request_id=as_uuid(row["request_id"]),
        number=int(str(row["number"])),
        sha256=str(row["sha256"]),
        size=int(str(row["size"])),
        locale=str(row["locale"]),
        draft_revision=int(str(row["draft_revision"])),
        drafted_by=str(row["drafted_by"]),
        built_by=str(row["built_by"]),
        created_at=aware(row["created_at"]),
        state=PackageState(str(row["state"])),
        submitted_by=str(row["submitted_by"]),
        submitted_at=aware_or_none(row["submitted_at"]),
        approved_by=str(row["approved_by"]),
        approved_at=aware_or_none(row["approved_at"]),
        signed_sha256=str(row["signed_sha256"]),
        signed_size=int(str(row["signed_size"])),
        sent_by=str(row["sent_by"]),
        sent_at=aware_or_none(row["sent_at"]),
        comments=_comments(row["comments"]),
        request_digest=str(row["request_digest"]),
        stale_fields=tuple(str(f) for f in json.loads(str(row["stale_fields"]))),
        approval_page=bool(row["approval_page"]),
    )


async def list_versions(request_id: UUID) -> list[PackageVersion]:
    """Every version of a request's package, the first one first."""
    rows = (
        await PackageVersionTable.select()
        .where(PackageVersionTable.request_id == request_id)
        .order_by(PackageVersionTable.number)
        .run()
    )
    return [_version(r) for r in rows]


async def versions_in_state(state: PackageState) -> list[PackageVersion]:
    """Every version in ``state``, of any request, the earliest submitted first (then built)."""
    rows = (
        await PackageVersionTable.select()
        .where(PackageVersionTable.state == state.value)
        .order_by(PackageVersionTable.submitted_at)
        .order_by(PackageVersionTable.created_at)
        .run()
    )
    return [_version(r) for r in rows]


async def latest_version(request_id: UUID) -> PackageVersion | None:
    """The most recently built version of a request's package (None before the first build)."""
    row = (
        await PackageVersionTable.select()
        .where(PackageVersionTable.request_id == request_id)
        .order_by(PackageVersionTable.number, ascending=False)
        .first()
        .run()
    )
    return None if row is None else _version(row)


async def get_version(request_id: UUID, number: int) -> PackageVersion:
    """Version ``number`` of a request's package.

    Raises:
        PackageVersionNotFoundError: when there is none.
    """
    row = (
        await PackageVersionTable.select()
        .where(
            (PackageVersionTable.request_id == request_id) & (PackageVersionTable.number == number)
        )
        .first()
        .run()
    )
    if row is None:
        raise PackageVersionNotFoundError(request_id, number)
    return _version(row)


def _version_values(version: PackageVersion) -> dict[str, object]:
    def utc(value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    return {
        "state": version.state.value,
        "submitted_by": version.submitted_by,
        "submitted_at": utc(version.submitted_at),
        "approved_by": version.approved_by,
        "approved_at": utc(version.approved_at),
        "signed_sha256": version.signed_sha256,
        "signed_size": version.signed_size,
        "sent_by": version.sent_by,
        "sent_at": utc(version.sent_at),
        "comments": json.dumps(
            [{"by": c.by, "at": c.at.isoformat(), "comment": c.comment} for c in version.comments],
            ensure_ascii=False,
        ),
    }


async def insert_version(version: PackageVersion) -> None:
    """Store a newly built version (inside the caller's transaction)."""
    row = PackageVersionTable(
        id=version.id,
        request_id=version.request_id,
        number=version.number,
        sha256=version.sha256,
        size=version.size,
        locale=version.locale,
        draft_revision=version.draft_revision,
        drafted_by=version.drafted_by,
        built_by=version.built_by,
        created_at=version.created_at.astimezone(UTC),
        request_digest=version.request_digest,
        stale_fields=json.dumps(list(version.stale_fields)),
        approval_page=version.approval_page,
    )
    for column, value in _version_values(version).items():
        setattr(row, column, value)
    await PackageVersionTable.insert(row).run()


async def update_version(version: PackageVersion) -> None:
    """Store the workflow fields of ``version`` (its built fields never change)."""
    await (
        PackageVersionTable.update(_version_values(version))  # type: ignore[arg-type]
        .where(PackageVersionTable.id == version.id)
        .run()
    )


async def pdf_blob_names() -> set[str]:
    """The SHA-256 of every package PDF the database names, built and signed."""
    rows = await PackageVersionTable.select(
        PackageVersionTable.sha256, PackageVersionTable.signed_sha256
    ).distinct()
    return {str(v) for row in rows for v in (row["sha256"], row["signed_sha256"]) if v}


async def set_stale_fields(version: PackageVersion) -> None:
    """Store only ``version.stale_fields`` (a change of the request; nothing else is touched)."""
    await (
        PackageVersionTable.update(
            {PackageVersionTable.stale_fields: json.dumps(list(version.stale_fields))}
        )
        .where(PackageVersionTable.id == version.id)
        .run()
    )


async def any_version() -> bool:
    """Whether the table holds any version at all."""
    return bool(await PackageVersionTable.exists().run())
