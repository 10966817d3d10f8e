"""Sentence boundaries of the collection's long paragraphs, found at index time.

A long hit is shown as a passage of whole sentences, and finding them needs Punkt, which imports
NLTK (a quarter of a second: more than the rest of a command-line search). So after an index run
trains (or keeps) its sentence model, every paragraph long enough to be cut into a passage is split
once and its sentence spans are stored in ``sentences.bin`` (a :mod:`searchkit.table`), keyed by a
hash of the paragraph's text and tagged with the model they came from. A search looks a paragraph
up there and asks Punkt only for one the table does not hold (it then gets the same spans Punkt
would have stored). A retrained model makes the old spans stale: they are all found again.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from searchkit.table import open_table, write_table

#: The file in the index folder.
SPANS_FILE = "sentences.bin"
#: Split in worker processes when there are at least this many paragraphs to split.
PARALLEL_TEXTS = 20_000

Span = tuple[int, int]


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def model_tag(model: Path) -> str:
    """What the stored spans were found with: a checksum of the sentence model's file."""
    try:
        return f"punkt:{zlib.crc32(model.read_bytes()):08x}"
    except OSError:
        return "punkt:untrained"


def _encode(spans: Iterable[Span]) -> str:
    return " ".join(f"{s},{e}" for s, e in spans)


def _decode(value: str) -> list[Span]:
    out = []
    for pair in value.split():
        s, _, e = pair.partition(",")
        out.append((int(s), int(e)))
    return out


def has_spans(index_dir: Path, model: Path) -> bool:
    """True when ``index_dir`` holds spans found with the sentence model in ``model``."""
    return open_table(index_dir / SPANS_FILE, model_tag(model)) is not None


def stored_spans(model: Path) -> Callable[[str], list[Span] | None]:
    """``lookup(text)``: the stored sentence spans of a paragraph, or None if there are none for
    it (``model`` is the index's sentence model file; the table sits beside it)."""
    table = open_table(model.parent / SPANS_FILE, model_tag(model))

    def lookup(text: str) -> list[Span] | None:
        if table is None:
            return None
        value = table.get(text_key(text))
        return None if value is None else _decode(value)

    return lookup


def store_spans(index_dir: Path, model: Path, texts: Iterable[str], keep: bool, procs: int = 1) -> int:
    """Split ``texts`` with the model in ``model`` and store their spans in ``index_dir``; with
    ``keep``, the spans stored already (for the same model) are kept too. Returns the number stored.
    ``texts`` are read as they come and split in chunks (in ``procs`` processes once there are
    :data:`PARALLEL_TEXTS`), so that a large collection is never held in memory whole."""
    tag = model_tag(model)
    path = index_dir / SPANS_FILE
    old = open_table(path, tag) if keep else None
    pairs = dict(old.items()) if old is not None else {}
    chunks = _chunks(((k, t) for k, t in ((text_key(t), t) for t in texts) if k not in pairs), 2000)
    first = list(itertools.islice(chunks, PARALLEL_TEXTS // 2000))
    if procs > 1 and len(first) >= PARALLEL_TEXTS // 2000:
        _split_parallel(index_dir, itertools.chain(first, chunks), procs, pairs)
    else:
        for chunk in itertools.chain(first, chunks):
            pairs.update(_split_chunk(chunk, str(index_dir)))
    write_table(path, pairs, tag)
    return len(pairs)


def _chunks(items: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    chunk: dict[str, str] = {}
    for key, text in items:
        chunk[key] = text
        if len(chunk) >= size:
            yield list(chunk.items())
            chunk = {}
    if chunk:
        yield list(chunk.items())


_worker_split: dict[str, Callable[[str], list[Span]]] = {}


def _split_chunk(chunk: list[tuple[str, str]], index_dir: str) -> list[tuple[str, str]]:
    from searchkit.sentences import punkt_splitter

    split = _worker_split.get(index_dir)
    if split is None:
        split = _worker_split[index_dir] = punkt_splitter(Path(index_dir))
    return [(key, _encode(split(text))) for key, text in chunk]


def _split_parallel(
    index_dir: Path, chunks: Iterable[list[tuple[str, str]]], procs: int, pairs: dict[str, str]
) -> None:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    pending: set[Future[list[tuple[str, str]]]] = set()
    with ProcessPoolExecutor(procs, mp_context=context) as pool:
        for chunk in chunks:  # a few chunks in flight at a time, not the whole collection
            if len(pending) >= 2 * procs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    pairs.update(future.result())
            pending.add(pool.submit(_split_chunk, chunk, str(index_dir)))
        for future in pending:
            pairs.update(future.result())
