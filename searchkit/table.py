"""A string-to-string table in one file, read in place: lookups without loading it.

Used for what an index run works out once so that searches need not (:mod:`searchkit.stems`,
:mod:`searchkit.sentences`). The file is a hash table, memory-mapped when opened, so opening costs
nothing however large it is: a header naming what it belongs to (its tag), the number of buckets,
``buckets + 1`` offsets, then ``key\tvalue\n`` lines grouped by bucket (``crc32(key) % buckets``).
Keys and values hold no tab or newline.
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

_MAGIC = b"searchkit-table-1\n"
_OFFSET = struct.Struct("<I")


def write_table(path: Path, pairs: dict[str, str], tag: str) -> None:
    """Write ``pairs`` as the table at ``path``, atomically; ``tag`` says what it belongs to
    (:func:`open_table` trusts no other)."""
    buckets = max(1, len(pairs) // 2)
    groups: list[list[bytes]] = [[] for _ in range(buckets)]
    for key, value in pairs.items():
        raw = key.encode("utf-8")
        groups[zlib.crc32(raw) % buckets].append(raw + b"\t" + value.encode("utf-8") + b"\n")
    offsets, data, pos = [], [], 0
    for group in groups:
        offsets.append(pos)
        chunk = b"".join(group)
        data.append(chunk)
        pos += len(chunk)
    offsets.append(pos)
    header = _MAGIC + tag.encode("utf-8") + b"\n" + _OFFSET.pack(buckets)
    header += struct.pack(f"<{len(offsets)}I", *offsets)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(header)
        f.write(b"".join(data))
    os.replace(tmp, path)


class Table:
    """A table written by :func:`write_table`, looked up in place."""

    def __init__(self, path: Path, tag: str) -> None:
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        head = _MAGIC + tag.encode("utf-8") + b"\n"
        if self._map[: len(head)] != head:
            raise ValueError(f"{path} is not the table of {tag}")
        (self._buckets,) = _OFFSET.unpack_from(self._map, len(head))
        self._offsets = len(head) + _OFFSET.size
        self._data = self._offsets + (self._buckets + 1) * _OFFSET.size

    def __len__(self) -> int:
        return sum(1 for _ in self.items())

    def get(self, key: str) -> str | None:
        """The value of ``key``, or None if the table does not hold it."""
        raw = key.encode("utf-8")
        b = zlib.crc32(raw) % self._buckets
        start, end = struct.unpack_from("<II", self._map, self._offsets + b * _OFFSET.size)
        chunk = self._map[self._data + start : self._data + end]
        probe = raw + b"\t"
        at = chunk.find(probe)
        while at > 0 and chunk[at - 1] != 0x0A:  # a match inside a longer line: look further
            at = chunk.find(probe, at + 1)
        if at < 0:
            return None
        return chunk[at + len(probe) : chunk.index(b"\n", at)].decode("utf-8")

    def items(self) -> Iterable[tuple[str, str]]:
        end = _OFFSET.unpack_from(self._map, self._offsets + self._buckets * _OFFSET.size)[0]
        for line in self._map[self._data : self._data + end].splitlines():
            key, _, value = line.decode("utf-8").partition("\t")
            yield key, value


def open_table(path: Path, tag: str) -> Table | None:
    """The table ``tag`` at ``path``, or None if there is none (or one of something else, or an
    unreadable one)."""
    try:
        return Table(path, tag)
    except (OSError, ValueError):
        return None
