"""The research features through the library API: passages of whole sentences, show and stats,
sorting and paging, facets, the extended query language, suggestions, explain and concordance."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from searchkit import Filters, QueryError, build_index, search
from searchkit.browse import collection_stats, show
from searchkit.errors import NotFoundError
from searchkit.explain import explain
from searchkit.facets import count_facets
from searchkit.kwic import kwic
from searchkit.render import html_mark
from searchkit.sentences import MODEL_FILE, load_splitter
from searchkit.suggest import suggest
from tests.conftest import DATA


@pytest.fixture(scope="module")
def bullitt_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fifty paragraphs of the 1919 Bullitt testimony (tests/data/passages), full of "Mr."."""
    base = tmp_path_factory.mktemp("bullitt")
    shutil.copytree(DATA / "passages", base / "sources")
    assert not build_index([base / "sources"], base / "index").errors
    return base / "index"


def _unwrap(passage: str) -> str:
    return passage.removeprefix("… ").removesuffix(" …")


# Sentences and passages


def test_punkt_is_trained_on_the_collection_and_stored_with_the_index(bullitt_index: Path) -> None:
    model = json.loads((bullitt_index / MODEL_FILE).read_text(encoding="utf-8"))
    assert {"mr", "col", "capt"} <= set(model["abbrev_types"])
    text = "I arranged this meeting through Mr. Philip Kerr. He agreed."
    assert [text[s:e] for s, e in load_splitter(bullitt_index)(text)] == [
        "I arranged this meeting through Mr. Philip Kerr.",
        "He agreed.",
    ]
    # Untrained, Punkt would end a sentence after "Mr.": the training is what makes the difference.
    assert len(load_splitter(None)(text)) == 3


def test_passages_are_whole_sentences_around_the_matches(bullitt_index: Path) -> None:
    split = load_splitter(bullitt_index)
    hits = search(bullitt_index, "Clemenceau", limit=50).hits
    assert hits
    for hit in hits:
        inner = _unwrap(hit.passage)
        start = hit.text.index(inner)
        if len(hit.text) <= 320:
            assert hit.passage == hit.text
            continue
        end = start + len(inner)
        overlapping = [(s, e) for s, e in split(hit.text) if s < end and e > start]
        if (overlapping[0][0], overlapping[-1][1]) != (start, end):
            # not whole sentences: only a single sentence too long to show is cut
            assert len(overlapping) == 1 and overlapping[0][1] - overlapping[0][0] > 320, hit.id
        assert len(overlapping) <= 2
        # "…" exactly where text was left out
        assert hit.passage.startswith("… ") == (start > 0)
        assert hit.passage.endswith(" …") == (start + len(inner) < len(hit.text))
        # the passage holds a match, and the highlights point at "Clemenceau"
        assert hit.passage_highlights
        assert all(hit.passage[s:e].startswith("Clemenceau") for s, e in hit.passage_highlights)


def test_passages_never_cut_a_word(bullitt_index: Path, bundled_index: Path) -> None:
    for index, query in ((bullitt_index, "russia"), (bullitt_index, "mr"), (bundled_index, "the")):
        for hit in search(index, query, limit=100).hits:
            inner = _unwrap(hit.passage)
            start = hit.text.index(inner)
            end = start + len(inner)
            assert start == 0 or not hit.text[start - 1].isalnum(), (hit.id, inner[:20])
            assert end == len(hit.text) or not hit.text[end].isalnum(), (hit.id, inner[-20:])
            for s, e in hit.passage_highlights:
                assert 0 <= s < e <= len(hit.passage)


def test_long_single_sentence_is_trimmed_around_the_match(bundled_index: Path) -> None:
    hit = next(h for h in search(bundled_index, "anarchy").hits if h.id == "lenin-opposition-resolution:5")
    assert hit.passage.startswith("… ") and hit.passage.endswith(" on the part of any minority.")
    assert len(hit.passage) <= 322
    assert [hit.passage[s:e] for s, e in hit.passage_highlights] == ["anarchy"]


def test_html_highlights_are_escaped() -> None:
    assert html_mark("<b>Kerensky</b> & co", [(3, 11)]) == "&lt;b&gt;<mark>Kerensky</mark>&lt;/b&gt; &amp; co"


# show and stats


def test_show_a_paragraph_with_context(bundled_index: Path) -> None:
    shown = show(bundled_index, "lenin-opposition-resolution:6", context=1)
    assert [p.id for p in shown.paragraphs] == [
        "lenin-opposition-resolution:5",
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:7",
    ]
    assert shown.targets == {"lenin-opposition-resolution:6"}
    assert shown.paragraphs[1].text.startswith("6) The Central Committee affirms")
    # Context stops at the edges of the document.
    first = show(bundled_index, "lenin-opposition-resolution:1", context=2)
    assert [p.paragraph for p in first.paragraphs] == [1, 2, 3]


def test_show_a_whole_document_and_unknown_ids(bundled_index: Path) -> None:
    shown = show(bundled_index, "lenin-opposition-resolution")
    assert [p.paragraph for p in shown.paragraphs] == list(range(1, 10))
    with pytest.raises(NotFoundError, match="has no paragraph 60; its paragraphs are 1-9"):
        show(bundled_index, "lenin-opposition-resolution:60")
    with pytest.raises(NotFoundError, match="No paragraph or document 'nothing-here'"):
        show(bundled_index, "nothing-here")
    with pytest.raises(QueryError, match="negative"):
        show(bundled_index, "lenin-opposition-resolution:6", context=-1)


def test_stats_of_the_bundled_collection(bundled_index: Path) -> None:
    stats = collection_stats(bundled_index)
    assert (stats.documents, stats.paragraphs) == (9, 28)
    assert str(stats.first_date) == "1917-11-01" and str(stats.last_date) == "1917-11-30"
    assert ("V. I. Lenin", 9) in stats.authors
    assert ("L. D. Trotsky", 3) in stats.speakers
    assert stats.types[0] == ("resolution", 9)
    assert stats.index_bytes > 0


# Sorting, paging, facets


def test_sort_by_date_both_ways(bundled_index: Path) -> None:
    def dates(sort: str) -> list[str | None]:
        return [h.date for h in search(bundled_index, "coalition", sort=sort).hits]

    trotsky, lenin = "26 October (8 November) 1917", "2 (15) November 1917"
    assert dates("date") == [trotsky, lenin, lenin, None, None]
    assert dates("date-desc") == [lenin, lenin, trotsky, None, None]
    ids = [h.id for h in search(bundled_index, "coalition", sort="date").hits]
    assert ids[1:3] == ["lenin-opposition-resolution:6", "lenin-opposition-resolution:8"]
    with pytest.raises(QueryError, match="Unknown sort 'size'"):
        search(bundled_index, "coalition", sort="size")


@pytest.mark.parametrize("sort", ["relevance", "date", "date-desc"])
def test_pages_add_up_to_the_whole_list(bundled_index: Path, sort: str) -> None:
    everything = [h.id for h in search(bundled_index, "the", limit=100, sort=sort).hits]
    paged = []
    for offset in range(0, len(everything), 4):
        page = search(bundled_index, "the", limit=4, offset=offset, sort=sort)
        assert [h.rank for h in page.hits] == list(range(offset + 1, offset + 1 + len(page.hits)))
        paged.extend(h.id for h in page.hits)
    assert paged == everything
    assert len(set(everything)) == len(everything) > 10


def test_facets_count_the_whole_result_set(bundled_index: Path) -> None:
    result = search(bundled_index, "coalition", limit=1, facets=True)
    assert len(result.hits) == 1 and result.facets is not None
    assert result.facets == {
        "speaker": [("Alpha History editors", 2), ("V. I. Lenin", 2), ("L. D. Trotsky", 1)],
        "author": [("Alpha History editors", 3), ("V. I. Lenin", 2)],
        "type": [("commentary", 2), ("resolution", 2), ("speech", 1)],
        "year": [("1917", 3), ("undated", 2)],
    }
    narrowed = search(bundled_index, "coalition", filters=Filters(type="resolution"), facets=True)
    assert narrowed.facets is not None and narrowed.facets["type"] == [("resolution", 2)]
    assert search(bundled_index, "coalition").facets is None


def test_year_facet_is_in_date_order_and_spans_years() -> None:
    day = dt.date(1911, 6, 1).toordinal()
    facets = count_facets(
        [
            {"speaker": "b", "author": "x", "type": "t", "date_start": day, "date_end": day + 400},
            {"speaker": "a", "author": "x", "type": "t"},
            {"speaker": "b", "author": "x", "type": "t", "date_start": day - 400, "date_end": day - 400},
        ]
    )
    assert facets["year"] == [("1910", 1), ("1911", 1), ("1912", 1), ("undated", 1)]
    assert facets["speaker"] == [("b", 2), ("a", 1)]


# Query language


def test_proximity(bundled_index: Path) -> None:
    text = next(h.text for h in search(bundled_index, "garrison").hits)
    assert "coalition with our garrison" in text
    assert [h.id for h in search(bundled_index, '"coalition garrison"').hits] == []
    near = search(bundled_index, '"coalition garrison"~3').hits
    assert [h.id for h in near] == ["alpha-coalition-terms:11"]
    assert [near[0].passage[s:e] for s, e in near[0].passage_highlights] == ["coalition with our garrison"]


def test_fuzzy_runs_on_the_unstemmed_words(bundled_index: Path) -> None:
    # Kerensky, Kerenski and Kerenskii: three spellings in the collection.
    hits = search(bundled_index, "Kerensky~2", limit=50).hits
    words = {h.text[s:e] for h in hits for s, e in h.highlights}
    assert {"Kerensky", "Kerenski", "Kerenskii"} <= words
    # Variant folding already joins these spellings, so the fuzzy query finds at least as much.
    assert {h.id for h in search(bundled_index, "Kerensky").hits} <= {h.id for h in hits}
    # Inside a phrase "~" is still proximity.
    assert search(bundled_index, '"Soviet power"~2').total >= 2


def test_prefix_and_grouping(bundled_index: Path) -> None:
    hits = search(bundled_index, "revolution*", limit=50).hits
    words = {h.text[s:e].lower() for h in hits for s, e in h.highlights}
    assert {"revolution", "revolutionary"} <= words
    either = {h.id for h in search(bundled_index, "(garrison OR anarchy) coalition", limit=50).hits}
    assert either == {"alpha-coalition-terms:11"}


def test_date_ranges_in_the_query_overlap(bundled_index: Path) -> None:
    def ids(query: str) -> list[str]:
        return sorted(h.id for h in search(bundled_index, query, limit=50).hits)

    assert ids("coalition date:[1917-11-01 TO 1917-11-10]") == ["alpha-coalition-terms:11"]
    assert ids("coalition date:1917-11-15") == [
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]
    # The Izvestiia report, dated "1917-11", overlaps 20-30 November: same as --from.
    assert ids("acceptance date:[1917-11-20 TO]") == ["alpha-coalition-terms:4", "alpha-coalition-terms:6"]
    assert ids("coalition date:[TO 1917-10]") == []
    # Undated paragraphs are not in any range, so NOT a range keeps them.
    assert "alpha-coalition-terms:1" in ids("coalition NOT date:1917-11")


def test_query_errors_name_the_column(bundled_index: Path) -> None:
    with pytest.raises(QueryError, match=r"Invalid date '1917-13'.*\(column 11 of query"):
        search(bundled_index, "coalition date:[1917-13 TO 1917-12]")
    with pytest.raises(QueryError, match="Date range at column 1 .* ends before it starts"):
        search(bundled_index, "date:[1917-12 TO 1917-11] coalition")
    with pytest.raises(QueryError, match="Date range at column 3 .* is not 'date:"):
        search(bundled_index, "x date:[1917-11]")
    with pytest.raises(QueryError, match="Unbalanced quote at column 31"):
        search(bundled_index, 'date:[1917-11 TO 1917-12] and "soviet')
    with pytest.raises(QueryError, match="Date at column 5 .* is incomplete"):
        search(bundled_index, "war date:[1917")
    with pytest.raises(QueryError, match="Unknown field 'dates' at column 3"):
        search(bundled_index, "x dates:1917")


# Suggestions, explain, concordance


def test_did_you_mean_from_the_index_vocabulary(bundled_index: Path) -> None:
    better = suggest(bundled_index, "coalision")
    assert better is not None and (better.query, better.total) == ("coalition", 5)
    assert suggest(bundled_index, "Kerenskyy speaker:trotsky") is None  # finds nothing either way
    assert suggest(bundled_index, '"Soviet powr"') == suggest(bundled_index, '"Soviet powr"')
    fixed = suggest(bundled_index, '"Soviet powr"')
    assert fixed is not None and fixed.query == '"Soviet power"'
    assert suggest(bundled_index, "coalition") is None
    assert suggest(bundled_index, "zzzzqqq") is None


def test_explain_shows_fields_stems_and_expansions(bundled_index: Path) -> None:
    lines = explain(bundled_index, "coalition NOT peasants Kerensky~1 date:1917-11", Filters(speaker="lenin"))
    text = "\n".join(lines)
    assert "word body:coalit (stem of coalition, coalitions)" in text
    assert "not:\n      word body:peasant (stem of peasants)" in text
    assert "fuzzy exact:kerensky (up to 1 edits) -> kerenski, kerensky" in text
    assert "dated on or after 1917-11-01" in text and "dated on or before 1917-11-30" in text
    assert "Filters (must also match):" in text and "word speaker:ленин" in text


def test_kwic_lines_and_sorting(bundled_index: Path) -> None:
    lines = kwic(bundled_index, "coalition")
    assert len(lines) == 8  # every occurrence, three of them in Trotsky's paragraph
    assert [ln.id for ln in lines][:2] == ["alpha-coalition-terms:1", "alpha-coalition-terms:9"]
    for ln in lines:
        assert ln.match.lower().startswith("coalition")
        assert len(ln.left) <= 40 and len(ln.right) <= 40
    left = kwic(bundled_index, "coalition", sort="left")
    assert [ln.left.split()[-2] for ln in left[:3]] == ["be", "effect", "If"]
    right = kwic(bundled_index, "coalition", sort="right")
    assert [re.findall(r"\w+", ln.right)[0] for ln in right] == sorted(
        (re.findall(r"\w+", ln.right)[0] for ln in right), key=str.casefold
    )
    phrase = kwic(bundled_index, '"Soviet power"', filters=Filters(author="lenin"))
    assert [ln.match for ln in phrase] == ["Soviet power", "Soviet power"]


def test_sentence_model_is_retrained_only_when_much_changed(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build_index([corpus], index)
    model = index / MODEL_FILE
    first = model.read_text(encoding="utf-8")
    # One file in three changes: retrained. The same model text, but written again.
    model.write_text("{}", encoding="utf-8")
    (corpus / "plain.md").write_text("Another plain document. It has two sentences.\n", encoding="utf-8")
    build_index([corpus], index)
    assert model.read_text(encoding="utf-8") != "{}"
    assert json.loads(model.read_text(encoding="utf-8")).keys() == json.loads(first).keys()
    # A small update in a large collection keeps the model as it is.
    from searchkit.sentences import train_from_index

    model.write_text("{}", encoding="utf-8")
    train_from_index(index, changed=1, documents=100)
    assert model.read_text(encoding="utf-8") == "{}"
    # An unreadable model only means an untrained splitter, never an error.
    assert load_splitter(index)("One. Two.") == [(0, 4), (5, 9)]
