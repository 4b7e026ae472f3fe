"""Handlers get the composition's parts by name; each name has one type, and the app provides it."""

from __future__ import annotations

from typing import get_type_hints

from litestar import Litestar
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler


def test_every_part_a_handler_asks_for_is_provided_with_the_type_it_declares(app: Litestar) -> None:
    # the caller, not a part: the actor (API and pages) and the signed-in viewer (pages)
    per_request = {"actor", "viewer"}
    provided = {
        name: p
        for name, p in app.dependencies.items()
        if name not in per_request and isinstance(p, Provide)
    }
    asked: dict[str, set[type]] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            parameters = handler.parsed_fn_signature.parameters
            for name in parameters.keys() & provided.keys():
                asked.setdefault(name, set()).add(parameters[name].annotation)
    assert set(asked) == set(provided), "a part nobody asks for, or asked for and not provided"
    for name, types in asked.items():
        assert len(types) == 1, f"{name} is declared as {types}"
        provide, declared = provided[name], next(iter(types))
        if provide.has_sync_callable:
            assert isinstance(provide.dependency(), declared), name
        else:  # opened on first use, with the database: what it says it returns
            assert get_type_hints(provide.dependency)["return"] is declared, name
