"""Properties of the query rewriting and of passages, on arbitrary input (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.errors import QueryError
from searchkit.highlight import make_passage
from searchkit.query import parse_query
from searchkit.schema import make_schema

SCHEMA = make_schema()
QUERYISH = st.text(alphabet=st.sampled_from(list('ab date:[]TO 1917-11~2*"()NOT OR')), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(QUERYISH, st.text(max_size=30)))
def test_parse_query_returns_a_query_or_raises_query_error(text: str) -> None:
    try:
        parse_query(SCHEMA, text)
    except QueryError:
        pass


WORDS = st.lists(
    st.sampled_from(["war", "peace.", "Mr.", "land", "coalition,", "…", "Soviet!", "a"]), max_size=120
)


@settings(max_examples=200, deadline=None)
@given(WORDS, st.data())
def test_passages_are_in_bounds_and_never_cut_a_word(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    starts = [i for i in range(len(text)) if text[i].isalnum() and (i == 0 or text[i - 1] == " ")]
    picked = data.draw(st.lists(st.sampled_from(starts), unique=True) if starts else st.just([]))
    ranges = sorted((s, text.find(" ", s) if " " in text[s:] else len(text)) for s in picked)
    # Sentences: split after ".", "!" and "…", as Punkt would roughly do.
    spans, begin = [], 0
    for i, ch in enumerate(text):
        if ch in ".!…" and (i + 1 == len(text) or text[i + 1] == " "):
            spans.append((begin, i + 1))
            begin = i + 2
    if begin < len(text):
        spans.append((begin, len(text)))
    passage, inside = make_passage(text, ranges, spans, max_chars=80)
    inner = passage.removeprefix("… ").removesuffix(" …")
    start = text.find(inner)
    assert start >= 0
    end = start + len(inner)
    assert start == 0 or text[start - 1] == " "
    assert end == len(text) or text[end] == " "
    assert len(inner) <= max(80, len(text) if len(text) <= 80 else 80)
    for s, e in inside:
        assert 0 <= s < e <= len(passage)
