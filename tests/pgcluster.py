"""A throwaway PostgreSQL cluster for one test run (recipe: ../shared/NOTES.md §3).

initdb refuses to run as root, so as root the server runs as the ``postgres`` user; it listens on a
unix socket in a temporary folder only, and is removed when the run ends.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailableError(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    raise PostgresUnavailableError("initdb not found (apt-get install postgresql)")


@dataclass
class Cluster:
    root: Path
    bin_dir: Path
    port: int
    as_user: str | None

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={self.port}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, cwd="/")

    def start(self) -> None:
        data = self.root / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(port: int) -> Cluster:
    """Start a fresh cluster on ``port`` (unix socket only)."""
    bin_dir = find_bin_dir()
    as_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="docket-pg-"))
    (root / "sock").mkdir()
    if as_user:
        try:
            pw = pwd.getpwnam(as_user)
        except KeyError:
            raise PostgresUnavailableError(
                "running as root and there is no 'postgres' user"
            ) from None
        root.chmod(0o755)
        for path in (root, root / "sock"):
            os.chown(path, pw.pw_uid, pw.pw_gid)
    cluster = Cluster(root=root, bin_dir=bin_dir, port=port, as_user=as_user)
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        detail = log.read_text() if log.exists() else exc.stderr.decode(errors="replace")
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailableError(f"PostgreSQL did not start: {detail[-2000:]}") from exc
    return cluster
