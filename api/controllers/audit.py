"""The audit log for auditors: checkpoints, keys, entries, proofs, tiles; and lawful erasure."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, MediaType, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Text, TilePath
from api.schemas.audit import (
    ConsistencyProofRead,
    EntryPage,
    EntryRead,
    EraseRequest,
    ErasureDone,
    InclusionProofRead,
    KeyList,
    KeyRead,
)
from domain import audit_log
from domain.audit_log import LogIdentity
from domain.shared.errors import NotFoundError
from domain.shared.model import Actor
from domain.shared.permissions import Permission

READ = needs(Permission.AUDIT_READ)
NonNegative = Annotated[int, QueryParameter(ge=0)]


class AuditController(Controller):
    """Read and prove the append-only, signed audit log."""

    path = "/api/v1/audit"
    tags = ["Audit log"]

    @get(
        "/checkpoint",
        operation_id="GetAuditCheckpoint",
        opt=READ,
        responses=protected(),
        media_type=MediaType.TEXT,
    )
    async def checkpoint(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        audit_identity: NamedDependency[LogIdentity],
    ) -> str:
        """The latest signed checkpoint (C2SP tlog-checkpoint note); signs one if the log grew."""
        note = await audit_log.current_checkpoint(
            audit_identity.signer, audit_identity.origin, actor=actor, now=clock.now()
        )
        return note.decode()

    @get("/keys", operation_id="ListAuditKeys", opt=READ, responses=protected())
    async def keys(self, actor: NamedDependency[Actor]) -> KeyList:
        """Every verifier key of the log, oldest first (old checkpoints stay verifiable)."""
        return KeyList(
            keys=[KeyRead.from_domain(k) for k in await audit_log.verifier_keys(actor=actor)]
        )

    @get("/entries", operation_id="ListAuditEntries", opt=READ, responses=protected(422))
    async def entries(
        self,
        *,
        actor: NamedDependency[Actor],
        start: NonNegative = 0,
        end: Annotated[int | None, QueryParameter(ge=0)] = None,
        subject_type: Text = None,
        subject_id: Text = None,
        actor_id: Text = None,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> EntryPage:
        """Entries with start <= index < end, optionally one subject's or one actor's."""
        subject = (subject_type, subject_id or "") if subject_type else None
        found = await audit_log.read_entries(
            start, end, subject=subject, actor_ref=actor_id, limit=limit, actor=actor
        )
        next_start = found[-1].entry.index + 1 if len(found) == limit else None
        return EntryPage(entries=[EntryRead.from_domain(e) for e in found], next_start=next_start)

    @get("/proof/inclusion", operation_id="GetInclusionProof", opt=READ, responses=protected(422))
    async def inclusion(
        self, actor: NamedDependency[Actor], index: NonNegative, tree_size: NonNegative
    ) -> InclusionProofRead:
        """RFC 9162 inclusion proof of one entry in the tree of ``tree_size`` entries."""
        proof = await audit_log.inclusion_proof(index, tree_size, actor=actor)
        return InclusionProofRead(index=index, tree_size=tree_size, proof=[p.hex() for p in proof])

    @get(
        "/proof/consistency", operation_id="GetConsistencyProof", opt=READ, responses=protected(422)
    )
    async def consistency(
        self, actor: NamedDependency[Actor], first: NonNegative, second: NonNegative
    ) -> ConsistencyProofRead:
        """RFC 9162 consistency proof between two tree sizes."""
        proof = await audit_log.consistency_proof(first, second, actor=actor)
        return ConsistencyProofRead(first=first, second=second, proof=[p.hex() for p in proof])

    @get(
        "/tlog/checkpoint",
        operation_id="GetTlogCheckpoint",
        opt=READ,
        responses=protected(404),
        media_type=MediaType.TEXT,
    )
    async def tlog_checkpoint(self, actor: NamedDependency[Actor]) -> str:
        """C2SP tlog-tiles: the latest stored checkpoint."""
        note = await audit_log.latest_checkpoint(actor=actor)
        if note is None:
            raise NotFoundError("checkpoint", "latest")
        return note.decode()

    @get(
        "/tlog/tile/{tile_path:path}",
        operation_id="GetTlogTile",
        opt=READ,
        responses=protected(404),
        media_type="application/octet-stream",
    )
    async def tlog_tile(
        self, actor: NamedDependency[Actor], tile_path: TilePath
    ) -> Response[bytes]:
        """C2SP tlog-tiles: a hash tile ``<L>/<N>[.p/<W>]`` or an entry bundle ``entries/<N>…``."""
        data = await audit_log.read_tile("tile/" + tile_path.lstrip("/"), actor=actor)
        return Response(
            data,
            media_type="application/octet-stream",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )

    @post(
        "/entries/{index:int}/erase",
        operation_id="EraseAuditChange",
        opt=needs(Permission.AUDIT_ERASE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def erase(
        self,
        index: FromPath[int],
        data: Annotated[EraseRequest, Body(title="Erasure")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> ErasureDone:
        """Erase an entry's stored change (lawful erasure); logged, and every proof stays valid."""
        erasure = await audit_log.erase_change(
            index, reason=data.reason, actor=actor, now=clock.now()
        )
        return ErasureDone(erased_index=index, erasure_index=erasure)
