"""``searchkit serve``: the web interface on a local address, until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from searchkit.cli.common import CliError, hint, index_option, note, ready_index, sources_option
from searchkit.errors import SearchkitError
from searchkit.query import MAX_QUERY_CHARS

if TYPE_CHECKING:
    import socket

#: Longest request head accepted: a query at the library's limit, every character percent-encoded.
MAX_REQUEST_BYTES = 12 * MAX_QUERY_CHARS


@click.command()
@index_option
@sources_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but 127.0.0.1 or localhost needs an access token.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8017, show_default=True, help="0: any free port."
)
@click.option(
    "--token", help="Access token for a --host other than this machine (default: a new random one)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
def serve(
    index_dir: Path, sources: Path, host: str, port: int, token: str | None, open_browser: bool
) -> None:
    """Serve a web page for searching and reading the collection, until Ctrl-C.

    Builds the index first if there is none (as search does). Binds 127.0.0.1: only this
    machine can connect. Any other --host prints a warning and every request must carry the
    access token printed with the address.

    \b
    Examples:
        searchkit serve
        searchkit serve --port 8080 --open
    """
    import uvicorn

    from searchkit.web import create_app
    from searchkit.web.guard import is_loopback

    try:
        ready_index(index_dir, sources)
    except SearchkitError as e:
        raise hint(e) from None
    if is_loopback(host):
        token = None
    else:
        note(
            f"Warning: serving on '{host}': other machines may connect; every request needs the access token"
        )
        import secrets

        token = token or secrets.token_urlsafe(18)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound_port}/" + (f"?token={token}" if token else "")
    app = create_app(index_dir, host=host, token=token)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http="h11",
        # Room for the longest query the library accepts, percent-encoded, so that it gets the
        # page explaining the limit rather than a bare "Invalid HTTP request".
        h11_max_incomplete_event_size=MAX_REQUEST_BYTES,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    click.echo(f"Serving '{index_dir}' at {url}  (Ctrl-C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly, then passes Ctrl-C on: that is the normal end
    finally:
        sock.close()
    note("Stopped")


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line error saying why there is none."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise CliError(
                f"Port {port} on '{host}' is in use; give another with --port (0: any free one)"
            ) from None
        raise CliError(f"Cannot listen on '{host}' port {port}: {e.strerror or e}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
