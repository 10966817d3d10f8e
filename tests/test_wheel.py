"""The built wheel works: build it, install it in a fresh virtual environment, and index and
search a mixed folder outside the repository with the installed ``searchkit`` command.

The wheel is really installed (``pip install`` of the ``.whl``, no source tree on the path); its
dependencies are taken from the environment running the tests (a path entry, so that the test
needs no network and takes seconds), and the wheel's declared requirements are checked against
them, so a dependency missing from pyproject.toml fails here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, DATA, REPO
from tools import make_test_pdfs

#: What a wheel must not need: the repository's own folders.
_SKIP = {".venv", "index", ".git", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache"}


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300)
    assert done.returncode in (0, 2), f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(REPO, src, ignore=lambda d, names: [n for n in names if n in _SKIP])
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        base / "dist",
        src,
    )
    wheel = next((base / "dist").glob("searchkit-*.whl"))
    env = base / "env"
    venv.create(env, with_pip=False)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    # the dependencies, from this environment (after the fresh environment's own packages)
    (purelib / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(sys.executable, "-m", "pip", "--python", env / "bin" / "python", "install", "-q", "--no-deps", wheel)
    return env / "bin"


def test_the_wheel_declares_what_it_needs(installed: Path) -> None:
    code = (
        "import importlib.metadata as m, re, searchkit, searchkit.formats.pdf\n"
        "print(searchkit.__file__)\n"
        "for req in m.requires('searchkit') or []:\n"
        "    if 'extra ==' in req: continue\n"
        "    name = re.split(r'[ <>=!;\\[]', req)[0]\n"
        "    print(name, m.version(name))\n"
    )
    out = _run(installed / "python", "-c", code, cwd=installed)
    first = out.splitlines()[0]
    assert first.startswith(str(installed.parent)) and "site-packages" in first  # not the source tree
    names = {line.split()[0].lower() for line in out.splitlines()[1:]}
    assert {"pypdfium2", "pdfminer.six", "whoosh-reloaded", "click"} <= names


def test_installed_command_indexes_and_searches_a_mixed_folder(installed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "research"
    folder.mkdir()
    shutil.copy(BUNDLED / "alpha-coalition-terms.md", folder)
    shutil.copy(DATA / "formats" / "tei" / "diaghilev-letter.xml", folder)
    shutil.copy(DATA / "formats" / "speeches" / "inaugural" / "1789-Washington.txt", folder)
    make_test_pdfs.book(folder / "council.pdf")
    shutil.copy(DATA / "formats" / "pdf" / "encrypted.pdf", folder / "locked.pdf")
    for name in (
        *("docx/footnotes.docx", "odt/note.odt", "epub/childrens-literature.epub", "rtf/hello.rtf"),
        *("html/wikimediafoundation.org.turkey.html", "hocr/alice.html", "alto/PAGE_0020_ALTO.xml"),
        "page/PAGE_0017_PAGE.xml",
    ):
        shutil.copy(DATA / "formats" / name, folder)
    out = _run(installed / "searchkit", "index", folder, "--index", tmp_path / "ix", cwd=tmp_path)
    for fmt in (
        "markdown",
        "tei",
        "text",
        "pdf",
        "docx",
        "odt",
        "epub",
        "rtf",
        "html",
        "hocr",
        "alto",
        "page",
    ):
        assert (
            f"  {fmt:<10}      1 file          1 paragraph" in out or f"  {fmt:<10}      1 file  " in out
        ), out
    assert "Skipped 1 file (1 encrypted); the others are indexed." in out
    query = ("search", "international correspondence", "--index", tmp_path / "ix")
    hits = _run(installed / "searchkit", *query, cwd=tmp_path)
    assert "research/council.pdf p. 214 ¶3" in hits, hits
    query = ("search", "Aufklärung", "--index", tmp_path / "ix")
    hits = _run(installed / "searchkit", *query, cwd=tmp_path)
    assert "research/PAGE_0017_PAGE.xml p. 17 ¶2" in hits, hits
