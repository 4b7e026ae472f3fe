"""What goes wrong in a backup or a restore (pure)."""

from __future__ import annotations

from domain.shared.errors import DocketError


class BackupError(DocketError):
    """A backup or a restore that cannot be carried out; nothing was changed."""


class BackupTargetNotEmptyError(BackupError):
    """A restore into a data dir or a database that already holds something: never overwritten."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what} is not empty; a backup is restored only into an empty one")


class BackupArchiveError(BackupError):
    """An archive that is not a Docket backup, or whose contents do not match its manifest."""

    def __init__(self, archive: str, reason: str) -> None:
        self.archive, self.reason = archive, reason
        super().__init__(f"{archive}: {reason}; nothing was restored")


class BackupToolError(BackupError):
    """pg_dump or pg_restore is missing or failed."""

    def __init__(self, tool: str, reason: str) -> None:
        self.tool, self.reason = tool, reason
        super().__init__(f"{tool}: {reason}")
