"""Web benchmark: the results page of ``searchkit serve`` on a large collection, under load, and
while the index is updated.

    .venv/bin/pip install -q -e '.[bench]' && .venv/bin/python bench/web.py [--paragraphs 100000]

The collection comes from bench/speed.py's generator (real text, varied metadata, deterministic).
Three parts, each bounded in time:

1. Server-side time of a results page (10 hits with highlighted passages and facets over the whole
   result set), warm, per query class: measured around the app in process, beside the library's
   own ``Index.search(..., facets=True)`` for the same queries in the same run (the baseline: what
   the web adds is templates and the did-you-mean look-up).
2. ``searchkit serve`` as a process, 20 client threads for 30 s over loopback with keep-alive
   connections, each cycling through the queries: requests, errors, p50/p95/max as the clients see it.
3. The same load while ``searchkit index`` updates the collection (1% of the files, one with a word
   that was nowhere before): errors during the run, and whether the next request finds the new word.
"""

from __future__ import annotations

import argparse
import http.client
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.speed import pct, query_classes, write_collection  # noqa: E402

NEW_WORD = "zanzibarite"


def build(n: int, workdir: Path) -> tuple[Path, Path, list[Path]]:
    src, ix = workdir / "sources", workdir / "index"
    if not (ix / "searchkit.json").exists():
        if src.exists():
            shutil.rmtree(src)
        files = write_collection(src, n, None)
        start = time.perf_counter()
        subprocess.run([searchkit(), "index", str(src), "--index", str(ix), "-q"], check=True)
        print(f"built {n:,} paragraphs in {len(files):,} files in {time.perf_counter() - start:.0f} s")
    files = sorted(src.glob("*.md"))
    return src, ix, files


def searchkit() -> str:
    return str(Path(sys.executable).parent / "searchkit")


def page_url(text: str, filters: dict[str, str]) -> str:
    names = {"speaker": "speaker", "date_from": "from", "date_to": "to"}
    return "/search?" + urlencode([("q", text), *((names[k], v) for k, v in filters.items())])


def server_side(ix: Path, classes: list[Any]) -> None:
    """Part 1: time inside the app for each results page, and the library call alone."""
    from starlette.testclient import TestClient

    from searchkit import Filters, Index
    from searchkit.web import create_app

    app = create_app(ix)
    spent: list[float] = []

    async def timed(scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await app(scope, receive, send)
        spent.append((time.perf_counter() - start) * 1000)

    index = Index(ix)
    print("\n1. results page, server side, warm (10 hits, highlights, facets); library alone beside it")
    head = f"{'page p50':>9} {'page p95':>9} {'library p50':>12} {'library p95':>12}"
    print(f"  {'query class':<22} {head}  ms")
    everything: list[float] = []
    with TestClient(timed, base_url="http://127.0.0.1:8017") as client:
        for qc in classes:
            for text, f in qc.queries[:3]:  # warm-up
                client.get(page_url(text, f))
            spent.clear()
            library: list[float] = []
            for text, f in qc.queries:
                response = client.get(page_url(text, f))
                assert response.status_code == 200, (text, response.status_code, response.text[:300])
                start = time.perf_counter()
                index.search(text, filters=Filters.build(**f), limit=10, facets=True)
                library.append((time.perf_counter() - start) * 1000)
            everything += spent
            print(
                f"  {qc.name:<22} {statistics.median(spent):>9.1f} {pct(spent, 0.95):>9.1f}"
                f" {statistics.median(library):>12.1f} {pct(library, 0.95):>12.1f}"
            )
    print(f"  {'all classes':<22} {statistics.median(everything):>9.1f} {pct(everything, 0.95):>9.1f}")
    index.close()


class Load:
    """``clients`` threads, each with a keep-alive connection, requesting ``urls`` in turn."""

    def __init__(self, base: str, urls: list[str], clients: int) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.urls, self.clients = urls, clients
        self.times: list[float] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def _client(self, k: int) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        i = k * 7
        while not self._stop.is_set():
            url = self.urls[i % len(self.urls)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as e:
                with self._lock:
                    self.errors.append(f"{url}: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                continue
            elapsed = (time.perf_counter() - start) * 1000
            with self._lock:
                self.times.append(elapsed)
                if status != 200:
                    self.errors.append(f"{url}: status {status}")
        conn.close()

    def run(self, seconds: float, during: Callable[[], None] | None = None) -> float:
        threads = [threading.Thread(target=self._client, args=(k,), daemon=True) for k in range(self.clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        if during is not None:
            during()
        while time.perf_counter() - start < seconds:
            time.sleep(0.1)
        self._stop.set()
        for t in threads:
            t.join(timeout=120)
        return time.perf_counter() - start

    def report(self, label: str, elapsed: float) -> None:
        t = self.times
        print(
            f"  {label}: {len(t):,} requests in {elapsed:.0f} s ({len(t) / elapsed:.1f}/s),"
            f" {len(self.errors)} errors; p50 {statistics.median(t):.0f} ms,"
            f" p95 {pct(t, 0.95):.0f} ms, max {max(t):.0f} ms"
        )
        for e in self.errors[:5]:
            print(f"    {e}")


def serve(ix: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [searchkit(), "serve", "--index", str(ix), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("Serving "):
        raise SystemExit(f"searchkit serve did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, line.split(" at ", 1)[1].split()[0].rstrip("/")


def total_for(base: str, text: str) -> str:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    conn.request("GET", "/search?" + urlencode({"q": text}))
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    import lxml.html

    return " ".join(lxml.html.document_fromstring(body).get_element_by_id("summary").text_content().split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100, help="queries per class for part 1")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workdir", type=Path, help="keep the collection here (reused when already built)")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="searchkit-web-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"searchkit web benchmark: {args.paragraphs:,} paragraphs; work folder {workdir}")
    try:
        src, ix, files = build(args.paragraphs, workdir)
        classes = [qc for qc in query_classes(files, args.queries) if qc.name != "phrase"]
        phrase = [qc for qc in query_classes(files, max(10, args.queries // 5)) if qc.name == "phrase"]
        server_side(ix, classes + phrase)

        urls = [page_url(t, f) for qc in classes for t, f in qc.queries]
        random.Random(1917).shuffle(urls)
        proc, base = serve(ix)
        try:
            print(
                f"\n2. {args.clients} clients for {args.seconds:.0f} s on loopback"
                " (searchkit serve; every class but phrases)"
            )
            load = Load(base, urls, args.clients)
            load.report("load", load.run(args.seconds))

            print(
                f"\n3. the same load while 'searchkit index' updates 1% of the files (one gets '{NEW_WORD}')"
            )
            before = total_for(base, NEW_WORD)
            changed = random.Random(12).sample(files, max(1, len(files) // 100))
            for k, path in enumerate(changed):
                extra = f"A paragraph about {NEW_WORD}." if k == 0 else "An added paragraph for the update."
                path.write_text(path.read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")
            timing: dict[str, float] = {}

            def update() -> None:
                start = time.perf_counter()
                subprocess.run([searchkit(), "index", str(src), "--index", str(ix), "-q"], check=True)
                timing["update"] = time.perf_counter() - start
                timing["after"] = time.perf_counter()

            during = Load(base, urls, args.clients)
            elapsed = during.run(args.seconds, during=update)
            print(f"  index update took {timing['update']:.1f} s while serving")
            during.report("load during the update", elapsed)
            after = total_for(base, NEW_WORD)
            print(f"  '{NEW_WORD}' before the update: {before}; next request after it: {after}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
