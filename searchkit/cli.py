"""The ``searchkit`` command: a thin click layer over the library.

Results go to stdout; progress, notes and errors to stderr. Exit status follows ripgrep:
0 when something was found, 1 when nothing was, 2 on any error.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from searchkit.dates import DateRange, parse_date
from searchkit.errors import (
    DateError,
    IndexLockedError,
    IndexNotFoundError,
    IndexSchemaError,
    SearchkitError,
)

if TYPE_CHECKING:
    from searchkit.query import Filters

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class ExitStatus(IntEnum):
    MATCH = 0
    NO_MATCH = 1
    ERROR = 2


class CliError(click.ClickException):
    """A library error shown as ``Error: …`` with exit status 2."""

    exit_code = ExitStatus.ERROR


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date option: YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> DateRange:
        if isinstance(value, DateRange):
            return value
        try:
            return parse_date(value)
        except DateError as e:
            self.fail(str(e), param, ctx)


def _note(message: str) -> None:
    click.echo(message, err=True)


def _hint(e: SearchkitError) -> CliError:
    """Turn a library error into a CLI error with the command that fixes it."""
    msg = str(e)
    if isinstance(e, IndexNotFoundError):
        msg += "; run 'searchkit index PATH' to build it"
    elif isinstance(e, IndexSchemaError):
        msg += "; run 'searchkit index --rebuild' to rebuild it"
    elif isinstance(e, IndexLockedError):
        msg += "; wait for it to finish, then try again (or use 'searchkit index --wait SECONDS')"
    return CliError(msg)


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="index",
    envvar="SEARCHKIT_INDEX",
    show_default=True,
    help="Index folder (or set SEARCHKIT_INDEX).",
)

sources_option = click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default="sources",
    envvar="SEARCHKIT_SOURCES",
    show_default=True,
    help="Folder to build the index from if there is none yet.",
)

color_option = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour (auto: on a terminal, unless NO_COLOR is set).",
)

_FILTER_OPTIONS = (
    click.option("-a", "--author", help="Only paragraphs by this author (any part of any of their names)."),
    click.option("-s", "--speaker", help="Only paragraphs spoken by this person (any part of any name)."),
    click.option("-t", "--type", "doc_type", help="Only this document type (diary, speech, …)."),
    click.option(
        "--from",
        "date_from",
        type=DateParam(),
        help="Dated on or after (YYYY[-MM[-DD]]; '1917-10-25os' for OS).",
    ),
    click.option("--to", "date_to", type=DateParam(), help="Dated on or before (YYYY[-MM[-DD]])."),
    click.option("-c", "--collection", help="Only this collection (the name of its folder or settings)."),
    click.option(
        "--calendar",
        type=click.Choice(["gregorian", "julian"]),
        default="gregorian",
        show_default=True,
        help="Calendar of --from and --to: julian = Old Style (a date's own OS or NS suffix wins).",
    ),
)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filter options shared by the commands that search, handed to the command as one
    ``filters`` argument (a :class:`searchkit.query.Filters`)."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        author: str | None,
        speaker: str | None,
        doc_type: str | None,
        date_from: DateRange | None,
        date_to: DateRange | None,
        collection: str | None,
        calendar: str,
        **kwargs: Any,
    ) -> Any:
        from searchkit.query import Filters

        if calendar == "julian":
            date_from = _as_julian(date_from, "--from")
            date_to = _as_julian(date_to, "--to")
        if date_from and date_to and date_from.start > date_to.end:
            raise click.BadParameter(
                f"'{date_from.text}' is after --to '{date_to.text}'", param_hint="'--from'"
            )
        kwargs["filters"] = Filters(author, speaker, doc_type, date_from, date_to, collection=collection)
        return command(*args, **kwargs)

    for option in reversed(_FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="searchkit")
def cli() -> None:
    """Full-text search for collections of historical primary sources.

    \b
    Example:
        searchkit search coalition --speaker trotsky
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Start over instead of updating what changed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["auto", "markdown", "text", "gutenberg", "tei"]),
    help="Read every file in this format instead of detecting it (default: auto).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Collection settings file (default: searchkit.yaml in each PATH, if there is one).",
)
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=0,
    metavar="SECONDS",
    help="If another run is writing the index, wait up to SECONDS for it instead of stopping.",
)
@click.option(
    "--procs",
    type=click.IntRange(1, 64),
    help="Worker processes for indexing (default: all cores, at most 4, for a large run).",
)
def index(
    paths: tuple[Path, ...],
    index_dir: Path,
    rebuild: bool,
    quiet: bool,
    fmt: str | None,
    config: Path | None,
    wait: float,
    procs: int | None,
) -> None:
    """Index the documents in PATHS (default: sources/).

    Only new and changed files are read again; deleted files are dropped. Each PATH is a
    collection; the format of each file is detected (Markdown, plain text, Project Gutenberg,
    TEI XML) unless --format says.

    \b
    Examples:
        searchkit index sources/ --index index/
        searchkit index ~/corpora/russia1917 --config russia1917.yaml
    """
    from searchkit.indexer import build_index

    roots = list(paths) or [Path("sources")]
    progress = None if quiet else _progress_printer()
    try:
        stats = build_index(
            roots,
            index_dir,
            rebuild=rebuild,
            progress=progress,
            format=fmt,
            config=config,
            wait=wait,
            procs=procs,
            on_wait=lambda: _note(f"Waiting for another searchkit run to finish writing '{index_dir}'…"),
        )
    except SearchkitError as e:
        raise _hint(e) from None
    for err in stats.errors:
        click.echo(f"Error: {err}", err=True)
    if not quiet:
        click.echo(
            f"Indexed {stats.documents} documents, {stats.paragraphs} paragraphs in"
            f" {stats.seconds:.1f} s ({stats.added} new, {stats.changed} changed,"
            f" {stats.removed} removed, {stats.unchanged} unchanged"
            + (f"; {len(stats.errors)} files failed" if stats.errors else "")
            + ")"
        )
    if stats.errors:
        sys.exit(ExitStatus.ERROR)


def _progress_printer() -> Any:
    """A progress callback that writes to stderr on long runs only, and only on a terminal."""
    show = sys.stderr.isatty()

    def progress(done: int, total: int, path: Path) -> None:
        if show and total >= 200 and (done % 100 == 0 or done == total):
            end = "\n" if done == total else ""
            click.echo(f"\rIndexing: {done}/{total} files", err=True, nl=False)
            if end:
                click.echo("", err=True)

    return progress


def _ready_index(index_dir: Path, sources: Path) -> None:
    """Make sure there is an index and that it is not stale, building or updating it if needed."""
    from searchkit.indexer import build_index, scan_changes
    from searchkit.storage import read_manifest

    try:
        manifest = read_manifest(index_dir)
    except IndexNotFoundError:
        if not sources.is_dir():
            raise
        _note(f"No index at '{index_dir}' yet: building it from '{sources}'")
        stats = build_index([sources], index_dir)
        for err in stats.errors:
            _note(f"Error: {err}")
        _note(f"Indexed {stats.documents} documents, {stats.paragraphs} paragraphs in {stats.seconds:.1f} s")
        return
    missing = [r for r in manifest.roots if not Path(r).exists()]
    for root in missing:
        _note(f"Note: sources folder '{root}' is gone; searching the index as it was built")
    changes = scan_changes(index_dir, manifest)
    if not changes:
        return
    _note(f"{len(changes)} source files changed since the index was built: updating it")
    try:
        stats = build_index([Path(r) for r in manifest.roots if Path(r).exists()], index_dir)
    except IndexLockedError:
        _note("Note: another run is updating the index; searching the last complete index")
        return
    for err in stats.errors:
        _note(f"Error: {err}")


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@cli.command()
@click.argument("query")
@index_option
@sources_option
@filter_options
@click.option(
    "--any",
    "any_words",
    is_flag=True,
    help="Natural-language question: rank paragraphs with ANY of its words (plain words, no operators).",
)
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per hit.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--html", "as_html", is_flag=True, help="An HTML page, matches in <mark>.")
@color_option
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "date-desc"]),
    default="relevance",
    show_default=True,
    help="Best first, oldest first or newest first.",
)
@click.option("--page", type=click.IntRange(min=1), help="Show this page of --limit hits (1, 2, …).")
@click.option("--offset", type=click.IntRange(min=0), help="Skip this many hits.")
@click.option("--facets", is_flag=True, help="Also count all matches by speaker, author, type and year.")
@click.option("--count", is_flag=True, help="Print only the number of matching paragraphs.")
@click.option("--explain", is_flag=True, help="Print how the query was understood (to stderr).")
def search(
    query: str,
    index_dir: Path,
    sources: Path,
    filters: Filters,
    any_words: bool,
    limit: int,
    as_json: bool,
    as_csv: bool,
    as_html: bool,
    color: str,
    sort: str,
    page: int | None,
    offset: int | None,
    facets: bool,
    count: bool,
    explain: bool,
) -> None:
    """Search the index for QUERY, best paragraphs first.

    QUERY uses Whoosh's query language: all words must match by default; OR, NOT,
    "exact phrases", "near words"~5, fuzzy~2, prefix*, field:value (author, speaker,
    type, title, exact), date:[1917-11-01 TO 1917-11-30] and parentheses.

    \b
    Examples:
        searchkit search coalition --speaker trotsky
        searchkit search '"Soviet power"' --json
        searchkit search coalition --facets
        searchkit search --any 'what did Trotsky say about a coalition?'
    """
    from searchkit import render
    from searchkit.query import search as run_search

    if sum((as_json, as_csv, as_html, count)) > 1:
        raise click.UsageError("Give only one of --json, --csv, --html and --count")
    if page is not None and offset is not None:
        raise click.UsageError("Give --page or --offset, not both")
    if facets and (as_csv or as_html or count):
        raise click.UsageError("--facets works with text and --json output only")
    skip = offset if offset is not None else ((page or 1) - 1) * limit
    try:
        _ready_index(index_dir, sources)
        if explain:
            from searchkit.explain import explain as explain_query

            for line in explain_query(index_dir, query, filters):
                _note(line)
        result = run_search(
            index_dir,
            query,
            filters=filters,
            limit=limit,
            offset=skip,
            sort=sort,
            facets=facets,
            any_words=any_words,
        )
        _did_you_mean(index_dir, query, filters, result.total)
    except SearchkitError as e:
        raise _hint(e) from None
    if count:
        click.echo(str(result.total))
        sys.exit(ExitStatus.MATCH if result.total else ExitStatus.NO_MATCH)
    use_color = _use_color(color)
    if as_json:
        lines = render.json_hits(result.hits)
    elif as_csv:
        lines = render.csv_hits(result.hits)
    elif as_html:
        lines = render.html_hits(result.hits, query)
    else:
        lines = render.text_hits(result.hits, use_color)
    for line in lines:
        click.echo(line, color=use_color)
    if result.facets is not None:
        if as_json:
            click.echo(render.json_facets(result.facets))
        else:
            if result.hits:
                click.echo("")
            for line in render.text_facets(result.facets, use_color):
                click.echo(line, color=use_color)
    if not (as_json or as_csv or as_html):
        shown = len(result.hits)
        if not shown:
            _note("No matches" if not result.total else f"No hits on this page; {result.total} in all")
        elif skip:
            _note(f"{skip + 1}-{skip + shown} of {result.total} matching paragraphs shown")
        else:
            _note(f"{shown} of {result.total} matching paragraphs shown")
    sys.exit(ExitStatus.MATCH if result.hits else ExitStatus.NO_MATCH)


def _did_you_mean(index_dir: Path, query: str, filters: Any, total: int) -> None:
    """On few or no hits, suggest a respelt query on stderr, ready to paste."""
    import shlex

    from searchkit.suggest import FEW, suggest

    if total >= FEW:
        return
    better = suggest(index_dir, query, filters=filters, total=total)
    if better is not None:
        found = f"{better.total} matching paragraph{'s' if better.total != 1 else ''}"
        _note(f"Did you mean: searchkit search {shlex.quote(better.query)}  ({found})")


def _as_julian(date: DateRange | None, option: str) -> DateRange | None:
    """An option's date read again as Old Style (``--calendar julian``)."""
    if date is None:
        return None
    try:
        return parse_date(date.text, "julian")
    except DateError as e:
        raise click.BadParameter(str(e), param_hint=f"'{option}'") from None


def main() -> None:
    """Entry point: run the CLI, ending quietly when the reader of stdout goes away (``| head``)."""
    try:
        cli()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitStatus.MATCH)
    except SystemExit as e:
        from click.utils import PacifyFlushWrapper

        # Click itself catches EPIPE, silences stdout with this wrapper and exits with 1, which
        # here would mean "no matches": output was being written, so something was found.
        if e.code == 1 and isinstance(sys.stdout, cast(type, PacifyFlushWrapper)):
            sys.exit(ExitStatus.MATCH)
        raise


# The reading commands (show, stats, kwic) live in their own module; importing it registers them.
from searchkit import cli_reading  # noqa: E402, F401
