"""Links between the views of a list page whose filters live in the query string."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlencode


def list_link(
    path: str,
    values: Mapping[str, str],
    changes: Mapping[str, str | None],
    *,
    resets: Collection[str] = (),
) -> str:
    """``path`` with the query ``values`` changed.

    A change to None drops its parameter. The parameters in ``resets`` (a page's cursor, the
    message of the last action) are dropped whatever changes: another view starts on its first
    page, with nothing to report.
    """
    merged = {k: v for k, v in values.items() if k not in resets}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return path + (f"?{urlencode(merged)}" if merged else "")
