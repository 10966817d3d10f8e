"""The README is true: its set-up lines are what CI runs, and its transcripts are real output."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from tests.conftest import BUNDLED, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def transcripts() -> list[list[tuple[str, str]]]:
    """For each console block, (command, expected stdout) of its ``$ searchkit …`` lines; the
    commands of one block run one after the other in one folder (a record written by one is
    replayed by the next)."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        commands = []
        for chunk in re.split(r"^(?=\$ )", block, flags=re.MULTILINE):
            if chunk.startswith("$ searchkit "):
                command, _, output = chunk.partition("\n")
                commands.append((command[2:], output))
        if commands:
            found.append(commands)
    return found


def _normalise(text: str) -> str:
    return re.sub(r"in \d+\.\d s", "in N s", text)


def test_ci_runs_the_readme_test_line() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README


def test_every_command_is_documented_and_has_help() -> None:
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        assert f"searchkit {name}" in README, f"{name} is not in the README"


@pytest.mark.parametrize("block", transcripts(), ids=lambda b: b[0][0][:40])
def test_readme_transcripts_are_real_output(
    block: list[tuple[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUNDLED, tmp_path / "sources")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for command, expected in block:
        args = shlex.split(command)[1:]
        # "2>&1" at the end: the transcript shows stderr too, as a terminal would.
        both = args[-1] == "2>&1"
        args = args[:-1] if both else args
        if args[0] != "index":
            CliRunner().invoke(cli, ["index", "-q"], catch_exceptions=False)
        result = CliRunner().invoke(cli, args, catch_exceptions=False, env={"NO_COLOR": "1"})
        assert _normalise(result.output if both else result.stdout) == _normalise(expected), command
