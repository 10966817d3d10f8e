"""Shared fixtures: the bundled collection and small fixtures, copied into temporary folders.

Tests never write into the repository's index/ or sources/.
"""

from __future__ import annotations

import gzip
import json
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


@pytest.fixture(scope="session")
def cranfield(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the Cranfield 1400 abstracts (tests/data/cranfield1400; read-only for tests)."""
    base = tmp_path_factory.mktemp("cranfield1400")
    folder = base / "sources"
    folder.mkdir()
    with gzip.open(DATA / "cranfield1400" / "docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            header = f"id: {json.dumps(d['doc_id'])}\ntitle: {json.dumps(d['title'])}\n"
            if d["author"]:
                header += f"author: {json.dumps(d['author'])}\n"
            (folder / f"{int(d['doc_id']):04d}.txt").write_text(
                f"---\n{header}---\n{d['text']}\n", encoding="utf-8"
            )
    build_index([folder], base / "index", procs=1)
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
