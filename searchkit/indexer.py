"""Build and update the index: one Whoosh document per paragraph.

Only new and changed source files are read again; a file's paragraphs are always deleted before
they are added again. How the index folder is kept safe from crashes is told in
:mod:`searchkit.storage`.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import (
    IndexDamagedError,
    IndexNotFoundError,
    IndexSchemaError,
    SourceError,
)
from searchkit.folding import folding, off_in
from searchkit.formats import SUFFIXES, Collection, Plan, find_files, load_collection, plan
from searchkit.formats.collection import sidecar_path
from searchkit.freshness import file_stamps, folder_times
from searchkit.locking import index_lock
from searchkit.offices import tenures
from searchkit.people import People, load_people, people_files
from searchkit.schema import make_schema
from searchkit.sources import Document
from searchkit.stems import extra_words
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


#: Called as ``progress(files_done, files_total, path)`` while an index run reads files.
Progress = Callable[[int, int, Path], None]


@dataclass
class FormatCount:
    """How many files of one format the index holds, and their paragraphs."""

    files: int = 0
    paragraphs: int = 0


@dataclass(frozen=True)
class Skipped:
    """A file this run could not index: its path, a word or two for why, and the message."""

    path: str
    reason: str
    message: str


@dataclass
class IndexStats:
    """What an index run did, and what the index holds afterwards."""

    documents: int = 0
    paragraphs: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    #: words the run indexed that the exact field does not hold: hyphenated words joined, titles and
    #: headings (for the stem table, :mod:`searchkit.stems`)
    extra_words: set[str] = field(default_factory=set, repr=False)
    #: ids of the documents this run added or changed
    indexed: list[str] = field(default_factory=list, repr=False)
    #: the files this run could not index (each also has its message in ``errors``)
    skipped: list[Skipped] = field(default_factory=list)
    #: what readers found worth telling ("no text layer: needs OCR")
    warnings: list[str] = field(default_factory=list)
    #: files and paragraphs in the index, by format
    formats: dict[str, FormatCount] = field(default_factory=dict)

    def skipped_reasons(self) -> dict[str, int]:
        """How many files were skipped, by reason, most first."""
        counts: dict[str, int] = {}
        for s in self.skipped:
            counts[s.reason] = counts.get(s.reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _fingerprint(path: Path) -> dict[str, Any]:
    """What tells that a file changed without reading it: its size and time, and its sidecar's."""
    st = path.stat()
    found: dict[str, Any] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    try:
        side = sidecar_path(path).stat()
    except OSError:
        return found
    found["sidecar"] = [side.st_size, side.st_mtime_ns]
    return found


def _same(known: dict[str, Any] | None, fp: dict[str, Any]) -> bool:
    return (
        known is not None
        and (known["size"], known["mtime_ns"]) == (fp["size"], fp["mtime_ns"])
        and known.get("sidecar") == fp.get("sidecar")
    )


def _sha256(path: Path) -> str:
    """The digest of a file and of its sidecar, if it has one."""
    digest = hashlib.sha256()
    for part in (path, sidecar_path(path)):
        try:
            f = open(part, "rb")
        except FileNotFoundError:
            if part == path:
                raise
            continue
        with f:  # in pieces: a huge file must not be read into memory whole
            for block in iter(lambda: f.read(1 << 20), b""):  # noqa: B023  (used at once)
                digest.update(block)
        digest.update(b"\0sidecar\0")
    return digest.hexdigest()


def _source_label(root: Path, path: Path) -> str:
    """How a file is cited: relative to its collection folder's parent ("sources/lenin.md")."""
    base = root.parent if root.is_dir() else root.parent.parent
    return path.relative_to(base).as_posix()


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
                fp = _fingerprint(path)
            except OSError:
                continue
            if not _same(known, fp):
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
    roots = [Path(os.path.abspath(r)) for r in roots]
    for root in roots:
        if not root.exists():
            raise SourceError(f"No sources folder '{root}': give the folder that holds your documents")
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
        collections = _collections(roots, old, format, config)
        with folding(off_in(c.config for c in collections.values())):
            stats = _run(roots, index_dir, old, rebuild, progress, collections, procs)
        _train_sentences(index_dir, stats)
        _write_stems(index_dir, stats.extra_words)
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

    from searchkit.formats.isolation import read_in_order  # it imports multiprocessing

    stats = IndexStats()
    described = {root: _describe(c) for root, c in collections.items()}
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
    try:
        people = load_people(roots)
    except OSError as e:
        raise SourceError(f"Cannot read the people file: {e}") from None
    fresh = fresh or (old is not None and old.people != people.digest)
    live = None if old is None else live_generation(index_dir, old.indexname)
    if not fresh and old is not None and live is not None and old.generation != live:
        # The index holds a commit the manifest does not describe (a run was killed in between):
        # which files it holds is unknown, so build it again rather than guess.
        fresh = True
    previous_files = {} if fresh or old is None else dict(old.files)
    previous_failed = {} if fresh or old is None else dict(old.failed)

    # Work out what to read.
    listing: list[tuple[Path, Path]] = []
    for root in roots:
        listing.extend((root, p) for p in find_files(root))
    current = {str(p) for _, p in listing}
    removed = [k for k in previous_files if k not in current]

    to_read: list[tuple[Path, Path, dict[str, Any]]] = []
    files: dict[str, dict[str, Any]] = {}
    for root, path in listing:
        key = str(path)
        try:
            fp = _fingerprint(path)
        except OSError as e:
            stats.errors.append(f"Cannot read '{path}': {e.strerror or e}")
            continue
        known = previous_files.get(key)
        if _same(known, fp):
            assert known is not None
            files[key] = known
            continue
        to_read.append((root, path, fp))

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

    failed: dict[str, dict[str, Any]] = {}
    doc_owner = {info["doc"]: k for k, info in files.items()}
    reader_procs = procs or min(4, os.cpu_count() or 1)
    if procs is None:
        procs = _auto_procs(sum(fp["size"] for _, _, fp in to_read))
    if procs > 1:
        # Worker processes analyse and write segments in parallel; each has its own posting pool.
        writer = ix.writer(procs=procs, limitmb=WRITER_MB // procs, multisegment=True)
    else:
        writer = ix.writer(limitmb=WRITER_MB)
    try:
        for key in removed:
            writer.delete_by_term("source", previous_files[key]["source"])
            stats.removed += 1
        planned: dict[int, tuple[Path, Path, dict[str, Any], str]] = {}  # id(plan) -> its file

        def plans() -> Iterator[Plan]:
            for i, (root, path, fp) in enumerate(to_read, start=1):
                if progress:
                    progress(i, len(to_read), path)
                key = str(path)
                known = previous_files.get(key)
                try:
                    sha = _sha256(path)
                    if known and known.get("sha256") == sha:
                        files[key] = {**{k: v for k, v in known.items() if k != "sidecar"}, **fp}
                        stats.unchanged += 1
                        continue
                    p = plan(path, collections[str(root)])
                except (SourceError, OSError) as e:
                    _failed(stats, failed, files, path, fp, known, e)
                    continue
                planned[id(p)] = (root, path, fp, sha)
                yield p

        for p, outcome in read_in_order(plans(), reader_procs):
            root, path, fp, sha = planned.pop(id(p))
            key = str(path)
            known = previous_files.get(key)
            stats.warnings.extend(outcome.warnings)
            if outcome.error is not None or outcome.document is None:
                _failed(stats, failed, files, path, fp, known, outcome.error)
                continue
            doc = outcome.document
            owner = doc_owner.get(doc.id)
            if owner is not None and owner != key:
                msg = f"{path}: document id '{doc.id}' is already used by '{owner}'; give it another 'id:'"
                stats.errors.append(msg)
                stats.skipped.append(Skipped(key, "duplicate id", msg))
                failed[key] = {**fp, "error": msg}
                continue
            source = _source_label(root, path)
            if known:
                writer.delete_by_term("source", known["source"])
                stats.changed += 1
            else:
                stats.added += 1
            _add_document(writer, doc, source, people, collections[str(root)].name)
            extra_words(doc, stats.extra_words)
            stats.indexed.append(doc.id)
            doc_owner[doc.id] = key
            files[key] = {
                "source": source,
                "doc": doc.id,
                "paragraphs": len(doc.paragraphs),
                "sha256": sha,
                "format": p.format,
                **fp,
            }
        stats.unchanged += len(listing) - len(to_read)
        writer.commit()
    except BaseException as e:
        writer.cancel()
        if isinstance(e, DAMAGE + FOREIGN) and raised_in_whoosh(e):
            raise IndexDamagedError(f"Index at '{index_dir}' is damaged ({type(e).__name__}: {e})") from None
        raise
    finally:
        ix.close()

    # Files that failed before and still fail keep their record, so the next search is not told
    # the collection is stale because of them.
    for key, info in previous_failed.items():
        if key in current and key not in failed and key not in files:
            failed[key] = info
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
    stats.documents = len(files)
    stats.paragraphs = sum(info["paragraphs"] for info in files.values())
    for key, info in files.items():
        fmt = info.get("format") or SUFFIXES.get(Path(key).suffix.lower(), "text")
        count = stats.formats.setdefault(fmt, FormatCount())
        count.files += 1
        count.paragraphs += info["paragraphs"]
    stats.formats = dict(sorted(stats.formats.items()))
    return stats


def _failed(
    stats: IndexStats,
    failed: dict[str, dict[str, Any]],
    files: dict[str, dict[str, Any]],
    path: Path,
    fp: dict[str, Any],
    known: dict[str, Any] | None,
    error: BaseException | None,
) -> None:
    """Record a file that could not be read (its previous version, if any, stays indexed)."""
    key = str(path)
    if isinstance(error, SourceError):
        msg, reason = str(error), error.reason
    else:
        msg, reason = f"Cannot read '{path}': {error}", "unreadable"
    if known:
        msg += " (its previous version stays indexed)"
        files[key] = known
    stats.errors.append(msg)
    stats.skipped.append(Skipped(key, reason, msg))
    failed[key] = {**fp, "error": msg}


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


def _write_stems(index_dir: Path, extra: set[str]) -> None:
    """Write the stems of the collection's words, so that searches need no NLTK (:mod:`searchkit.stems`)."""
    from searchkit.analysis import stem, stem_input
    from searchkit.stems import build_table
    from searchkit.storage import open_searcher, stems_tag

    manifest = read_manifest(index_dir)
    with open_searcher(index_dir) as searcher:
        reader = searcher.reader()
        vocabulary = reader.lexicon("exact") if "exact" in reader.indexed_field_names() else []
        words = (w.decode("utf-8") if isinstance(w, bytes) else w for w in vocabulary)
        build_table(index_dir, stems_tag(manifest), itertools.chain(words, sorted(extra)), stem_input, stem)


def _collections(
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


def _describe(collection: Collection) -> dict[str, Any]:
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
file_fingerprint = _fingerprint
same_file = _same
file_sha256 = _sha256
source_label = _source_label
read_collections = _collections
describe_collection = _describe
record_failure = _failed
