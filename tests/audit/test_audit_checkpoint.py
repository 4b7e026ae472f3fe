"""C2SP tlog-checkpoint parsing and formatting, with the spec's and Go's examples."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from audit.checkpoint import (
    Checkpoint,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from audit.errors import MalformedCheckpointError, NoteSignatureError
from audit.note import Signer, Verifier, generate_key

V = json.loads((Path(__file__).parent / "vectors" / "checkpoint.json").read_text(encoding="utf-8"))
NOTES = json.loads(
    (Path(__file__).parent / "vectors" / "signed_note.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", V["valid"], ids=lambda c: c["origin"])
def test_valid_checkpoints_parse_and_format_back(case: dict[str, Any]) -> None:
    cp = parse_checkpoint(case["text"])
    assert cp == Checkpoint(
        case["origin"], case["size"], base64.b64decode(case["root_b64"]), tuple(case["extensions"])
    )
    assert format_checkpoint(cp) == case["text"]


@pytest.mark.parametrize("case", V["invalid"], ids=lambda c: c["desc"])
def test_invalid_checkpoints_are_rejected(case: dict[str, str]) -> None:
    with pytest.raises(MalformedCheckpointError):
        parse_checkpoint(case["text"])


def test_sumdb_checkpoint_opens() -> None:
    cp, note = open_checkpoint(
        NOTES["sumdb_checkpoint"].encode(), [Verifier.from_key(NOTES["sumdb_verifier_key"])]
    )
    assert (cp.origin, cp.size) == ("go.sum database tree", 30055305)
    assert base64.b64encode(cp.root).decode() == "mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM="
    assert note.sigs[0].name == "sum.golang.org"


def test_sign_and_open_round_trip() -> None:
    skey, vkey = generate_key("docket.example/audit", b"\x05" * 32)
    cp = Checkpoint("docket.example/audit", 300, b"\x11" * 32)
    msg = sign_checkpoint(cp, [Signer.from_key(skey)])
    assert open_checkpoint(msg, [Verifier.from_key(vkey)])[0] == cp
    _, other = generate_key("docket.example/audit", b"\x06" * 32)
    with pytest.raises(NoteSignatureError):
        open_checkpoint(msg, [Verifier.from_key(other)])


@pytest.mark.parametrize(
    "fields",
    [
        ("", 1, b"\x00" * 32, ()),
        ("a\nb", 1, b"\x00" * 32, ()),
        ("o", -1, b"\x00" * 32, ()),
        ("o", 1, b"\x00" * 31, ()),
        ("o", 1, b"\x00" * 32, ("",)),
    ],
)
def test_checkpoint_fields_are_checked(fields: tuple[str, int, bytes, tuple[str, ...]]) -> None:
    with pytest.raises(MalformedCheckpointError):
        Checkpoint(*fields)


def test_signed_note_text_that_is_not_a_checkpoint_is_rejected() -> None:
    skey, vkey = generate_key("x", b"\x05" * 32)
    msg = Signer.from_key(skey)
    from audit.note import sign

    with pytest.raises(MalformedCheckpointError):
        open_checkpoint(sign("just text\n", [msg]), [Verifier.from_key(vkey)])
