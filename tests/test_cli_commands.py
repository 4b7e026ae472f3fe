"""The command group that imports a command's module only when the command is asked for."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from api.cli import main
from api.cli_commands import LAZY_COMMANDS, load


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_each_lazy_command_is_listed_with_its_own_help_line(name: str) -> None:
    command = load(name)
    listed = click.Command(name, help=LAZY_COMMANDS[name].summary)
    assert command.name == name
    assert listed.get_short_help_str(500) == command.get_short_help_str(500)


def test_the_help_lists_every_command_and_imports_none_of_the_heavy_parts() -> None:
    probe = (
        "import sys\n"
        "from api.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('weasyprint', 'pyhanko', 'api.composition', 'litestar', 'piccolo')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert "LOADED []" in done.stdout, done.stdout + done.stderr
    for name in LAZY_COMMANDS:
        assert f"\n  {name} " in done.stdout


@pytest.mark.parametrize("name", ["audit", "users", "tokens", "package"])
def test_a_lazy_group_answers_its_own_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"], prog_name="docket")
    assert result.exit_code == 0, result.output
    assert f"Usage: docket {name}" in result.output


def test_an_unknown_command_is_refused_in_one_line() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output
