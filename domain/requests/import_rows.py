"""Which request a row of an import file names, at which version, and what it changes in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from uuid import UUID

from domain.requests import repo as requests_repo
from domain.requests.edits import coerce_field
from domain.requests.errors import RequestNotFoundError
from domain.requests.flat import flat_values
from domain.requests.model import RegulatoryRequest
from domain.requests.queries import find_request_id
from domain.shared.errors import ValidationError

ANY_CASE: Final = frozenset({"rule", "subdivision"})
"""Fields whose letter case does not change what they name (``de/…`` is ``DE/…``)."""


async def _by_id(text: str) -> RegulatoryRequest:
    try:
        request_id = UUID(text)
    except ValueError:
        raise ValidationError("id", "must be a UUID") from None
    try:
        return await requests_repo.get_request(request_id)
    except RequestNotFoundError:
        raise ValidationError("id", f"no request {request_id}") from None


async def _by_reference(text: str) -> RegulatoryRequest:
    found = await find_request_id(text)
    if found is None:
        raise ValidationError("reference", f"no request {text!r}")
    return await requests_repo.get_request(found)


async def named_request(
    keys: Mapping[str, str], named: dict[UUID, int], *, line: int
) -> RegulatoryRequest | None:
    """The request a row names by ``id`` or ``reference``; None when it names none (a new one).

    ``named`` maps each request named so far to its line; this row's is added.

    Raises:
        ValidationError: on ``id`` or ``reference`` when it names no request, when the two
            name different requests, or when an earlier line names the same request; on
            ``version`` when it is given for a row that names no request.
    """
    found = await _by_id(keys["id"]) if "id" in keys else None
    if "reference" in keys:
        by_reference = await _by_reference(keys["reference"])
        if found is not None and by_reference.id != found.id:
            msg = f"is {found.reference} for id {found.id}, not {keys['reference']}"
            raise ValidationError("reference", msg)
        found = by_reference
    if found is None:
        if "version" in keys:
            raise ValidationError("version", "given, but no id or reference says which request")
        return None
    if found.id in named:
        field = "id" if "id" in keys else "reference"
        raise ValidationError(field, f"line {named[found.id]} names {found.reference} already")
    named[found.id] = line
    return found


def row_version(keys: Mapping[str, str], current: RegulatoryRequest) -> int:
    """The version a row says it was read at, if it is the request's current one.

    Raises:
        ValidationError: on ``version`` when it is missing, not a number, or stale.
    """
    if "version" not in keys:
        raise ValidationError("version", "is required to update a request (the version read)")
    try:
        version = int(keys["version"])
    except ValueError:
        raise ValidationError("version", "must be a whole number") from None
    if version != current.version:
        msg = (
            f"{current.reference} is at version {current.version}, not {version}: "
            "it changed since this file was exported"
        )
        raise ValidationError("version", msg)
    return version


def _same(name: str, given: object, current: object) -> bool:
    if isinstance(given, str) and isinstance(current, str):
        if name in ANY_CASE:
            return given.strip().casefold() == current.strip().casefold()
        return given.strip() == current.strip()
    return given == current


def row_changes(current: RegulatoryRequest, values: Mapping[str, str]) -> dict[str, str]:
    """The cells of ``values`` whose value differs from ``current``'s, by field name.

    Raises:
        ValidationError: on the first field whose cell is not of its type.
    """
    now = flat_values(current)
    return {
        name: cell
        for name, cell in values.items()
        if not _same(name, coerce_field(name, cell), now[name])
    }
