"""Comments and attachments on the real database: bytes by content, each change audited."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from audit import store
from domain.requests import files as request_files
from domain.requests.errors import (
    AttachmentNotFoundError,
    RequestNotFoundError,
)
from domain.requests.files import display_name
from domain.shared.blobs import (
    OCTET_STREAM,
    SNIFF_BYTES,
    TEXT_CSV,
    TEXT_PLAIN,
    BlobStore,
    sniff_media_type,
)
from domain.shared.errors import AttachmentTooLargeError, PermissionDeniedError, ValidationError
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.domain.test_requests_service import actor_with, given_request

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


async def chunks_of(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def actions(request_id: uuid.UUID) -> list[str]:
    return [e.action for e in await store.entries(subject=("request", str(request_id)))]


async def test_a_document_is_stored_by_its_digest_and_audited(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reg_request = await given_request(rulebook)
    attachment = await request_files.attach_document(
        reg_request.id,
        chunks_of(PDF),
        original_name="../../etc/passwd",
        max_bytes=1024,
        store=blobs,
        actor=ROOT,
        now=T0,
    )
    assert attachment.media_type == "application/pdf"
    assert attachment.original_name == "passwd"
    assert (attachment.size, attachment.uploaded_by) == (len(PDF), "cli:test")
    digest = attachment.sha256
    assert files_under(tmp_path / "blobs") == [
        tmp_path / "blobs" / digest[:2] / digest[2:4] / digest
    ]
    assert not (tmp_path / "etc").exists()
    found, path = await request_files.open_attachment(
        reg_request.id, attachment.id, store=blobs, actor=ROOT
    )
    assert found == attachment
    assert path.read_bytes() == PDF
    with blobs.open(digest) as stream:
        assert stream.read() == PDF
    assert await request_files.list_attachments(reg_request.id, actor=ROOT) == [attachment]
    assert await actions(reg_request.id) == ["request.logged", "request.document_attached"]


async def test_the_same_bytes_twice_are_one_blob(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reg_request = await given_request(rulebook)
    kwargs = {"max_bytes": 1024, "store": blobs, "actor": ROOT, "now": T0}
    first = await request_files.attach_document(
        reg_request.id, chunks_of(PDF), original_name="a.pdf", **kwargs
    )
    second = await request_files.attach_document(
        reg_request.id, chunks_of(PDF, 3), original_name="b.pdf", **kwargs
    )
    assert first.sha256 == second.sha256
    assert first.id != second.id
    assert len(files_under(tmp_path / "blobs")) == 1
    assert len(await request_files.list_attachments(reg_request.id, actor=ROOT)) == 2


async def test_too_large_leaves_nothing_behind(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reg_request = await given_request(rulebook)
    with pytest.raises(AttachmentTooLargeError) as too_large:
        await request_files.attach_document(
            reg_request.id,
            chunks_of(b"x" * 1025, 100),
            original_name="big.txt",
            max_bytes=1024,
            store=blobs,
            actor=ROOT,
            now=T0,
        )
    assert too_large.value.public_fields() == {"field": "file", "max_bytes": 1024}
    assert files_under(tmp_path / "blobs") == []
    assert await request_files.list_attachments(reg_request.id, actor=ROOT) == []
    assert await actions(reg_request.id) == ["request.logged"]
    exact = await blobs.put(chunks_of(b"x" * 1024, 100), max_bytes=1024)
    assert exact.size == 1024


async def test_an_empty_file_is_refused_and_nothing_kept(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reg_request = await given_request(rulebook)
    with pytest.raises(ValidationError) as empty:
        await request_files.attach_document(
            reg_request.id,
            chunks_of(b""),
            original_name="empty.pdf",
            max_bytes=1024,
            store=blobs,
            actor=ROOT,
            now=T0,
        )
    assert empty.value.field == "file"
    assert files_under(tmp_path / "blobs") == []
    assert await request_files.list_attachments(reg_request.id, actor=ROOT) == []
    assert await actions(reg_request.id) == ["request.logged"]


async def test_a_csv_file_is_typed_text_csv(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reg_request = await given_request(rulebook)
    rows = b"account,date\r\n@a,2026-03-01\r\n"
    for name, want in (("accounts.csv", TEXT_CSV), ("accounts.txt", TEXT_PLAIN)):
        attached = await request_files.attach_document(
            reg_request.id,
            chunks_of(rows),
            original_name=name,
            max_bytes=1024,
            store=blobs,
            actor=ROOT,
            now=T0,
        )
        assert attached.media_type == want


async def test_unknown_request_or_attachment_is_not_found(db, rulebook, tmp_path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    with pytest.raises(RequestNotFoundError):
        await request_files.attach_document(
            uuid.uuid4(),
            chunks_of(PDF),
            original_name="a.pdf",
            max_bytes=1024,
            store=blobs,
            actor=ROOT,
            now=T0,
        )
    assert files_under(tmp_path / "blobs") == []
    reg_request = await given_request(rulebook)
    with pytest.raises(AttachmentNotFoundError):
        await request_files.open_attachment(reg_request.id, uuid.uuid4(), store=blobs, actor=ROOT)


async def test_comments_are_kept_in_order_and_audited(db, rulebook) -> None:
    reg_request = await given_request(rulebook)
    legal = await actor_with(Role.LEGAL)
    first = await request_files.add_comment(reg_request.id, "  scope agreed  ", actor=legal, now=T0)
    later = T0.replace(minute=45)
    second = await request_files.add_comment(reg_request.id, "sent", actor=ROOT, now=later)
    assert first.body == "scope agreed"
    assert first.author == f"user:{legal.id}"
    listed = await request_files.list_comments(reg_request.id, actor=ROOT)
    assert [c.id for c in listed] == [first.id, second.id]
    assert listed[0].created_at == T0
    assert await actions(reg_request.id) == [
        "request.logged",
        "request.commented",
        "request.commented",
    ]
    entries = await store.entries(subject=("request", str(reg_request.id)))
    record = await store.changes_for(entries[1].index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    assert change["after"] == {"comment_id": str(first.id), "body": "scope agreed"}
    with pytest.raises(ValidationError):
        await request_files.add_comment(reg_request.id, "   ", actor=ROOT, now=T0)
    with pytest.raises(RequestNotFoundError):
        await request_files.add_comment(uuid.uuid4(), "hello", actor=ROOT, now=T0)


async def test_auditors_read_and_system_tokens_do_nothing(db, rulebook, tmp_path) -> None:
    reg_request = await given_request(rulebook)
    auditor = await actor_with(Role.AUDITOR)
    system = ROOT.__class__(kind=ROOT.kind, id=None, role=Role.SYSTEM, name="cli:system")
    assert await request_files.list_comments(reg_request.id, actor=auditor) == []
    with pytest.raises(PermissionDeniedError):
        await request_files.add_comment(reg_request.id, "no", actor=auditor, now=T0)
    with pytest.raises(PermissionDeniedError):
        await request_files.attach_document(
            reg_request.id,
            chunks_of(PDF),
            original_name="a.pdf",
            max_bytes=1024,
            store=BlobStore(tmp_path),
            actor=auditor,
            now=T0,
        )
    with pytest.raises(PermissionDeniedError):
        await request_files.list_attachments(reg_request.id, actor=system)
    with pytest.raises(PermissionDeniedError):
        await request_files.list_comments(reg_request.id, actor=system)


@pytest.mark.parametrize(
    ("head", "want"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"<html><script>alert(1)</script></html>", TEXT_PLAIN),
        ("Grüße, 名前\n".encode(), TEXT_PLAIN),
        (b"MZ\x90\x00\x03\x00", OCTET_STREAM),
        (b"", OCTET_STREAM),
        (b"PK\x03\x04broken", "application/zip"),
    ],
    ids=["pdf", "png", "jpeg", "gif", "html-as-text", "utf8", "exe", "empty", "zip"],
)
def test_media_type_comes_from_the_bytes(head: bytes, want: str) -> None:
    assert sniff_media_type(head, whole=True) == want


LONG_CSV = b"id,name,note\n" + b"".join(b'%d,"n %d","a, b"\n' % (i, i) for i in range(500))


@pytest.mark.parametrize(
    ("name", "head", "whole", "want"),
    [
        ("a.csv", b"id,name\n1,x\n2,y\n", True, TEXT_CSV),
        ("A.CSV", "\ufeffnom;ville\nÉlise;Zürich\n".encode(), True, TEXT_CSV),
        ("a.csv", b'id,note\n1,"two\nlines"\n', True, TEXT_CSV),
        ("a.csv", LONG_CSV[:SNIFF_BYTES], False, TEXT_CSV),
        ("a.csv", b"Dear sir, as discussed,\nwe enclose the list.\n", True, TEXT_PLAIN),
        ("a.csv", b'id,note\n1,"unclosed\n', True, TEXT_PLAIN),
        ("a.txt", b"id,name\n1,x\n", True, TEXT_PLAIN),
        ("a.csv", PDF, True, "application/pdf"),
        ("a.csv", b"\x00\x01,\x02\n", True, OCTET_STREAM),
    ],
    ids=[
        "csv",
        "bom-semicolons",
        "quoted-newline",
        "long-head",
        "prose",
        "broken-quote",
        "not-named-csv",
        "pdf-named-csv",
        "binary",
    ],
)
def test_csv_is_told_from_other_text_by_its_name_and_records(
    name: str, head: bytes, whole: bool, want: str
) -> None:
    assert len(LONG_CSV) > SNIFF_BYTES
    assert sniff_media_type(head, whole=whole, name=name) == want


def test_a_docx_is_told_from_a_plain_zip(tmp_path: Path) -> None:
    import zipfile

    docx, plain = tmp_path / "a.docx", tmp_path / "b.zip"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("notes.txt", "hello")
    head = docx.read_bytes()[:4096]
    assert sniff_media_type(head, whole=False, path=docx).endswith("wordprocessingml.document")
    assert sniff_media_type(plain.read_bytes(), whole=True, path=plain) == "application/zip"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("a\r\nb\tc.txt", "a b c.txt"),
        ("..", ""),
        ("x" * 300, "x" * 255),
    ],
    ids=["traversal", "windows", "bidi-override", "controls", "dotdot", "long"],
)
def test_a_client_file_name_becomes_a_plain_display_string(raw: str, want: str) -> None:
    assert display_name(raw) == want


def test_a_blob_path_is_made_of_its_digest_only(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    with pytest.raises(ValueError, match="hex"):
        blobs.path("../../etc/passwd")
    with pytest.raises(ValueError, match="hex"):
        blobs.path("A" * 64)
