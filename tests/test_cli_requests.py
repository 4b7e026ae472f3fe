"""``docket requests import`` and ``docket demo`` as an operator runs them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from domain.requests import authorities
from domain.requests.authorities import NewAuthority
from domain.requests.csv_format import EXPORT_COLUMNS, csv_line, export_row
from domain.requests.listing import query_requests
from domain.requests.model import AuthorityType
from domain.requests.repo import RequestFilters
from domain.shared import database
from tests.conftest import ROOT, T0, docket

HEADER = "authority_id,rule,received_at,channel,kind,instrument,summary\n"


async def _authority(url: str) -> str:
    async with database.connected(url, pool=False):
        made = await authorities.create_authority(
            NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR),
            actor=ROOT,
            now=T0,
        )
    return str(made.id)


async def _count(url: str) -> int:
    async with database.connected(url, pool=False):
        return len(await query_requests(RequestFilters(), now=T0, limit=200, after=None))


async def _export(url: str) -> str:
    async with database.connected(url, pool=False):
        found = await query_requests(RequestFilters(), now=T0, limit=200, after=None)
    ordered = sorted(found, key=lambda r: r.reference)
    return csv_line(EXPORT_COLUMNS) + "".join(csv_line(export_row(r)) for r in ordered)


def _file(tmp_path: Path, *rows: str) -> str:
    path = tmp_path / "requests.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return str(path)


def _row(authority: str, received: str = "2026-03-01T10:00:00+00:00") -> str:
    return f"{authority},GB/uk-gdpr.rights-request,{received},email,user_data,subpoena,Data\n"


def test_a_good_file_is_checked_then_imported(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    authority = asyncio.run(_authority(database_url))
    path = _file(tmp_path, _row(authority), _row(authority))
    dry = docket("requests", "import", path, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "line 2: would create a new request",
        "line 3: would create a new request",
        "dry run: 2 to create, 0 to update, 0 unchanged; nothing was changed",
    ]
    assert asyncio.run(_count(database_url)) == 0
    done = docket("requests", "import", path, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "imported: 2 created, 0 updated, 0 unchanged"
    assert [ln.split()[:2] for ln in lines[1:]] == [
        ["created", "REQ-2026-000001"],
        ["created", "REQ-2026-000002"],
    ]
    assert asyncio.run(_count(database_url)) == 2


def test_an_export_fed_back_says_which_rows_would_update_and_updates_them(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    authority = asyncio.run(_authority(database_url))
    docket("requests", "import", _file(tmp_path, _row(authority), _row(authority)), env=env)
    exported = asyncio.run(_export(database_url))
    edited = exported.replace(",Data,", ",Data (scope narrowed),", 1)
    path = tmp_path / "export.csv"
    path.write_text(edited, encoding="utf-8")
    dry = docket("requests", "import", str(path), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "line 2: would update REQ-2026-000001 (summary)",
        "line 3: REQ-2026-000002 unchanged",
        "dry run: 0 to create, 1 to update, 1 unchanged; nothing was changed",
    ]
    done = docket("requests", "import", str(path), env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "imported: 0 created, 1 updated, 1 unchanged"
    assert lines[1].split()[:2] == ["updated", "REQ-2026-000001"]
    assert lines[1].endswith("(summary)")
    assert asyncio.run(_count(database_url)) == 2
    again = docket("requests", "import", str(path), env=env)
    assert again.returncode == 2
    assert "line 2: version: REQ-2026-000001 is at version 2, not 1" in again.stderr


def test_bad_rows_are_listed_on_stderr_and_nothing_is_imported(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    authority = asyncio.run(_authority(database_url))
    path = _file(tmp_path, _row(authority), _row(authority, "2026-03-01T10:00:00"), _row("nope"))
    result = docket("requests", "import", path, env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "requests.csv: line 3: received_at: must be timezone-aware"
    assert lines[1] == "requests.csv: line 4: authority_id: must be a UUID"
    assert "nothing imported" in lines[2]
    assert asyncio.run(_count(database_url)) == 0


def test_demo_seeds_requests_once(env: dict[str, str], database_url: str) -> None:
    first = docket("demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "seeded 12 authorities and 48 requests" in first.stdout
    second = docket("demo", env=env)
    assert "none seeded" in second.stdout
    assert "seeded 3 response packages (submitted, sent, sent back)" in first.stdout
    assert "demo packages: none seeded" in second.stdout
    assert "seeded 3 legal holds (issued, active, released)" in first.stdout
    assert "demo holds: none" in second.stdout
    # 48 requests in every state, 3 with response packages, and the 2703(f) preservation
    # request the demo hold follows
    assert asyncio.run(_count(database_url)) == 48 + 3 + 1
