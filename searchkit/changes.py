"""What an index run has to do with the files of its collections: which are new, changed, unchanged
or gone, reading the new and changed ones, and the record of every file for the manifest.

The embedded index (:mod:`searchkit.indexer`) and a cluster (:mod:`searchkit.backends.indexing`)
both walk the files this way; only what they do with a document they are handed differs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.errors import SourceError
from searchkit.formats import SUFFIXES, Collection, Plan, find_files, plan
from searchkit.formats.collection import sidecar_path
from searchkit.sources import Document

if TYPE_CHECKING:
    from searchkit.people import People

#: A progress callback: ``(files done, files to read, current file)``.
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class Skipped:
    """A file an index run could not index, and why (its message names the file)."""

    path: str
    reason: str  #: a short label: "encrypted", "damaged", "time limit", …
    message: str


@dataclass
class FormatCount:
    """Files and paragraphs of one format in the index."""

    files: int = 0
    paragraphs: int = 0


@dataclass
class IndexStats:
    """What an index run did."""

    documents: int = 0
    paragraphs: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    #: words that are searched but are not single body tokens: hyphen joins, titles and
    #: headings (for the stem table, :mod:`searchkit.stems`)
    extra_words: set[str] = field(default_factory=set, repr=False)
    #: the words of names and types (for their entries in the stem table)
    extra_names: set[str] = field(default_factory=set, repr=False)
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

    def count_formats(self, files: dict[str, dict[str, Any]]) -> None:
        """Set the totals (documents, paragraphs, and both by format) from the manifest's files."""
        self.documents = len(files)
        self.paragraphs = sum(info["paragraphs"] for info in files.values())
        self.formats = {}
        for key, info in files.items():
            fmt = info.get("format") or SUFFIXES.get(Path(key).suffix.lower(), "text")
            count = self.formats.setdefault(fmt, FormatCount())
            count.files += 1
            count.paragraphs += info["paragraphs"]
        self.formats = dict(sorted(self.formats.items()))


def fingerprint(path: Path) -> dict[str, Any]:
    """What tells that a file changed without reading it: its size and time, and its sidecar's."""
    st = path.stat()
    found: dict[str, Any] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    try:
        side = sidecar_path(path).stat()
    except OSError:
        return found
    found["sidecar"] = [side.st_size, side.st_mtime_ns]
    return found


def same_file(known: dict[str, Any] | None, fp: dict[str, Any]) -> bool:
    """True when the manifest's record ``known`` has the fingerprint ``fp``."""
    return (
        known is not None
        and (known["size"], known["mtime_ns"]) == (fp["size"], fp["mtime_ns"])
        and known.get("sidecar") == fp.get("sidecar")
    )


def file_sha256(path: Path) -> str:
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


def absolute_roots(roots: Sequence[Path]) -> list[Path]:
    """``roots`` as absolute paths; :class:`SourceError` for one that does not exist."""
    found = [Path(os.path.abspath(r)) for r in roots]
    for root in found:
        if not root.exists():
            raise SourceError(f"No sources folder '{root}': give the folder that holds your documents")
    return found


def read_people(roots: list[Path]) -> People:
    """The people files of ``roots``; :class:`SourceError` when one cannot be read."""
    from searchkit.people import load_people

    try:
        return load_people(roots)
    except OSError as e:
        raise SourceError(f"Cannot read the people file: {e}") from None


def source_label(root: Path, path: Path) -> str:
    """How a file is cited: relative to its collection folder's parent ("sources/lenin.md")."""
    base = root.parent if root.is_dir() else root.parent.parent
    return path.relative_to(base).as_posix()


@dataclass(frozen=True)
class Changed:
    """A new or changed file, read: what the index run adds (after deleting ``known``'s document)."""

    path: Path
    source: str  #: how its paragraphs are cited (:func:`source_label`)
    collection: Collection
    document: Document
    known: dict[str, Any] | None  #: the manifest's record of its previous version, if any


@dataclass
class FileRun:
    """The files of one index run: what the last run recorded (``previous``) against what is on
    disk now. :meth:`read` yields each new or changed document; ``files`` and ``failed`` then hold
    the manifest's new records."""

    roots: list[Path]
    collections: dict[str, Collection]
    previous: dict[str, dict[str, Any]]
    stats: IndexStats
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: dict[str, dict[str, Any]] = field(default_factory=dict)
    current: set[str] = field(default_factory=set)  #: every source file now on disk
    removed: list[str] = field(default_factory=list)  #: files the last run indexed, now gone
    _to_read: list[tuple[Path, Path, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        listing = [(root, p) for root in self.roots for p in find_files(root)]
        self.current = {str(p) for _, p in listing}
        self.removed = [k for k in self.previous if k not in self.current]
        for root, path in listing:
            key = str(path)
            try:
                fp = fingerprint(path)
            except OSError as e:
                self.stats.errors.append(f"Cannot read '{path}': {e.strerror or e}")
                continue
            known = self.previous.get(key)
            if same_file(known, fp):
                assert known is not None
                self.files[key] = known
                self.stats.unchanged += 1
            else:
                self._to_read.append((root, path, fp))

    @property
    def bytes_to_read(self) -> int:
        """The size of the files that will be read (their hash may still show them unchanged)."""
        return sum(fp["size"] for _, _, fp in self._to_read)

    def read(self, progress: Progress | None, procs: int) -> Iterator[Changed]:
        """Read the new and changed files with ``procs`` reader processes, in order, yielding each
        document to add. A file that cannot be read, or whose document id another file already
        has, is recorded as failed (its previous version, if any, stays indexed)."""
        from searchkit.formats.isolation import read_in_order  # it imports multiprocessing

        planned: dict[int, tuple[Path, Path, dict[str, Any], str]] = {}  # id(plan) -> its file
        owner = {info["doc"]: k for k, info in self.files.items()}

        def plans() -> Iterator[Plan]:
            for i, (root, path, fp) in enumerate(self._to_read, start=1):
                if progress:
                    progress(i, len(self._to_read), path)
                known = self.previous.get(str(path))
                try:
                    sha = file_sha256(path)
                    if known and known.get("sha256") == sha:  # touched, not changed
                        self.files[str(path)] = {**{k: v for k, v in known.items() if k != "sidecar"}, **fp}
                        self.stats.unchanged += 1
                        continue
                    p = plan(path, self.collections[str(root)])
                except (SourceError, OSError) as e:
                    self.fail(path, fp, known, e)
                    continue
                planned[id(p)] = (root, path, fp, sha)
                yield p

        for p, outcome in read_in_order(plans(), procs):
            root, path, fp, sha = planned.pop(id(p))
            key = str(path)
            known = self.previous.get(key)
            self.stats.warnings.extend(outcome.warnings)
            if outcome.error is not None or outcome.document is None:
                self.fail(path, fp, known, outcome.error)
                continue
            doc = outcome.document
            if owner.get(doc.id, key) != key:
                other = owner[doc.id]
                msg = f"{path}: document id '{doc.id}' is already used by '{other}'; give it another 'id:'"
                self.stats.errors.append(msg)
                self.stats.skipped.append(Skipped(key, "duplicate id", msg))
                self.failed[key] = {**fp, "error": msg}
                continue
            if known:
                self.stats.changed += 1
            else:
                self.stats.added += 1
            source = source_label(root, path)
            yield Changed(path, source, self.collections[str(root)], doc, known)
            owner[doc.id] = key
            self.files[key] = {
                "source": source,
                "doc": doc.id,
                "paragraphs": len(doc.paragraphs),
                "sha256": sha,
                "format": p.format,
                **fp,
            }

    def fail(
        self, path: Path, fp: dict[str, Any], known: dict[str, Any] | None, error: BaseException | None
    ) -> None:
        """Record a file that could not be read (its previous version, if any, stays indexed)."""
        key = str(path)
        if isinstance(error, SourceError):
            msg, reason = str(error), error.reason
        else:
            msg, reason = f"Cannot read '{path}': {error}", "unreadable"
        if known:
            msg += " (its previous version stays indexed)"
            self.files[key] = known
        self.stats.errors.append(msg)
        self.stats.skipped.append(Skipped(key, reason, msg))
        self.failed[key] = {**fp, "error": msg}

    def keep_old_failures(self, previous_failed: dict[str, dict[str, Any]]) -> None:
        """Files that failed before and still fail keep their record, so the next search is not
        told the collection is stale because of them."""
        for key, info in previous_failed.items():
            if key in self.current and key not in self.failed and key not in self.files:
                self.failed[key] = info
