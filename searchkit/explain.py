"""``--explain``: how a query was understood, as an indented tree of plain sentences.

Shows the fields, the stems a word became and the index words they stand for (for a name, every
spelling it was joined with: :func:`joined_spellings` gives the same as data), what prefixes,
wildcards and fuzzy words expanded to, date ranges as dates, and the filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.analysis import body_analyzer, body_term
from searchkit.offices import load_tenures
from searchkit.query import Filters, filter_query, parse_query
from searchkit.storage import open_searcher

#: At most this many index words are listed for one stem or expansion.
_SHOWN = 8


def explain(index_dir: Path, text: str, filters: Filters | None = None) -> list[str]:
    """Lines describing how ``text`` (and ``filters``) are searched in the index."""
    lines = [f"Query: {text}"]
    with open_searcher(index_dir) as searcher:
        parsed = parse_query(searcher.schema, text)
        reader = searcher.reader()
        lines.extend(_describe(parsed, reader, 1))
        fq = filter_query(filters or Filters(), load_tenures(index_dir) if filters and filters.role else None)
        if fq is not None:
            lines.append("Filters (must also match):")
            lines.extend(_describe(fq, reader, 1))
    return lines


def _describe(node: Any, reader: Any, depth: int) -> list[str]:
    from whoosh import query as q

    pad = "  " * depth
    if isinstance(node, (q.And, q.Or)) and len(node.subqueries) == 1:
        return _describe(node.subqueries[0], reader, depth)
    if isinstance(node, q.And):
        return [f"{pad}all of:", *_children(node, reader, depth)]
    if isinstance(node, q.Or):
        return [f"{pad}any of:", *_children(node, reader, depth)]
    if isinstance(node, q.Not):
        return [f"{pad}not:", *_describe(node.query, reader, depth + 1)]
    if isinstance(node, q.AndNot):
        return [
            f"{pad}all of:",
            *_describe(node.a, reader, depth + 1),
            f"{pad}  but not:",
            *_describe(node.b, reader, depth + 2),
        ]
    if isinstance(node, q.Phrase):
        words = " ".join(node.words)
        near = f", up to {node.slop - 1} other words between them" if node.slop > 1 else ""
        return [f'{pad}phrase {node.fieldname}:"{words}" (stems in this order{near})']
    if isinstance(node, q.NumericRange) and node.fieldname in ("date_start", "date_end"):
        if node.fieldname == "date_end":
            return [f"{pad}dated on or after {dt.date.fromordinal(node.start)}"]
        return [f"{pad}dated on or before {dt.date.fromordinal(node.end)}"]
    if isinstance(node, q.NumericRange) and node.fieldname in ("about_start", "about_end"):
        if node.fieldname == "about_end":
            return [f"{pad}describing a period that ends on or after {dt.date.fromordinal(node.start)}"]
        return [f"{pad}describing a period that starts on or before {dt.date.fromordinal(node.end)}"]
    if isinstance(node, q.FuzzyTerm):
        found = _words(node, reader)
        return [f"{pad}fuzzy {node.fieldname}:{node.text} (up to {node.maxdist} edits) -> {found}"]
    if isinstance(node, q.MultiTerm):
        return [f"{pad}{type(node).__name__.lower()} {node} -> {_words(node, reader)}"]
    if isinstance(node, q.Term):
        return [f"{pad}{_term(node, reader)}"]
    return [f"{pad}{node}"]


def _children(node: Any, reader: Any, depth: int) -> list[str]:
    return [line for child in node.children() for line in _describe(child, reader, depth + 1)]


def _words(node: Any, reader: Any) -> str:
    terms = sorted({_text(t) for _, t in node.existing_terms(reader, expand=True)})
    if not terms:
        return "no words in the index"
    more = f", … ({len(terms)} in all)" if len(terms) > _SHOWN else ""
    return ", ".join(terms[:_SHOWN]) + more


def joined_spellings(index_dir: Path, word: str) -> dict[str, list[str]]:
    """For each term a query word becomes, the spellings in the index joined with it: the data
    behind ``--explain`` ("Trotzky" -> {"троск": ["trotski", "trotsky", "trotzky", "троцкий"]})."""
    with open_searcher(index_dir) as searcher:
        reader = searcher.reader()
        terms = dict.fromkeys(t.text for t in body_analyzer()(word, mode="query"))
        return {term: indexed_forms(reader, term) for term in terms}


def _term(node: Any, reader: Any) -> str:
    text = _text(node.text)
    if node.fieldname != "body":
        return f"word {node.fieldname}:{text}"
    forms = indexed_forms(reader, text)
    what = "stem" if text.isascii() else "romanization key"
    if not forms:
        return f"word body:{text} ({what}; not in the index)"
    more = f", … ({len(forms)} in all)" if len(forms) > _SHOWN else ""
    return f"word body:{text} ({what} of {', '.join(forms[:_SHOWN])}{more})"


def indexed_forms(reader: Any, term: str) -> list[str]:
    """The words of the index (as written, folded) that a body term stands for: every spelling and
    inflection that becomes ``term`` once variants are made one and stemmed. (An English stem's
    words are looked for under its first three letters: stemming may change the fourth, army ->
    armi; a romanization key, in Cyrillic letters, may be spelt with any first letter.)"""
    if term.isascii():
        candidates = map(_text, reader.expand_prefix("exact", term[:3]))
    else:
        candidates = map(_text, reader.lexicon("exact"))
    return sorted({w for w in candidates if body_term(w) == term})


@dataclass(frozen=True)
class MatchedWord:
    """One word (or pattern) of a parsed query and the index words it was matched with."""

    field: str
    term: str  #: the word as the query became: a stem for ``body``, a pattern for ``prefix``
    kind: str  #: "word", "phrase word", "prefix", "wildcard", "fuzzy", …
    words: tuple[str, ...]  #: the index words it stands for (spellings, inflections, expansions)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "term": self.term, "kind": self.kind, "words": list(self.words)}


def matched_words(parsed: Any, reader: Any) -> list[MatchedWord]:
    """Every word of a parsed query with the index words it matched, in query order (the list
    ``--explain`` prints and ``--record`` keeps)."""
    from whoosh import query as q

    found: list[MatchedWord] = []
    for node in parsed.leaves():
        if isinstance(node, q.Phrase):
            for word in node.words:
                forms = indexed_forms(reader, word) if node.fieldname == "body" else [word]
                found.append(MatchedWord(node.fieldname, word, "phrase word", tuple(forms)))
        elif isinstance(node, q.NumericRange):
            continue  # a date range: recorded as a filter, not as words
        elif isinstance(node, q.MultiTerm):
            terms = sorted({_text(t) for _, t in node.existing_terms(reader, expand=True)})
            kind = type(node).__name__.lower().replace("term", "") or "pattern"
            found.append(MatchedWord(node.fieldname, _text(getattr(node, "text", node)), kind, tuple(terms)))
        elif isinstance(node, q.Term):
            text = _text(node.text)
            forms = indexed_forms(reader, text) if node.fieldname == "body" else [text]
            found.append(MatchedWord(node.fieldname, text, "word", tuple(forms)))
    return found


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
