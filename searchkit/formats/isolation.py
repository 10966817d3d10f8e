"""Read files of the formats read from bytes in child processes, each under a time and a memory
limit, so that one pathological file cannot hang or sink an index run.

A child is started once (a fresh interpreter) and reads file after file (its readers'
libraries are imported once); before each file its address space is limited (``RLIMIT_AS``) to
what it uses plus the file's ``memory_limit``, and the parent kills it when the file's
``time_limit`` has passed, then starts another for the next file. Several children read at
once (``workers``), ahead of the indexing process, which takes their documents in the order of
the files. Text formats (Markdown, plain
text, TEI…) are read in the indexing process as before: a Markdown collection starts no child.
"""

from __future__ import annotations

import importlib
import multiprocessing.connection
import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats import FORMATS, Plan, read_binary, read_planned
from searchkit.formats.collection import FileSettings
from searchkit.sources import Document

#: Seconds one file may take, unless the collection's ``time_limit`` says otherwise.
TIME_LIMIT = 120.0
#: Megabytes one file's reading may add to the reader's memory (``memory_limit``).
MEMORY_LIMIT = 2048


@dataclass(frozen=True)
class Limits:
    seconds: float = TIME_LIMIT
    memory_mb: float = MEMORY_LIMIT


def limits_for(fs: FileSettings) -> Limits:
    """The limits the collection's settings give for one file."""
    label = f"settings for '{fs.rel}'"
    return Limits(
        _positive(fs.settings.get("time_limit", TIME_LIMIT), "time_limit", label),
        _positive(fs.settings.get("memory_limit", MEMORY_LIMIT), "memory_limit", label),
    )


def _positive(value: Any, key: str, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not number > 0:
        raise SourceError(f"{label}: '{key}' must be a positive number, not '{value}'")
    return number


@dataclass
class Outcome:
    """What reading one file gave: a document, or the error that stopped it; and warnings."""

    document: Document | None = None
    error: SourceError | None = None
    warnings: list[str] = field(default_factory=list)


def read_inline(p: Plan) -> Outcome:
    """Read ``p`` in this process (no limits)."""
    try:
        doc = read_planned(p)
    except SourceError as e:
        return Outcome(error=e, warnings=p.settings.warnings)
    return Outcome(doc, warnings=p.settings.warnings)


def read_in_order(plans: Iterable[Plan], workers: int = 2) -> Iterator[tuple[Plan, Outcome]]:
    """Read every plan and yield its outcome in the order given: text formats here, formats read
    from bytes in up to ``workers`` child processes, a few files ahead. ``plans`` is consumed
    lazily (a few ahead), so a large collection is never held in memory; no child is started
    before the first file that needs one."""
    source = iter(plans)
    ahead: deque[tuple[int, Plan]] = deque()
    pool: _Pool | None = None
    count = 0
    window = 4 * max(1, workers)
    try:
        while True:
            while len(ahead) < window:
                p = next(source, None)
                if p is None:
                    break
                ahead.append((count, p))
                count += 1
            if not ahead:
                return
            if pool is None and any(p.binary for _, p in ahead):
                pool = _Pool(max(1, workers))
            if pool is not None:
                pool.dispatch(ahead)
            i, p = ahead.popleft()
            yield p, (pool.wait_for(i, p, ahead) if pool is not None and p.binary else read_inline(p))
    finally:
        if pool is not None:
            pool.close()


class _Worker:
    """A child process (a fresh interpreter, not a fork of the indexing process with its index
    lock, its writer and its heap, so that what a file's reading costs is measured from a known
    start) and the two pipes that carry tasks to it and documents back."""

    def __init__(self, task: int, p: Plan, limits: Limits) -> None:
        task_r, task_w = os.pipe()
        reply_r, reply_w = os.pipe()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        code = f"from searchkit.formats.isolation import serve; serve({task_r}, {reply_w})"
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(task_r, reply_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # a library's own complaints as it dies are not ours
                env=env,
                cwd=os.getcwd(),
            )
        finally:
            os.close(task_r)
            os.close(reply_w)
        self.out = Connection(task_w, readable=False)
        self.conn = Connection(reply_r, writable=False)
        self.task, self.plan, self.limits, self.deadline = task, p, limits, 0.0

    def send(self, task: int, p: Plan, limits: Limits) -> None:
        self.task, self.plan, self.limits = task, p, limits
        self.deadline = time.monotonic() + limits.seconds
        self.out.send((p.path, p.format, p.settings, limits.memory_mb))

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.proc.kill()
            else:
                self.out.send(None)
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.conn.close()


class _Pool:
    def __init__(self, workers: int) -> None:
        self.size = workers
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.done: dict[int, Outcome] = {}
        self.sent: set[int] = set()

    def dispatch(self, ahead: Iterable[tuple[int, Plan]]) -> None:
        """Send out the binary plans waiting in ``ahead`` while there are free workers."""
        for i, p in ahead:
            if len(self.busy) >= self.size:
                return
            if not p.binary or i in self.sent:
                continue
            self.sent.add(i)
            try:
                limits = limits_for(p.settings)
            except SourceError as e:
                self.done[i] = Outcome(error=e)
                continue
            worker = self.idle.pop() if self.idle else _Worker(i, p, limits)
            try:
                worker.send(i, p, limits)
            except OSError:
                worker.stop(kill=True)
                worker = _Worker(i, p, limits)
                worker.send(i, p, limits)
            self.busy.append(worker)

    def wait_for(self, i: int, p: Plan, ahead: Iterable[tuple[int, Plan]]) -> Outcome:
        """The outcome of plan ``i`` (``p``), sending it out first if it is still waiting."""
        while i not in self.done:
            if i not in self.sent:
                self.dispatch([(i, p)])
            if i not in self.done:
                self._collect()
            self.dispatch(ahead)
        self.sent.discard(i)
        return self.done.pop(i)

    def _collect(self) -> None:
        if not self.busy:
            return
        timeout = max(0.0, min(w.deadline for w in self.busy) - time.monotonic())
        ready = multiprocessing.connection.wait([w.conn for w in self.busy], timeout)
        for worker in list(self.busy):
            task, p = worker.task, worker.plan
            assert task is not None
            if worker.conn in ready:
                try:
                    reply = worker.conn.recv()
                except (EOFError, OSError):
                    self.done[task] = Outcome(error=_crashed(p, worker))
                    self.busy.remove(worker)
                    worker.stop(kill=True)
                    continue
                self.done[task] = _outcome(p, reply, worker.limits)
                self.busy.remove(worker)
                self.idle.append(worker)
            elif time.monotonic() >= worker.deadline:
                self.done[task] = Outcome(
                    error=SourceError(
                        f"Not reading '{p.path}': it took longer than the time limit of"
                        f" {worker.limits.seconds:g} s; if the file is sound, raise 'time_limit'"
                        " in the collection's searchkit.yaml",
                        reason="time limit",
                    )
                )
                self.busy.remove(worker)
                worker.stop(kill=True)

    def close(self) -> None:
        for worker in self.busy:
            worker.stop(kill=True)
        for worker in self.idle:
            worker.stop()
        self.busy, self.idle = [], []


def _memory_error(p: Plan, limits: Limits) -> SourceError:
    return SourceError(
        f"Not reading '{p.path}': it needs more memory than the limit of {limits.memory_mb:g} MB;"
        " if the file is sound, raise 'memory_limit' in the collection's searchkit.yaml",
        reason="memory limit",
    )


def _crashed(p: Plan, worker: _Worker) -> SourceError:
    try:
        code = worker.proc.wait(5)
    except subprocess.TimeoutExpired:
        code = None
    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
    return SourceError(
        f"Not reading '{p.path}': the {FORMATS[p.format].what} reader stopped ({how}); the file may"
        f" be damaged or need more than the memory limit of {worker.limits.memory_mb:g} MB",
        reason="reader crashed",
    )


def _outcome(p: Plan, reply: tuple[Any, ...], limits: Limits) -> Outcome:
    kind = reply[0]
    if kind == "ok":
        return Outcome(reply[1], warnings=reply[2])
    if kind == "memory":
        return Outcome(error=_memory_error(p, limits), warnings=reply[2])
    return Outcome(error=SourceError(reply[1], reason=reply[2]), warnings=reply[3])


def serve(task_fd: int, reply_fd: int) -> None:
    """A child's loop: read the files it is sent, one at a time, until it is sent None (or its
    parent goes away)."""
    import faulthandler
    import resource

    faulthandler.disable()  # a reader that aborts on a memory limit is reported, not dumped
    _die_with_parent()
    tasks, conn = Connection(task_fd, writable=False), Connection(reply_fd, readable=False)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        path, fmt, fs, memory_mb = task
        reply: tuple[Any, ...]
        try:
            # the reader's libraries are loaded before the limit: it counts what the file costs
            importlib.import_module(f"searchkit.formats.{FORMATS[fmt].module}")
            _limit_memory(resource, memory_mb, hard)
            doc = read_binary(path, fmt, fs)
            reply = ("ok", doc, fs.warnings)
        except MemoryError:
            reply = ("memory", None, fs.warnings)
        except SourceError as e:
            reply = ("error", str(e), e.reason, fs.warnings)
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", None, fs.warnings))


def _die_with_parent() -> None:
    """Linux: this child is killed when its parent (the index run) ends: a child stuck in a
    pathological file never outlives the run."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_memory(resource: Any, memory_mb: float, hard: int) -> None:
    used = _address_space()
    if used is None:
        return
    soft = used + int(memory_mb * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), or None where it cannot be known."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
