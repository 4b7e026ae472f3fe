#!/usr/bin/env python3
"""Fetch or check the third-party front-end files Docket keeps in the repository.

Two folders hold them, each with a `vendored.toml` that pins every package by npm version and
by the tarball's sha512 integrity, and every file by its SHA-256:

- api/static/vendor: what Docket serves (Swagger UI, Pico CSS, htmx);
- tests/browser/vendor: what only the browser tests use (axe-core).

Nothing is loaded from another host at run time.

    python3 scripts/vendor.py fetch   # npm pack each package, verify it, copy the listed files
    python3 scripts/vendor.py check   # every listed file is there with its SHA-256, nothing else

To move a package to a new version: change `version` and `integrity` (from
`npm view <name>@<version> dist.integrity`) and the file digests to "", run `fetch` (it prints
the new digests to paste back), then `check`, and commit the files.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIRS = [ROOT / "api" / "static" / "vendor", ROOT / "tests" / "browser" / "vendor"]
MANIFEST_NAME = "vendored.toml"


def packages(vendor: Path) -> list[dict[str, object]]:
    """The packages listed in ``vendor``'s vendored.toml."""
    with (vendor / MANIFEST_NAME).open("rb") as f:
        return list(tomllib.load(f)["package"])


def folder(vendor: Path, package: dict[str, object]) -> Path:
    """Where a package's files live: its name and version, e.g. ``vendor/htmx.org-2.0.11``."""
    return vendor / f"{str(package['name']).lstrip('@').replace('/', '-')}-{package['version']}"


def _npm_pack(spec: str, into: str) -> Path:
    out = subprocess.run(  # noqa: S603 - the spec comes from our own manifest
        ["npm", "pack", spec, "--silent", "--pack-destination", into],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return Path(into) / out


def fetch(vendor: Path) -> None:
    """Download each package with npm, check its integrity, copy the listed files."""
    for package in packages(vendor):
        spec = f"{package['name']}@{package['version']}"
        with tempfile.TemporaryDirectory() as tmp:
            tarball = _npm_pack(spec, tmp)
            sha512 = hashlib.sha512(tarball.read_bytes()).digest()
            digest = "sha512-" + base64.b64encode(sha512).decode()
            if digest != package["integrity"]:
                sys.exit(f"vendor: {spec}: integrity {digest} is not the pinned one")
            target = folder(vendor, package)
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(tarball) as archive:
                for name, want in dict(package["files"]).items():
                    member = archive.extractfile(f"package/{name}")
                    if member is None:
                        sys.exit(f"vendor: {spec}: {name} is not a file in the package")
                    data = member.read()
                    got = hashlib.sha256(data).hexdigest()
                    if want and got != want:
                        sys.exit(f"vendor: {spec}: {name} has SHA-256 {got}, pinned {want}")
                    (target / Path(name).name).write_bytes(data)
                    print(f"{spec}: {name} {got}")


def problems(vendor: Path) -> list[str]:
    """Listed files that are missing or changed, and files that nobody listed."""
    found: list[str] = []
    listed = {vendor / MANIFEST_NAME}
    for package in packages(vendor):
        for name, want in dict(package["files"]).items():
            path = folder(vendor, package) / Path(name).name
            listed.add(path)
            if not path.is_file():
                found.append(f"missing: {path.relative_to(vendor)}")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != want:
                found.append(f"changed: {path.relative_to(vendor)}")
    found += [
        f"not in {MANIFEST_NAME}: {path.relative_to(vendor)}"
        for path in sorted(vendor.rglob("*"))
        if path.is_file() and path not in listed
    ]
    return found


def main() -> None:
    """``fetch`` or ``check`` (the default), for both vendor folders."""
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "fetch":
        for vendor in VENDOR_DIRS:
            fetch(vendor)
    elif command == "check":
        found = [
            f"{vendor.relative_to(ROOT)}: {p}" for vendor in VENDOR_DIRS for p in problems(vendor)
        ]
        for line in found:
            print(f"vendor: {line}", file=sys.stderr)
        sys.exit(1 if found else 0)
    else:
        sys.exit("usage: scripts/vendor.py fetch|check")


if __name__ == "__main__":
    main()
