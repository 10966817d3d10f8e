"""Variant folding: recall and precision on tests/data/variants.tsv, and the rules one by one.

Run ``python tests/test_variants.py`` to print the figures and every pair the folding gets wrong.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchkit.analysis import body_analyzer, body_term, name_words
from searchkit.variants import normalise

PAIRS = Path(__file__).resolve().parent / "data" / "variants.tsv"


def load_pairs() -> list[tuple[str, str, str, str]]:
    with open(PAIRS, encoding="utf-8") as f:
        rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
        next(rows)
        return [(a, b, label, kind) for a, b, label, kind in rows]


def finds(query: str, text: str) -> bool:
    """Would a search for ``query`` find a paragraph that says ``text``?"""
    ana = body_analyzer()
    wanted = {t.text for t in ana(query, mode="query")}
    have = {t.text for t in ana(text, mode="index")}
    return bool(wanted) and wanted <= have


def folded(a: str, b: str) -> bool:
    """Both directions: ``a`` finds ``b`` and ``b`` finds ``a``."""
    return finds(a, b) and finds(b, a)


def figures() -> tuple[float, float, list[tuple[str, str, str, str]]]:
    pairs = load_pairs()
    wrong = [p for p in pairs if folded(p[0], p[1]) != (p[2] == "variant")]
    true_pos = sum(1 for a, b, label, _ in pairs if label == "variant" and folded(a, b))
    variants = sum(1 for p in pairs if p[2] == "variant")
    merged = sum(1 for a, b, _, _ in pairs if folded(a, b))
    return true_pos / variants, true_pos / merged, wrong


def test_the_list_is_big_enough_and_well_formed() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 150
    assert {label for _, _, label, _ in pairs} == {"variant", "distinct"}
    assert sum(1 for p in pairs if p[2] == "distinct") >= 50


def test_recall_and_precision_floors() -> None:
    recall, precision, wrong = figures()
    assert recall >= 0.93, wrong
    assert precision >= 0.97, wrong


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kerensky", "Kerenskii"),
        ("Kerenskij", "Kérensky"),
        ("Trotzky", "Trotskii"),
        ("Petrovitch", "Petrovich"),
        ("Korniloff", "Kornilov"),
        ("Izviestia", "Izvestiya"),
        ("Lenin", "Lenine"),
        ("Керенский", "Kerensky"),
        ("scepticism", "skeptics"),
        ("organisation", "organization"),
        ("programme", "program"),
        ("labour", "labor"),
        ("defence", "defense"),
        ("centre", "center"),
    ],
)
def test_examples_of_the_issue_fold_both_ways(a: str, b: str) -> None:
    assert folded(a, b)


@pytest.mark.parametrize(("a", "b"), [("sky", "ski"), ("cutoff", "cutov"), ("twitch", "twich")])
def test_english_words_stay_apart(a: str, b: str) -> None:
    assert body_term(a) != body_term(b)


def test_hyphenated_and_joined_forms() -> None:
    assert finds("today", "Verkhovski came to see me to-day.")
    assert finds("to-day", "I came today")
    assert finds("whole-heartedly", "support it wholeheartedly")
    assert finds("co-operation", "cooperation")
    # the parts stay searchable
    assert finds("revolution", "the counter-revolution")


def test_possessives_keep_their_variant_folding() -> None:
    assert body_term("Kerenskii’s") == body_term("Kerensky's")
    assert normalise("korniloff's") == "kornilov's"


def test_names_fold_without_stemming() -> None:
    assert name_words("Trotzky") == name_words("Trotsky") == name_words("Троцкий")
    # English words stay as they are; a name that is not an English word becomes its key
    assert name_words("Sir George Buchanan") == ["sir", *name_words("George"), "buchanan"]


@given(st.text())
def test_analysis_never_raises_and_highlights_stay_in_bounds(text: str) -> None:
    from searchkit.highlight import MatchSpec, highlight

    terms = [t.text for t in body_analyzer()(text, mode="index")]
    spec = MatchSpec(frozenset(("body", t) for t in terms[:5]), (("body", tuple(terms[:2]), 1),))
    ranges = highlight(text, spec)
    assert all(0 <= s < e <= len(text) for s, e in ranges)
    assert list(ranges) == sorted(ranges)


@given(st.text(alphabet="-abcдеskivtzof' ", max_size=30))
def test_hyphenated_text_highlights_what_it_matches(text: str) -> None:
    from searchkit.highlight import MatchSpec, highlight

    for t in body_analyzer()(text, mode="query"):
        assert highlight(text, MatchSpec(frozenset({("body", t.text)})))


if __name__ == "__main__":
    r, p, bad = figures()
    n = len(load_pairs())
    print(f"{n} pairs: recall {r:.3f}, precision {p:.3f}")
    for a, b, label, kind in bad:
        print(f"  wrong: {a} / {b} ({label}, {kind})")
    sys.exit(0)
