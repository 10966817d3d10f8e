"""Commands that take a source or an id never read or reveal anything outside the collection."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from searchkit import build_index, search
from searchkit.errors import QueryError, SourceError
from searchkit.safety import source_file


@pytest.fixture
def indexed(corpus: Path, tmp_path: Path) -> Path:
    build_index([corpus], tmp_path / "ix")
    return tmp_path / "ix"


def test_a_source_shown_by_a_search_is_found(indexed: Path, corpus: Path) -> None:
    hit = search(indexed, "scarlatti").hits[0]
    assert source_file(indexed, hit.source) == corpus / "letter.txt"
    assert source_file(indexed, str(corpus / "letter.txt")) == corpus / "letter.txt"


@pytest.mark.parametrize(
    "source",
    ["../../../../etc/passwd", "/etc/passwd", "sources/../../ix/searchkit.json", "sources/", "", "\x00"],
)
def test_names_not_in_the_index_are_refused(indexed: Path, source: str) -> None:
    with pytest.raises(SourceError, match="No source .* in the index"):
        source_file(indexed, source)


def test_a_source_replaced_by_a_link_out_is_refused(indexed: Path, corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("swordfish", encoding="utf-8")
    (corpus / "letter.txt").unlink()
    (corpus / "letter.txt").symlink_to(secret)
    with pytest.raises(SourceError, match="leads outside the collection"):
        source_file(indexed, "sources/letter.txt")


def test_ids_are_only_ever_index_terms(indexed: Path) -> None:
    # An id is looked up as a term in the index, never as a path: nothing outside is found.
    for query in (
        'id:"../../etc/passwd"',
        "doc:/etc/passwd",
        'source:"../ix/searchkit.json"',
        "title:passwd",
    ):
        with contextlib.suppress(QueryError):  # fields that cannot be searched are refused
            assert search(indexed, query).hits == []
