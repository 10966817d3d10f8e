"""Build and update the index: one Whoosh document per paragraph.

Only new and changed source files are read again; a file's paragraphs are always deleted before
they are added again. How the index folder is kept safe from crashes is told in
:mod:`searchkit.storage`.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from searchkit.changes import (
    FileRun,
    IndexStats,
    Progress,
    absolute_roots,
    fingerprint,
    read_people,
    same_file,
)
from searchkit.errors import (
    IndexDamagedError,
    IndexNotFoundError,
    IndexSchemaError,
    SourceError,
)
from searchkit.folding import folding, off_in
from searchkit.formats import Collection, find_files, load_collection
from searchkit.freshness import file_stamps, folder_times
from searchkit.locking import index_lock
from searchkit.offices import tenures
from searchkit.people import People, load_people, people_files
from searchkit.schema import make_schema
from searchkit.sources import Document
from searchkit.stems import extra_names, extra_words
from searchkit.storage import (
    DAMAGE,
    FOREIGN,
    Manifest,
    clean_leftovers,
    delete_index_files,
    live_generation,
    next_indexname,
    raised_in_whoosh,
    read_manifest,
    write_manifest,
)

#: Memory for Whoosh's posting pool before it spills sorted runs to disk (pickled, then merged):
#: at 128 MB, the default, a 5,000-paragraph run spent a third of its time on spilling.
WRITER_MB = 256

#: Read at least this many bytes of sources before indexing in parallel: below it, starting
#: worker processes costs more than it saves.
PARALLEL_BYTES = 4 << 20


def _auto_procs(nbytes: int) -> int:
    """How many processes index ``nbytes`` of sources: all cores (at most 4) for a large run."""
    if nbytes < PARALLEL_BYTES:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def scan_changes(index_dir: Path, manifest: Manifest | None = None) -> list[str]:
    """Source files added, changed or removed since the index was built (cheap: stat only).
    Pass the index's ``manifest`` if it has been read already."""
    if manifest is None:
        manifest = read_manifest(index_dir)
    changed: list[str] = []
    seen: set[str] = set()
    for root in manifest.roots:
        try:
            files = find_files(Path(root))
        except SourceError:
            continue  # a missing folder is reported by the caller, not treated as all-deleted
        for path in files:
            key = str(path)
            seen.add(key)
            known = manifest.failed.get(key) or manifest.files.get(key)
            try:
                fp = fingerprint(path)
            except OSError:
                continue
            if not same_file(known, fp):
                changed.append(key)
    for key in manifest.files:
        if key not in seen and any(Path(r).exists() for r in manifest.roots):
            changed.append(key)
    roots = [Path(r) for r in manifest.roots if Path(r).exists()]
    try:
        people_changed = load_people(roots).digest != manifest.people
    except (SourceError, OSError):
        people_changed = True  # the next index run reports what is wrong with it
    if people_changed:
        changed.extend(str(p) for p in people_files(roots) or [Path(manifest.roots[0])])
    return changed


def build_index(
    roots: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    config: Path | None = None,
    wait: float = 0.0,
    on_wait: Callable[[], None] | None = None,
    procs: int | None = None,
) -> IndexStats:
    """Index every source file below ``roots`` into ``index_dir``; only new and changed files are
    read again unless ``rebuild`` is set. Bad files are reported in ``IndexStats.errors``. When
    another run is writing the index, wait up to ``wait`` seconds for it (see :func:`index_lock`).
    ``procs`` processes index in parallel (default: all cores, at most 4, when there is more than
    :data:`PARALLEL_BYTES` to read).

    ``format`` (a name from ``searchkit.formats.FORMAT_NAMES``) and ``config`` (a collection
    settings file) apply to every root and are remembered for later updates; without them a
    root uses its ``searchkit.yaml``, if any, or what it was last indexed with.
    """
    started = time.perf_counter()
    roots = absolute_roots(roots)
    with index_lock(index_dir, wait, on_wait):
        old: Manifest | None
        try:
            old = read_manifest(index_dir)
        except IndexNotFoundError:
            old = None
        except IndexSchemaError:
            if not rebuild:
                raise
            old = None
        clean_leftovers(index_dir, old)
        collections = read_collections(roots, old, format, config)
        with folding(off_in(c.config for c in collections.values())):
            stats = _run(roots, index_dir, old, rebuild, progress, collections, procs)
        _train_sentences(index_dir, stats)
        _write_stems(index_dir, stats.extra_words, stats.extra_names)
    stats.seconds = time.perf_counter() - started
    return stats


def _run(
    roots: list[Path],
    index_dir: Path,
    old: Manifest | None,
    rebuild: bool,
    progress: Progress | None,
    collections: dict[str, Collection],
    procs: int | None = None,
) -> IndexStats:
    from whoosh import index as whoosh_index

    stats = IndexStats()
    described = {root: describe_collection(c) for root, c in collections.items()}
    fresh = (
        rebuild
        or old is None
        or sorted(old.roots) != sorted(map(str, roots))
        or any(old.collections.get(r) != d for r, d in described.items())
    )
    for collection in collections.values():
        if collection.catalogue is not None:
            stats.errors.extend(collection.catalogue.problems)
    # Taken before anything is listed or read: a change made during the run makes them stale.
    stamps = {"folders": folder_times(roots), "people": file_stamps(people_files(roots))}
    people = read_people(roots)
    fresh = fresh or (old is not None and old.people != people.digest)
    live = None if old is None else live_generation(index_dir, old.indexname)
    if not fresh and old is not None and live is not None and old.generation != live:
        # The index holds a commit the manifest does not describe (a run was killed in between):
        # which files it holds is unknown, so build it again rather than guess.
        fresh = True
    previous_files = {} if fresh or old is None else dict(old.files)
    previous_failed = {} if fresh or old is None else dict(old.failed)

    # Work out what to read.
    run = FileRun(roots, collections, previous_files, stats)

    if fresh:
        indexname = next_indexname(old)
        ix = whoosh_index.create_in(str(index_dir), make_schema(), indexname=indexname)
    else:
        assert old is not None
        indexname = old.indexname
        damage = ""
        with warnings.catch_warnings():  # as in open_searcher: Whoosh leaks a file on failure
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh_index.open_dir(str(index_dir), indexname=indexname)
                ix.reader().close()  # opens every segment: a missing or cut one is found now
            except Exception as e:  # noqa: BLE001  (any damage to Whoosh's files)
                damage = f"{type(e).__name__}: {e}"
            if damage:
                gc.collect()
        if damage:
            raise IndexDamagedError(f"Index at '{index_dir}' is damaged ({damage})")

    reader_procs = procs or min(4, os.cpu_count() or 1)
    if procs is None:
        procs = _auto_procs(run.bytes_to_read)
    if procs > 1:
        # Worker processes analyse and write segments in parallel; each has its own posting pool.
        writer = ix.writer(procs=procs, limitmb=WRITER_MB // procs, multisegment=True)
    else:
        writer = ix.writer(limitmb=WRITER_MB)
    try:
        for key in run.removed:
            writer.delete_by_term("source", previous_files[key]["source"])
            stats.removed += 1
        for changed in run.read(progress, reader_procs):
            if changed.known:
                writer.delete_by_term("source", changed.known["source"])
            doc = changed.document
            _add_document(writer, doc, changed.source, people, changed.collection.name)
            extra_words(doc, stats.extra_words)
            extra_names(doc, stats.extra_names)
            stats.indexed.append(doc.id)
        writer.commit()
    except BaseException as e:
        writer.cancel()
        if isinstance(e, DAMAGE + FOREIGN) and raised_in_whoosh(e):
            raise IndexDamagedError(f"Index at '{index_dir}' is damaged ({type(e).__name__}: {e})") from None
        raise
    finally:
        ix.close()

    run.keep_old_failures(previous_failed)
    files, failed = run.files, run.failed
    manifest = Manifest(
        indexname,
        [str(r) for r in roots],
        files,
        failed,
        time.time(),
        collections=described,
        people=people.digest,
        generation=live_generation(index_dir, indexname),
        stamps=stamps,
        offices=[t.to_json() for t in tenures(people)],
    )
    write_manifest(index_dir, manifest)
    if old is not None and old.indexname != indexname:
        delete_index_files(index_dir, old.indexname)
    stats.count_formats(files)
    return stats


def _train_sentences(index_dir: Path, stats: IndexStats) -> None:
    """Teach Punkt the collection's sentence boundaries (see :mod:`searchkit.sentences`), and
    store those of the long paragraphs (:mod:`searchkit.sentence_store`): of all of them when the
    model is new, else of those this run indexed."""
    from searchkit.highlight import PASSAGE_CHARS
    from searchkit.sentence_store import has_spans, store_spans
    from searchkit.sentences import MODEL_FILE, train_from_index
    from searchkit.storage import open_searcher

    trained = train_from_index(index_dir, stats.added + stats.changed + stats.removed, stats.documents)
    model = index_dir / MODEL_FILE
    everything = trained or not has_spans(index_dir, model)
    if not everything and not stats.indexed:
        return
    with open_searcher(index_dir) as searcher:
        if everything:
            fields: Any = searcher.reader().all_stored_fields()
        else:
            fields = (f for doc in stats.indexed for f in searcher.documents(doc=doc))
        texts = (f["body"] for f in fields if len(f.get("body") or "") > PASSAGE_CHARS)
        store_spans(index_dir, model, texts, keep=not everything, procs=_auto_procs(PARALLEL_BYTES))


def _write_stems(index_dir: Path, extra: set[str], names: set[str]) -> None:
    """Write the stems and terms of the collection's words, so that searches need no NLTK
    (:mod:`searchkit.stems`)."""
    from searchkit.stems import build_table
    from searchkit.storage import open_searcher, stems_tag

    manifest = read_manifest(index_dir)
    with open_searcher(index_dir) as searcher:
        reader = searcher.reader()
        vocabulary = reader.lexicon("exact") if "exact" in reader.indexed_field_names() else []
        words = (w.decode("utf-8") if isinstance(w, bytes) else w for w in vocabulary)
        build_table(index_dir, stems_tag(manifest), itertools.chain(words, sorted(extra)), sorted(names))


def read_collections(
    roots: list[Path], old: Manifest | None, fmt: str | None, config: Path | None
) -> dict[str, Collection]:
    """How to read each root: explicit options, else those it was last indexed with."""
    found: dict[str, Collection] = {}
    for root in roots:
        options = {"config": str(Path(os.path.abspath(config))) if config else None, "format": fmt}
        if fmt is None and config is None and old is not None:
            options = dict(old.collections.get(str(root), {}).get("options") or options)
        cfg = options.get("config")
        collection = load_collection(root, Path(cfg) if cfg else None, options.get("format"))
        collection.options = options
        found[str(root)] = collection
    return found


def describe_collection(collection: Collection) -> dict[str, Any]:
    return {**collection.fingerprint(), "options": collection.options}


def _add_document(
    writer: Any, doc: Document, source: str, people: People | None = None, collection: str = ""
) -> None:
    for fields in paragraph_fields(doc, source, people, collection):
        writer.add_document(**fields)


def paragraph_fields(
    doc: Document, source: str, people: People | None = None, collection: str = ""
) -> list[dict[str, Any]]:
    """The index fields of each paragraph of ``doc``, by schema field name (``_stored_X``: the
    value stored for field X where it differs from the value indexed); every backend indexes these."""
    people = people or People()
    extra = json.dumps(doc.extra, ensure_ascii=False, sort_keys=True) if doc.extra else ""
    rows = []
    for para in doc.paragraphs:
        fields: dict[str, Any] = {
            "id": f"{doc.id}:{para.number}",
            "doc": doc.id,
            "source": source,
            "para": para.number,
            "page": para.page,
            "line": para.line,
            "title": doc.title,
            # every name of the person is searchable; the canonical one is shown
            "author": people.indexed_names(doc.author),
            "_stored_author": people.canonical(doc.author),
            "speaker": people.indexed_names(para.speaker),
            "_stored_speaker": people.canonical(para.speaker),
            "type": para.type,
            "body": para.text,
            "exact": para.text,
            "extra": extra,
            "section": para.section,
            "collection": collection.lower(),
        }
        if para.date is not None:
            fields["date"] = para.date.text
            fields["date_start"] = para.date.start.toordinal()
            fields["date_end"] = para.date.end.toordinal()
            fields["calendar"] = para.date.calendar
        about = para.about or doc.about
        if about is not None:
            fields["about"] = about.text
            fields["about_calendar"] = about.calendar
            fields["about_start"] = about.start.toordinal()
            fields["about_end"] = about.end.toordinal()
        rows.append(fields)
    return rows


# The steps of an index run that a cluster's index runs share (searchkit.backends.indexing).
