"""``searchkit search``: ranked paragraphs, in text, JSON Lines, CSV or HTML."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    refresh_option,
    sources_option,
)
from searchkit.errors import SearchkitError

if TYPE_CHECKING:
    from searchkit.query import Filters


@click.command()
@click.argument("query")
@index_option
@sources_option
@refresh_option
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
@click.option(
    "--record",
    "record_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the search, how it was understood and its ranked hits to this JSON file"
    " (re-run it with 'searchkit replay FILE').",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="On a cluster, search the shards that answer when some do not (with a warning naming them).",
)
@cite_option
def search(
    query: str,
    index_dir: Path,
    sources: Path,
    refresh: bool,
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
    record_file: Path | None,
    allow_partial: bool,
    cite: str | None,
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
        searchkit search coalition --record coalition.json
        searchkit search '"Soviet power"' --cite chicago
    """
    from searchkit import render
    from searchkit.backends import is_cluster
    from searchkit.backends import search as run_search

    if sum((as_json, as_csv, as_html, count, cite is not None)) > 1:
        raise click.UsageError("Give only one of --json, --csv, --html, --count and --cite")
    if page is not None and offset is not None:
        raise click.UsageError("Give --page or --offset, not both")
    if facets and (as_csv or as_html or count or cite):
        raise click.UsageError("--facets works with text and --json output only")
    skip = offset if offset is not None else ((page or 1) - 1) * limit
    try:
        ready_index(index_dir, sources, refresh)
        cluster = is_cluster(index_dir)
        if explain and not cluster:
            from searchkit.explain import explain as explain_query

            for line in explain_query(index_dir, query, filters):
                note(line)
        result = run_search(
            index_dir,
            query,
            filters=filters,
            limit=limit,
            offset=skip,
            sort=sort,
            facets=facets,
            any_words=any_words,
            count=count,
            allow_partial=allow_partial,
        )
        if cluster:
            if explain:
                note(f"query: {result.query}")
            for shard in result.missing:
                note(f"Warning: {shard} did not answer; these results lack its paragraphs")
        else:
            _did_you_mean(index_dir, query, filters, result.total)
        if record_file is not None:
            from searchkit.records import Asked, make_record, write_record

            asked = Asked(query, filters, limit, skip, sort, any_words)
            write_record(record_file, make_record(index_dir, asked, result))
    except SearchkitError as e:
        raise hint(e) from None
    if count:
        click.echo(str(result.total))
        sys.exit(ExitStatus.MATCH if result.total else ExitStatus.NO_MATCH)
    use_color = color_wanted(color)
    if cite:
        from searchkit.cite import citations

        lines = citations(result.hits, cite)
    elif as_json:
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
    if not (as_json or as_csv or as_html or cite):
        shown = len(result.hits)
        # A lower bound reads "1,000+": counting stopped once the best hits were certain.
        total = str(result.total) if result.total_is_exact else f"{result.total:,}+"
        if not shown:
            note("No matches" if not result.total else f"No hits on this page; {total} in all")
        elif skip:
            note(f"{skip + 1}-{skip + shown} of {total} matching paragraphs shown")
        else:
            note(f"{shown} of {total} matching paragraphs shown")
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
        note(f"Did you mean: searchkit search {shlex.quote(better.query)}  ({found})")
