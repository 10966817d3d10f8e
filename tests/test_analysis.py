from __future__ import annotations

from searchkit.analysis import body_analyzer, body_term, exact_analyzer, fold, name_words


def analyse(text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in body_analyzer()(text, chars=True)]


def test_curly_apostrophes_and_possessives() -> None:
    assert [t for t, _, _ in analyse("Workers’, Soldiers’ and Peasants’ Deputies")] == [
        "worker",
        "soldier",
        "and",
        "peasant",
        "deputi",
    ]
    # "Russia" is no word of the English word list: it becomes its romanization key, the same
    # with and without the possessive
    assert [t for t, _, _ in analyse("Russia’s majority's")] == [body_term("Russia"), "major"]


def test_spans_point_at_the_original_characters() -> None:
    text = "the Bolsheviks\u00a0to effect a “coalition”"
    for word, start, end in analyse(text):
        assert fold(text[start:end]).startswith(word[:3])
    assert [text[s:e] for _, s, e in analyse(text)] == ["the", "Bolsheviks", "to", "effect", "a", "coalition"]


def test_accents_and_case_fold() -> None:
    assert analyse("Kérensky")[0][0] == analyse("KERENSKY")[0][0]
    assert fold("Léon") == "leon"


def test_exact_field_keeps_the_spelling() -> None:
    assert [t.text for t in exact_analyzer()("Coalitions Workers’")] == ["coalitions", "workers"]


def test_name_words() -> None:
    assert name_words("L. D. Trotsky") == ["l", "d", "троск"] == name_words("L. D. Trotzky")
    assert name_words("Léon Bakst") == name_words("Leon Bakst") == name_words("Леон Бакст")
