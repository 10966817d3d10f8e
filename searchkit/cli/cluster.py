"""``searchkit cluster``: describe a sharded index, and run its nodes on this machine for trials."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searchkit.cli.common import CONTEXT_SETTINGS, ExitStatus, hint
from searchkit.errors import SearchkitError

_DIR = click.argument("index_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))


@click.group(context_settings=CONTEXT_SETTINGS)
def cluster() -> None:
    """Keep an index on a cluster of Xapian nodes instead of one Whoosh index.

    \b
    Example:
        searchkit cluster init big --shards 3
        searchkit cluster start big
        searchkit index sources/ --index big
        searchkit search coalition --index big
        searchkit cluster stop big
    """


@cluster.command()
@_DIR
@click.option("--shards", type=click.IntRange(1, 1024), required=True, help="How many shards.")
@click.option(
    "--nodes",
    metavar="HOST:PORT,…",
    help="The node of each shard, in order (default: one local node per shard on a free port).",
)
def init(index_dir: Path, shards: int, nodes: str | None) -> None:
    """Describe a cluster of SHARDS shards in DIR (writes DIR/cluster.json).

    \b
    Example:
        searchkit cluster init big --shards 3 --nodes 10.0.0.1:7101,10.0.0.2:7101,10.0.0.3:7101
    """
    from searchkit.backends.cluster import init_cluster

    listed = [n.strip() for n in nodes.split(",") if n.strip()] if nodes else None
    try:
        config = init_cluster(index_dir, shards, listed)
    except SearchkitError as e:
        raise hint(e) from None
    click.echo(f"Cluster of {config.shards} shards in '{index_dir}': {', '.join(config.nodes)}")


@cluster.command()
@_DIR
def start(index_dir: Path) -> None:
    """Start the local nodes of the cluster in DIR (127.0.0.1 only)."""
    from searchkit.backends.cluster import start_nodes

    try:
        for line in start_nodes(index_dir):
            click.echo(line)
    except SearchkitError as e:
        raise hint(e) from None


@cluster.command()
@_DIR
def stop(index_dir: Path) -> None:
    """Stop the local nodes of the cluster in DIR."""
    from searchkit.backends.cluster import stop_nodes

    try:
        for line in stop_nodes(index_dir):
            click.echo(line)
    except SearchkitError as e:
        raise hint(e) from None


@cluster.command()
@_DIR
def status(index_dir: Path) -> None:
    """Show whether each node of the cluster in DIR answers, and its paragraphs (exit 2 if one is down)."""
    from searchkit.backends.cluster import node_status

    try:
        found = node_status(index_dir)
    except SearchkitError as e:
        raise hint(e) from None
    for label, up, count in found:
        click.echo(f"{label}: up, {count} paragraphs" if up else f"{label}: DOWN")
    if not all(up for _, up, _ in found):
        sys.exit(ExitStatus.ERROR)
