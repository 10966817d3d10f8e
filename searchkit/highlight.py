"""Find what to highlight in a paragraph, and cut a passage around it.

Highlights are data: sorted, non-overlapping ``(start, end)`` character ranges into the text,
rendered later by :mod:`searchkit.render`. A paragraph is analysed the same way it was indexed, so
a stemmed match ("coalitions" for ``coalition``) lights up, and a phrase lights up only where its
words stand together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from searchkit.analysis import body_term, exact_term, hyphen_groups, word_spans

Range = tuple[int, int]

#: A paragraph longer than this is cut to a passage (of at most this many characters).
PASSAGE_CHARS = 320

#: Fields whose terms are looked for in the paragraph text, and how a word is turned into a term.
_FORMS: dict[str, Callable[[str], str]] = {
    "body": body_term,
    "exact": exact_term,
}


@dataclass(frozen=True)
class MatchSpec:
    """What to highlight: single terms and phrases as ``(field, analysed words, slop)``."""

    terms: frozenset[tuple[str, str]] = frozenset()
    phrases: tuple[tuple[str, tuple[str, ...], int], ...] = ()


def highlight(text: str, spec: MatchSpec) -> tuple[Range, ...]:
    """The character ranges of ``text`` that match ``spec``."""
    fields = {f for f, _ in spec.terms} | {f for f, _, _ in spec.phrases}
    fields &= set(_FORMS)
    if not fields:
        return ()
    spans = list(word_spans(text))
    forms = {f: [_FORMS[f](text[s:e]) for s, e in spans] for f in fields}
    ranges: list[Range] = []
    for i, (s, e) in enumerate(spans):
        if any((f, forms[f][i]) in spec.terms for f in fields):
            ranges.append((s, e))
    for fieldname, words, slop in spec.phrases:
        if fieldname in forms:
            ranges.extend(_phrase_ranges(spans, forms[fieldname], words, slop))
    if "body" in fields:
        ranges.extend(_joined_ranges(text, spans, spec))
    return merge_ranges(ranges)


def _joined_ranges(text: str, spans: list[Range], spec: MatchSpec) -> list[Range]:
    """Hyphenated words matched by their joined form ("to-day" for ``today``), alone or in a
    phrase, as the body analyzer indexes them."""
    groups = hyphen_groups(text, spans)
    if not groups:
        return []
    ranges: list[Range] = []
    units: list[Range] = []
    forms: list[str] = []
    starts = {first: last for first, last in groups}
    i = 0
    while i < len(spans):
        last = starts.get(i, i)
        unit = (spans[i][0], spans[last][1])
        form = body_term("".join(text[s:e] for s, e in spans[i : last + 1]))
        if last > i and ("body", form) in spec.terms:
            ranges.append(unit)
        units.append(unit)
        forms.append(form)
        i = last + 1
    for fieldname, words, slop in spec.phrases:
        if fieldname == "body":
            ranges.extend(_phrase_ranges(units, forms, words, slop))
    return ranges


def _phrase_ranges(
    spans: Sequence[Range], forms: Sequence[str], words: Sequence[str], slop: int
) -> list[Range]:
    """Ranges of the phrase ``words`` in order, each gap at most ``slop - 1`` extra words."""
    if not words:
        return []
    found = []
    for i, form in enumerate(forms):
        if form != words[0]:
            continue
        pos, ok = i, True
        for word in words[1:]:
            nxt = next(
                (j for j in range(pos + 1, min(len(forms), pos + 1 + max(slop, 1))) if forms[j] == word),
                None,
            )
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            found.append((spans[i][0], spans[pos][1]))
    return found


def merge_ranges(ranges: Sequence[Range]) -> tuple[Range, ...]:
    """Sort ranges and merge those that overlap."""
    merged: list[Range] = []
    for s, e in sorted(ranges):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def make_passage(
    text: str,
    ranges: Sequence[Range],
    sentences: Sequence[Range] | None = None,
    max_chars: int = PASSAGE_CHARS,
) -> tuple[str, tuple[Range, ...]]:
    """The part of ``text`` to show, with its own highlight ranges.

    A short paragraph is shown whole. A long one is cut to whole sentences (``sentences`` are
    their spans): the sentence with the most matches and, if there is room, the neighbour with
    more matches. A sentence longer than ``max_chars`` is itself cut around its densest run of
    matches, at word boundaries. Cuts are marked with "…".
    """
    if len(text) <= max_chars:
        return text, tuple(ranges)
    spans = [(s, e) for s, e in (sentences or [(0, len(text))]) if e > s] or [(0, len(text))]
    counts = [sum(1 for r, _ in ranges if s <= r < e) for s, e in spans]
    best = max(range(len(spans)), key=lambda i: (counts[i], -i))
    start, end = spans[best]
    # One neighbour, the one with more matches (the following one on a tie), if it fits.
    neighbours = [i for i in (best + 1, best - 1) if 0 <= i < len(spans)]
    neighbours.sort(key=lambda i: -counts[i])
    for i in neighbours:
        lo, hi = min(start, spans[i][0]), max(end, spans[i][1])
        if hi - lo <= max_chars:
            start, end = lo, hi
            break
    if end - start > max_chars:
        start, end = _window(text, start, end, [r for r in ranges if start <= r[0] < end], max_chars)
    return _cut(text, start, end, ranges)


def _window(text: str, lo: int, hi: int, ranges: Sequence[Range], max_chars: int) -> Range:
    """A window of at most ``max_chars`` inside ``[lo, hi)`` around the densest matches,
    moved inward to word boundaries so that no word is cut."""
    anchor = _densest(ranges, max_chars) if ranges else lo
    start = max(lo, anchor - max_chars // 3)
    end = min(hi, start + max_chars)
    start = max(lo, min(start, end - max_chars))
    if start > lo:
        while start < end and not text[start - 1].isspace():
            start += 1
    if end < hi:
        while end > start and not text[end].isspace():
            end -= 1
    return start, end


def _cut(text: str, start: int, end: int, ranges: Sequence[Range]) -> tuple[str, tuple[Range, ...]]:
    """``text[start:end]`` stripped, with "…" where text was left out, and its ranges shifted."""
    piece = text[start:end].strip()
    lead = text.index(piece, start) if piece else start
    prefix = "… " if text[:lead].strip() else ""
    suffix = " …" if text[lead + len(piece) :].strip() else ""
    shift = len(prefix) - lead
    inside = tuple(
        (max(s, lead) + shift, min(e, lead + len(piece)) + shift)
        for s, e in ranges
        if e > lead and s < lead + len(piece)
    )
    return prefix + piece + suffix, inside


def _densest(ranges: Sequence[Range], width: int) -> int:
    """The start of the range that begins the window of ``width`` holding the most matches."""
    if not ranges:
        return 0
    best, best_count = ranges[0][0], 0
    for i, (s, _) in enumerate(ranges):
        count = sum(1 for s2, _ in ranges[i:] if s2 - s < width * 2 // 3)
        if count > best_count:
            best, best_count = s, count
    return best
