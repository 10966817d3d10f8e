"""The ``searchkit`` command: a thin click layer over the library, one module per group of commands.

Results go to stdout; progress, notes and errors to stderr. Exit status follows ripgrep:
0 when something was found, 1 when nothing was, 2 on any error (``replay``, as ``diff``: 0 when
nothing changed, 1 when something did).
"""

from __future__ import annotations

import os
import sys
from typing import cast

import click

from searchkit.cli.cluster import cluster
from searchkit.cli.common import CONTEXT_SETTINGS, ExitStatus
from searchkit.cli.indexing import index
from searchkit.cli.reading import kwic, show, stats
from searchkit.cli.replaying import replay
from searchkit.cli.searching import search
from searchkit.cli.serving import serve


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="searchkit")
def cli() -> None:
    """Full-text search for collections of historical primary sources.

    \b
    Example:
        searchkit search coalition --speaker trotsky
    """


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


for _command in (index, search, show, stats, kwic, replay, serve, cluster):
    cli.add_command(_command)

__all__ = ["cli", "main"]
