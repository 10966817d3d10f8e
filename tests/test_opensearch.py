"""The OpenSearch backend against a real server: these run only when ``SEARCHKIT_OPENSEARCH_URL``
names one (none could be installed where searchkit is developed, so they have not run there).

The same paragraphs go to OpenSearch and to one Xapian database; both must find the same
paragraphs, with the same totals and facets.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from searchkit.backends import build_index
from searchkit.backends.cluster import init_cluster
from searchkit.backends.engine import run
from searchkit.backends.opensearch import OpenSearchBackend
from searchkit.query import Filters

URL = os.environ.get("SEARCHKIT_OPENSEARCH_URL", "")
REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not URL, reason="set SEARCHKIT_OPENSEARCH_URL to an OpenSearch server")

QUERIES = [
    ("coalition", {}),
    ("kerensky OR verkhovski", {}),
    ("coalition NOT peasants", {}),
    ('"Soviet power"', {}),
    ('"land peace"~5', {}),
    ("revolution*", {}),
    ("coalition", {"filters": Filters(speaker="trotsky")}),
    ("kerensky", {"filters": Filters(type="diary")}),
    ("coalition", {"facets": True}),
    ("soviet", {"sort": "date"}),
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[OpenSearchBackend, object]:
    import json

    from searchkit.backends import open_backend

    base = tmp_path_factory.mktemp("opensearch")
    shutil.copytree(REPO / "sources", base / "sources")
    index = base / "os"
    index.mkdir()
    name = f"searchkit-test-{os.getpid()}"
    config = {"engine": "opensearch", "shards": 3, "url": URL, "index": name}
    (index / "cluster.json").write_text(json.dumps(config), encoding="utf-8")
    init_cluster(base / "one", 1, ["local"])
    for folder in (index, base / "one"):
        assert not build_index([base / "sources"], folder).errors
    return open_backend(index), open_backend(base / "one")  # type: ignore[return-value]


@pytest.mark.parametrize(("query", "options"), QUERIES)
def test_opensearch_finds_what_xapian_finds(
    pair: tuple[OpenSearchBackend, object], query: str, options: dict[str, object]
) -> None:
    opensearch, xapian = pair
    a = run(opensearch, query, limit=100, **options)  # type: ignore[arg-type]
    b = run(xapian, query, limit=100, **options)  # type: ignore[arg-type]
    assert {h.id for h in a.hits} == {h.id for h in b.hits}
    assert a.total == b.total and a.facets == b.facets
