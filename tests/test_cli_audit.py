"""`docket audit export | verify | vkey` for real: an auditor checks the log offline."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import docket


def _seed(env: dict[str, str], count: int) -> None:
    for i in range(count):
        result = docket(
            "users",
            "create",
            "--email",
            f"u{i}@docket.example",
            "--role",
            "legal",
            env=env,
            stdin="a-long-enough-password\n",
        )
        assert result.returncode == 0, result.stderr


def test_an_export_verifies_offline_with_the_printed_key(env, tmp_path: Path) -> None:
    _seed(env, 3)
    vkey = docket("audit", "vkey", env=env).stdout.strip()
    name, key_id, key = vkey.split("+", 2)
    assert name.endswith("/docket-audit")
    assert len(key_id) == 8
    assert key.startswith("A")  # base64 of 0x01 (Ed25519) and the key
    out = tmp_path / "bundle"
    exported = docket("audit", "export", "--out", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    assert "exported 3 entries" in exported.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "changes.jsonl",
        "checkpoints.txt",
        "entries.jsonl",
        "keys.txt",
    ]
    verified = docket("audit", "verify", str(out), "--vkey", vkey, env={})
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK: 3 entries, root ")


def test_an_edited_export_fails_naming_the_entry(env, tmp_path: Path) -> None:
    _seed(env, 3)
    vkey = docket("audit", "vkey", env=env).stdout.strip()
    out = tmp_path / "bundle"
    docket("audit", "export", "--out", str(out), env=env)
    lines = (out / "entries.jsonl").read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace("user.created", "user.disabled")
    (out / "entries.jsonl").write_text("".join(lines))
    result = docket("audit", "verify", str(out), "--vkey", vkey, env={})
    assert result.returncode == 1
    assert result.stdout.startswith("FAILED:")
    assert "1" in result.stdout


def test_verifying_with_another_key_fails(env, tmp_path: Path) -> None:
    _seed(env, 1)
    out = tmp_path / "bundle"
    docket("audit", "export", "--out", str(out), env=env)
    other = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    result = docket("audit", "verify", str(out), "--vkey", other, env={})
    assert result.returncode == 1
    assert "FAILED" in result.stdout


def test_export_refuses_a_folder_that_is_not_empty(env, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "file").write_text("x")
    result = docket("audit", "export", "--out", str(tmp_path / "busy"), env=env)
    assert result.returncode == 2
    assert "not empty" in result.stderr
