"""The version of the installed Docket, from its package metadata (one number, set in pyproject)."""

from __future__ import annotations

from importlib import metadata
from typing import Final


def _installed_version() -> str:
    try:
        return metadata.version("docket")
    except metadata.PackageNotFoundError:  # a source tree on sys.path that was never installed
        return "0+unknown"


DOCKET_VERSION: Final = _installed_version()
