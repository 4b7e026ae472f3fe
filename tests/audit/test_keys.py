"""audit.keys: the signer key file, and verifier key registration and rotation."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from test_store import ORIGIN, T0, append_many, given_signer, sign

from audit.errors import (
    CheckpointSignatureError,
    KeyFileError,
    MalformedKeyError,
    NotInTransactionError,
    SigningKeyError,
)
from audit.export import export_bundle
from audit.keys import KEY_FILE_NAME, load_signer, read_signer, register_key, verifier_keys
from audit.note import Signer, generate_key
from audit.verify import verify_bundle
from domain.shared import database

# ---------------------------------------------------------------- the key file


def test_a_key_is_generated_on_first_run_private_to_its_owner(tmp_path: Path) -> None:
    signer = load_signer(ORIGIN, key_file=None, data_dir=tmp_path / "data")
    path = tmp_path / "data" / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == signer.key() + "\n"
    assert path.read_text(encoding="utf-8").startswith(f"PRIVATE+KEY+{ORIGIN}+")
    assert signer.name == ORIGIN
    assert load_signer(ORIGIN, key_file=None, data_dir=tmp_path / "data") == signer
    assert [p.name for p in path.parent.iterdir()] == [KEY_FILE_NAME]  # no temporary left


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        signers = list(
            pool.map(lambda _: load_signer(ORIGIN, key_file=None, data_dir=tmp_path), range(16))
        )
    assert len({s.key() for s in signers}) == 1


def test_a_named_key_file_is_used_as_is(tmp_path: Path) -> None:
    skey, _ = generate_key(ORIGIN, bytes([3]) * 32)
    key_file = tmp_path / "key"
    key_file.write_text(skey + "\n", encoding="utf-8")
    assert load_signer(ORIGIN, key_file=key_file, data_dir=tmp_path / "unused") == (
        Signer.from_key(skey)
    )
    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot be read"),
        ("not a key", "PRIVATE"),
        (generate_key("other.example/log", bytes(32))[0], "is not the origin"),
        (generate_key(ORIGIN, bytes(32))[1], "PRIVATE"),
    ],
    ids=["missing", "garbage", "other-origin", "public-key"],
)
def test_a_bad_key_file_is_refused(tmp_path: Path, content: str | None, reason: str) -> None:
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_text(content, encoding="utf-8")
    with pytest.raises(KeyFileError, match=reason) as caught:
        read_signer(key_file, ORIGIN)
    assert caught.value.path == str(key_file)


def test_an_origin_that_cannot_name_a_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="not a valid key name"):
        load_signer("two words", key_file=None, data_dir=tmp_path)


def test_a_key_file_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(KeyFileError, match="cannot be created"):
        load_signer(ORIGIN, key_file=None, data_dir=tmp_path / "data")


# ---------------------------------------------------------------- registration and rotation


async def test_registering_the_active_key_again_changes_nothing(db: str) -> None:
    first = await given_signer()
    await given_signer(now=T0 + timedelta(days=1))
    [key] = await verifier_keys()
    assert key.vkey == first.verifier().key()
    assert key.key_id == f"{first.key_id:08x}"
    assert (key.created_at, key.retired_at) == (T0, None)


async def test_a_new_key_retires_the_previous_one(db: str) -> None:
    old = await given_signer(seed=1)
    new = await given_signer(seed=2, now=T0 + timedelta(hours=1))
    keys = await verifier_keys()
    assert [k.vkey for k in keys] == [old.verifier().key(), new.verifier().key()]
    assert [k.retired_at for k in keys] == [T0 + timedelta(hours=1), None]
    with pytest.raises(SigningKeyError, match="retired"):
        await given_signer(seed=1)
    with pytest.raises(SigningKeyError, match="retired"):
        await sign(old)


async def test_registration_needs_a_transaction_and_a_verifier_key(db: str) -> None:
    skey, vkey = generate_key(ORIGIN, bytes(32))
    with pytest.raises(NotInTransactionError):
        await register_key(vkey, now=T0)
    with pytest.raises(MalformedKeyError):
        async with database.write_transaction():
            await register_key(skey, now=T0)
    assert await verifier_keys() == []


async def test_checkpoints_of_a_retired_key_stay_verifiable(db: str, tmp_path: Path) -> None:
    old = await given_signer(seed=1)
    await append_many(3)
    await sign(old)
    new = await given_signer(seed=2, now=T0 + timedelta(days=30))
    await append_many(2, first=3)
    await sign(new)
    assert await export_bundle(tmp_path) == 5
    vkeys = [k.vkey for k in await verifier_keys()]
    report = verify_bundle(tmp_path, vkeys)
    assert (report.size, report.checkpoints) == (5, 2)
    with pytest.raises(CheckpointSignatureError) as caught:
        verify_bundle(tmp_path, [new.verifier().key()])
    assert caught.value.position == 0
