from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from searchkit import (
    IndexLockedError,
    IndexNotFoundError,
    IndexSchemaError,
    SourceError,
    build_index,
    indexer,
    search,
)
from searchkit.indexer import index_lock, read_manifest, scan_changes


def ids(index: Path, query: str) -> list[str]:
    return sorted(h.id for h in search(index, query, limit=100).hits)


def test_build_counts_documents_and_paragraphs(corpus: Path, tmp_path: Path) -> None:
    stats = build_index([corpus], tmp_path / "ix")
    assert (stats.documents, stats.paragraphs, stats.added, stats.errors) == (3, 7, 3, [])
    assert ids(tmp_path / "ix", "scarlatti") == ["letter:2"]


def test_incremental_update_reads_only_what_changed(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    again = build_index([corpus], ix)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 3)

    letter = corpus / "letter.txt"
    letter.write_text(letter.read_text(encoding="utf-8").replace("Scarlatti", "Pulcinella"), encoding="utf-8")
    (corpus / "plain.md").unlink()
    (corpus / "new.md").write_text(
        "---\ntitle: New\n---\nA fresh paragraph about Pulcinella.\n", encoding="utf-8"
    )
    assert sorted(scan_changes(ix)) == sorted(str(corpus / n) for n in ("letter.txt", "new.md", "plain.md"))

    stats = build_index([corpus], ix)
    assert (stats.added, stats.changed, stats.removed, stats.unchanged) == (1, 1, 1, 1)
    assert ids(ix, "scarlatti") == []
    assert ids(ix, "pulcinella") == ["letter:2", "new:1"]
    assert ids(ix, "front matter") == []  # plain.md is gone
    assert scan_changes(ix) == []


def test_touch_without_change_is_not_reindexed(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    os.utime(corpus / "letter.txt", ns=(1, 1))
    stats = build_index([corpus], ix)
    assert (stats.changed, stats.unchanged) == (0, 3)


def test_bad_file_is_reported_and_the_others_indexed(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.md").write_text("---\ntitle: [oops\n---\ntext\n", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")  # a JPEG header
    stats = build_index([corpus], tmp_path / "ix")
    assert stats.documents == 3
    assert len(stats.errors) == 2
    assert any("broken.md:2: malformed front matter" in e for e in stats.errors)
    assert any("binary.txt'" in e and "not UTF-8" in e for e in stats.errors)


def test_a_file_that_breaks_keeps_its_previous_version(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    (corpus / "letter.txt").write_text("---\ntitle: [oops\n---\nnew text\n", encoding="utf-8")
    stats = build_index([corpus], ix)
    assert len(stats.errors) == 1 and "previous version stays indexed" in stats.errors[0]
    assert ids(ix, "scarlatti") == ["letter:2"]
    assert scan_changes(ix) == []  # a known failure does not make every search re-index


def test_duplicate_document_ids(corpus: Path, tmp_path: Path) -> None:
    (corpus / "again.md").write_text("---\nid: letter\n---\nSame id.\n", encoding="utf-8")
    stats = build_index([corpus], tmp_path / "ix")
    assert stats.documents == 3
    assert any("document id 'letter' is already used" in e for e in stats.errors)


def test_interrupted_run_leaves_previous_index_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    before = ids(ix, "the")
    letter = corpus / "letter.txt"
    letter.write_text(letter.read_text(encoding="utf-8") + "\nAnother paragraph.\n", encoding="utf-8")
    (corpus / "z.md").write_text("Zebra paragraph.\n", encoding="utf-8")

    real_add = indexer._add_document
    calls = []

    def add_then_die(*args: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_add(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(indexer, "_add_document", add_then_die)
    with pytest.raises(KeyboardInterrupt):
        build_index([corpus], ix)
    assert ids(ix, "the") == before
    assert ids(ix, "zebra") == []
    monkeypatch.setattr(indexer, "_add_document", real_add)
    build_index([corpus], ix)
    assert ids(ix, "zebra") == ["z:1"]


def test_interrupted_rebuild_leaves_previous_index_whole(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    before = ids(ix, "the")

    def die(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(indexer, "_add_document", die)
    with pytest.raises(KeyboardInterrupt):
        build_index([corpus], ix, rebuild=True)
    assert ids(ix, "the") == before


def test_rebuild_replaces_the_index_and_removes_old_files(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    old_name = read_manifest(ix).indexname
    stats = build_index([corpus], ix, rebuild=True)
    assert stats.added == 3
    new_name = read_manifest(ix).indexname
    assert new_name != old_name
    assert not [p for p in ix.iterdir() if p.name.startswith(f"_{old_name}_")]
    assert ids(ix, "scarlatti") == ["letter:2"]


def test_locked_index(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    with index_lock(ix), pytest.raises(IndexLockedError, match="being written by another searchkit run"):
        build_index([corpus], ix)


def test_missing_index_and_sources(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="No index at"):
        search(tmp_path / "none", "x")
    with pytest.raises(SourceError, match="No sources folder"):
        build_index([tmp_path / "nowhere"], tmp_path / "ix")


def test_incompatible_index_needs_rebuild(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([corpus], ix)
    manifest = json.loads((ix / "searchkit.json").read_text())
    manifest["schema_version"] = 0
    (ix / "searchkit.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexSchemaError, match="schema version 0"):
        search(ix, "x")
    with pytest.raises(IndexSchemaError):
        build_index([corpus], ix)
    build_index([corpus], ix, rebuild=True)
    assert ids(ix, "scarlatti") == ["letter:2"]


def test_worker_processes_index_the_same_as_one(corpus: Path, tmp_path: Path) -> None:
    one = build_index([corpus], tmp_path / "one", procs=1)
    two = build_index([corpus], tmp_path / "two", procs=2)
    assert (one.documents, one.paragraphs) == (two.documents, two.paragraphs)
    for query in ("the", "scarlatti OR bullitt", '"the clerk"', "kerensky"):
        assert [(h.id, h.score) for h in search(tmp_path / "one", query, limit=50).hits] == [
            (h.id, h.score) for h in search(tmp_path / "two", query, limit=50).hits
        ]
    # An update after a parallel build removes and adds as it should.
    (corpus / "plain.md").unlink()
    stats = build_index([corpus], tmp_path / "two", procs=2)
    assert (stats.removed, stats.unchanged) == (1, 2)
    assert ids(tmp_path / "two", "front matter") == []
