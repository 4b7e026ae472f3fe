"""Opening the audit log at start-up: one stored origin, and no silent new key for a signed log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest

from audit import keys
from audit.errors import KeyFileError, KeyMissingError, OriginMismatchError
from audit.keys import KEY_FILE_NAME
from audit.tables import AuditOriginTable
from domain import audit_log
from domain.shared.database import write_transaction
from tests.conftest import ROOT, T0

ORIGIN = "docket.example/docket-audit"
REFUSED = (sqlite3.IntegrityError, asyncpg.PostgresError)


async def _open(data_dir: Path, origin: str = ORIGIN, *, configured: bool = False):
    return await audit_log.open_log(
        origin, configured=configured, key_file=None, data_dir=data_dir, now=T0
    )


async def test_the_first_opening_stores_the_origin_and_later_ones_keep_it(
    db: str, tmp_path: Path
) -> None:
    first = await _open(tmp_path, "127.0.0.1:8000/docket-audit")
    # a second process on another port proposes another origin: the stored one wins
    second = await _open(tmp_path, "127.0.0.1:8001/docket-audit")
    assert first.origin == second.origin == "127.0.0.1:8000/docket-audit"
    assert second.signer == first.signer
    await audit_log.sign_checkpoint(second.signer, second.origin, now=T0)
    note = await audit_log.latest_checkpoint(actor=ROOT)
    assert note is not None
    assert note.startswith(b"127.0.0.1:8000/docket-audit\n")


async def test_a_configured_origin_other_than_the_stored_one_is_refused(
    db: str, tmp_path: Path
) -> None:
    await _open(tmp_path, ORIGIN, configured=True)
    with pytest.raises(OriginMismatchError) as caught:
        await _open(tmp_path, "elsewhere.example/log", configured=True)
    assert caught.value.stored == ORIGIN
    assert (await _open(tmp_path, ORIGIN, configured=True)).origin == ORIGIN


async def test_a_log_signed_before_origins_were_stored_keeps_its_checkpoints_origin(
    db: str, tmp_path: Path
) -> None:
    # what an older Docket did: sign with the origin derived from its port, storing none
    signer = keys.load_signer("127.0.0.1:8000/docket-audit", key_file=None, data_dir=tmp_path)
    await audit_log.sign_checkpoint(signer, "127.0.0.1:8000/docket-audit", now=T0)
    opened = await _open(tmp_path, "127.0.0.1:8001/docket-audit")
    assert opened.origin == "127.0.0.1:8000/docket-audit"
    assert opened.signer == signer


async def test_the_stored_origin_cannot_be_changed(db: str, tmp_path: Path) -> None:
    await _open(tmp_path)
    with pytest.raises(REFUSED, match="audit_origin"):
        async with write_transaction():
            await AuditOriginTable.update({AuditOriginTable.origin: "x/y"}).where(
                AuditOriginTable.origin == ORIGIN
            )
    with pytest.raises(REFUSED, match="audit_origin"):
        async with write_transaction():
            await AuditOriginTable.delete(force=True)
    assert (await _open(tmp_path)).origin == ORIGIN


async def test_a_signed_log_without_its_key_file_gets_no_new_key(db: str, tmp_path: Path) -> None:
    opened = await _open(tmp_path / "old")
    await audit_log.sign_checkpoint(opened.signer, opened.origin, now=T0)
    empty = tmp_path / "restored"
    with pytest.raises(KeyMissingError) as caught:
        await _open(empty)
    assert caught.value.key_id == f"{opened.signer.key_id:08x}"
    assert "docket audit rotate-key" in str(caught.value)
    assert not (empty / KEY_FILE_NAME).exists()
    # the key file restored: the log opens with the old key
    empty.mkdir()
    (empty / KEY_FILE_NAME).write_bytes((tmp_path / "old" / KEY_FILE_NAME).read_bytes())
    assert (await _open(empty)).signer == opened.signer


async def test_a_rotation_signs_on_with_a_new_key_and_retires_the_old(
    db: str, tmp_path: Path
) -> None:
    opened = await _open(tmp_path / "old")
    await audit_log.sign_checkpoint(opened.signer, opened.origin, now=T0)
    rotated = await audit_log.rotate_key(
        ORIGIN, configured=False, key_file=None, data_dir=tmp_path / "new", now=T0
    )
    assert rotated.signer != opened.signer
    keys = await audit_log.verifier_keys(actor=ROOT)
    assert [k.vkey for k in keys] == [
        opened.signer.verifier().key(),
        rotated.signer.verifier().key(),
    ]
    assert keys[0].retired_at is not None
    assert (await _open(tmp_path / "new")).signer == rotated.signer


async def test_a_named_key_file_that_is_missing_is_a_key_file_error(
    db: str, tmp_path: Path
) -> None:
    with pytest.raises(KeyFileError, match="cannot be read"):
        await audit_log.open_log(
            ORIGIN, configured=False, key_file=tmp_path / "nope", data_dir=tmp_path, now=T0
        )
