"""``searchkit index``: build or update an index from folders of sources."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from searchkit.cli.common import (
    ExitStatus,
    hint,
    index_option,
    note,
    plural,
)
from searchkit.errors import SearchkitError


class FormatChoice(click.Choice):  # type: ignore[type-arg]
    """``click.Choice`` of the format names, read from :mod:`searchkit.formats` only when the
    option is used: importing the formats (and YAML) at start-up cost every search 25 ms or more."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from searchkit.formats.collection import FORMAT_NAMES

        return FORMAT_NAMES


if TYPE_CHECKING:
    from searchkit.changes import IndexStats


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Start over instead of updating what changed.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=FormatChoice(),
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
    TEI XML, PDF, and the other formats in the README) unless --format says. Files that cannot
    be read are named with the reason, the others are indexed, and the exit status is 2.

    \b
    Examples:
        searchkit index sources/ --index index/
        searchkit index ~/corpora/russia1917 --config russia1917.yaml
    """
    from searchkit.backends import build_index  # the embedded index's, or a cluster's

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
            on_wait=lambda: note(f"Waiting for another searchkit run to finish writing '{index_dir}'…"),
        )
    except SearchkitError as e:
        raise hint(e) from None
    for warning in stats.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for err in stats.errors:
        click.echo(f"Error: {err}", err=True)
    if not quiet:
        click.echo(
            f"Indexed {stats.documents} {plural(stats.documents, 'document')},"
            f" {stats.paragraphs} {plural(stats.paragraphs, 'paragraph')} in"
            f" {stats.seconds:.1f} s ({stats.added} new, {stats.changed} changed,"
            f" {stats.removed} removed, {stats.unchanged} unchanged"
            + (f"; {len(stats.errors)} {plural(len(stats.errors), 'file')} failed" if stats.errors else "")
            + ")"
        )
        _summary(stats)
    if stats.errors:
        sys.exit(ExitStatus.ERROR)


def _summary(stats: IndexStats) -> None:
    """Files and paragraphs by format, and what was skipped and why."""
    if len(stats.formats) > 1 or stats.skipped:
        for fmt, count in stats.formats.items():
            files, paras = count.files, count.paragraphs
            counts = f"{files:>6,} {plural(files, 'file'):<5} {paras:>9,} {plural(paras, 'paragraph')}"
            click.echo(f"  {fmt:<10} {counts}")
    if stats.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in stats.skipped_reasons().items())
        n = len(stats.skipped)
        click.echo(f"Skipped {n} {plural(n, 'file')} ({reasons}); the others are indexed.")


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
