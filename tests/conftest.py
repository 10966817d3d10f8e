"""Shared fixtures: the bundled collection and small fixtures, copied into temporary folders.

Tests never write into the repository's index/ or sources/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchkit import build_index

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "sources"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a copy of the bundled 1917 collection (read-only for tests)."""
    base = tmp_path_factory.mktemp("bundled")
    shutil.copytree(BUNDLED, base / "sources")
    stats = build_index([base / "sources"], base / "index")
    assert not stats.errors
    return base / "index"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the small test fixtures in tests/data/sources."""
    dest = tmp_path / "sources"
    shutil.copytree(DATA / "sources", dest)
    return dest


EXCERPTS = REPO / "examples" / "excerpts"


@pytest.fixture(scope="session")
def excerpts_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a copy of examples/excerpts (EDTF dates, 'about' periods, offices; read-only)."""
    base = tmp_path_factory.mktemp("excerpts")
    shutil.copytree(EXCERPTS, base / "excerpts")
    stats = build_index([base / "excerpts"], base / "index")
    assert not stats.errors
    return base / "index"
