#!/usr/bin/env python3
"""Fetch, check or list the front-end files Docket serves itself (api/static/vendor).

Every file comes from an npm registry tarball named in api/static/vendor/vendored.toml, pinned by
version and by the tarball's sha512 integrity, and is kept byte for byte with its SHA-256 in the
same file. Nothing is loaded from another host at run time.

    python3 scripts/vendor.py fetch   # npm pack each package, verify it, copy the listed files
    python3 scripts/vendor.py check   # every listed file is there with its SHA-256, nothing else

To move a package to a new version: change `version` and `integrity` (from
`npm view <name>@<version> dist.integrity`), run `fetch`, then `check`, and commit the files.
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

VENDOR = Path(__file__).resolve().parents[1] / "api" / "static" / "vendor"
MANIFEST = VENDOR / "vendored.toml"


def packages() -> list[dict[str, object]]:
    """The packages listed in vendored.toml."""
    with MANIFEST.open("rb") as f:
        return list(tomllib.load(f)["package"])


def folder(package: dict[str, object]) -> Path:
    """Where a package's files live: its name and version, e.g. ``vendor/htmx.org-2.0.11``."""
    return VENDOR / f"{str(package['name']).lstrip('@').replace('/', '-')}-{package['version']}"


def fetch() -> None:
    """Download each package with npm, check its integrity, copy the listed files."""
    for package in packages():
        spec = f"{package['name']}@{package['version']}"
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(  # noqa: S603 - the spec comes from our own manifest
                ["npm", "pack", spec, "--silent", "--pack-destination", tmp],  # noqa: S607
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
            tarball = (Path(tmp) / out).read_bytes()
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
            if digest != package["integrity"]:
                sys.exit(f"vendor: {spec}: integrity {digest} is not the pinned one")
            target = folder(package)
            target.mkdir(parents=True, exist_ok=True)
            with tarfile.open(Path(tmp) / out) as archive:
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


def problems() -> list[str]:
    """Listed files that are missing or changed, and files that nobody listed."""
    found: list[str] = []
    listed = {MANIFEST}
    for package in packages():
        for name, want in dict(package["files"]).items():
            path = folder(package) / Path(name).name
            listed.add(path)
            if not path.is_file():
                found.append(f"missing: {path.relative_to(VENDOR)}")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != want:
                found.append(f"changed: {path.relative_to(VENDOR)}")
    found += [
        f"not in vendored.toml: {path.relative_to(VENDOR)}"
        for path in sorted(VENDOR.rglob("*"))
        if path.is_file() and path not in listed
    ]
    return found


def main() -> None:
    """``fetch`` or ``check`` (the default)."""
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "fetch":
        fetch()
    elif command == "check":
        for line in problems():
            print(f"vendor: {line}", file=sys.stderr)
        sys.exit(1 if problems() else 0)
    else:
        sys.exit("usage: scripts/vendor.py fetch|check")


if __name__ == "__main__":
    main()
