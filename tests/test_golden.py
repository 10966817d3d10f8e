"""Search results stay exactly as recorded before the speed work (issue 7): ids, scores,
highlights, passages, totals and facets, for every query class of the speed benchmark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from golden_cases import CASES, GOLDEN, as_data, case_id, golden_index, make_filters

from searchkit import search

EXPECTED: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden_index(tmp_path_factory.mktemp("golden"))


def test_every_case_is_recorded() -> None:
    assert sorted(EXPECTED) == sorted(case_id(text, kwargs) for text, kwargs in CASES)


@pytest.mark.parametrize(("text", "kwargs"), CASES, ids=[case_id(t, k) for t, k in CASES])
def test_results_unchanged(index: Path, text: str, kwargs: dict[str, Any]) -> None:
    args = dict(kwargs)
    if "filters" in args:
        args["filters"] = make_filters(args["filters"])
    assert as_data(search(index, text, **args)) == EXPECTED[case_id(text, kwargs)]


def test_word_spans_are_nltks() -> None:
    """Words are found without importing NLTK, exactly as its RegexpTokenizer finds them."""
    from nltk.tokenize import RegexpTokenizer

    from searchkit.analysis import WORD_PATTERN, word_spans

    nltk_tokenizer = RegexpTokenizer(WORD_PATTERN)
    files = [p for p in (Path(__file__).parent / "data").rglob("*") if p.suffix in (".md", ".txt", ".xml")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        text += " Kérensky’s ﬁrst ＦＵＬＬ-width e\u0301t\u00e9 naïve ΔЖ 1917-11-14 _x_ a'b ʼc"
        assert list(word_spans(text)) == list(nltk_tokenizer.span_tokenize(text)), path
