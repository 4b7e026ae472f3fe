"""msgspec Structs whose fields are read from a domain dataclass instead of typed out again.

``with_fields`` keeps a class as written (its name, which is the OpenAPI schema's, its docstring,
config and methods) and gives it the fields listed, with ``msgspec.defstruct``. Type checkers see
the class as written, without the added fields: code reads them by name from the domain's field
list (``msgspec.structs.asdict``, ``msgspec.to_builtins``), never as attributes.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, TypeVar, Union, cast, get_args, get_origin

import msgspec

S = TypeVar("S", bound=msgspec.Struct)
StructField = tuple[str, object] | tuple[str, object, object]
"""``(attribute, type)`` or ``(attribute, type, default)``, as ``msgspec.defstruct`` takes them."""


def with_fields(
    fields: Iterable[StructField], *, rename: Mapping[str, str] | None = None
) -> Callable[[type[S]], type[S]]:
    """A class decorator: the class with ``fields`` after its own, ``rename``-d on the wire."""
    listed = list(fields)

    def derive(cls: type[S]) -> type[S]:
        made = msgspec.defstruct(
            cls.__name__,
            listed,
            bases=(cls,),
            module=cls.__module__,
            namespace={"__doc__": cls.__doc__},
            rename=rename,
            kw_only=True,
        )
        return cast("type[S]", made)

    return derive


def api_type(annotation: object, bodies: Mapping[object, object]) -> object:
    """The API's type for a domain annotation: tuples are lists, named things their bodies."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple:  # tuple[X, ...]
        return types.GenericAlias(list, (api_type(args[0], bodies),))
    if origin in {Union, types.UnionType}:
        return functools.reduce(operator.or_, [api_type(a, bodies) for a in args])
    return bodies.get(annotation, annotation)


def documented(annotation: object, meta: msgspec.Meta | None) -> object:
    """``annotation`` with its examples and constraints, if it has any."""
    return annotation if meta is None else Annotated[annotation, meta]
