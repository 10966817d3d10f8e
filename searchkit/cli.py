"""The ``searchkit`` command: a thin click layer over the library.

Results go to stdout; progress, notes and errors to stderr. Exit status follows ripgrep:
0 when something was found, 1 when nothing was, 2 on any error.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

import click

from searchkit.dates import DateRange, parse_date
from searchkit.errors import (
    DateError,
    IndexLockedError,
    IndexNotFoundError,
    IndexSchemaError,
    SearchkitError,
)

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
    "--wait",
    type=click.FloatRange(0),
    default=0,
    metavar="SECONDS",
    help="If another run is writing the index, wait up to SECONDS for it instead of stopping.",
)
def index(paths: tuple[Path, ...], index_dir: Path, rebuild: bool, quiet: bool, wait: float) -> None:
    """Index the documents in PATHS (default: sources/).

    Only new and changed files are read again; deleted files are dropped.

    \b
    Example:
        searchkit index sources/ --index index/
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
            wait=wait,
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
    from searchkit.indexer import build_index, read_manifest, scan_changes

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
    changes = scan_changes(index_dir)
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
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default="sources",
    envvar="SEARCHKIT_SOURCES",
    show_default=True,
    help="Folder to build the index from if there is none yet.",
)
@click.option("-a", "--author", help="Only paragraphs by this author (any part of the name).")
@click.option("-s", "--speaker", help="Only paragraphs spoken by this person (any part of the name).")
@click.option("-t", "--type", "doc_type", help="Only this document type (diary, speech, …).")
@click.option("--from", "date_from", type=DateParam(), help="Dated on or after (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", type=DateParam(), help="Dated on or before (YYYY[-MM[-DD]]).")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per hit.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour highlights (auto: on a terminal, unless NO_COLOR is set).",
)
def search(
    query: str,
    index_dir: Path,
    sources: Path,
    author: str | None,
    speaker: str | None,
    doc_type: str | None,
    date_from: DateRange | None,
    date_to: DateRange | None,
    limit: int,
    as_json: bool,
    color: str,
) -> None:
    """Search the index for QUERY, best paragraphs first.

    QUERY uses Whoosh's query language: all words must match by default; OR, NOT,
    "exact phrases", field:value (author, speaker, type, title, exact) and parentheses.

    \b
    Examples:
        searchkit search coalition --speaker trotsky
        searchkit search '"Soviet power"' --json
    """
    from searchkit import render
    from searchkit.query import Filters
    from searchkit.query import search as run_search

    if date_from and date_to and date_from.start > date_to.end:
        raise click.BadParameter(f"'{date_from.text}' is after --to '{date_to.text}'", param_hint="'--from'")
    filters = Filters(author, speaker, doc_type, date_from, date_to)
    try:
        _ready_index(index_dir, sources)
        result = run_search(index_dir, query, filters=filters, limit=limit)
    except SearchkitError as e:
        raise _hint(e) from None
    use_color = _use_color(color)
    lines = render.json_hits(result.hits) if as_json else render.text_hits(result.hits, use_color)
    for line in lines:
        click.echo(line, color=use_color)
    if not as_json:
        shown = len(result.hits)
        _note(f"{shown} of {result.total} matching paragraphs shown" if shown else "No matches")
    sys.exit(ExitStatus.MATCH if result.hits else ExitStatus.NO_MATCH)


def main() -> None:
    """Entry point: run the CLI, ending quietly when the reader of stdout goes away (``| head``)."""
    try:
        cli()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitStatus.MATCH)
