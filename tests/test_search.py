"""The core behaviours on the bundled 1917 collection, through the library API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchkit import Filters, QueryError, search
from searchkit.sources import read_sources
from tests.conftest import BUNDLED


def ids(index: Path, query: str, **filters: str) -> list[str]:
    return sorted(h.id for h in search(index, query, filters=Filters.build(**filters), limit=100).hits)


def paragraphs_matching(pattern: str) -> list[str]:
    """Citation ids of bundled paragraphs whose text matches ``pattern``: the ground truth."""
    found = []
    for doc in read_sources(BUNDLED):
        for p in doc.paragraphs:
            if re.search(pattern, p.text, re.IGNORECASE):
                found.append(f"{doc.id}:{p.number}")
    return sorted(found)


def test_coalition_finds_every_paragraph_with_coalition_and_nothing_else(bundled_index: Path) -> None:
    expected = paragraphs_matching(r"\bcoalitions?\b")
    assert ids(bundled_index, "coalition") == expected
    # Lenin's points 6 and 8, Trotsky's speech, the editors' sentence about it, and the page heading.
    assert expected == [
        "alpha-coalition-terms:1",
        "alpha-coalition-terms:11",
        "alpha-coalition-terms:9",
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]


def test_coalition_by_trotsky_is_only_his_own_words(bundled_index: Path) -> None:
    hits = search(bundled_index, "coalition", filters=Filters(speaker="trotsky")).hits
    assert [h.id for h in hits] == ["alpha-coalition-terms:11"]
    assert hits[0].speaker == "L. D. Trotsky"
    assert hits[0].author == "Alpha History editors"


def test_soviet_power_phrase(bundled_index: Path) -> None:
    assert ids(bundled_index, '"Soviet power"') == [
        "lenin-opposition-resolution:3",
        "lenin-opposition-resolution:5",
    ]
    assert "lenin-opposition-resolution:4" in ids(bundled_index, "soviet power")


def test_type_filter(bundled_index: Path) -> None:
    hits = ids(bundled_index, "verkhovski", type="diary")
    assert hits == ["buchanan-diary-verkhovsky:1", "knox-diary-verkhovsky:1"]
    assert ids(bundled_index, "coalition", type="speech") == ["alpha-coalition-terms:11"]
    assert ids(bundled_index, "coalition", type="resolution") == [
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]


def test_date_filters_match_by_overlap(bundled_index: Path) -> None:
    # The Izvestiia report is dated "1917-11": the whole month overlaps 20-30 November.
    assert ids(bundled_index, "acceptance", date_from="1917-11-20") == [
        "alpha-coalition-terms:4",
        "alpha-coalition-terms:6",
    ]
    # Trotsky's speech (8 Nov) is in range, the undated editors' sentence never is.
    assert ids(bundled_index, "coalition", date_from="1917-11-01", date_to="1917-11-10") == [
        "alpha-coalition-terms:11"
    ]
    assert ids(bundled_index, "coalition", date_from="1917-11-15", date_to="1917-11-15") == [
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]
    assert ids(bundled_index, "coalition", date_to="1917-10") == []


def test_workers_finds_curly_apostrophe(bundled_index: Path) -> None:
    hits = search(bundled_index, "workers", limit=100).hits
    assert "lenin-opposition-resolution:4" in {h.id for h in hits}
    h = next(h for h in hits if h.id == "lenin-opposition-resolution:4")
    assert h.text[h.highlights[0][0] : h.highlights[0][1]] == "Workers"


def test_author_filter_by_any_part_of_the_name(bundled_index: Path) -> None:
    assert ids(bundled_index, "russia", author="LENIN") == ids(bundled_index, "russia", author="v. i. lenin")
    assert ids(bundled_index, "russia", author="lenin")
    assert ids(bundled_index, "russia", author="trotsky") == []


def test_highlights_are_stemmed_matches_and_phrase_only(bundled_index: Path) -> None:
    hit = search(bundled_index, "coalition", filters=Filters(type="commentary")).hits[0]
    assert [hit.text[s:e] for s, e in hit.highlights] == ["COALITIONS"]
    for hit in search(bundled_index, '"Soviet power"').hits:
        assert {hit.text[s:e] for s, e in hit.highlights} == {"Soviet power"}


def test_not_terms_are_not_highlighted(bundled_index: Path) -> None:
    for hit in search(bundled_index, "coalition NOT peasants").hits:
        assert all(hit.text[s:e].lower().startswith("coalition") for s, e in hit.highlights)
        assert "peasant" not in hit.text.lower()


def test_ranking_is_deterministic_with_ties_by_date_then_id(bundled_index: Path) -> None:
    first = [(h.id, h.score) for h in search(bundled_index, "central committee", limit=50).hits]
    assert first == [(h.id, h.score) for h in search(bundled_index, "central committee", limit=50).hits]
    scores = [s for _, s in first]
    assert scores == sorted(scores, reverse=True)


def test_query_errors(bundled_index: Path) -> None:
    with pytest.raises(QueryError, match="Unbalanced quote at column 8"):
        search(bundled_index, 'soviet "power')
    with pytest.raises(QueryError, match=r"Unbalanced '\(' at column 1"):
        search(bundled_index, "(soviet power")
    with pytest.raises(QueryError, match="Unknown field 'spekaer'"):
        search(bundled_index, "spekaer:trotsky")
    with pytest.raises(QueryError, match="Empty query"):
        search(bundled_index, "   ")
    with pytest.raises(QueryError, match="has no words"):
        search(bundled_index, "() ,;")


def test_field_queries(bundled_index: Path) -> None:
    assert ids(bundled_index, "speaker:trotsky coalition") == ["alpha-coalition-terms:11"]
    assert ids(bundled_index, "exact:coalitions") == ["alpha-coalition-terms:1"]
    assert ids(bundled_index, "exact:skeptics") == ["lenin-opposition-resolution:9"]
