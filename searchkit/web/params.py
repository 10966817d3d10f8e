"""The state of a search as it lives in the URL: parsed from the query string, checked, and turned
back into links (add or remove a filter, another page, the reading view of a hit).

Everything here is plain data; a bad value raises :class:`BadRequest`, which the app answers with
the search page, the message and status 400.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from searchkit.dates import DateRange, parse_date, parse_period
from searchkit.errors import DateError, SearchkitError
from searchkit.query import SORTS, Filters

#: Page sizes offered in the form; any size from 1 to MAX_PAGE_SIZE is accepted in a URL.
PAGE_SIZES = (10, 20, 50, 100)
MAX_PAGE_SIZE = 100
#: Paging stops here: deeper pages are for the export or the command line.
MAX_PAGE = 1000
CALENDARS = ("gregorian", "julian")
#: The filters a facet value or a form field sets, in the order they are shown.
FILTERS = ("author", "speaker", "type", "collection", "role", "from", "to", "about")
#: Longest value accepted for one filter (a name, a type, a date).
MAX_FILTER_CHARS = 500


class BadRequest(SearchkitError):
    """A value in the URL that cannot be used (a page that is not a number, an unknown sort)."""


@dataclass(frozen=True)
class SearchParams:
    """One search, as the form and the links carry it."""

    q: str = ""
    any: bool = False
    author: str = ""
    speaker: str = ""
    type: str = ""
    collection: str = ""
    date_from: str = ""
    date_to: str = ""
    about: str = ""  #: the period the paragraphs describe, as --about takes it (1917-10..1917-11)
    role: str = ""  #: an office: paragraphs by whoever held it on their date
    calendar: str = "gregorian"
    sort: str = "relevance"
    n: int = 10
    page: int = 1
    explain: bool = False

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> SearchParams:
        """The search in a query string; empty fields mean "not set".

        :raises BadRequest: for a number that is not one, an unknown sort or calendar, a value too long.
        """

        def text(name: str) -> str:
            value = query.get(name, "").strip()
            if name != "q" and len(value) > MAX_FILTER_CHARS:
                raise BadRequest(
                    f"The {name} filter has {len(value):,} characters; the limit is {MAX_FILTER_CHARS}"
                )
            return value

        sort = text("sort") or "relevance"
        if sort not in SORTS:
            raise BadRequest(f"Unknown sort '{sort}'; use one of {', '.join(SORTS)}")
        calendar = text("calendar") or "gregorian"
        if calendar not in CALENDARS:
            raise BadRequest(
                f"Unknown calendar '{calendar}'; use gregorian (New Style) or julian (Old Style)"
            )
        return cls(
            q=query.get("q", "").strip(),
            any=query.get("any", "") not in ("", "0"),
            author=text("author"),
            speaker=text("speaker"),
            type=text("type"),
            collection=text("collection"),
            date_from=text("from"),
            date_to=text("to"),
            about=text("about"),
            role=text("role"),
            calendar=calendar,
            sort=sort,
            n=_number(query, "n", 10, MAX_PAGE_SIZE),
            page=_number(query, "page", 1, MAX_PAGE),
            explain=query.get("explain", "") not in ("", "0"),
        )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.n

    def filters(self) -> Filters:
        """The library's filters; dates are read in ``calendar`` unless they say OS or NS.

        :raises DateError: for a date that is not one, or a range that ends before it starts.
        """
        first = _date(self.date_from, self.calendar, "From")
        last = _date(self.date_to, self.calendar, "To")
        if first and last and first.start > last.end:
            raise DateError(f"From date '{first.text}' is after the to date '{last.text}'")
        about_from = about_to = None
        if self.about:
            try:
                about_from, about_to = parse_period(self.about, self.calendar)
            except DateError as e:
                raise DateError(f"Period: {e}") from None
        return Filters(
            author=self.author or None,
            speaker=self.speaker or None,
            type=self.type or None,
            date_from=first,
            date_to=last,
            collection=self.collection or None,
            about_from=about_from,
            about_to=about_to,
            role=self.role or None,
        )

    def pairs(self, **changes: object) -> list[tuple[str, str]]:
        """The query-string pairs of this search with ``changes`` applied; defaults are left out,
        so that URLs stay short and a bookmark reads well."""
        state = dataclasses.replace(self, **changes) if changes else self  # type: ignore[arg-type]
        default = SearchParams()
        out: list[tuple[str, str]] = []
        for f in dataclasses.fields(self):
            value = getattr(state, f.name)
            if value == getattr(default, f.name):
                continue
            name = {"date_from": "from", "date_to": "to"}.get(f.name, f.name)
            out.append((name, "1" if value is True else str(value)))
        return out

    def url(self, path: str = "/search", **changes: object) -> str:
        """A link to ``path`` with this search (and ``changes``) in its query string."""
        pairs = self.pairs(**changes)
        return f"{path}?{urlencode(pairs)}" if pairs else path

    def read_url(self, ident: str, rank: int | None = None, whole: bool = False) -> str:
        """The reading view of ``ident`` within this search (for its marks and next/previous hit),
        scrolled to the paragraph when ``ident`` is a citation id."""
        pairs = [("id", ident)]
        if rank is not None:
            pairs.append(("rank", str(rank)))
        if whole:
            pairs.append(("whole", "1"))
        number = ident.rpartition(":")[2]
        anchor = f"#p{number}" if ":" in ident and number.isdigit() else ""
        return f"/read?{urlencode(pairs + self.pairs(explain=False))}{anchor}"

    def kwic_url(self, order: str = "position") -> str:
        """The concordance of this search, its lines in ``order``."""
        pairs = self.pairs(sort="relevance", n=10, page=1, any=False, explain=False)
        if order != "position":
            pairs.append(("order", order))
        return f"/kwic?{urlencode(pairs)}"

    def export_url(self, kind: str) -> str:
        return f"/export?{urlencode([('format', kind), *self.pairs(explain=False)])}"

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(label, value, link without it) for every filter that is set."""
        labels = {
            "from": "dated from",
            "to": "dated to",
            "about": "about the period",
            "role": "office",
        }
        found = []
        for name in FILTERS:
            attr = {"from": "date_from", "to": "date_to"}.get(name, name)
            value = getattr(self, attr)
            if value:
                found.append((labels.get(name, name), value, self.url("/search", **{attr: "", "page": 1})))
        return found

    def with_filter(self, facet: str, value: str) -> str:
        """The link that narrows this search to ``value`` of ``facet`` (a year: that year, New Style)."""
        if facet == "year":
            return self.url(date_from=value, date_to=value, calendar="gregorian", page=1)
        if facet == "about":  # a year of the period described
            return self.url(about=value, calendar="gregorian", page=1)
        return self.url("/search", **{facet: value, "page": 1})

    def is_active(self, facet: str, value: str) -> bool:
        if facet == "year":
            return self.date_from == value and self.date_to == value
        return str(getattr(self, facet, "")).casefold() == value.casefold()


def _number(query: Mapping[str, str], name: str, default: int, most: int) -> int:
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or not 1 <= int(raw) <= most:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        raise BadRequest(f"The {name} '{shown}' is not a whole number from 1 to {most:,}")
    return int(raw)


def _date(text: str, calendar: str, label: str) -> DateRange | None:
    if not text:
        return None
    try:
        return parse_date(text, calendar)
    except DateError as e:
        raise DateError(f"{label} date: {e}") from None
