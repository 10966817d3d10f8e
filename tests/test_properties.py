"""Property-based tests (hypothesis): whatever text comes in, the parsers either succeed with
well-formed results or raise a one-line SearchkitError; highlights are sorted, in bounds and on word
boundaries; renderers always give valid JSON.

``bench/fuzz.py`` runs the same properties with many more examples.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit import render, search
from searchkit.analysis import body_analyzer, body_term, exact_analyzer, exact_term, hyphen_groups, word_spans
from searchkit.dates import parse_date
from searchkit.errors import DateError, QueryError, SearchkitError, SourceError
from searchkit.highlight import MatchSpec, highlight, make_passage
from searchkit.query import Hit, parse_query
from searchkit.schema import make_schema
from searchkit.sources import decode_source, parse_document

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("SEARCHKIT_FUZZ_EXAMPLES", "2000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("SEARCHKIT_HYPOTHESIS_PROFILE", "ci"))

#: How many inputs each property was given (read by bench/fuzz.py).
CALLS: Counter[str] = Counter()

# Text with the characters that matter to the formats: line breaks, '---', ':::', quotes, braces.
PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\r\n",
        "---",
        ":::",
        "::: {",
        "}",
        '"',
        "'",
        "=",
        ":",
        " ",
        "\t",
        "date",
        "speaker",
        "type",
    ]
    + ["title: ", "- ", "[", "]", "&a", "*a", "!!", "1917-11-07", "1917-02-30", "\ufeff", "\x00", "é", "ʼ"]
)
SOURCE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)
QUERY_PIECES = st.sampled_from(
    ['"', "(", ")", "*", "?", "~", "^", ":", "AND", "OR", "NOT", "ANDNOT", " ", "title:", "author:", "exact:"]
    + ["[", "]", "{", "}", "TO", "coalition", "government", "soviet", "\\", "'", "-", "+", "2", "é"]
)
QUERY_TEXT = st.lists(st.one_of(QUERY_PIECES, st.text(max_size=6)), min_size=1, max_size=25).map("".join)


def one_line(error: Exception) -> None:
    assert isinstance(error, SearchkitError)
    assert "\n" not in str(error).replace("\r", "")


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_fail_cleanly(raw: bytes) -> None:
    CALLS["decode_source"] += 1
    try:
        text = decode_source(raw, "f.md")
    except SourceError as e:
        one_line(e)
        return
    assert "\x00" not in text


@given(SOURCE_TEXT)
def test_source_parser(text: str) -> None:
    CALLS["parse_document"] += 1
    try:
        doc = parse_document(text, "dir/name.md")
    except SourceError as e:
        assert str(e).startswith("dir/name.md")
        assert "\n" not in str(e).replace(repr("\n"), "")
        return
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    for para in doc.paragraphs:
        assert para.text and para.text == para.text.strip() and "\n" not in para.text
        assert 1 <= para.line <= len(lines)
        assert para.date is None or para.date.start <= para.date.end
    json.dumps(doc.extra, allow_nan=False)
    assert doc.id and doc.title


@given(st.dictionaries(st.text(max_size=8), st.recursive(st.none() | st.integers() | st.text(), st.lists)))
def test_front_matter_round_trip(meta: dict[str, object]) -> None:
    CALLS["front_matter"] += 1
    block = yaml.safe_dump(meta, allow_unicode=True)
    try:
        doc = parse_document(f"---\n{block}---\nBody.\n", "x.md")
    except SourceError as e:
        one_line(e)
        return
    json.dumps(doc.extra, allow_nan=False)
    assert [p.text for p in doc.paragraphs] == ["Body."]


@given(st.text(max_size=200))
def test_analyzers_agree_with_the_highlighter(text: str) -> None:
    """The indexed terms are exactly the highlighter's words, analysed the same way."""
    CALLS["analyzer"] += 1
    spans = list(word_spans(text))
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    assert spans == sorted(spans)
    # The body analyzer also indexes each hyphenated word joined ("to-day" -> today), spanning
    # its parts, right after them.
    joined = {spans[last]: (spans[first][0], spans[last][1]) for first, last in hyphen_groups(text, spans)}
    for analyzer, term, joins in ((body_analyzer(), body_term, True), (exact_analyzer(), exact_term, False)):
        tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, positions=True)]
        expected = []
        for s, e in spans:
            expected.append((term(text[s:e]), s, e))
            if joins and (s, e) in joined:
                js, je = joined[(s, e)]
                expected.append((term("".join(text[a:b] for a, b in spans if js <= a and b <= je)), js, je))
        assert tokens == expected


@given(QUERY_TEXT)
def test_query_parser(text: str) -> None:
    CALLS["query_parser"] += 1
    try:
        parse_query(SCHEMA, text)
    except QueryError as e:
        one_line(e)


SCHEMA = make_schema()


@given(QUERY_TEXT)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_search_never_crashes(bundled_index: Path, text: str) -> None:
    CALLS["search"] += 1
    try:
        result = search(bundled_index, text, limit=3)
    except QueryError as e:
        one_line(e)
        return
    for hit in result.hits:
        check_ranges(hit.text, hit.highlights)
        check_ranges(hit.passage, hit.passage_highlights)
        json.loads(next(render.json_hits([hit])))


@given(st.one_of(st.text(max_size=15), st.from_regex(r"\A\s*\d{1,5}(-\d{1,3}(-\d{1,3})?)?\s*\Z")))
def test_date_parsing(text: str) -> None:
    CALLS["parse_date"] += 1
    try:
        d = parse_date(text)
    except DateError as e:
        one_line(e)
        return
    assert d.start <= d.end
    assert parse_date(d.text) == d


@given(st.dates())
def test_dates_round_trip(day: object) -> None:
    CALLS["date_round_trip"] += 1
    d = parse_date(str(day))
    assert d.start == d.end == day


WORDS = st.sampled_from(["coalition", "coalitions", "Soviet", "soviets", "bread", "peace", "l'Etat", "é"])
PARAGRAPH = st.lists(
    st.one_of(WORDS, st.text(max_size=5), st.sampled_from([" ", "  ", ", ", "—", "\n"])), max_size=120
).map("".join)


def check_ranges(text: str, ranges: tuple[tuple[int, int], ...]) -> None:
    assert list(ranges) == sorted(ranges)
    for (_, e1), (s2, _) in zip(ranges, ranges[1:], strict=False):
        assert e1 <= s2  # do not overlap
    for s, e in ranges:
        assert 0 <= s < e <= len(text)


@given(PARAGRAPH, st.lists(WORDS, max_size=3), st.lists(WORDS, min_size=1, max_size=3), st.integers(0, 4))
def test_highlighter(text: str, terms: list[str], phrase: list[str], slop: int) -> None:
    CALLS["highlighter"] += 1
    spec = MatchSpec(
        frozenset(("body", body_term(t)) for t in terms),
        (("exact", tuple(exact_term(w) for w in phrase), slop),),
    )
    ranges = highlight(text, spec)
    check_ranges(text, ranges)
    spans = list(word_spans(text))
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for s, e in ranges:  # on word boundaries
        assert s in starts and e in ends
    passage, inside = make_passage(text, ranges, max_chars=60)
    check_ranges(passage, inside)


def _hit(text: str, title: str, extra: dict[str, object]) -> Hit:
    return Hit(
        rank=1,
        id=f"{title}:1",
        doc=title,
        source=f"sources/{title}.md",
        paragraph=1,
        line=1,
        title=title,
        author=title,
        speaker=text[:5],
        date=None,
        type="speech",
        score=1.5,
        text=text,
        highlights=((0, min(1, len(text))),) if text else (),
        passage=text,
        passage_highlights=(),
        extra=extra,
    )


@given(st.text(), st.text(max_size=20), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
def test_renderers(text: str, title: str, extra: dict[str, object]) -> None:
    CALLS["renderers"] += 1
    hit = _hit(text, title, extra)
    (line,) = list(render.json_hits([hit]))
    assert "\n" not in line
    record = json.loads(line)
    assert (record["text"], record["title"], record["extra"]) == (text, title, extra)
    plain = "\n".join(render.text_hits([hit], color=False))
    assert title in plain
