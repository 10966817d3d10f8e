"""A kept-open :class:`searchkit.Index`: the same answers as :func:`searchkit.search`, search
after search, and it sees updates to the index."""

from __future__ import annotations

from pathlib import Path

from searchkit import Filters, Index, build_index, parse_date, search


def test_index_answers_like_search_again_and_again(bundled_index: Path) -> None:
    cases = [
        ("coalition", Filters()),
        ('"Soviet power"', Filters()),
        ("power", Filters(speaker="trotsky")),
        ("party", Filters(date_from=parse_date("1917-11-01"), date_to=parse_date("1917-11-30"))),
        ("the", Filters(speaker="trotsky", date_from=parse_date("1917-11"))),
    ]
    with Index(bundled_index) as index:
        for _ in range(2):  # the second round runs on the caches of the first
            for text, filters in cases:
                assert index.search(text, filters=filters, facets=True) == search(
                    bundled_index, text, filters=filters, facets=True
                )


def test_a_name_filter_that_matches_nothing_lets_nothing_through(bundled_index: Path) -> None:
    with Index(bundled_index) as index:
        result = index.search("the", filters=Filters(speaker="nobody-at-all"), facets=True)
    assert (result.hits, result.total) == ([], 0)
    assert result.facets == {"speaker": [], "author": [], "type": [], "year": []}


def test_an_open_index_sees_an_update(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir)
    with Index(index_dir) as index:
        assert index.search("zeppelin").total == 0
        extra = corpus / "zeppelin.md"
        extra.write_text("---\ntitle: Z\n---\n\nA zeppelin over the city.\n", encoding="utf-8")
        build_index([corpus], index_dir)
        assert index.search("zeppelin").total == 1
