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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from searchkit.backends.base import Backend, Record
from searchkit.backends.records import document_records
from searchkit.errors import IndexNotFoundError, IndexSchemaError, SourceError
from searchkit.formats import SUFFIXES, Plan, find_files, plan
from searchkit.indexer import (
    FormatCount,
    IndexStats,
    Progress,
    Skipped,
    describe_collection,
    file_fingerprint,
    file_sha256,
    read_collections,
    record_failure,
    same_file,
    source_label,
)
from searchkit.locking import index_lock
from searchkit.people import load_people
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

    started = time.perf_counter()
    roots = [Path(os.path.abspath(r)) for r in roots]
    for root in roots:
        if not root.exists():
            raise SourceError(f"No sources folder '{root}': give the folder that holds your documents")
    with index_lock(index_dir, wait, on_wait):
        try:
            old: Manifest | None = read_manifest(index_dir)
        except (IndexNotFoundError, IndexSchemaError):
            old = None
        backend = open_backend(index_dir)
        try:
            stats = _run(roots, index_dir, old, rebuild, progress, format, config, backend)
        finally:
            backend.close()
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
    from searchkit.formats.isolation import read_in_order  # it imports multiprocessing

    stats = IndexStats()
    collections = read_collections(roots, old, fmt, config)
    described = {root: describe_collection(c) for root, c in collections.items()}
    for collection in collections.values():
        if collection.catalogue is not None:
            stats.errors.extend(collection.catalogue.problems)
    try:
        people = load_people(roots)
    except OSError as e:
        raise SourceError(f"Cannot read the people file: {e}") from None
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
    listing = [(root, p) for root in roots for p in find_files(root)]
    current = {str(p) for _, p in listing}
    files: dict[str, dict[str, Any]] = {}
    failed: dict[str, dict[str, Any]] = {}
    deletes = [info["doc"] for key, info in previous.items() if key not in current]
    stats.removed = len(deletes)
    to_read: list[tuple[Path, Path, dict[str, Any]]] = []
    for root, path in listing:
        key = str(path)
        try:
            fp = file_fingerprint(path)
        except OSError as e:
            stats.errors.append(f"Cannot read '{path}': {e.strerror or e}")
            continue
        known = previous.get(key)
        if same_file(known, fp):
            assert known is not None
            files[key] = known
            stats.unchanged += 1
            continue
        to_read.append((root, path, fp))

    planned: dict[int, tuple[Path, Path, dict[str, Any], str]] = {}  # id(plan) -> its file

    def plans() -> Iterator[Plan]:
        for i, (root, path, fp) in enumerate(to_read, start=1):
            if progress:
                progress(i, len(to_read), path)
            known = previous.get(str(path))
            try:
                sha = file_sha256(path)
                if known and known.get("sha256") == sha:
                    files[str(path)] = {**{k: v for k, v in known.items() if k != "sidecar"}, **fp}
                    stats.unchanged += 1
                    continue
                p = plan(path, collections[str(root)])
            except (SourceError, OSError) as e:
                record_failure(stats, failed, files, path, fp, known, e)
                continue
            planned[id(p)] = (root, path, fp, sha)
            yield p

    batch: list[Record] = []
    texts: list[str] = []
    doc_owner = {info["doc"]: k for k, info in files.items()}
    for p, outcome in read_in_order(plans(), min(4, os.cpu_count() or 1)):
        root, path, fp, sha = planned.pop(id(p))
        key = str(path)
        known = previous.get(key)
        stats.warnings.extend(outcome.warnings)
        if outcome.error is not None or outcome.document is None:
            record_failure(stats, failed, files, path, fp, known, outcome.error)
            continue
        doc = outcome.document
        owner = doc_owner.get(doc.id)
        if owner is not None and owner != key:
            msg = f"{path}: document id '{doc.id}' is already used by '{owner}'; give it another 'id:'"
            stats.errors.append(msg)
            stats.skipped.append(Skipped(key, "duplicate id", msg))
            failed[key] = {**fp, "error": msg}
            continue
        if known:
            deletes.append(known["doc"])
            stats.changed += 1
        else:
            stats.added += 1
        source = source_label(root, path)
        records = list(document_records(doc, source, people, collections[str(root)].name))
        batch.extend(records)
        if fresh and sum(map(len, texts)) < TRAIN_CHARS:
            texts.extend(para.text for para in doc.paragraphs)
        doc_owner[doc.id] = key
        files[key] = {
            "source": source,
            "doc": doc.id,
            "paragraphs": len(records),
            "sha256": sha,
            "format": p.format,
            **fp,
        }
        if len(batch) >= BATCH:
            backend.write(batch, deletes)
            batch, deletes = [], []
    if batch or deletes:
        backend.write(batch, deletes)
    for key, info in previous_failed.items():
        if key in current and key not in failed and key not in files:
            failed[key] = info
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
    stats.documents = len(files)
    stats.paragraphs = sum(info["paragraphs"] for info in files.values())
    for key, info in sorted(files.items()):
        kind = info.get("format") or SUFFIXES.get(Path(key).suffix.lower(), "text")
        count = stats.formats.setdefault(kind, FormatCount())
        count.files += 1
        count.paragraphs += info["paragraphs"]
    return stats
