"""The reading commands of ``searchkit``: ``show`` (a paragraph in context), ``stats`` and
``kwic`` (concordance)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchkit.cli.common import (
    ExitStatus,
    cite_option,
    color_option,
    color_wanted,
    filter_options,
    hint,
    index_option,
    note,
    ready_index,
    sources_option,
)
from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.query import Filters


@click.command()
@click.argument("ident", metavar="ID")
@click.option(
    "-C",
    "--context",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Paragraphs to show on either side.",
)
@index_option
@sources_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per paragraph.")
@color_option
@cite_option
def show(
    ident: str, context: int, index_dir: Path, sources: Path, as_json: bool, color: str, cite: str | None
) -> None:
    """Print the paragraph ID (as search cites it) with its metadata, or a whole document.

    \b
    Examples:
        searchkit show lenin-opposition-resolution:6 --context 1
        searchkit show knox-diary-verkhovsky
        searchkit show lenin-opposition-resolution:6 --cite bibtex
    """
    from searchkit.browse import show as show_paragraphs
    from searchkit.views import json_shown, text_shown

    try:
        ready_index(index_dir, sources)
        shown = show_paragraphs(index_dir, ident, context)
    except SearchkitError as e:
        raise hint(e) from None
    if cite and as_json:
        raise click.UsageError("Give --json or --cite, not both")
    if cite:
        from searchkit.cite import citations

        # The paragraphs asked for (all of a document's), not the context around them.
        for line in citations([p for p in shown.paragraphs if p.id in shown.targets], cite):
            click.echo(line)
        return
    use_color = color_wanted(color)
    for line in json_shown(shown) if as_json else text_shown(shown, use_color):
        click.echo(line, color=use_color)


@click.command()
@index_option
@sources_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def stats(index_dir: Path, sources: Path, as_json: bool) -> None:
    """Describe the indexed collection: documents, paragraphs, names, types, dates, index size.

    \b
    Example:
        searchkit stats
    """
    from searchkit.browse import collection_stats
    from searchkit.views import json_stats, text_stats

    try:
        ready_index(index_dir, sources)
        found = collection_stats(index_dir)
    except SearchkitError as e:
        raise hint(e) from None
    if as_json:
        click.echo(json_stats(found, str(index_dir)))
    else:
        for line in text_stats(found, str(index_dir)):
            click.echo(line)


@click.command()
@click.argument("query")
@index_option
@sources_option
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["position", "left", "right"]),
    default="position",
    show_default=True,
    help="Collection order, or A-Z by the words before (nearest first) or after the match.",
)
@click.option(
    "-w",
    "--width",
    type=click.IntRange(10, 200),
    default=40,
    show_default=True,
    help="Characters of context on each side.",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Show at most this many lines.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per occurrence.")
@color_option
def kwic(
    query: str,
    index_dir: Path,
    sources: Path,
    filters: Filters,
    sort: str,
    width: int,
    limit: int | None,
    as_json: bool,
    color: str,
) -> None:
    """Keyword in context: every occurrence of QUERY's words or phrases, aligned on the match.

    \b
    Examples:
        searchkit kwic coalition
        searchkit kwic '"Soviet power"' --sort right
    """
    from searchkit.kwic import kwic as concordance
    from searchkit.views import json_kwic, text_kwic

    try:
        ready_index(index_dir, sources)
        lines = concordance(index_dir, query, filters=filters, width=width, sort=sort)
    except SearchkitError as e:
        raise hint(e) from None
    shown = lines[:limit] if limit else lines
    use_color = color_wanted(color)
    for line in json_kwic(shown) if as_json else text_kwic(shown, width, use_color):
        click.echo(line, color=use_color)
    if not as_json:
        note(f"{len(shown)} of {len(lines)} occurrences shown" if lines else "No matches")
    sys.exit(ExitStatus.MATCH if lines else ExitStatus.NO_MATCH)
