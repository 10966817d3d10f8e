"""The index folder's write lock, safe with worker processes.

The lock is an ``flock`` on ``.searchkit.lock``: the operating system releases it when the process
that holds it dies, so a lock is never stale. Indexing may fork worker processes (Whoosh's
multiprocess writer), and a forked child inherits the locked file: a child that outlived a killed
parent would keep the lock held, and would wait forever for work that never comes. So a child
forked while the lock is held closes its copy of the lock file at once and is set to die with its
parent (Linux ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from searchkit.errors import IndexLockedError

LOCK_FILE = ".searchkit.lock"

_held: list[int] = []  # file descriptors of the locks this process holds


@contextmanager
def index_lock(
    index_dir: Path, wait: float = 0.0, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the index folder's write lock. When another run holds it, wait up to ``wait`` seconds
    (calling ``on_wait`` once) before giving up with :class:`IndexLockedError`."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"Index '{index_dir}' is being written by another searchkit run"
                    ) from None
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        _held.append(fd)
        try:
            yield
        finally:
            _held.remove(fd)
    finally:
        os.close(fd)


def _after_fork_in_child() -> None:
    if not _held:
        return
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()
    _die_with_parent()


#: The process that forked last, recorded before the fork: a child that asked ``os.getppid()``
#: only after the fork would get 1 (init) when its parent had died in between, and live on.
_forker = [0]


def _before_fork() -> None:
    _forker[0] = os.getpid()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    parent = _forker[0] or os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
