"""Cluster benchmark: indexing rate per shard, and query latency through a three-shard Xapian
cluster (``xapian-tcpsrv`` on loopback) against one Xapian database, on the collection of
bench/speed.py, at each size given.

The paragraphs are analysed once by searchkit (the analysis rate is its own row) and the same
records are written to: one local database, the same database served by one ``xapian-tcpsrv``
(the network cost without fan-out), and three shards on three nodes. Latency is a full search
through :func:`searchkit.backends.engine.run` (top 10 with passages and highlights, exact count).

    .venv/bin/pip install -q -e '.[dev,bench]'
    .venv/bin/python bench/cluster.py --sizes 100000,1000000 --queries 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import dir_size, query_classes, write_collection  # noqa: E402

from searchkit.backends.base import Record  # noqa: E402
from searchkit.backends.cluster import init_cluster, shard_path, start_nodes, stop_nodes  # noqa: E402
from searchkit.backends.engine import run  # noqa: E402
from searchkit.backends.records import document_records  # noqa: E402
from searchkit.backends.xapian_engine import Shard, XapianBackend, shard_of  # noqa: E402
from searchkit.formats import load_collection, read_any  # noqa: E402
from searchkit.query import Filters  # noqa: E402

SHARDS = 3


def rss_mib(pids: list[int]) -> float:
    """Resident memory of the nodes and of the processes they forked for open connections."""
    total = 0
    for pid in list(pids):
        try:
            pids.extend(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        except OSError:
            pass
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def bench_size(n: int, work: Path, nqueries: int) -> None:
    src = work / "src"
    files = write_collection(src, n, None)
    collection = load_collection(src, None, None)
    one_dir, clu_dir = work / "one", work / "three"
    init_cluster(one_dir, 1, ["local"])
    init_cluster(clu_dir, SHARDS)
    start_nodes(clu_dir)
    pids = [int((clu_dir / "shards" / f"shard-{k}.pid").read_text()) for k in range(1, SHARDS + 1)]
    one = XapianBackend([Shard(1, path=str(shard_path(one_dir, 1)))])
    nodes = json.loads((clu_dir / "cluster.json").read_text())["nodes"]
    shards = [
        XapianBackend([Shard(1, host="127.0.0.1", port=int(node.rpartition(":")[2]))])
        for k, node in enumerate(nodes, start=1)
    ]
    analyse_s, one_s = 0.0, 0.0
    shard_s, shard_n = [0.0] * SHARDS, [0] * SHARDS
    batch: list[Record] = []

    def flush() -> None:
        nonlocal one_s
        t = time.perf_counter()
        one.write(batch)
        one_s += time.perf_counter() - t
        for k in range(SHARDS):
            part = [r for r in batch if shard_of(r.doc, SHARDS) == k]
            t = time.perf_counter()
            shards[k].write(part)
            shard_s[k] += time.perf_counter() - t
            shard_n[k] += len(part)
        batch.clear()

    for path in files:
        t = time.perf_counter()
        doc = read_any(path, collection)
        batch.extend(document_records(doc, path.name, None, collection.name))
        analyse_s += time.perf_counter() - t
        if len(batch) >= 5000:
            flush()
    flush()
    total = sum(shard_n)
    load = os.getloadavg()[0]
    print(
        f"\n## N = {total:,} paragraphs ({len(files)} files),"
        f" load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"  analysis (searchkit, one process)       {total / analyse_s:8.0f} para/s")
    print(f"  write, one local database               {total / one_s:8.0f} para/s")
    for k in range(SHARDS):
        print(
            f"  write, shard {k + 1} via tcpsrv ({shard_n[k]:,} para)  {shard_n[k] / shard_s[k]:8.0f} para/s"
        )
    print(f"  disk, one database                      {dir_size(shard_path(one_dir, 1)) / 2**20:8.1f} MiB")
    for k in range(SHARDS):
        print(f"  disk, shard {k + 1}{'':27}{dir_size(shard_path(clu_dir, k + 1)) / 2**20:8.1f} MiB")
    # The one database, served by a tcpsrv of its own: the network cost without fan-out.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(
        [
            "xapian-tcpsrv",
            "--quiet",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            str(shard_path(one_dir, 1)),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    remote_one = XapianBackend([Shard(1, host="127.0.0.1", port=port)])
    cluster = XapianBackend(
        [Shard(k, host=s.shards[0].host, port=s.shards[0].port) for k, s in enumerate(shards, 1)]
    )
    targets = {
        "one database": one,
        "one database via tcpsrv": remote_one,
        f"{SHARDS} shards via tcpsrv": cluster,
    }
    classes = query_classes(files, nqueries)
    print(f"  query latency, ms (top 10, passages, exact count; {nqueries} queries per class):")
    print(f"  {'class':<22}" + "".join(f"{name:>28}" for name in targets))
    for qc in classes:
        cells = []
        for backend in targets.values():
            times = []
            for text, f in qc.queries:
                filters = Filters.build(**f) if f else Filters()
                t = time.perf_counter()
                run(backend, text, filters=filters, limit=10)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            cells.append(f"{statistics.median(times):9.1f} / p95 {times[int(0.95 * (len(times) - 1))]:7.1f}")
        print(f"  {qc.name:<22}" + "".join(f"{c:>28}" for c in cells))
    print(f"  node memory (RSS of the {SHARDS} tcpsrv and their connections): {rss_mib(pids):.1f} MiB")
    os.killpg(proc.pid, 15)
    proc.wait()
    stop_nodes(clu_dir)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix=f"cluster-{n}-", dir=args.workdir))
        try:
            bench_size(n, work, args.queries)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
