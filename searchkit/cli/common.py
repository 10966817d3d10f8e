"""What the ``searchkit`` commands share: exit statuses, errors, options and the index check
that runs before every search."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    pass

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


def plural(n: int, what: str) -> str:
    """``what`` for one, ``what`` + "s" for any other number."""
    return what if n == 1 else f"{what}s"


def note(message: str) -> None:
    click.echo(message, err=True)


def hint(e: SearchkitError) -> CliError:
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

cite_option = click.option(
    "--cite",
    type=click.Choice(["chicago", "csl-json", "bibtex", "ris"]),
    help="Print a citation for each hit, with its page or paragraph: a Chicago note and "
    "bibliography entry, CSL-JSON (for Zotero, Pandoc), BibTeX or RIS.",
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
        "--about",
        "about",
        metavar="FROM..TO",
        help="Only paragraphs describing a period that overlaps this one (their 'about' date):"
        " 1917-10..1917-11, 1917.., ..1917-11 or one date (1917-10, 1917-10~).",
    ),
    click.option(
        "--role",
        help="Only paragraphs by or spoken by whoever held this office on the paragraph's date"
        " (offices come from the people file).",
    ),
    click.option(
        "--calendar",
        type=click.Choice(["gregorian", "julian"]),
        default="gregorian",
        show_default=True,
        help="Calendar of --from, --to and --about: julian = Old Style (a date's own OS or NS suffix wins).",
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
        about: str | None,
        role: str | None,
        calendar: str,
        **kwargs: Any,
    ) -> Any:
        from searchkit.dates import parse_period
        from searchkit.query import Filters

        if calendar == "julian":
            date_from = as_julian(date_from, "--from")
            date_to = as_julian(date_to, "--to")
        if date_from and date_to and date_from.start > date_to.end:
            raise click.BadParameter(
                f"'{date_from.text}' is after --to '{date_to.text}'", param_hint="'--from'"
            )
        about_from = about_to = None
        if about is not None:
            try:
                about_from, about_to = parse_period(about, calendar)
            except DateError as e:
                raise click.BadParameter(str(e), param_hint="'--about'") from None
        kwargs["filters"] = Filters(
            author,
            speaker,
            doc_type,
            date_from,
            date_to,
            collection=collection,
            about_from=about_from,
            about_to=about_to,
            role=role,
        )
        return command(*args, **kwargs)

    for option in reversed(_FILTER_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


refresh_option = click.option(
    "--refresh/--no-refresh",
    default=True,
    show_default=True,
    help="Check that no source file has changed since the index was built, and update it if one has.",
)


def ready_index(index_dir: Path, sources: Path, refresh: bool = True) -> None:
    """Make sure there is an index and that it is not stale, building or updating it if needed
    (without ``refresh``: only that there is one)."""
    from searchkit.storage import read_manifest

    try:
        manifest = read_manifest(index_dir)
    except IndexNotFoundError:
        if not sources.is_dir():
            raise
        from searchkit.backends import build_index  # the embedded index's, or a cluster's

        note(f"No index at '{index_dir}' yet: building it from '{sources}'")
        stats = build_index([sources], index_dir)
        for err in stats.errors:
            note(f"Error: {err}")
        note(
            f"Indexed {stats.documents} {plural(stats.documents, 'document')},"
            f" {stats.paragraphs} {plural(stats.paragraphs, 'paragraph')} in {stats.seconds:.1f} s"
        )
        return
    if not refresh:
        return
    from searchkit.freshness import unchanged

    if unchanged(manifest):  # the quick check: folder and file times as the index run saw them
        return
    missing = [r for r in manifest.roots if not Path(r).exists()]
    for root in missing:
        note(f"Note: sources folder '{root}' is gone; searching the index as it was built")
    from searchkit.backends import build_index  # the embedded index's, or a cluster's
    from searchkit.indexer import scan_changes

    changes = scan_changes(index_dir, manifest)
    if not changes:
        return
    note(f"{len(changes)} source files changed since the index was built: updating it")
    try:
        stats = build_index([Path(r) for r in manifest.roots if Path(r).exists()], index_dir)
    except IndexLockedError:
        note("Note: another run is updating the index; searching the last complete index")
        return
    for err in stats.errors:
        note(f"Error: {err}")


def color_wanted(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def as_julian(date: DateRange | None, option: str) -> DateRange | None:
    """An option's date read again as Old Style (``--calendar julian``)."""
    if date is None:
        return None
    try:
        return parse_date(date.text, "julian")
    except DateError as e:
        raise click.BadParameter(str(e), param_hint=f"'{option}'") from None
