"""What every ``docket`` command shares: failing in one line, its parts, the operator, progress."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final, NoReturn

import click

from api.settings import ConfigError, Settings
from domain.shared.model import Actor, ActorKind, Role

if TYPE_CHECKING:  # the composition loads every part of Docket: only a command that runs needs it
    from api.composition import Composition

EXIT_FAILED: Final = 1
EXIT_BAD_INPUT: Final = 2
_PARTS: Final = "docket.composition"


def fail(message: str) -> NoReturn:
    """Print ``docket: message`` on stderr and exit 2 (bad input; nothing was changed)."""
    click.echo(f"docket: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def load_settings() -> Settings:
    """The settings from ``DOCKET_*``; every problem in one line and exit 2 when invalid."""
    try:
        return Settings.from_env()
    except ConfigError as exc:
        fail(str(exc))


def composition() -> Composition:
    """The parts this command uses, from ``DOCKET_*``: built once per command, at its first use.

    Kept on click's context, so a command and the helpers it calls share one composition.
    """
    from api.composition import Composition  # noqa: PLC0415 - see TYPE_CHECKING above

    meta = click.get_current_context().meta
    parts = meta.get(_PARTS)
    if not isinstance(parts, Composition):
        parts = meta[_PARTS] = Composition(load_settings())
    return parts


def cli_actor() -> Actor:
    """The operator at the terminal: an administrator, named by their OS account."""
    return Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name=f"cli:{getpass.getuser()}")


@contextmanager
def progress(label: str, *, unit_bytes: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when it is a terminal; yields ``update(done, total)``."""
    from rich.progress import (  # noqa: PLC0415 - only the long commands draw a bar
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    count = DownloadColumn() if unit_bytes else TextColumn("{task.completed}/{task.total}")
    columns = [TextColumn(label), BarColumn(), count, TimeRemainingColumn()]
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
