"""Whoosh is imported without the modules it never uses here (searchkit/whoosh_start.py), and the
stand-ins behave like what they stand for when something does use them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SEARCH = """
import sys
from searchkit.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as e:
    code = e.code
for name in ("urllib.request", "asyncio", "whoosh.lang.morph_en", "secrets", "subprocess"):
    module = sys.modules.get(name)
    print(name, "absent" if module is None else type(module).__name__)
sys.exit(code)
"""


def test_a_search_loads_none_of_them(bundled_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SEARCH, "search", "coalition", "--index", str(bundled_index), "--no-refresh"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()[-5:]
    assert lines == [
        "urllib.request absent",
        "asyncio absent",
        "whoosh.lang.morph_en _LaterMorph",  # the stand-in, never loaded
        "secrets absent",
        "subprocess absent",
    ]


def test_whooshs_variations_query_still_works() -> None:
    code = """
import sys, searchkit, whoosh.query
from whoosh.lang import morph_en
before = type(sys.modules["whoosh.lang.morph_en"]).__name__
from whoosh.query.terms import variations
found = sorted(variations("rendering"))
print(before, type(sys.modules["whoosh.lang.morph_en"]).__name__, "render" in found, "renderings" in found)
print(morph_en.variations is not None)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["_LaterMorph", "module", "True", "True", "True"]


@pytest.mark.parametrize("name", ["asyncio", "urllib.request"])
def test_the_real_modules_are_there_for_whoever_imports_them(name: str) -> None:
    code = f"import searchkit.cli, whoosh.query, {name}, sys; print(type(sys.modules['{name}']).__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "module"


def test_cached_properties_still_tell_coroutine_functions() -> None:
    from searchkit.whoosh_start import is_coroutine_function

    async def later() -> None:
        return None

    def now() -> None:
        return None

    assert is_coroutine_function(later)
    assert not is_coroutine_function(now)
    assert not is_coroutine_function(len)
