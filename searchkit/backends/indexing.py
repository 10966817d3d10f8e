"""Build and update a cluster from folders of sources: what :func:`searchkit.build_index` does
for the embedded index, with the paragraphs sent to the cluster's backend.

The manifest (``searchkit.json``) records, as for the embedded index, every source file's size,
time, hash and document id; only new and changed files are read again, a changed file's document
is deleted from its shard before its paragraphs are added again, and a removed file's document is
deleted. The manifest is written after the backend has committed: a run killed in between is
repaired by the next, which reads the files the manifest does not know again (adding a paragraph
replaces the one with its citation id).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from searchkit.backends.base import Backend, Record
from searchkit.backends.records import document_records
from searchkit.changes import FileRun, IndexStats, Progress, absolute_roots, read_people
from searchkit.errors import IndexNotFoundError, IndexSchemaError
from searchkit.indexer import describe_collection, read_collections
from searchkit.locking import index_lock
from searchkit.sentences import TRAIN_CHARS
from searchkit.storage import Manifest, read_manifest, write_manifest

#: Paragraphs sent to the backend in one call.
BATCH = 2_000


def index_cluster(
    roots: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    config: Path | None = None,
    wait: float = 0.0,
    on_wait: Callable[[], None] | None = None,
    procs: int | None = None,  # noqa: ARG001  (one writer per shard: the nodes do the work)
) -> IndexStats:
    """Index every source file below ``roots`` into the cluster described in ``index_dir``."""
    from searchkit.backends import open_backend
    from searchkit.backends.cluster import FORMAT, read_config, write_config

    started = time.perf_counter()
    roots = absolute_roots(roots)
    with index_lock(index_dir, wait, on_wait):
        try:
            old: Manifest | None = read_manifest(index_dir)
        except (IndexNotFoundError, IndexSchemaError):
            old = None
        cluster = read_config(index_dir)
        # Paragraphs written in another format are never mixed with new ones: start over.
        rebuild = rebuild or (cluster.engine == "xapian" and cluster.format != FORMAT)
        backend = open_backend(index_dir, any_format=True)
        try:
            stats = _run(roots, index_dir, old, rebuild, progress, format, config, backend)
        finally:
            backend.close()
        if cluster.engine == "xapian" and cluster.format != FORMAT:
            cluster.format = FORMAT
            write_config(index_dir, cluster)
    stats.seconds = time.perf_counter() - started
    return stats


def _run(
    roots: list[Path],
    index_dir: Path,
    old: Manifest | None,
    rebuild: bool,
    progress: Progress | None,
    fmt: str | None,
    config: Path | None,
    backend: Backend,
) -> IndexStats:
    stats = IndexStats()
    collections = read_collections(roots, old, fmt, config)
    described = {root: describe_collection(c) for root, c in collections.items()}
    for collection in collections.values():
        if collection.catalogue is not None:
            stats.errors.extend(collection.catalogue.problems)
    people = read_people(roots)
    fresh = (
        rebuild
        or old is None
        or sorted(old.roots) != sorted(map(str, roots))
        or any(old.collections.get(r) != d for r, d in described.items())
        or old.people != people.digest
    )
    previous = {} if fresh or old is None else dict(old.files)
    previous_failed = {} if fresh or old is None else dict(old.failed)
    if fresh:
        backend.clear()
    run = FileRun(roots, collections, previous, stats)
    deletes = [previous[key]["doc"] for key in run.removed]
    stats.removed = len(deletes)
    batch: list[Record] = []
    texts: list[str] = []
    for changed in run.read(progress, min(4, os.cpu_count() or 1)):
        if changed.known:
            deletes.append(changed.known["doc"])
        doc = changed.document
        batch.extend(document_records(doc, changed.source, people, changed.collection.name))
        if fresh and sum(map(len, texts)) < TRAIN_CHARS:
            texts.extend(para.text for para in doc.paragraphs)
        if len(batch) >= BATCH:
            backend.write(batch, deletes)
            batch, deletes = [], []
    if batch or deletes:
        backend.write(batch, deletes)
    run.keep_old_failures(previous_failed)
    files, failed = run.files, run.failed
    manifest = Manifest(
        "cluster",
        [str(r) for r in roots],
        files,
        failed,
        time.time(),
        collections=described,
        people=people.digest,
    )
    write_manifest(index_dir, manifest)
    if texts:
        from searchkit.sentences import save_model, train

        save_model(index_dir, train(texts))
    stats.count_formats(files)
    return stats
