"""Handlers get the composition's parts by name; each name has one type, and the app provides it."""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler


def test_every_part_a_handler_asks_for_is_provided_with_the_type_it_declares(app: Litestar) -> None:
    # the caller, not a part: the actor (API and pages) and the signed-in viewer (pages)
    per_request = {"actor", "viewer"}
    provided = {
        name: provide.dependency()
        for name, provide in app.dependencies.items()
        if name not in per_request
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
        assert isinstance(provided[name], next(iter(types))), name
