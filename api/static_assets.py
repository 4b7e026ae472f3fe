"""Docket's own static files and the vendored front-end packages, all served under /static."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Final

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
STATIC_PREFIX: Final = "/static"


def _vendored_folders() -> dict[str, str]:
    with (STATIC_DIR / "vendor" / "vendored.toml").open("rb") as f:
        packages = tomllib.load(f)["package"]
    return {
        p["name"]: f"vendor/{p['name'].lstrip('@').replace('/', '-')}-{p['version']}"
        for p in packages
    }


_VENDORED: Final = _vendored_folders()


def vendor_url(package: str, file_name: str) -> str:
    """The URL of ``file_name`` in the pinned copy of npm ``package`` (KeyError if not vendored).

    ``file_name`` may be given with its folder in the package (``dist/htmx.min.js``): the
    vendored copy keeps only the file.
    """
    return f"{STATIC_PREFIX}/{_VENDORED[package]}/{file_name.rsplit('/', 1)[-1]}"


def static_url(file_name: str) -> str:
    """The URL of one of Docket's own static files."""
    return f"{STATIC_PREFIX}/docket/{file_name}"
