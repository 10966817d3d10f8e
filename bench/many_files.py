"""Index a collection of many tiny files (default 100,000) and report time and peak memory.

    .venv/bin/python bench/many_files.py --files 100000

Builds it in a temporary folder, indexes it, updates it with nothing changed, then searches it.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from searchkit import build_index, search

    tmp = Path(tempfile.mkdtemp(prefix="searchkit-many-"))
    try:
        src = tmp / "src"
        for n in range(args.files):
            folder = src / f"{n // 1000:03d}"
            if n % 1000 == 0:
                folder.mkdir(parents=True)
            (folder / f"f{n}.md").write_text(f"Tiny note {n} about bread and peace.\n", encoding="utf-8")
        started = time.perf_counter()
        stats = build_index([src], tmp / "ix")
        built = time.perf_counter() - started
        started = time.perf_counter()
        again = build_index([src], tmp / "ix")
        updated = time.perf_counter() - started
        started = time.perf_counter()
        result = search(tmp / "ix", "bread", limit=10)
        searched = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{args.files} files: build {built:.1f} s ({stats.documents} documents,"
            f" {len(stats.errors)} errors),"
            f" no-change update {updated:.1f} s ({again.unchanged} unchanged), search {searched:.2f} s"
            f" ({result.total} hits), peak RSS {rss:.0f} MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
