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


def test_facets_and_dates_from_columns_match_the_stored_fields_across_segments(
    bundled_index: Path, tmp_path: Path
) -> None:
    """An updated index has several segments and deleted paragraphs: facet counts and date
    filters read from the columns agree with the stored fields of every match."""
    import shutil

    from whoosh import query as q

    from searchkit.analysis import body_term
    from searchkit.facets import count_facets
    from searchkit.storage import open_searcher

    sources = tmp_path / "sources"
    shutil.copytree(bundled_index.parent / "sources", sources)
    index_dir = tmp_path / "index"
    build_index([sources], index_dir)
    changed = sources / "knox-diary-verkhovsky.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new war paragraph.\n", encoding="utf-8")
    (sources / "extra.md").write_text(
        "---\ntitle: Extra\nauthor: Anon\ndate: 1918-03\n---\n\nThe war and the party.\n", encoding="utf-8"
    )
    build_index([sources], index_dir)
    with open_searcher(index_dir) as searcher:
        assert len(searcher.reader().leaf_readers()) > 1  # really several segments
        assert searcher.reader().has_deletions()
        for word in ("the", "war", "party"):
            term = q.Term("body", body_term(word))
            stored = [searcher.stored_fields(d) for d in searcher.docs_for_query(term)]
            dated = [
                s
                for s in stored
                if s.get("date_end") and s["date_end"] >= parse_date("1917-11-14").start.toordinal()
            ]
            with Index(index_dir) as index:
                assert index.search(word, facets=True).facets == count_facets(stored)
                only = Filters(date_from=parse_date("1917-11-14"))
                assert index.search(word, filters=only, limit=100).total == len(dated)
