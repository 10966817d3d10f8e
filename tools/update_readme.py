"""Re-run every ``$ searchkit …`` transcript in README.md on a fresh copy of sources/ and write the
real output back. tests/test_docs.py checks that the README matches; run this after a change in
output, then read the diff.

    .venv/bin/python tools/update_readme.py
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from searchkit.cli import cli

REPO = Path(__file__).resolve().parent.parent


def run(command: str, workdir: Path) -> str:

    os.chdir(workdir)
    args = shlex.split(command)[1:]
    both = args[-1] == "2>&1"  # show stderr too, as a terminal would
    args = args[:-1] if both else args
    if args[0] != "index":
        CliRunner().invoke(cli, ["index", "-q"], catch_exceptions=False)
    result = CliRunner().invoke(cli, args, catch_exceptions=False, env={"NO_COLOR": "1"})
    return result.output if both else result.stdout


def main() -> int:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")

    def block(m: re.Match[str]) -> str:
        # The commands of one block run one after another in one folder, as tests/test_docs.py
        # runs them (a record written by one is replayed by the next).
        out = []
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(REPO / "sources", Path(tmp) / "sources")
            shutil.copytree(REPO / "examples", Path(tmp) / "examples")
            for chunk in re.split(r"^(?=\$ )", m.group(1), flags=re.MULTILINE):
                command, _, output = chunk.partition("\n")
                if chunk.startswith("$ searchkit "):
                    output = run(command[2:], Path(tmp))
                out.append(f"{command}\n{output}" if chunk else "")
        os.chdir(REPO)
        return "```console\n" + "".join(out) + "```"

    new = re.sub(r"```console\n(.*?)```", block, text, flags=re.DOTALL)
    readme.write_text(new, encoding="utf-8")
    print("README.md updated" if new != text else "README.md already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
