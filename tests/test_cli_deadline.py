"""`docket deadline` and `docket jurisdictions`, run for real as the console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCKET = str(Path(sys.executable).parent / "docket")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}  # needs no settings
KEYS = [
    "rule",
    "received_at",
    "clock_started_at",
    "due_date",
    "due_at",
    "extended_due_date",
    "extended_due_at",
    "earliest_date",
    "earliest_at",
    "citation",
    "rule_version",
    "steps",
]


def docket(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DOCKET, *args], capture_output=True, text=True, env=ENV, timeout=120, check=False
    )


def test_a_gb_rights_request_as_json() -> None:
    result = docket(
        "deadline", "GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00+01:00", "--json"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload) == KEYS
    assert payload["rule"] == "GB/uk-gdpr.rights-request"
    assert payload["received_at"] == "2025-09-03T10:00:00+01:00"
    assert payload["clock_started_at"] == "2025-09-03T10:00:00+01:00"
    assert payload["due_date"] == "2025-10-03"
    assert payload["due_at"] == "2025-10-03T23:59:59.999999+01:00"
    assert payload["extended_due_date"] == "2025-12-03"
    assert payload["extended_due_at"] == "2025-12-03T23:59:59.999999+00:00"
    assert payload["citation"].startswith("UK GDPR Art 12(3)")
    assert payload["steps"][0] == {
        "text": "received Wed 3 Sep 2025 10:00 (Europe/London, +01:00)",
        "citation": payload["steps"][0]["citation"],
    }


def test_a_us_ca_request_with_a_zone_an_event_and_a_pause_as_json() -> None:
    result = docket(
        "deadline",
        "US-CA/ccpa.request-to-know",
        "--received",
        "2026-01-30T18:00:00Z",
        "--tz",
        "America/Los_Angeles",
        "--subdivision",
        "CA",
        "--event",
        "unused=2026-02-01T00:00:00Z",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["received_at"] == "2026-01-30T10:00:00-08:00"
    assert payload["due_date"] == "2026-03-16"
    assert payload["due_at"] == "2026-03-16T23:59:59.999999-07:00"
    assert payload["extended_due_date"] == "2026-04-30"
    assert payload["extended_due_at"] == "2026-04-30T23:59:59.999999-07:00"
    assert payload["citation"] == "11 CCR § 7021(b); Cal. Civ. Code § 1798.130(a)(2)"
    assert payload["steps"][2]["text"] == "+45 calendar days → Mon 16 Mar 2026"


def test_pauses_and_events_are_read_from_the_command_line() -> None:
    result = docket(
        "deadline",
        "GB/uk-gdpr.rights-request",
        "--received",
        "2025-09-03T10:00+01:00",
        "--event",
        "identity_verified=2025-09-05T12:00+01:00",
        "--pause",
        "2025-09-10T09:00+01:00/2025-09-11T09:00+01:00",
        "--pause",
        "2025-09-20T09:00+01:00/",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["clock_started_at"] == "2025-09-05T12:00:00+01:00"
    assert payload["due_date"] == "2025-10-08"  # 5 Oct + 3 stopped days
    assert any("still stopped since" in step["text"] for step in payload["steps"])


def test_the_readable_summary_shows_the_due_date_and_cited_steps() -> None:
    result = docket("deadline", "GB/uk-gdpr.rights-request", "--received", "2023-11-25T10:00Z")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("GB/uk-gdpr.rights-request: Respond to a data subject")
    assert "  due            2023-12-27 (by 2023-12-27T23:59:59.999999+00:00)" in lines
    assert "steps:" in lines
    assert any("Christmas Day" in line for line in lines)
    assert any(line.strip().startswith("[ICO") for line in lines)


def test_the_organisations_target_is_read_from_its_setting() -> None:
    args = ["deadline", "EU/dsa.art16-notice", "--received", "2026-03-02T10:00+01:00", "--json"]
    env = {**ENV, "DOCKET_RULE_TARGETS": "EU/dsa.art16-notice=24h"}
    result = subprocess.run(
        [DOCKET, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["due_at"] == "2026-03-03T10:00:00+01:00"
    for wrong, says in [("EU/dsa.art16-notice=soon", "is not RULE="), ("GB/x=1h", "GB/x")]:
        env = {**ENV, "DOCKET_RULE_TARGETS": wrong}
        result = subprocess.run(
            [DOCKET, *args], capture_output=True, text=True, env=env, timeout=120, check=False
        )
        assert result.returncode == 2
        [line] = result.stderr.splitlines()
        assert line.startswith("docket: DOCKET_RULE_TARGETS: ")
        assert says in line


def test_a_window_shows_its_first_day() -> None:
    result = docket("deadline", "US/dmca.counter-notice", "--received", "2026-11-18T15:00-05:00")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  not before     2026-12-03 (from 2026-12-03T00:00:00-05:00)" in lines
    assert "  due            2026-12-09 (by 2026-12-09T23:59:59.999999-05:00)" in lines


def test_as_of_picks_the_rule_version_and_the_summary_names_it() -> None:
    args = ["deadline", "IN/it-rules.takedown-order", "--received", "2026-03-02T09:00+05:30"]
    now = docket(*args)
    assert now.returncode == 0, now.stderr
    assert "  rule version   in force from 2026-02-20" in now.stdout.splitlines()
    then = docket(*args, "--as-of", "2026-01-01T00:00+05:30", "--json")
    assert then.returncode == 0, then.stderr
    payload = json.loads(then.stdout)
    assert payload["rule_version"] == "2021-02-25"
    assert payload["due_at"] == "2026-03-03T21:00:00+05:30"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["GB/nothing", "--received", "2025-09-03T10:00Z"], "deadline rule GB/nothing"),
        (["GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00"], "--received: "),
        (["GB/uk-gdpr.rights-request", "--received", "soon"], "--received: "),
        (
            ["GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00Z", "--tz", "Mars/Base"],
            "unknown IANA time zone 'Mars/Base'",
        ),
        (
            ["GB/uk-gdpr.breach-notification", "--received", "2025-09-03T10:00Z"],
            "events.aware",
        ),
        (["GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00Z", "--event", "x"], "NAME="),
        (
            ["GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00Z", "--pause", "x"],
            "START/",
        ),
        (
            ["GB/uk-gdpr.rights-request", "--received", "2025-09-03T10:00Z", "--as-of", "then"],
            "--as-of: ",
        ),
    ],
    ids=[
        "unknown-rule",
        "naive",
        "not-a-time",
        "bad-zone",
        "missing-event",
        "event",
        "pause",
        "as-of",
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args: list[str], says: str) -> None:
    result = docket("deadline", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("docket: ")
    assert says in lines[0]


def test_jurisdictions_lists_codes_names_and_rule_ids() -> None:
    result = docket("jurisdictions")
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("GB     United Kingdom") for line in result.stdout.splitlines())
    assert "GB/uk-gdpr.rights-request" in result.stdout
    one = docket("jurisdictions", "us-ca")
    assert one.stdout.splitlines()[0].startswith("US-CA")
    assert "GB/" not in one.stdout
    unknown = docket("jurisdictions", "XX")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "docket: jurisdiction XX does not exist"
