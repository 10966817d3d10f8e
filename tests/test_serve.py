"""``searchkit serve`` as a user runs it: a real process on a free port, stopped with Ctrl-C."""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.query import MAX_QUERY_CHARS
from tests.conftest import BUNDLED


def start(*args: str, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    exe = Path(sys.executable).parent / "searchkit"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", "0", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("Serving "), line + (proc.stderr.read() if proc.stderr else "")
    return proc, line.split(" at ", 1)[1].split()[0]


def get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read().decode("utf-8")
    conn.close()
    return response.status, body


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    return err


def test_serve_builds_the_index_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "sources")
    proc, url = start(cwd=tmp_path)
    try:
        assert (tmp_path / "index").is_dir()  # built from ./sources, as search does
        assert url.startswith("http://127.0.0.1:") and "token" not in url
        status, body = get(url, "/search?q=coalition")
        assert status == 200 and "5 of 5 paragraphs" in body
        # A hostile query, even one too long for the library, gets the page and status 400 ...
        status, body = get(url, "/search?q=" + quote("x" * (MAX_QUERY_CHARS + 1)))
        assert status == 400 and "longer than the limit" in body
        status, _ = get(url, "/search?q=" + quote("(" * 3000))
        assert status == 400
        # ... and the server keeps answering.
        assert get(url, "/search?q=coalition")[0] == 200
        assert get(url, "/", {"Host": "evil.example"})[0] == 400
    finally:
        err = stop(proc)
    assert "Stopped" in err and "Traceback" not in err


def test_another_host_warns_and_needs_the_printed_token(bundled_index: Path, tmp_path: Path) -> None:
    # 127.0.0.2 is still this machine, but not the default address: it is treated as another host.
    proc, url = start("--host", "127.0.0.2", "--index", str(bundled_index), cwd=tmp_path)
    try:
        token = url.split("?token=", 1)[1]
        assert len(token) >= 20
        assert get(url, "/")[0] == 403
        assert get(url, f"/?token={token}")[0] == 200
        assert get(url, f"/?token={token[:-1]}")[0] == 403
    finally:
        err = stop(proc)
    assert "Warning: serving on '127.0.0.2'" in err


def test_a_port_in_use_is_a_one_line_error(bundled_index: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--index", str(bundled_index), "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: Port {port} on '127.0.0.1' is in use; give another with --port (0: any free one)"
    )


def test_no_index_and_no_sources_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--index", str(tmp_path / "ix"), "--sources", str(tmp_path / "no")]
    )
    assert result.exit_code == 2 and "No index at" in result.stderr
