"""Guards for commands that take an id or a path from the user (``show`` and the like).

A source is only ever opened through the index's manifest: the name a user gives is looked up
among the files the index was built from, never joined onto a folder, and the file found must still
lie inside its collection folder (not be a link leading elsewhere). So ``../../etc/passwd``, an
absolute path or a source replaced by a link after indexing reveal nothing.
"""

from __future__ import annotations

from pathlib import Path

from searchkit.errors import SourceError
from searchkit.storage import read_manifest


def source_file(index_dir: Path, source: str) -> Path:
    """The file behind ``source`` (a hit's ``source``, e.g. ``"sources/lenin.md"``, or the path of
    an indexed file), checked to lie inside the collection the index was built from.

    :raises SourceError: when the index knows no such source, or the file now leads outside its
        collection folder.
    """
    manifest = read_manifest(index_dir)
    found = None
    for key, info in manifest.files.items():
        if source in (info.get("source"), key):
            found = Path(key)
            break
    if found is None:
        raise SourceError(
            f"No source '{source}' in the index at '{index_dir}'; give a source a search showed"
        )
    roots = [Path(r) for r in manifest.roots]
    if not any(_inside(found, root) for root in roots):
        raise SourceError(
            f"Not reading '{found}': it now leads outside the collection; re-run 'searchkit index'"
        )
    return found


def _inside(path: Path, root: Path) -> bool:
    base = root if root.is_dir() else root.parent
    try:
        path.resolve(strict=True).relative_to(base.resolve(strict=True))
    except (ValueError, OSError, RuntimeError):
        return False
    return True
