"""The README stays true: its quick-start test command is the one CI runs, and it names
every command the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kpotui.cli import main

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one_verbatim() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "kpotui demo" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert f"`kpotui {name}" in readme, f"README does not mention `kpotui {name}`"


def test_every_command_has_help_text() -> None:
    def walk(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
        found = []
        for name, command in group.commands.items():
            found.append((f"{prefix} {name}", command))
            if isinstance(command, click.Group):
                found += walk(command, f"{prefix} {name}")
        return found

    for name, command in walk(main, "kpotui"):
        assert command.help, f"{name} has no help text"
