"""The Starlette application of ``searchkit serve``: routes, templates, static files, error pages.

Why this stack: Starlette is small (no ORM, no form layer an HTML face does not need), runs plain
synchronous endpoints in a thread pool (Whoosh is synchronous) and comes with an in-process test
client; Jinja2 escapes everything in ``.html`` templates; uvicorn serves it without a warning about
a "development server". All three are BSD-licensed and ship wheels.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from searchkit.errors import (
    DateError,
    IndexNotFoundError,
    IndexSchemaError,
    NotFoundError,
    QueryError,
    SearchkitError,
)
from searchkit.navigation import Neighbours
from searchkit.query import SearchResult
from searchkit.render import byline, plain_citation
from searchkit.searcher import Index
from searchkit.web.guard import Guard, allowed_hosts
from searchkit.web.params import PAGE_SIZES, BadRequest, SearchParams

HERE = Path(__file__).resolve().parent
#: The vendored htmx (npm ``htmx.org``, 0BSD), pinned: 4.x changed attribute inheritance.
HTMX = "htmx-2.0.11.min.js"


class Library:
    """The web's handle on the library: one :class:`searchkit.Index` kept open (it reopens by itself
    after an index run) and shared by the request threads one at a time."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._index = Index(self.index_dir)
        self._lock = threading.Lock()

    def search(self, params: SearchParams, *, facets: bool = True) -> SearchResult:
        """The page of hits ``params`` asks for (with facets over the whole result set)."""
        with self._lock:
            return self._index.search(
                params.q,
                filters=params.filters(),
                limit=params.n,
                offset=params.offset,
                sort=params.sort,
                facets=facets,
                any_words=params.any,
            )

    def neighbours(self, params: SearchParams, hit_id: str, rank: int) -> Neighbours:
        """The hits before and after hit ``rank`` of the search, if it is still ``hit_id``."""
        from searchkit.navigation import neighbours

        with self._lock:
            return neighbours(
                self._index,
                params.q,
                hit_id,
                rank,
                filters=params.filters(),
                sort=params.sort,
                any_words=params.any,
            )

    def close(self) -> None:
        with self._lock:
            self._index.close()


def marked(text: str, ranges: Sequence[Sequence[int]]) -> Iterator[tuple[str, bool]]:
    """``text`` cut into (piece, is a match) for a template to wrap the matches in ``<mark>``;
    the template escapes every piece."""
    last = 0
    for start, end in ranges:
        if start > last:
            yield text[last:start], False
        yield text[start:end], True
        last = end
    if last < len(text):
        yield text[last:], False


def count(n: int) -> str:
    return f"{n:,}"


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        marked=marked,
        byline=byline,
        plain_citation=plain_citation,
        count=count,
        htmx=HTMX,
        page_sizes=PAGE_SIZES,
    )
    return Jinja2Templates(env=env)


def create_app(index_dir: Path, *, host: str = "127.0.0.1", token: str | None = None) -> Any:
    """The web interface over the index in ``index_dir``, wrapped in its :class:`Guard`.

    :param host: the address the server is bound to (its Host header is accepted with localhost's).
    :param token: when set, every request must carry it (``?token=`` once, then a cookie).
    """
    from searchkit.web import routes

    templates = make_templates()
    library = Library(index_dir)

    def error_page(request: Request, status: int, message: str) -> Response:
        params = SearchParams()
        if status == 400:  # keep what the user typed, to correct it
            try:
                params = SearchParams.parse(request.query_params)
            except BadRequest:
                params = SearchParams(q=request.query_params.get("q", "")[:2000])
        context = {"params": params, "message": message, "status": status}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    async def searchkit_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, NotFoundError):
            return error_page(request, 404, str(exc))
        if isinstance(exc, (QueryError, DateError, BadRequest)):
            return error_page(request, 400, str(exc))
        if isinstance(exc, (IndexNotFoundError, IndexSchemaError)):
            return error_page(request, 503, f"{exc}; run 'searchkit index' and reload this page")
        return error_page(request, 400, str(exc))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        library.close()

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        text = {404: "There is no page at this address", 405: "Only GET requests"}.get(status, "Error")
        return error_page(request, status, text)

    async def server_error(request: Request, exc: Exception) -> Response:
        # Never a traceback on the page: the message is generic, the details stay in the log.
        return error_page(request, 500, "Something went wrong inside searchkit; the server is still running")

    app = Starlette(
        routes=[
            Route("/", routes.home, name="home"),
            Route("/search", routes.search, name="search"),
            Route("/read", routes.read, name="read"),
            Route("/kwic", routes.concordance, name="kwic"),
            Route("/export", routes.export, name="export"),
            Route("/collection", routes.collection, name="collection"),
            Route("/help", routes.help_page, name="help"),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={
            SearchkitError: searchkit_error,
            HTTPException: http_error,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    app.state.library = library
    app.state.templates = templates
    return Guard(app, hosts=allowed_hosts(host), token=token)


__all__ = ["Library", "create_app"]
