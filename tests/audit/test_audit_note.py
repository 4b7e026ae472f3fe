"""C2SP signed-note against the golang.org/x/mod/sumdb/note vectors, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.errors import (
    AmbiguousKeyError,
    InvalidSignatureError,
    MalformedKeyError,
    MalformedNoteError,
    UnverifiedNoteError,
)
from audit.note import (
    Signature,
    Signer,
    Verifier,
    generate_key,
    is_valid_name,
    key_id,
    open_note,
    sign,
)

V = json.loads((Path(__file__).parent / "vectors" / "signed_note.json").read_text(encoding="utf-8"))
PETER = Verifier.from_key(V["verifier_key"])
ENOCH = Verifier.from_key(V["enoch_verifier_key"])
PETER_SIG = Signature("PeterNeumann", 0xC74F20A3, V["peter_sig"].split()[-1])
ENOCH_SIG = Signature("EnochRoot", 0xAF0CFE78, V["enoch_sig"].split()[-1])


def test_keys_round_trip_and_match() -> None:
    signer = Signer.from_key(V["signer_key"])
    assert signer.key() == V["signer_key"]
    assert PETER.key() == V["verifier_key"]
    assert signer.verifier() == PETER
    assert (PETER.name, PETER.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert key_id(PETER.name, PETER.public_key) == 0xC74F20A3
    assert "seed" not in repr(signer) or signer.seed.hex() not in repr(signer)


def test_sign_matches_go_output_byte_for_byte() -> None:
    # Go: note.Sign(&note.Note{Text: text}, signer) in note_test.go TestSign
    assert sign(V["text"], [Signer.from_key(V["signer_key"])]).decode() == V["signed"]


def test_open_go_note() -> None:
    note = open_note(V["signed"].encode(), [PETER])
    assert note.text == V["text"]
    assert note.sigs == (PETER_SIG,)
    assert note.unverified_sigs == ()


def test_open_keeps_unknown_signatures_unverified() -> None:
    msg = (V["text"] + "\n" + V["peter_sig"] + V["enoch_sig"]).encode()
    note = open_note(msg, [PETER])
    assert note.sigs == (PETER_SIG,)
    assert note.unverified_sigs == (ENOCH_SIG,)
    both = open_note(msg, [PETER, ENOCH])
    assert both.sigs == (PETER_SIG, ENOCH_SIG)


def test_open_without_known_key_is_unverified() -> None:
    msg = (V["text"] + "\n" + V["peter_sig"] + V["enoch_sig"]).encode()
    with pytest.raises(UnverifiedNoteError) as err:
        open_note(msg, [])
    assert err.value.names == ("PeterNeumann", "EnochRoot")


def test_duplicate_verifiers_are_ambiguous_only_when_used() -> None:
    with pytest.raises(AmbiguousKeyError):
        open_note((V["text"] + "\n" + V["enoch_sig"]).encode(), [ENOCH, PETER, ENOCH])
    open_note((V["text"] + "\n" + V["peter_sig"]).encode(), [ENOCH, PETER, ENOCH])


def test_repeated_signatures_are_dropped() -> None:
    bad_enoch = V["enoch_sig"][:60] + "ABCD" + V["enoch_sig"][60:]
    msg = V["text"] + "\n" + V["peter_sig"] * 2 + V["enoch_sig"] * 2 + bad_enoch
    note = open_note(msg.encode(), [PETER])
    assert note.sigs == (PETER_SIG,)
    assert [s.base64[:8] for s in note.unverified_sigs] == ["rwz+eBzm", "rwz+eBzm"]
    assert len(note.unverified_sigs) == 2


def test_invalid_signature_by_known_key_is_rejected() -> None:
    with pytest.raises(InvalidSignatureError) as err:
        open_note(V["invalid_signature"]["note"].encode(), [PETER])
    assert (err.value.name, err.value.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert str(err.value) == "invalid signature for key PeterNeumann+c74f20a3"


@pytest.mark.parametrize("case", V["malformed_notes"], ids=lambda c: c["desc"])
def test_malformed_notes_are_rejected(case: dict[str, str]) -> None:
    with pytest.raises(MalformedNoteError):
        open_note(case["note"].encode(), [PETER])


def test_invalid_utf8_is_malformed() -> None:
    with pytest.raises(MalformedNoteError):
        open_note(b"\xff" + (V["text"] + "\n" + V["peter_sig"]).encode(), [PETER])


@pytest.mark.parametrize("vkey", V["bad_verifier_keys"])
def test_bad_verifier_keys_are_rejected(vkey: str) -> None:
    with pytest.raises(MalformedKeyError):
        Verifier.from_key(vkey)


def test_every_substring_and_byte_bump_of_the_verifier_key_is_rejected() -> None:
    # note_test.go TestNewVerifier: all proper substrings and single-byte increments fail
    key = V["verifier_key"]
    for i in range(len(key) + 1):
        for j in range(i + 1, len(key) + 1):
            if (i, j) != (0, len(key)):
                with pytest.raises(MalformedKeyError):
                    Verifier.from_key(key[i:j])
    for i in range(len(key)):
        with pytest.raises(MalformedKeyError):
            Verifier.from_key(key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :])


def test_every_byte_bump_of_the_signer_key_is_rejected() -> None:
    key = V["signer_key"]
    for i in range(len(key)):
        with pytest.raises(MalformedKeyError):
            Signer.from_key(key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :])


@pytest.mark.parametrize("skey", V["bad_signer_keys"])
def test_bad_signer_keys_are_rejected(skey: str) -> None:
    with pytest.raises(MalformedKeyError):
        Signer.from_key(skey)


def test_sign_rejects_malformed_text() -> None:
    signer = Signer.from_key(V["signer_key"])
    with pytest.raises(MalformedNoteError):
        sign("abc", [signer])
    with pytest.raises(MalformedNoteError):
        sign("a\x01b\n", [signer])


def test_generated_keys_sign_and_verify() -> None:
    skey, vkey = generate_key("EnochRoot")
    signer, verifier = Signer.from_key(skey), Verifier.from_key(vkey)
    assert signer.verifier() == verifier
    msg = sign("hi\n", [signer])
    assert open_note(msg, [verifier]).text == "hi\n"
    assert not verifier.verify(b"hi\n", b"\x00" * 64)


def test_deterministic_key_from_seed() -> None:
    assert generate_key("a.example/log", b"\x01" * 32) == generate_key(
        "a.example/log", b"\x01" * 32
    )


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("", False),
        ("a+b", False),
        ("a b", False),
        ("a\u00a0b", False),
        ("é.example/x", True),
    ],
)
def test_key_name_rules(name: str, ok: bool) -> None:
    assert is_valid_name(name) is ok


def test_key_objects_reject_mismatched_ids() -> None:
    with pytest.raises(MalformedKeyError):
        Verifier("PeterNeumann", 1, PETER.public_key)
    with pytest.raises(MalformedKeyError):
        Verifier("bad name", PETER.key_id, PETER.public_key)
    with pytest.raises(MalformedKeyError):
        Signer("PeterNeumann", 1, b"\x00" * 32)
    with pytest.raises(MalformedKeyError):
        Signer("PeterNeumann", 1, b"\x00" * 31)


def test_sumdb_checkpoint_verifies_with_the_go_checksum_database_key() -> None:
    verifier = Verifier.from_key(V["sumdb_verifier_key"])
    note = open_note(V["sumdb_checkpoint"].encode(), [verifier])
    assert note.text.startswith("go.sum database tree\n30055305\n")
    tampered = V["sumdb_checkpoint"].replace("30055305", "30055306")
    with pytest.raises(InvalidSignatureError):
        open_note(tampered.encode(), [verifier])
