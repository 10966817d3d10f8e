"""``searchkit replay``: run a recorded search again and print what changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searchkit.cli.common import ExitStatus, hint, note, ready_index, sources_option
from searchkit.errors import SearchkitError


@click.command()
@click.argument("record_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SEARCHKIT_INDEX",
    help="Index folder (default: the one the search was recorded on; or set SEARCHKIT_INDEX).",
)
@sources_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object: what changed, and the hits now.")
def replay(record_file: Path, index_dir: Path | None, sources: Path, as_json: bool) -> None:
    """Run the search recorded in FILE (by 'search --record') again and print what changed:
    new hits, hits gone, hits moved, and whether the index, the searchkit version or the
    variant rules differ. Exit status: 0 nothing changed, 1 something did, 2 error.

    \b
    Example:
        searchkit search coalition --record coalition.json
        searchkit replay coalition.json
    """
    from searchkit.records import read_record
    from searchkit.replay import replay as run_replay
    from searchkit.replay import replay_json, replay_lines

    try:
        recorded = read_record(record_file)
        index = index_dir or Path(str(recorded["index"].get("dir") or "index"))
        ready_index(index, sources)
        result = run_replay(record_file, index)
    except SearchkitError as e:
        raise hint(e) from None
    if as_json:
        click.echo(replay_json(result))
    else:
        for line in replay_lines(result):
            click.echo(line)
    if result.changed and not as_json:
        note("Re-record it with 'searchkit search … --record FILE' to compare with the results of now")
    sys.exit(ExitStatus.NO_MATCH if result.changed else ExitStatus.MATCH)
