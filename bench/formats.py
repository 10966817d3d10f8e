"""Reading speed of every reader of bytes present, and Markdown indexing before and after.

    .venv/bin/python bench/formats.py [--pages 300] [--files 2000] [--base COMMIT]

- PDF: pages/s on the real files in tests/data/formats/pdf and on generated ones, read in this
  process (the reader alone) and as an index run reads them (two child processes, start-up
  included).
- HTML, ALTO and any other reader of bytes present: MB/s on the real files under
  tests/data/formats/ and on generated ones.
- Markdown: a generated collection of many small files indexed with this tree (or ``--after``
  commits) and with the tree at ``--base`` (a git worktree of the commit before formats were read
  from bytes), in the same run, alternately, best of five each, CPU time of the indexing process (the
  machine is shared: wall time is printed too).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "formats"
#: The commit before formats were read from bytes (issue 11).
BASE = "075ca65"
#: Runs of each Markdown index build (alternating trees; the best counts).
RUNS = 5


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return 0
    n = len(pdf)
    pdf.close()
    return n


def samples(fmt: str, tmp: Path, pages: int) -> dict[str, list[Path]]:
    """Real and generated files of ``fmt``: {"real": [...], "generated": [...]}."""
    from searchkit.formats import SUFFIXES
    from searchkit.formats.sniff import HEAD_BYTES, sniff

    real = []
    for path in sorted(DATA.rglob("*")):
        if path.is_file() and SUFFIXES.get(path.suffix.lower()) in (fmt, "tei", "html"):
            with open(path, "rb") as f:
                if (sniff(path, f.read(HEAD_BYTES)) or SUFFIXES[path.suffix.lower()]) == fmt:
                    real.append(path)
    generated: list[Path] = []
    if fmt == "pdf":
        from tools.make_test_pdfs import book, long_book, two_columns

        long_book(tmp / "long.pdf", pages)
        book(tmp / "book.pdf")
        two_columns(tmp / "cols.pdf")
        generated = [tmp / "long.pdf", tmp / "book.pdf", tmp / "cols.pdf"]
        real = [p for p in real if pdf_pages(p) and _readable(p)]
    elif fmt == "html":
        generated = [_html(tmp / "big.html")]
    elif fmt == "alto":
        generated = [_alto(tmp / "big-alto.xml")]
    return {"real": real, "generated": generated}


def _readable(path: Path) -> bool:
    from searchkit.errors import SourceError
    from searchkit.formats import load_collection, read_any

    try:
        read_any(path, load_collection(path.parent))
    except SourceError:
        return False
    return True


_WORDS = "the council kept its minute books in the old customs house until the fire".split()


def _html(path: Path, paragraphs: int = 3000) -> Path:
    body = "\n".join(
        f"<p>{' '.join(_WORDS[(i + k) % len(_WORDS)] for k in range(60))}.</p>" for i in range(paragraphs)
    )
    nav = "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    path.write_text(
        f"<!DOCTYPE html><html><head><title>A long article</title></head><body>{nav}"
        f"<article><h1>A long article</h1>{body}</article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    return path


def _alto(path: Path, blocks: int = 400) -> Path:
    parts = []
    for b in range(blocks):
        lines = []
        for ln in range(8):
            words = "".join(
                f'<String CONTENT="{_WORDS[(b + ln + w) % len(_WORDS)]}" HPOS="{w * 50}" VPOS="{ln * 20}"'
                ' WIDTH="45" HEIGHT="18"/><SP/>'
                for w in range(10)
            )
            lines.append(f'<TextLine HPOS="0" VPOS="{ln * 20}" WIDTH="500" HEIGHT="18">{words}</TextLine>')
        parts.append(f'<TextBlock ID="b{b}">{"".join(lines)}</TextBlock>')
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p1" PHYSICAL_IMG_NR="1">'
        f"<PrintSpace>{''.join(parts)}</PrintSpace></Page></Layout></alto>",
        encoding="utf-8",
    )
    return path


def read_speed(fmt: str, files: list[Path]) -> tuple[float, float, int]:
    """(seconds in this process, bytes, paragraphs) for reading ``files`` with the reader alone."""
    from searchkit.formats import load_collection, plan, read_planned

    plans = [plan(p, load_collection(p.parent)) for p in files]
    paragraphs = 0

    def run() -> None:
        nonlocal paragraphs
        paragraphs = 0
        for p in plans:
            p.settings.warnings.clear()
            paragraphs += len(read_planned(p).paragraphs)

    seconds = best(run)
    return seconds, sum(p.stat().st_size for p in files), paragraphs


def child_speed(files: list[Path]) -> float:
    """Seconds to read ``files`` as an index run does: in two child processes, under the limits
    (their start-up included)."""
    from searchkit.formats import load_collection, plan
    from searchkit.formats.isolation import read_in_order

    def run() -> None:
        plans = [plan(p, load_collection(p.parent)) for p in files]
        for _, outcome in read_in_order(plans, workers=2):
            assert outcome.document is not None, outcome.error

    return best(run)


def markdown_collection(folder: Path, files: int) -> Path:
    texts = sorted((REPO / "sources").glob("*.md"))
    for n in range(files):
        text = texts[n % len(texts)].read_text(encoding="utf-8")
        sub = folder / f"{n // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{n:05d}-{texts[n % len(texts)].name}").write_text(text, encoding="utf-8")
    return folder


_TIME_INDEX = (
    "import sys, time; from pathlib import Path; sys.path.insert(0, '.');"
    " from searchkit import build_index; src, ix = Path(sys.argv[1]), Path(sys.argv[2]);"
    " t, c = time.perf_counter(), time.process_time(); s = build_index([src], ix, rebuild=True, procs=1);"
    " print(time.perf_counter() - t, time.process_time() - c, s.documents, s.paragraphs)"
)


def markdown_before_after(tmp: Path, files: int, base: str, after: str) -> None:
    """Index the same Markdown collection with the code at ``base`` and at ``after`` ("." for
    this tree), alternately, best of :data:`RUNS` each."""
    src = markdown_collection(tmp / "md", files)
    trees: dict[str, Path] = {}
    for label, commit in (("before", base), ("after", after)):
        if commit == ".":
            trees[label] = REPO
            continue
        trees[label] = tmp / f"tree-{label}"
        git = ["git", "-C", str(REPO), "worktree"]
        subprocess.run([*git, "add", "-q", "--detach", str(trees[label]), commit], check=True)
    try:
        wall: dict[str, list[float]] = {"before": [], "after": []}
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        counts = {}
        for _ in range(RUNS):
            for label, tree in trees.items():
                out = subprocess.run(
                    [sys.executable, "-c", _TIME_INDEX, str(src), str(tmp / f"ix-{label}")],
                    cwd=tree,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
                wall[label].append(float(out[0]))
                cpu[label].append(float(out[1]))
                counts[label] = (int(out[2]), int(out[3]))
        assert counts["before"] == counts["after"], counts
        docs, paras = counts["after"]
        b, a = min(cpu["before"]), min(cpu["after"])
        print(
            f"markdown  {docs} files, {paras} paragraphs, CPU s (best of {RUNS}, one process):"
            f" before ({base}) {b:.2f}, after ({after}) {a:.2f} ({(a - b) / b:+.1%});"
            f" wall s: {min(wall['before']):.2f} / {min(wall['after']):.2f}",
            flush=True,
        )
    finally:
        for tree in trees.values():
            if tree != REPO:
                remove = ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)]
                subprocess.run(remove, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages of the generated PDF")
    parser.add_argument("--files", type=int, default=2000, help="files of the Markdown collection")
    parser.add_argument("--base", default=BASE, help="the commit to compare Markdown indexing with")
    parser.add_argument(
        "--after", action="append", help="the code to compare it with: a commit, or . for this tree (default)"
    )
    parser.add_argument("--no-readers", action="store_true", help="only the Markdown comparison")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from searchkit.formats import FORMATS, available

    tmp = Path(tempfile.mkdtemp(prefix="searchkit-formats-"))
    try:
        for fmt, info in FORMATS.items():
            if args.no_readers or not info.binary or not available(fmt):
                continue
            for kind, files in samples(fmt, tmp, args.pages).items():
                if not files:
                    continue
                seconds, nbytes, paragraphs = read_speed(fmt, files)
                mb = nbytes / 1e6
                line = f"{fmt:<9} {kind:<9} {len(files):>3} files {mb:7.2f} MB {paragraphs:>6} paragraphs:"
                if fmt == "pdf":
                    pages = sum(pdf_pages(p) for p in files)
                    children = child_speed(files)
                    line += (
                        f" {pages / seconds:6.0f} pages/s read, {pages / children:6.0f} pages/s in 2 child"
                        f" processes ({pages} pages)"
                    )
                else:
                    line += f" {mb / seconds:6.2f} MB/s read"
                print(line, flush=True)
        for after in args.after or ["."]:
            markdown_before_after(tmp, args.files, args.base, after)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
