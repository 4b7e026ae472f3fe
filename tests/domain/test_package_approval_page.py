"""The internal approval page goes to the authority only when the organisation chooses so."""

from __future__ import annotations

import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from audit import store
from documents.render import SIGNATURE_FIELD
from documents.signing import check_signature
from domain.packages import review as package_review
from domain.packages import service as packages
from domain.packages.model import PackageVersion
from tests.conftest import T0
from tests.documents.conftest import need
from tests.domain.test_packages_service import ORG, Desk, approve, desk, write

pytestmark = pytest.mark.usefixtures("db")
__all__ = ["desk"]  # the fixture, used by name


async def build(desk: Desk, *, approval_page: bool) -> PackageVersion:
    built = await packages.build_version(
        desk.reg_request.id,
        organisation=ORG,
        store=desk.blobs,
        actor=desk.specialist,
        now=T0,
        approval_page=approval_page,
    )
    return built.version


async def approved_pdf(desk: Desk, version: PackageVersion) -> bytes:
    await package_review.submit_package(
        desk.reg_request.id, version.number, actor=desk.specialist, now=T0
    )
    approved = await approve(desk, version, desk.lawyer)
    return desk.blobs.path(approved.signed_sha256).read_bytes()


def last_page_text(pdf: bytes) -> str:
    done = subprocess.run([need("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8").split("\f")[:-1][-1]


def signature_rect(pdf: bytes) -> tuple[list[float], int]:
    """The signature widget's rectangle and the (0-based) page that shows it."""
    reader = PdfReader(BytesIO(pdf))
    (found,) = [
        (annot.get_object(), number)
        for number, page in enumerate(reader.pages)
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    return [float(v) for v in found[0]["/Rect"]], found[1]


async def test_by_default_the_package_has_no_approval_page_and_the_signature_is_invisible(
    desk: Desk,
) -> None:
    await write(desk, "Our answer.")
    version = await build(desk, approval_page=False)
    assert not version.approval_page
    unsigned = desk.blobs.path(version.sha256).read_bytes()
    assert "Approved by / signature" not in last_page_text(unsigned)
    assert "Prepared by" not in last_page_text(unsigned)
    signed = await approved_pdf(desk, version)
    rect, _ = signature_rect(signed)
    assert rect == [0.0, 0.0, 0.0, 0.0]
    check = check_signature(signed, (desk.ca_pem,))
    assert (check.intact, check.valid, check.trusted) == (True, True, True)
    entries = await store.entries(subject=("request", str(desk.reg_request.id)), limit=100)
    approval = next(e for e in entries if e.action == "package.approved")
    assert approval.actor_id == f"user:{desk.lawyer.id}"


async def test_with_the_setting_the_last_page_is_the_approval_page_and_holds_the_signature(
    desk: Desk,
) -> None:
    await write(desk, "Our answer.")
    version = await build(desk, approval_page=True)
    assert version.approval_page
    unsigned = desk.blobs.path(version.sha256).read_bytes()
    assert "Approved by / signature" in last_page_text(unsigned)
    signed = await approved_pdf(desk, version)
    rect, page = signature_rect(signed)
    assert rect == [SIGNATURE_FIELD[1], SIGNATURE_FIELD[2], SIGNATURE_FIELD[3], SIGNATURE_FIELD[4]]
    assert page == len(PdfReader(BytesIO(signed)).pages) - 1
    assert check_signature(signed, (desk.ca_pem,)).trusted


async def test_changing_the_setting_makes_the_next_build_a_new_version(desk: Desk) -> None:
    await write(desk, "Our answer.")
    without = await build(desk, approval_page=False)
    assert (await build(desk, approval_page=False)).number == without.number
    with_page = await build(desk, approval_page=True)
    assert with_page.number == without.number + 1
    assert with_page.sha256 != without.sha256
