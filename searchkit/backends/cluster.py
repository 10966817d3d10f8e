"""A cluster described in an index folder, and local Xapian nodes for trials and tests.

``cluster.json`` in an index folder says which engine holds the index and where::

    {"engine": "xapian", "shards": 3, "nodes": ["127.0.0.1:7101", "127.0.0.1:7102", ...],
     "timeout": 10.0, "format": 2}

Shard *k* (1-based) is served by the *k*-th node. A node written ``local`` is no server: the
shard's database in ``shards/`` is opened directly (``--shards 1 --nodes local`` is one Xapian
database, for comparisons and small collections). :func:`start_nodes` runs a ``xapian-tcpsrv`` per
node on this machine (loopback addresses only), each over its database in ``shards/`` in the
folder; a real deployment runs ``xapian-tcpsrv --writable --port P DB`` on each machine as a
service, and lists those machines' addresses here.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from searchkit.errors import ClusterError
from searchkit.storage import CLUSTER_FILE, MANIFEST

ENGINES = ("xapian", "opensearch")
LOOPBACK = ("127.0.0.1", "localhost")
#: A node that is the shard's database folder itself, opened in-process.
LOCAL = "local"
#: How searchkit writes paragraphs into a Xapian cluster. 2: each paragraph carries the padding
#: that makes its length Whoosh's (:mod:`searchkit.backends.xapian_weight`). A cluster written in
#: another format is refused by searches and rebuilt whole by the next index run.
FORMAT = 2
#: The servers this process started, by pid: kept so that they are reaped when stopped.
_STARTED: dict[int, subprocess.Popen[bytes]] = {}


@dataclass
class ClusterConfig:
    """The contents of ``cluster.json``."""

    engine: str = "xapian"
    shards: int = 1
    nodes: list[str] = field(default_factory=list)  #: "host:port" of shard 1, 2, …
    timeout: float = 10.0  #: seconds any one call to a node may take
    url: str = ""  #: OpenSearch only: the server
    index: str = "searchkit"  #: OpenSearch only: the index name
    #: :data:`FORMAT` of the paragraphs in the shards (1: before the format was written down)
    format: int = 1

    def node(self, number: int) -> tuple[str, int]:
        """Host and port of shard ``number`` (1-based)."""
        host, _, port = self.nodes[number - 1].rpartition(":")
        return host, int(port)


def read_config(index_dir: Path) -> ClusterConfig:
    path = Path(index_dir) / CLUSTER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        config = ClusterConfig(**data)
    except FileNotFoundError:
        raise ClusterError(
            f"No cluster at '{index_dir}'; run 'searchkit cluster init {index_dir}' first"
        ) from None
    except (OSError, ValueError, TypeError) as e:
        raise ClusterError(f"Cluster description '{path}' is unreadable ({e})") from None
    if config.engine not in ENGINES:
        raise ClusterError(f"'{path}': unknown engine '{config.engine}'; use one of {', '.join(ENGINES)}")
    if config.engine == "xapian" and len(config.nodes) != config.shards:
        raise ClusterError(f"'{path}': {config.shards} shards but {len(config.nodes)} nodes")
    return config


def init_cluster(index_dir: Path, shards: int, nodes: list[str] | None = None) -> ClusterConfig:
    """Write ``cluster.json`` for a Xapian index of ``shards`` shards; without ``nodes``, one local
    node per shard on a free loopback port."""
    index_dir = Path(index_dir)
    if shards < 1:
        raise ClusterError(f"A cluster needs at least 1 shard, not {shards}")
    if (index_dir / CLUSTER_FILE).exists() or (index_dir / MANIFEST).exists():
        raise ClusterError(f"'{index_dir}' already holds an index; give an empty folder")
    if nodes is None:
        nodes = [f"127.0.0.1:{port}" for port in _free_ports(shards)]
    for node in nodes:
        if node == LOCAL:
            continue
        host, _, port = node.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ClusterError(f"Node '{node}' is not host:port")
    if len(nodes) != shards:
        raise ClusterError(f"{shards} shards need {shards} nodes, one each; {len(nodes)} given")
    config = ClusterConfig(shards=shards, nodes=nodes, format=FORMAT)
    index_dir.mkdir(parents=True, exist_ok=True)
    write_config(index_dir, config)
    return config


def write_config(index_dir: Path, config: ClusterConfig) -> None:
    """Write ``cluster.json`` (whole, then renamed into place)."""
    path = Path(index_dir) / CLUSTER_FILE
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(asdict(config), indent=1) + "\n", encoding="utf-8")
    os.replace(part, path)


def check_format(index_dir: Path, config: ClusterConfig) -> None:
    """Refuse to search a Xapian cluster whose paragraphs were written in another format (its
    scores would be silently wrong)."""
    if config.engine == "xapian" and config.format != FORMAT:
        raise ClusterError(
            f"The cluster '{index_dir}' was indexed by another searchkit (format {config.format},"
            f" this one writes {FORMAT}); index it again: searchkit index SOURCES --index {index_dir}"
        )


def _free_ports(n: int) -> list[int]:
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def shard_path(index_dir: Path, number: int) -> Path:
    """The database folder of local shard ``number``."""
    return Path(index_dir) / "shards" / f"shard-{number}"


def _pid_file(index_dir: Path, number: int) -> Path:
    return Path(index_dir) / "shards" / f"shard-{number}.pid"


def _answers(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def start_nodes(index_dir: Path, wait: float = 10.0) -> list[str]:
    """Start a ``xapian-tcpsrv`` for every local node that is not running; the lines to report."""
    config = read_config(index_dir)
    server = shutil.which("xapian-tcpsrv")
    if server is None:
        raise ClusterError(
            "xapian-tcpsrv not found: install Xapian's tools (Debian: apt-get install xapian-tools)"
        )
    import xapian  # only to create empty shard databases

    lines = []
    for number in range(1, config.shards + 1):
        if config.nodes[number - 1] == LOCAL:
            lines.append(f"shard {number} is a local database: nothing to start")
            continue
        host, port = config.node(number)
        if host not in LOOPBACK:
            raise ClusterError(f"Node '{host}:{port}' is not on this machine; start it there as a service")
        if _running_pid(index_dir, number) is not None:
            lines.append(f"shard {number} already running on 127.0.0.1:{port}")
            continue
        path = shard_path(index_dir, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        xapian.WritableDatabase(str(path), xapian.DB_CREATE_OR_OPEN).close()
        log = open(path.parent / f"shard-{number}.log", "ab")  # noqa: SIM115 (the server keeps it)
        # tcpsrv kills its whole process group on SIGTERM: give it a session of its own.
        proc = subprocess.Popen(
            [server, "--writable", "--interface", "127.0.0.1", "--port", str(port), str(path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        _STARTED[proc.pid] = proc
        _pid_file(index_dir, number).write_text(str(proc.pid), encoding="utf-8")
        deadline = time.monotonic() + wait
        while not _answers("127.0.0.1", port):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise ClusterError(f"shard {number} did not start on 127.0.0.1:{port}; see '{log.name}'")
            time.sleep(0.05)
        lines.append(f"shard {number} started on 127.0.0.1:{port} (pid {proc.pid})")
    return lines


def _running_pid(index_dir: Path, number: int) -> int | None:
    """The pid of the local node of shard ``number``, if it is this cluster's tcpsrv and alive."""
    try:
        pid = int(_pid_file(index_dir, number).read_text(encoding="utf-8"))
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    if (
        not cmdline
        or not cmdline[0].endswith(b"xapian-tcpsrv")
        or str(shard_path(index_dir, number)).encode() not in cmdline
    ):
        return None
    return pid


def stop_nodes(index_dir: Path, wait: float = 5.0) -> list[str]:
    """Stop the local nodes this folder started; the lines to report."""
    config = read_config(index_dir)
    lines = []
    for number in range(1, config.shards + 1):
        if config.nodes[number - 1] == LOCAL:
            continue
        pid = _running_pid(index_dir, number)
        if pid is None:
            lines.append(f"shard {number} not running")
            continue
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while _running_pid(index_dir, number) is not None and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.05)
        if _running_pid(index_dir, number) is not None:
            os.kill(pid, signal.SIGKILL)
        if pid in _STARTED:
            _STARTED.pop(pid).wait(wait)
        _pid_file(index_dir, number).unlink(missing_ok=True)
        lines.append(f"shard {number} stopped (pid {pid})")
    return lines


def _reap(pid: int) -> None:
    """Collect a node this process started itself (else it lingers as a zombie)."""
    proc = _STARTED.get(pid)
    if proc is not None and proc.poll() is not None:
        del _STARTED[pid]


def node_status(index_dir: Path) -> list[tuple[str, bool, int | None]]:
    """For each shard: its label, whether it answers, and how many paragraphs it holds."""
    from searchkit.backends import open_backend

    config = read_config(index_dir)
    backend = open_backend(index_dir, any_format=True)
    found = []
    for number in range(1, config.shards + 1):
        label = backend.shards[number - 1].label  # type: ignore[attr-defined]
        try:
            found.append((label, True, backend.count_shard(number)))  # type: ignore[attr-defined]
        except ClusterError:
            found.append((label, False, None))
    return found
