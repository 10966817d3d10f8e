"""Search engines behind one small interface (:mod:`searchkit.backends.base`).

- ``whoosh_engine``: the embedded Whoosh index, the default; nothing here changes how it works.
- ``xapian_engine`` (+ ``xapian_query``): one Xapian database or shards on ``xapian-tcpsrv``
  nodes; GPL-2+, an optional extra, imported only when an index folder describes a cluster.
- ``opensearch``: an OpenSearch index over HTTP (untested here: no server could be installed).
- ``plan``: the parsed query as plain data; ``records``: paragraphs analysed by searchkit;
  ``cluster``: ``cluster.json`` and local nodes; ``engine``: a search through any backend, ending
  in searchkit's own hits; ``indexing``: building and updating a cluster from source folders.

An index folder with a ``cluster.json`` is a cluster; :func:`open_backend` gives its backend, and
:func:`search` and :func:`build_index` dispatch on it, so ``searchkit index`` and ``searchkit
search`` work on either kind of folder unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.errors import ClusterError
from searchkit.query import Filters
from searchkit.ranking import DEFAULT, Ranking
from searchkit.storage import is_cluster

if TYPE_CHECKING:
    from searchkit.backends.base import Backend
    from searchkit.backends.engine import BackendResult
    from searchkit.changes import IndexStats


def open_backend(index_dir: Path, *, allow_partial: bool = False, any_format: bool = False) -> Backend:
    """The backend of the index in ``index_dir``: Whoosh, unless a ``cluster.json`` says otherwise.

    :param any_format: open a cluster written in an older format too (to rebuild or inspect it;
        else :class:`ClusterError` says to index it again).
    """
    index_dir = Path(index_dir)
    if not is_cluster(index_dir):
        from searchkit.backends.whoosh_engine import WhooshBackend

        return WhooshBackend(index_dir)
    from searchkit.backends.cluster import check_format, read_config

    config = read_config(index_dir)
    if not any_format:
        check_format(index_dir, config)
    if config.engine == "opensearch":
        from searchkit.backends.opensearch import OpenSearchBackend

        return OpenSearchBackend(
            config.url, config.index, timeout=config.timeout, allow_partial=allow_partial
        )
    try:
        from searchkit.backends.xapian_engine import Shard, XapianBackend
    except ImportError:
        raise ClusterError(
            f"'{index_dir}' is a Xapian cluster, but Xapian's Python bindings are not installed;"
            " install them with: pip install 'searchkit[cluster]'"
        ) from None
    from searchkit.backends.cluster import LOCAL, shard_path

    shards = []
    for n in range(1, config.shards + 1):
        if config.nodes[n - 1] == LOCAL:
            shards.append(Shard(n, path=str(shard_path(index_dir, n))))
        else:
            host, port = config.node(n)
            shards.append(Shard(n, host=host, port=port))
    return XapianBackend(shards, timeout=config.timeout, allow_partial=allow_partial)


def search(
    index_dir: Path,
    text: str,
    *,
    filters: Filters | None = None,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = False,
    any_words: bool = False,
    ranking: Ranking = DEFAULT,
    allow_partial: bool = False,
    count: bool = False,
) -> Any:
    """:func:`searchkit.search` on an embedded index, or the same search through a cluster (a
    :class:`~searchkit.backends.engine.BackendResult`, which also lists shards that did not
    answer when ``allow_partial`` lets the search go on without them)."""
    from searchkit.query import search as embedded_search

    options: dict[str, Any] = {
        "filters": filters,
        "limit": limit,
        "offset": offset,
        "sort": sort,
        "facets": facets,
        "any_words": any_words,
        "ranking": ranking,
    }
    if not is_cluster(index_dir):
        return embedded_search(index_dir, text, count=count, **options)
    from searchkit.backends.engine import run

    backend = open_backend(index_dir, allow_partial=allow_partial)
    try:
        result: BackendResult = run(backend, text, index_dir=index_dir, **options)
    finally:
        backend.close()
    return result


def build_index(roots: Sequence[Path], index_dir: Path, **options: Any) -> IndexStats:
    """:func:`searchkit.build_index` on an embedded index, or the same run into a cluster."""
    if not is_cluster(index_dir):
        from searchkit.indexer import build_index as embedded_build

        return embedded_build(roots, index_dir, **options)
    from searchkit.backends.indexing import index_cluster

    return index_cluster(roots, index_dir, **options)


__all__ = ["ClusterError", "build_index", "is_cluster", "open_backend", "search"]
