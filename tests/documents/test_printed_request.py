"""What the letter prints of the request is one value, and its digest covers all of it."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta
from typing import Final
from zoneinfo import ZoneInfo

from jinja2 import Environment, nodes

from documents.fetcher import TEMPLATES
from documents.package import PackageContent, PrintedRequest
from tests.documents.conftest import make_content

RESPONSE_FIELDS: Final = frozenset(
    {"locale", "organisation", "response_markdown", "exhibits", "version", "created_at"}
    | {"prepared_by", "approval_page", "greeting", "closing"}
)
"""The fields of the letter that come from the response and its build, not from the request."""
PRINTED: Final = frozenset(f.name for f in fields(PrintedRequest))


def test_the_content_holds_the_request_only_as_its_printed_request() -> None:
    # A new field the letter shows of the request belongs in PrintedRequest, whose digest a
    # version records; one added beside it here would change the letter without staling it.
    assert {f.name for f in fields(PackageContent)} == {"request"} | RESPONSE_FIELDS


def _attributes_read(name: str) -> set[str]:
    source = (TEMPLATES / "package.html").read_text(encoding="utf-8")
    tree = Environment(autoescape=True, extensions=["jinja2.ext.i18n"]).parse(source)
    return {
        node.attr
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == name
    }


def test_the_template_reads_the_request_through_the_printed_request_alone() -> None:
    assert _attributes_read("c") <= RESPONSE_FIELDS
    assert {"reference", "authority_name"} <= _attributes_read("r") <= PRINTED
    assert "request" not in _attributes_read("c")


def _other(printed: PrintedRequest, name: str) -> object:
    value = getattr(printed, name)
    if name == "time_zone":
        return "Asia/Tokyo"
    if value is None or isinstance(value, str):
        return f"{value or ''} (changed)"
    return value + timedelta(minutes=1)


def test_the_digest_changes_with_each_printed_field_and_names_it() -> None:
    base = make_content().request
    for name in sorted(PRINTED):
        changed = replace(base, **{name: _other(base, name)})  # type: ignore[arg-type]
        assert changed.digest() != base.digest(), name
        assert base.changed_fields(changed) == (name,)


def test_the_same_moment_written_in_another_zone_is_the_same_printed_request() -> None:
    base = make_content().request
    elsewhere = replace(base, received_at=base.received_at.astimezone(ZoneInfo("Asia/Tokyo")))
    assert elsewhere.digest() == base.digest()
    assert base.changed_fields(elsewhere) == ()
    assert replace(base, due_at=None).changed_fields(base) == ("due_at",)
