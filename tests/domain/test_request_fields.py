"""Report fields of a request: vocabularies, JSON lists, the checks and the edit codec (pure)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import get_type_hints

import pytest

from domain.requests.csv_format import EXPORT_COLUMNS, export_row, read_import
from domain.requests.edits import EDITABLE, EDITABLE_FIELDS, coerce_field, new_request_from
from domain.requests.fields import (
    TIMESTAMP_FIELDS,
    ActionBasis,
    ContentAction,
    ContentItem,
    DataOutcome,
    Identifier,
    IdentifierType,
    NoticeDecision,
    RequestRecord,
    parse_content_items,
    parse_identifiers,
)
from domain.requests.flat import REQUEST_FIELDS
from domain.requests.model import (
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.records import NOT_RECORDED, check_record, request_snapshot
from domain.requests.repo import request_from_row, request_values
from domain.requests.tables import RequestTable
from domain.requests.workflow import RequestState
from domain.shared.errors import ValidationError

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FULL = RequestRecord(
    mlat=True,
    service="Messaging",
    nondisclosure_order=True,
    nondisclosure_expires_on=date(2026, 9, 1),
    identifiers=(Identifier(IdentifierType.ACCOUNT, "@a"), Identifier(IdentifierType.URL, "u")),
    content_items=(
        ContentItem(ref="post/1", action=ContentAction.REMOVED, basis=ActionBasis.LAW),
        ContentItem(ref="post/2", description="video", action=ContentAction.NONE),
    ),
    dsa_category="illegal_speech",
    dsa_subcategory="hate_speech",
    taxonomy_version="2024-11",
    responded_at=datetime(2026, 3, 1, tzinfo=UTC),
    notice_decision=NoticeDecision.DELAY,
    notice_delay_order="Gag order 12/2026",
    notice_delay_expires_on=date(2026, 6, 1),
)


FILLED = RegulatoryRequest(
    id=uuid.uuid4(),
    reference="REQ-2026-000042",
    version=3,
    state=RequestState.IN_PROGRESS,
    authority_id=uuid.uuid4(),
    rule_id="GB/uk-gdpr.rights-request",
    jurisdiction="GB",
    tz="Europe/London",
    subdivision="SCT",
    channel=Channel.EMAIL,
    received_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    authority_reference="OF-17",
    legal_basis="s.100",
    summary="Subscriber data",
    priority=Priority.URGENT,
    confidentiality=Confidentiality.SEALED,
    tags=("a", "b"),
    assignee=uuid.uuid4(),
    response_language="de",
    kind=RequestKind.CONTENT_ACTION,
    dsa_basis=DsaBasis.ART9,
    instrument=Instrument.REMOVAL_ORDER,
    emergency=True,
    due_at=datetime(2026, 4, 1, 22, 59, tzinfo=UTC),
    due_date=date(2026, 4, 1),
    extended_due_at=datetime(2026, 6, 1, 22, 59, tzinfo=UTC),
    extended_due_date=date(2026, 6, 1),
    extension_notice_due_at=datetime(2026, 4, 1, 22, 59, tzinfo=UTC),
    extension_taken=True,
    extension_reason="complex",
    extension_notified_on=date(2026, 3, 20),
    acknowledgement_due_at=datetime(2026, 3, 11, tzinfo=UTC),
    created_at=datetime(2026, 3, 1, 10, tzinfo=UTC),
    updated_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
    record=FULL,
)


def test_a_request_survives_its_columns_with_vocabularies_and_lists_as_text() -> None:
    columns = request_values(FILLED)
    assert columns["notice_decision"] == "delay"
    assert columns["data_outcome"] == ""
    assert columns["tags"] == '["a", "b"]'
    assert request_from_row({**columns, "id": FILLED.id}) == FILLED


def test_the_table_has_a_column_for_every_field_of_a_request_and_the_two_sort_keys() -> None:
    columns = {c._meta.name for c in RequestTable._meta.columns}
    assert columns == {f.attribute for f in REQUEST_FIELDS} | {"sort_due_at", "queue_due_at"}


def test_the_snapshot_names_every_field_but_the_subject_and_its_times() -> None:
    snap = request_snapshot(FILLED)
    assert set(snap) == {f.name for f in REQUEST_FIELDS} - NOT_RECORDED
    assert snap["identifiers"] == [
        {"type": "account", "value": "@a"},
        {"type": "url", "value": "u"},
    ]
    assert snap["content_items"][0] == {  # type: ignore[index]
        "ref": "post/1",
        "description": "",
        "action": "removed",
        "basis": "law",
    }
    assert snap["responded_at"] == "2026-03-01T00:00:00+00:00"
    assert (snap["rule"], snap["assignee"], snap["priority"]) == (
        "GB/uk-gdpr.rights-request",
        str(FILLED.assignee),
        "urgent",
    )
    assert (snap["due_date"], snap["tags"], snap["data_outcome"]) == (
        "2026-04-01",
        ["a", "b"],
        None,
    )


def test_the_export_writes_each_cell_as_the_snapshot_has_it() -> None:
    cells = dict(zip(EXPORT_COLUMNS, export_row(FILLED), strict=True))
    assert cells["id"] == str(FILLED.id)
    assert (cells["emergency"], cells["tags"], cells["data_scope"]) == ("true", '["a", "b"]', "")
    assert cells["created_at"] == "2026-03-01T10:00:00+00:00"
    assert "extension_notice_due_at" not in cells


def test_every_editable_field_is_a_field_of_the_request_of_the_same_type() -> None:
    request_types = {f.name: f.base for f in REQUEST_FIELDS}
    assert {f.name: f.base for f in EDITABLE} == {
        name: request_types[name] for name in EDITABLE_FIELDS
    }


def test_the_timestamps_of_a_record_are_its_instants() -> None:
    hints = get_type_hints(RequestRecord)
    assert TIMESTAMP_FIELDS == (
        "receipt_acknowledged_at",
        "effect_given_at",
        "authority_informed_at",
        "user_notified_at",
        "responded_at",
        "closed_at",
    )
    assert all(hints[name] == datetime | None for name in TIMESTAMP_FIELDS)


def test_a_consistent_content_record_passes_its_checks() -> None:
    check_record(FULL, kind=RequestKind.CONTENT_ACTION, now=NOW)


@pytest.mark.parametrize(
    ("change", "kind", "field"),
    [
        ({"notice_delay_order": ""}, RequestKind.CONTENT_ACTION, "notice_delay_order"),
        ({"nondisclosure_order": False}, RequestKind.CONTENT_ACTION, "nondisclosure_expires_on"),
        (
            {"data_outcome": DataOutcome.REJECTED, "content_items": ()},
            RequestKind.USER_DATA,
            "data_rejection_reason",
        ),
        ({"data_outcome": DataOutcome.ALL}, RequestKind.CONTENT_ACTION, "data_outcome"),
        ({"taxonomy_version": ""}, RequestKind.CONTENT_ACTION, "taxonomy_version"),
        ({"responded_at": datetime(2026, 3, 1)}, RequestKind.CONTENT_ACTION, "responded_at"),  # noqa: DTZ001
        ({"closed_at": datetime(2026, 4, 1, tzinfo=UTC)}, RequestKind.CONTENT_ACTION, "closed_at"),
        ({}, RequestKind.USER_DATA, "content_items"),
        ({"service": "x" * 201}, RequestKind.CONTENT_ACTION, "service"),
    ],
    ids=[
        "delay-without-order",
        "expiry-without-nondisclosure",
        "rejected-without-reason",
        "data-outcome-on-content",
        "category-without-taxonomy",
        "naive-timestamp",
        "future-timestamp",
        "content-action-on-data-request",
        "service-too-long",
    ],
)
def test_a_contradictory_record_is_refused_naming_the_field(
    change: dict[str, object], kind: RequestKind, field: str
) -> None:
    record = replace(FULL, **change)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        check_record(record, kind=kind, now=NOW)
    assert caught.value.field == field


def test_an_action_needs_its_basis() -> None:
    record = RequestRecord(content_items=(ContentItem(ref="p", action=ContentAction.RESTRICTED),))
    with pytest.raises(ValidationError, match="law or terms"):
        check_record(record, kind=RequestKind.CONTENT_ACTION, now=NOW)


def test_lists_parse_from_json_text_and_refuse_unknown_types() -> None:
    assert parse_identifiers('[{"type": "phone", "value": " +44 1 "}]') == (
        Identifier(IdentifierType.PHONE, "+44 1"),
    )
    assert parse_content_items("") == ()
    with pytest.raises(ValidationError, match="identifiers"):
        parse_identifiers('[{"type": "ip", "value": "1.2.3.4"}]')
    with pytest.raises(ValidationError, match="must be a JSON list"):
        parse_content_items("[{")


def test_the_codec_turns_cells_into_values_and_refuses_naive_instants() -> None:
    assert coerce_field("emergency", "yes") is True
    assert coerce_field("notice_decision", "") is None
    assert coerce_field("tags", '["B", "a"]') == ("a", "b")
    with pytest.raises(ValidationError, match="received_at: must be timezone-aware"):
        coerce_field("received_at", "2026-03-01T10:00:00")
    with pytest.raises(ValidationError, match="reference: is not an editable field"):
        coerce_field("reference", "REQ-1")


def test_a_new_request_needs_its_required_columns() -> None:
    values = {
        "authority_id": str(uuid.uuid4()),
        "rule": "GB/uk-gdpr.rights-request",
        "received_at": "2026-03-01T10:00:00Z",
        "channel": "email",
        "kind": "user_data",
        "instrument": "subpoena",
        "mlat": "true",
    }
    new = new_request_from(values)
    assert new.record.mlat is True
    assert new.received_at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    with pytest.raises(ValidationError, match="kind: is required"):
        new_request_from({**values, "kind": ""})


def test_the_import_reads_the_exports_editable_and_key_columns_and_skips_the_rest() -> None:
    assert set(EDITABLE_FIELDS) < set(EXPORT_COLUMNS)
    text = "id,state,summary,rule\r\nx,sent,hello,GB/r\r\n,,,\r\n,,,GB/s\r\n"
    rows = list(read_import(text))
    assert [(r.line, r.keys, r.values) for r in rows] == [
        (2, {"id": "x"}, {"summary": "hello", "rule": "GB/r"}),
        (4, {}, {"summary": "", "rule": "GB/s"}),
    ]
    with pytest.raises(ValidationError, match="unknown column"):
        list(read_import("nonsense\r\n1\r\n"))
