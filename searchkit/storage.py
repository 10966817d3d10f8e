"""The index folder on disk: the manifest, Whoosh's files, opening them for reading, clean-up.

An index folder holds Whoosh's files and ``searchkit.json``, the manifest: the schema version, the
name of the live Whoosh index inside the folder, the source folders it was built from, how each was
read, and for every source file its size, modification time, hash and paragraph count.

Crash safety rests on two commit points. An update writes into the live index, and Whoosh makes its
new segments visible only when the commit writes a new table of contents; a run killed before that
leaves the previous index as it was. A rebuild writes a *new* index under a fresh name beside the
old one and switches to it by atomically replacing the manifest; only then are the old files
deleted. The manifest records the commit (table-of-contents generation) it describes: a run killed
between Whoosh's commit and the manifest leaves them different, and the next run rebuilds rather
than trust a list of files that no longer matches the index.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import shutil
import struct
import time
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.analysis import use_stem_table
from searchkit.errors import ClusterError, IndexDamagedError, IndexNotFoundError, IndexSchemaError
from searchkit.folding import folding, off_in
from searchkit.schema import SCHEMA_VERSION
from searchkit.sentence_store import SPANS_FILE
from searchkit.stems import STEMS_FILE, open_stems

MANIFEST = "searchkit.json"
#: Present in an index folder whose paragraphs live in a search cluster (:mod:`searchkit.backends`).
CLUSTER_FILE = "cluster.json"


def is_cluster(index_dir: Path) -> bool:
    """Whether ``index_dir`` describes a cluster (else it is an embedded Whoosh index)."""
    return (Path(index_dir) / CLUSTER_FILE).is_file()


@dataclass
class Manifest:
    """The contents of ``searchkit.json``."""

    indexname: str
    roots: list[str]
    files: dict[str, dict[str, Any]]  # absolute path -> {source, doc, size, mtime_ns, sha256, paragraphs}
    failed: dict[str, dict[str, Any]]  # absolute path -> {size, mtime_ns, error}
    built: float
    schema_version: int = SCHEMA_VERSION
    #: root -> how it was read: {"name", "config", "options": {"config", "format"}, …}
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: str = ""  # hash of the collection's people.yaml files: a change re-indexes everything
    #: The Whoosh commit (table-of-contents generation) this manifest describes; a run killed
    #: between its commit and writing the manifest leaves them different.
    generation: int | None = None
    #: What the run saw before it listed the sources, for the quick check before a search
    #: (:mod:`searchkit.freshness`): {"folders": {path: mtime_ns}, "people": {path: [size, mtime_ns]}}.
    stamps: dict[str, Any] = field(default_factory=dict)
    #: the offices of the people file, as :meth:`searchkit.offices.Tenure.to_json` rows
    offices: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True, ensure_ascii=False)


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of the index in ``index_dir``.

    :raises IndexNotFoundError: when there is no complete index there.
    :raises IndexSchemaError: when it was built by an incompatible version.
    """
    path = index_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotFoundError(f"No index at '{index_dir}'") from None
    except (OSError, ValueError) as e:
        raise IndexSchemaError(f"Index manifest '{path}' is unreadable ({e})") from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise IndexSchemaError(
            f"Index at '{index_dir}' has schema version {found!r}, this searchkit needs {SCHEMA_VERSION}"
        )
    try:
        return Manifest(**data)
    except TypeError as e:
        raise IndexSchemaError(f"Index manifest '{path}' is malformed ({e})") from None


def folding_of(manifest: Manifest) -> frozenset[str]:
    """The languages whose variant folding the index's collections switch off."""
    return off_in(c.get("config") or {} for c in manifest.collections.values())


def stems_tag(manifest: Manifest) -> str:
    """The name under which the live index's stem table is written (:mod:`searchkit.stems`): a
    table left by another index, another schema or another folding setting is never trusted. (With
    every folding on, the tag of the tables written before they held final terms: those are still
    true, and the next index run adds the terms.)"""
    tag, off = f"{manifest.schema_version}:{manifest.indexname}", folding_of(manifest)
    return f"{tag}:off={','.join(sorted(off))}" if off else tag


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    tmp = index_dir / f".{MANIFEST}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(manifest.to_json())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / MANIFEST)  # the commit point of a rebuild


def live_generation(index_dir: Path, indexname: str) -> int | None:
    """The latest committed generation of the Whoosh index ``indexname`` (from its TOC files)."""
    found = [
        int(p.name[len(indexname) + 2 : -4])
        for p in index_dir.glob(f"_{indexname}_*.toc")
        if p.name[len(indexname) + 2 : -4].isdigit()
    ]
    return max(found) if found else None


def next_indexname(old: Manifest | None) -> str:
    if old is None:
        return f"p{int(time.time())}"
    n = int(old.indexname[1:]) if old.indexname[1:].isdigit() else 0
    return f"p{max(n + 1, int(time.time()))}"


#: How the files searchkit writes beside Whoosh's begin while they are written (then renamed).
_TEMPORARY = (f".{MANIFEST}.", ".sentences.json.", f".{STEMS_FILE}.", f".{SPANS_FILE}.")


def clean_leftovers(index_dir: Path, live: Manifest | None) -> None:
    """Delete what killed runs left behind: half-written manifests, sentence models and stem tables, and the
    files of rebuilds that never became live (only called while holding the write lock)."""
    keep = live.indexname if live is not None else None
    names = set()
    for path in index_dir.iterdir():
        if path.name.startswith(_TEMPORARY) and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
            continue
        m = _INDEX_FILE.match(path.name)
        if m and ".toc." in path.name:  # a table of contents a killed writer never renamed
            path.unlink(missing_ok=True)
        elif m and m.group(1) != keep:
            names.add(m.group(1))
        elif m and path.is_dir():  # the live index's scratch folder, left by a killed writer
            shutil.rmtree(path, ignore_errors=True)
    for name in names:
        delete_index_files(index_dir, name)


#: Whoosh's file names: ``_<indexname>_<generation>.toc``, ``<indexname>_<segment id>.seg`` (and
#: the segment's parts before they are joined), a table of contents being written
#: (``_<indexname>_<generation>.toc.<time>``, renamed when complete), ``<indexname>_WRITELOCK`` and
#: a writer's scratch folder ``<indexname>.tmp``; searchkit's index names are ``p<number>``.
#: Nothing else in the folder is ever deleted.
_INDEX_FILE = re.compile(
    r"^_?(p\d+)(?:_\d+\.toc(?:\.\d+(?:\.\d+)?)?|_WRITELOCK|_[0-9a-z]{16}(?:\.\w+)+|\.tmp)$"
)


def delete_index_files(index_dir: Path, indexname: str) -> None:
    for path in index_dir.iterdir():
        m = _INDEX_FILE.match(path.name)
        if m is None or m.group(1) != indexname:
            continue
        if path.is_dir():  # a writer's scratch folder
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:
                pass  # a reader on another OS may hold it open; a later rebuild retries


#: What Whoosh raises when its files are missing, truncated or corrupt.
DAMAGE = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError, IndexError)


#: What unpickling a schema raises when it names analysers this searchkit does not have.
FOREIGN = (ImportError, AttributeError, TypeError, KeyError)


def raised_in_whoosh(e: BaseException) -> bool:
    """True when ``e`` comes from Whoosh reading its files, not from searchkit's own code."""
    tb = e.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_globals.get("__name__", "")
        tb = tb.tb_next
    return bool(last) and str(last).split(".")[0] in ("whoosh", "pickle", "copyreg")


@contextmanager
def open_searcher(index_dir: Path) -> Iterator[Any]:
    """A Whoosh searcher over the live index in ``index_dir``; damage becomes
    :class:`IndexDamagedError`."""
    from whoosh import index as whoosh_index

    if is_cluster(index_dir):
        raise ClusterError(f"'{index_dir}' is a cluster index; this command needs an embedded one")
    # A run that commits (or switches to a rebuilt index) between our reading of the manifest or
    # table of contents and our opening of the segments deletes files we were about to open: try
    # again with what is live now before calling the index damaged.
    for attempt in range(3):
        manifest = read_manifest(index_dir)
        damage = ""
        # Whoosh leaves a segment file open when reading it fails; it is closed when the traceback
        # goes, and its ResourceWarning would only be noise after the clear error below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = whoosh_index.open_dir(str(index_dir), indexname=manifest.indexname, readonly=True)
                searcher = ix.searcher()
            except (*DAMAGE, whoosh_index.EmptyIndexError) as e:
                damage = f"{type(e).__name__}: {e}"
            except FOREIGN as e:
                damage = f"built by an incompatible searchkit: {type(e).__name__}: {e}"
            if damage:
                gc.collect()
        if not damage:
            break
        time.sleep(0.05 * (attempt + 1))
    if damage:
        raise IndexDamagedError(f"Index at '{index_dir}' is damaged ({damage})")
    off = folding_of(manifest)
    use_stem_table(open_stems(index_dir, stems_tag(manifest)), off)
    try:
        with searcher, folding(off):
            yield searcher
    except DAMAGE as e:
        # A segment found truncated or corrupt only when a query reads it.
        if not raised_in_whoosh(e):
            raise
        raise IndexDamagedError(f"Index at '{index_dir}' is damaged ({type(e).__name__}: {e})") from None
    finally:
        ix.close()
