"""The parts of the query language that Whoosh's parser does not do the searchkit way.

- ``date:[1917-11-01 TO 1917-11-30]``, ``date:[1917-11 TO]``, ``date:1917-11``: paragraphs whose
  date overlaps the range, rewritten to numeric ranges over ``date_start``/``date_end``.
- ``Kerensky~2``: fuzzy words run against the unstemmed ``exact`` field (a stemmed field finds
  nothing for words whose stem differs from the word; WHOOSH_NOTES pitfall 2).
- ``"land peace"~5`` (proximity), ``revolution*`` (prefix) and parentheses are Whoosh's own.

The rewriting is textual, so that the parser sees ordinary Whoosh syntax; :func:`rewrite` also
returns the query with those parts blanked out, for syntax checks that report columns.
"""

from __future__ import annotations

import re
from typing import Any

from searchkit.dates import parse_date
from searchkit.errors import DateError, QueryError

_DATE = re.compile(r"(?<![\w:])date:(?:\[(?P<range>[^\]]*)\]|(?P<single>[^\s()\[\]]+))", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(?P<a>\S*)\s+TO\s*(?P<b>\S*)\s*$|^\s*TO\s+(?P<b2>\S+)\s*$", re.IGNORECASE)
_FUZZY = re.compile(r"(?<![\w:*?~\"'’])(?P<word>\w+(?:['’]\w+)*)~(?P<dist>\d*(?:/\d+)?)(?![\w~])")
_QUOTED = re.compile(r'"[^"]*"')


def rewrite(text: str) -> tuple[str, str]:
    """``(masked, rewritten)``: the query with date expressions blanked out (same columns), and
    the query in Whoosh's own syntax.

    :raises QueryError: for a date that is not a date, naming its column.
    """
    quoted = [m.span() for m in _QUOTED.finditer(text)]

    def in_quotes(pos: int) -> bool:
        return any(s <= pos < e for s, e in quoted)

    masked: list[str] = []
    out: list[str] = []
    last = 0
    for m in _DATE.finditer(text):
        if in_quotes(m.start()):
            continue
        masked.append(text[last : m.start()] + " " * (m.end() - m.start()))
        out.append(text[last : m.start()] + _date_query(m, text))
        last = m.end()
    masked.append(text[last:])
    out.append(text[last:])
    for m in re.finditer(r"(?<![\w:])date:", "".join(masked), re.IGNORECASE):
        if not in_quotes(m.start()):
            raise QueryError(
                f"Date at column {m.start() + 1} in query '{text}' is incomplete;"
                " write date:1917-11-14 or date:[1917-11-01 TO 1917-11-30]"
            )
    rewritten = "".join(out)
    # Fuzzy words go to the exact field, except inside phrases, where "~" means proximity
    # (``in_quotes`` sees the new spans).
    quoted = [m.span() for m in _QUOTED.finditer(rewritten)]
    rewritten = _FUZZY.sub(lambda m: m.group() if in_quotes(m.start()) else f"exact:{m.group()}", rewritten)
    return "".join(masked), rewritten


def _date_query(m: re.Match[str], text: str) -> str:
    """The Whoosh syntax for one ``date:`` expression: overlap with the range it names."""
    col = m.start() + 1
    if m.group("single") is not None:
        first = last = m.group("single")
    else:
        r = _RANGE.match(m.group("range"))
        if r is None:
            raise QueryError(
                f"Date range at column {col} in query '{text}' is not 'date:[FROM TO UNTIL]';"
                " write for example date:[1917-11-01 TO 1917-11-30]"
            )
        first, last = r.group("a") or "", r.group("b") or r.group("b2") or ""
    try:
        start = parse_date(first).start.toordinal() if first else None
        end = parse_date(last).end.toordinal() if last else None
    except DateError as e:
        raise QueryError(f"{e} (column {col} of query '{text}')") from None
    if start is None and end is None:
        raise QueryError(f"Date range at column {col} in query '{text}' has no dates")
    if start is not None and end is not None and start > end:
        raise QueryError(f"Date range at column {col} in query '{text}' ends before it starts")
    parts = []
    if start is not None:
        parts.append(f"date_end:[{start} TO]")
    if end is not None:
        parts.append(f"date_start:[TO {end}]")
    # An explicit AND, so that the range stays one condition whatever the default operator is.
    return "(" + " AND ".join(parts) + ")"


def add_plugins(parser: Any) -> Any:
    """Give a Whoosh ``QueryParser`` the plugins searchkit's query language needs."""
    from whoosh.qparser import FuzzyTermPlugin

    parser.add_plugin(FuzzyTermPlugin())
    return parser
