"""Garbage, huge and deeply nested queries and absurd limits: answered or refused with a one-line
error, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import search
from searchkit.cli import cli
from searchkit.errors import QueryError
from searchkit.query import MAX_QUERY_CHARS, MAX_WORD_CHARS

ANSWERED = [
    "bread\x00",
    "\udcff\udcfe bread",  # what undecodable bytes on the command line become
    "ÿþ\ufffd\u202e\u200b",
    "\U0001f600 coalition \U0001f600",
    "*a*",  # a leading wildcard expands to much of the vocabulary
    "*",
    "NOT coalition",
    "author:",
    "coalition~99999",
    '"coalition government"~999999999',
    "coalition^1e308",
    "(" * 50 + "coalition" + ")" * 50,
    " OR ".join(f"w{i}" for i in range(10_000)),  # 10,000 terms
    " ".join(f"w{i}" for i in range(10_000)),
    " ".join("a" * MAX_WORD_CHARS for _ in range(MAX_QUERY_CHARS // (MAX_WORD_CHARS + 1))),
]

REFUSED = [
    ("", "Empty query"),
    ("   ", "Empty query"),
    ('"coalition', "Unbalanced quote"),
    ("(coalition", r"Unbalanced '\('"),
    ("coalition)", r"Unbalanced '\)'"),
    ("nosuchfield:x", "Unknown field"),
    ("( " * 5000 + "coalition" + " )" * 5000, "Cannot parse query"),
    ("(" * 5000 + "coalition" + ")" * 5000, "characters; the limit is 1,000"),
    ("NOT " * 5000 + "coalition", "Cannot parse query"),
    ("a" * (MAX_WORD_CHARS + 1), "limit is 1,000"),
    ("a " * (MAX_QUERY_CHARS // 2 + 1), "longer than the limit"),
]


@pytest.mark.parametrize("query", ANSWERED, ids=range(len(ANSWERED)))
def test_odd_queries_are_answered(bundled_index: Path, query: str) -> None:
    result = search(bundled_index, query, limit=5)
    assert len(result.hits) <= 5
    for hit in result.hits:
        for s, e in hit.highlights:
            assert 0 <= s < e <= len(hit.text)


@pytest.mark.parametrize(("query", "message"), REFUSED, ids=range(len(REFUSED)))
def test_bad_queries_are_refused_in_one_line(bundled_index: Path, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        search(bundled_index, query)
    assert "\n" not in str(caught.value)
    result = CliRunner().invoke(cli, ["search", query, "--index", str(bundled_index)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("limit", "offset"), [(10**9, 0), (5, 10**12), (10**18, 10**18), (1, 0)])
def test_absurd_limits_and_offsets(bundled_index: Path, limit: int, offset: int) -> None:
    result = search(bundled_index, "coalition", limit=limit, offset=offset)
    assert result.total > 0
    assert len(result.hits) == (0 if offset else min(limit, result.total))


@pytest.mark.parametrize("limit", [0, -1, -(10**18)])
def test_nonpositive_limit_is_refused(bundled_index: Path, limit: int) -> None:
    with pytest.raises(QueryError, match="not a positive number"):
        search(bundled_index, "coalition", limit=limit)


@pytest.mark.parametrize("value", ["0", "-5", "99999999999999999999", "ten", ""])
def test_cli_limit_out_of_range(bundled_index: Path, value: str) -> None:
    result = CliRunner().invoke(cli, ["search", "coalition", "-n", value, "--index", str(bundled_index)])
    assert result.exit_code == 2
    assert "Invalid value for '-n' / '--limit'" in result.output


def test_undecodable_bytes_on_the_command_line(bundled_index: Path) -> None:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""}
    for arg in (b"\xff\xfe coalition", b"coalition \x80", b"\xc3("):
        proc = subprocess.run(
            [sys.executable.encode(), b"-m", b"searchkit", b"search", arg, b"--index", bytes(bundled_index)],
            capture_output=True,
            env=env,
            timeout=60,
        )
        assert proc.returncode in (0, 1, 2)
        assert b"Traceback" not in proc.stderr
