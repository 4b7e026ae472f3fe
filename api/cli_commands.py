"""``docket``'s command group, which imports a command's module only when that command runs.

The commands of response packages load WeasyPrint and pyHanko, the audit commands the whole
composition: importing them all made ``docket --help`` take about two seconds. The group knows
each lazy command's module and one-line help (a test checks that the line is the command's own),
so listing the commands imports none of them.
"""

from __future__ import annotations

import importlib
from typing import Final, NamedTuple

import click


class Lazy(NamedTuple):
    """Where a command lives (``module:attribute``) and its one-line help."""

    target: str
    summary: str


LAZY_COMMANDS: Final = {
    "audit": Lazy("api.cli_audit:audit_group", "The append-only, signed audit log."),
    "backup": Lazy(
        "api.cli_backup:backup",
        "Write one archive: a consistent copy of the database and the data dir, with digests.",
    ),
    "deadline": Lazy(
        "api.cli_deadline:deadline",
        "Compute a rule's deadline, with the cited steps that lead to it.",
    ),
    "jurisdictions": Lazy(
        "api.cli_deadline:jurisdictions",
        "List jurisdictions with their codes, names and deadline rule ids (or only CODE's).",
    ),
    "package": Lazy("api.cli_packages:package_group", "Response packages."),
    "reminders": Lazy("api.cli_reminders:reminders_group", "Reminders, digests and alerts."),
    "requests": Lazy("api.cli_requests:requests_group", "Regulatory requests."),
    "restore": Lazy(
        "api.cli_backup:restore",
        "Restore ARCHIVE into an empty data dir and an empty database, after checking every "
        "digest.",
    ),
    "tokens": Lazy("api.cli_people:tokens_group", "API tokens for other systems."),
    "users": Lazy("api.cli_people:users_group", "People who log in."),
    "worker": Lazy(
        "api.cli_reminders:worker",
        "Run the scheduler (reminder sweep and audit checkpoints) until SIGTERM.",
    ),
}


def load(name: str) -> click.Command:
    """The lazy command ``name``, its module imported now."""
    module, _, attribute = LAZY_COMMANDS[name].target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
        msg = f"{LAZY_COMMANDS[name].target} is not a click command"
        raise TypeError(msg)
    return command


class LazyGroup(click.Group):
    """A group whose commands in ``LAZY_COMMANDS`` are imported when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, the lazy ones too, by name."""
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``; a lazy one is imported here, and kept."""
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            self.add_command(load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as click writes it, without importing the lazy ones."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in LAZY_COMMANDS and name not in self.commands:
                stand_in = click.Command(name, help=LAZY_COMMANDS[name].summary)
                rows.append((name, stand_in.get_short_help_str(limit)))
            elif not self.commands[name].hidden:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
