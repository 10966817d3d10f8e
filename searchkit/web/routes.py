"""The pages of the web interface. Each one reads its state from the URL, calls the library and
hands plain data to a template; none searches, ranks or highlights by itself."""

from __future__ import annotations

import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from searchkit.errors import SearchkitError
from searchkit.query import Hit, SearchResult
from searchkit.web.params import MAX_PAGE, BadRequest, SearchParams

#: Paragraphs shown on either side of a cited one in the reading view (the whole document on request).
CONTEXT = 3
WHOLE = 1_000_000_000
#: Concordance lines shown on one page.
KWIC_LINES = 500
KWIC_WIDTH = 50
EXPORTS = {
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "html": ("text/html; charset=utf-8", "html"),
}


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status)  # type: ignore[no-any-return]


def home(request: Request) -> Response:
    return _page(request, "search.html", params=SearchParams(), result=None, **_no_extras())


def _no_extras() -> dict[str, Any]:
    return {"suggestion": None, "explanation": None, "pages": None}


def search(request: Request) -> Response:
    params = SearchParams.parse(request.query_params)
    if not params.q:
        return _page(request, "search.html", params=params, result=None, **_no_extras())
    library = request.app.state.library
    result = library.search(params)
    suggestion = None
    if result.total < 3:
        from searchkit.suggest import suggest

        try:
            suggestion = suggest(library.index_dir, params.q, filters=params.filters(), total=result.total)
        except SearchkitError:
            suggestion = None  # a question in --any mode need not parse as a query
    explanation = None
    if params.explain:
        from searchkit.explain import explain

        try:
            explanation = explain(library.index_dir, params.q, params.filters())
        except SearchkitError as e:
            explanation = [str(e)]
    return _page(
        request,
        "search.html",
        params=params,
        result=result,
        suggestion=suggestion,
        explanation=explanation,
        pages=paging(result, params),
    )


def paging(result: SearchResult, params: SearchParams) -> dict[str, Any]:
    """What the page links need: the last page when the total is exact (else None: "Page 3"
    without "of"), and whether there is a next page."""
    last = min(MAX_PAGE, max(1, math.ceil(result.total / params.n))) if result.total_is_exact else None
    more = params.page < last if last is not None else len(result.hits) == params.n and params.page < MAX_PAGE
    return {"last": last, "more": more, "shown": params.page > 1 or more}


def read(request: Request) -> Response:
    from searchkit.browse import show

    query = request.query_params
    ident = query.get("id", "").strip()
    if not ident:
        raise BadRequest("Give the id of a paragraph or a document, as search cites it: /read?id=doc:3")
    params = SearchParams.parse(query)
    whole = query.get("whole", "") not in ("", "0")
    library = request.app.state.library
    shown = show(library.index_dir, ident, WHOLE if whole else CONTEXT)
    # A citation id has one target; a document id shows the whole document with none marked.
    target = next(iter(shown.targets)) if len(shown.targets) == 1 and ident in shown.targets else None
    rank_text = query.get("rank", "")
    nav = None
    if target and params.q and rank_text.isdigit() and len(rank_text) < 9:
        nav = library.neighbours(params, target, int(rank_text))
    first = shown.paragraphs[0]
    cited = next((p for p in shown.paragraphs if p.id == target), None)
    return _page(
        request,
        "read.html",
        params=params,
        shown=shown,
        cited=cited,
        whole=whole,
        nav=nav,
        rank=int(rank_text) if nav and nav.current else None,
        meta=metadata(cited or first),
        doc_title=first.title,
    )


def metadata(hit: Hit) -> list[tuple[str, str, bool]]:
    """(label, value, is a web link) for the reading view: the paragraph's own fields, then the
    document's other metadata (publication, changes from the original, …) as the source gives it."""
    rows: list[tuple[str, str]] = [("Title", hit.title), ("Author", hit.author)]
    if hit.speaker and hit.speaker != hit.author:
        rows.append(("Speaker", hit.speaker))
    date = hit.date_shown or hit.date or "undated"
    if hit.calendar == "julian":
        date += " (Old Style / New Style)"
    rows += [("Date", date), ("Type", hit.type)]
    if hit.section:
        rows.append(("Section", hit.section))
    if hit.collection:
        rows.append(("Collection", hit.collection))
    rows.append(("Source file", hit.source))
    extra = dict(hit.extra)
    for key, label in (("published", "Publication"), ("changes", "Changes from the original")):
        if key in extra:
            rows.append((label, _flat(extra.pop(key))))
    rows += [(key.replace("_", " ").capitalize(), _flat(value)) for key, value in sorted(extra.items())]
    return [(label, value, value.startswith(("https://", "http://"))) for label, value in rows]


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return "" if value is None else str(value)


def concordance(request: Request) -> Response:
    from searchkit.kwic import KWIC_SORTS, kwic

    params = SearchParams.parse(request.query_params)
    order = request.query_params.get("order", "position")
    if order not in KWIC_SORTS:
        raise BadRequest(f"Unknown order '{order}'; use one of {', '.join(KWIC_SORTS)}")
    lines = []
    if params.q:
        library = request.app.state.library
        lines = kwic(library.index_dir, params.q, filters=params.filters(), width=KWIC_WIDTH, sort=order)
    return _page(request, "kwic.html", params=params, order=order, lines=lines[:KWIC_LINES], total=len(lines))


def export(request: Request) -> Response:
    """The current page of hits in the CLI's ``--json``, ``--csv`` or ``--html`` output, byte for byte."""
    from searchkit import render

    params = SearchParams.parse(request.query_params)
    kind = request.query_params.get("format", "")
    if kind not in EXPORTS:
        raise BadRequest(f"Unknown export format '{kind[:20]}'; use jsonl, csv or html")
    if not params.q:
        raise BadRequest("Nothing to export: give a query")
    result = request.app.state.library.search(params, facets=False)
    if kind == "jsonl":
        lines = render.json_hits(result.hits)
    elif kind == "csv":
        lines = render.csv_hits(result.hits)
    else:
        lines = render.html_hits(result.hits, params.q)
    media, ending = EXPORTS[kind]
    # As the CLI prints them: one line each, each ended by a newline.
    body = "".join(f"{line}\n" for line in lines)
    disposition = f'attachment; filename="searchkit-results.{ending}"'
    return Response(body, media_type=media, headers={"content-disposition": disposition})


def collection(request: Request) -> Response:
    from searchkit.browse import collection_stats
    from searchkit.views import human_size

    stats = collection_stats(request.app.state.library.index_dir)
    return _page(
        request, "collection.html", params=SearchParams(), stats=stats, size=human_size(stats.index_bytes)
    )


def help_page(request: Request) -> Response:
    return _page(request, "help.html", params=SearchParams())
