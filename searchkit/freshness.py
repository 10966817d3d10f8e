"""A quick answer to "has anything changed since the index was built?", asked before every search.

The full answer (:func:`searchkit.indexer.scan_changes`) lists every collection folder again and
reads the people files; it needs the document formats and YAML loaded. Most of the time nothing
has changed, and that can be told from the file system alone: an index run records the
modification time of every folder it walks (``Manifest.stamps``), taken *before* listing them.
Adding, removing or renaming a file changes its folder's time; editing a file changes its own size
or time, and every indexed file (and every file that failed, and every metadata sidecar) is
stat-ed as before. Only when
something differs does the caller fall back to the full scan, which decides what to re-index.

Like the full scan, this trusts modification times: a file rewritten with the same size and an
old time (``cp -p``, ``touch -d``) is not noticed; ``searchkit index`` reads it again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def folder_times(roots: Iterable[Path]) -> dict[str, int]:
    """The modification time of every folder a collection listing walks below ``roots`` (hidden
    folders and links to folders are skipped, as the listing skips them)."""
    found: dict[str, int] = {}
    todo = [str(r) for r in roots if r.is_dir()]
    while todo:
        folder = todo.pop()
        try:
            found[folder] = os.stat(folder).st_mtime_ns
            entries = list(os.scandir(folder))
        except OSError:
            found[folder] = -1
            continue
        todo.extend(e.path for e in entries if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
    return found


def file_stamps(paths: Iterable[Path]) -> dict[str, list[int]]:
    """``[size, mtime_ns]`` of each existing file in ``paths``."""
    found: dict[str, list[int]] = {}
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        found[str(path)] = [st.st_size, st.st_mtime_ns]
    return found


def sidecar_of(path: str) -> str:
    """Where a file's metadata sidecar is: as :func:`searchkit.formats.collection.sidecar_path`
    says (``report.pdf`` -> ``report.pdf.yaml``), without importing the formats before a search."""
    return path + ".yaml"


def _same_sidecar(path: str, known: list[int]) -> bool:
    try:
        st = os.stat(sidecar_of(path))
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns] == known


def unchanged(manifest: Any) -> bool:
    """True when nothing below the manifest's source folders has changed since its index run
    (False also when the manifest has no stamps: an index built before they were recorded)."""
    stamps = manifest.stamps
    if not stamps or "folders" not in stamps:
        return False
    for folder, mtime in stamps["folders"].items():
        try:
            if os.stat(folder).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    for records in (manifest.files, manifest.failed):
        for path, info in records.items():
            try:
                st = os.stat(path)
            except OSError:
                return False
            if st.st_size != info["size"] or st.st_mtime_ns != info["mtime_ns"]:
                return False
            if "sidecar" in info and not _same_sidecar(path, info["sidecar"]):
                return False
    for path, (size, mtime) in stamps.get("people", {}).items():
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime:
            return False
    return True
