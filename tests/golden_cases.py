"""The fixed queries of tests/test_golden.py, and how their results are turned into plain data.

The expected results in tests/data/golden_search.json were recorded with
``.venv/bin/python tools/record_golden.py`` before the speed work of issue 7; every optimisation
must leave them unchanged (ids, scores, highlights, passages, totals, facets).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from searchkit import Filters, SearchResult, build_index, parse_date

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "data" / "golden_search.json"

#: (query, keyword arguments of ``search``): every query class of bench/speed.py and more.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("coalition", {}),
    ("Kerensky", {}),
    ("the", {"limit": 20}),
    ("power soviet", {}),
    ("war OR peace", {"limit": 15}),
    ('"Soviet power"', {}),
    ('"the Central Committee"', {}),
    ('"land peace"~5', {}),
    ("coalition", {"filters": {"speaker": "trotsky"}}),
    ("government", {"filters": {"author": "kerensky"}}),
    ("party", {"filters": {"date_from": "1917-11-01", "date_to": "1917-11-30"}}),
    ("people", {"filters": {"date_from": "1917"}}),
    ("revolution*", {}),
    ("Kerensky~2", {}),
    ("exact:Kerensky", {}),
    ("power NOT soviet", {}),
    ("title:coalition", {}),
    ("the", {"facets": True, "limit": 3}),
    ("power", {"facets": True, "filters": {"type": "speech"}}),
    ("war", {"sort": "date", "limit": 8}),
    ("war", {"sort": "date-desc", "limit": 8, "offset": 2}),
    ("coalition", {"limit": 3, "offset": 3}),
    ("what did Trotsky say about a coalition?", {"any_words": True}),
    ("date:1917-11", {"limit": 5}),
    ("to-day", {}),
    ('"to-day he said"', {}),
    ("nation", {"facets": True}),
    ("states", {"limit": 5}),
    ('"United States"', {"limit": 5}),
    ("government people", {"limit": 3}),
    ("the", {"sort": "date", "limit": 5}),
    ("of", {"limit": 5, "filters": {"speaker": "trotsky"}}),
]


def golden_index(base: Path) -> Path:
    """Build the golden index in ``base`` from copies of the bundled collection and test data."""
    roots = []
    for name, src in [
        ("bundled", REPO / "sources"),
        ("passages", TESTS / "data" / "passages"),
        ("speeches", TESTS / "data" / "formats" / "speeches"),
        ("gutenberg", TESTS / "data" / "formats" / "gutenberg"),
    ]:
        shutil.copytree(src, base / name)
        roots.append(base / name)
    stats = build_index(roots, base / "index")
    assert not stats.errors, stats.errors
    return base / "index"


def make_filters(spec: dict[str, str]) -> Filters:
    kwargs: dict[str, Any] = dict(spec)
    for key in ("date_from", "date_to"):
        if key in kwargs:
            kwargs[key] = parse_date(kwargs[key])
    return Filters(**kwargs)


def as_data(result: SearchResult) -> dict[str, Any]:
    """The parts of a result that must not change, as JSON-ready data."""
    return {
        "total": result.total,
        "query": result.query,
        "facets": {k: [list(kv) for kv in v] for k, v in result.facets.items()} if result.facets else None,
        "hits": [
            {
                "rank": h.rank,
                "id": h.id,
                "score": round(h.score, 5),
                "highlights": [list(r) for r in h.highlights],
                "passage": h.passage,
                "passage_highlights": [list(r) for r in h.passage_highlights],
                "date": h.date,
                "speaker": h.speaker,
            }
            for h in result.hits
        ],
    }


def case_id(text: str, kwargs: dict[str, Any]) -> str:
    return f"{text} {sorted(kwargs.items())}"
