"""The limits the server enforces, stated in the OpenAPI document as well.

Litestar leaves out of the document two rules Docket enforces on every body: unknown fields
are refused (``forbid_unknown_fields``), and strings hold no control characters and have a
maximum length (``api.input_checks``). Nor can a route drop the document's default security
requirement. Generated clients and fuzzers read the document, so it has to say all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import Operation, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIType

from api.input_checks import BODY_TEXT_PATTERN, MAX_BODY_STRING

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition


@dataclass
class PublicOperation(Operation):
    """An operation that needs no bearer token (the document's default requirement)."""

    def __post_init__(self) -> None:
        """An empty requirement list: an empty list would otherwise be dropped as "unset"."""
        self.security = []


def _stated(schema: Schema | Reference, kind: msgspec.inspect.Type) -> None:
    """Copy the string limits msgspec enforces in ``kind`` onto ``schema``, where it lacks them.

    Litestar documents a field's own ``Meta`` but drops those of the items of a list or of a
    union's members (``list[Annotated[str, Meta(min_length=1)]]``).
    """
    if not isinstance(schema, Schema):
        return
    if isinstance(kind, msgspec.inspect.StrType) and schema.type == OpenAPIType.STRING:
        schema.min_length = schema.min_length if schema.min_length is not None else kind.min_length
        schema.max_length = schema.max_length if schema.max_length is not None else kind.max_length
        schema.pattern = schema.pattern or kind.pattern
    elif isinstance(kind, msgspec.inspect.UnionType):
        for member in (*(schema.one_of or ()), *(schema.any_of or ())):
            for inner in kind.types:
                _stated(member, inner)
    elif isinstance(kind, msgspec.inspect.ListType | msgspec.inspect.SetType) and schema.items:
        _stated(schema.items, kind.item_type)
    elif isinstance(kind, msgspec.inspect.DictType) and isinstance(
        schema.additional_properties, Schema
    ):
        _stated(schema.additional_properties, kind.value_type)
    elif isinstance(kind, msgspec.inspect.Metadata):
        _stated(schema, kind.type)


def _bounded(schema: Schema | Reference) -> None:
    """Give every string in ``schema`` the body's text rules, where it states none stricter."""
    if not isinstance(schema, Schema):
        return
    plain_text = schema.enum is None and schema.const is None and schema.format is None
    if schema.type == OpenAPIType.STRING and plain_text:
        if schema.pattern is None:
            schema.pattern = BODY_TEXT_PATTERN
        if schema.max_length is None:
            schema.max_length = MAX_BODY_STRING
    for inner in (*(schema.one_of or ()), *(schema.any_of or ()), schema.items):
        if inner is not None:
            _bounded(inner)
    if isinstance(schema.additional_properties, Schema):
        _bounded(schema.additional_properties)
        if schema.property_names is None:  # the keys of a map are text of the body too
            schema.property_names = Schema(
                type=OpenAPIType.STRING, pattern=BODY_TEXT_PATTERN, max_length=MAX_BODY_STRING
            )


class ClosedStructSchemaPlugin(StructSchemaPlugin):
    """Litestar's msgspec schemas, closed where the struct forbids unknown fields, text bounded."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        """The struct's schema, with ``additionalProperties: false`` and bounded strings."""
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if not isinstance(info, msgspec.inspect.StructType):
            return schema
        properties = schema.properties or {}
        for field in info.fields:
            if field.encode_name in properties:
                _stated(properties[field.encode_name], field.type)
        if info.forbid_unknown_fields:
            schema.additional_properties = False
            for prop in properties.values():
                _bounded(prop)
        return schema
