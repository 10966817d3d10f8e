"""The research commands and options through click's CliRunner (and one real pipe)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from searchkit import build_index
from searchkit.cli import cli
from tests.conftest import BUNDLED, REPO


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled collection with its index built by the CLI."""
    base = tmp_path_factory.mktemp("cli")
    shutil.copytree(BUNDLED, base / "sources")
    result = CliRunner().invoke(cli, ["index", str(base / "sources"), "--index", str(base / "index"), "-q"])
    assert result.exit_code == 0
    return base


def run(base: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(
        cli,
        [*args, "--index", str(base / "index")],
        catch_exceptions=False,
        env={"NO_COLOR": "1", **(env or {})},
    )


@pytest.mark.parametrize("command", ["show", "stats", "kwic"])
def test_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage: " in result.stdout


def test_phrase_highlights_exactly_the_phrase(base: Path) -> None:
    result = run(base, "search", '"Soviet power"')
    assert result.exit_code == 0
    passages = [line for line in result.stdout.splitlines() if line.startswith("   ") and "[[" in line]
    assert len(passages) == 2
    for line in passages:
        assert line.count("[[") == 1 and "[[Soviet power]]" in line
        assert "[[Soviet]]" not in line and "[[power]]" not in line


def test_html_output_uses_mark(base: Path) -> None:
    result = run(base, "search", '"Soviet power"', "--html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.count("<mark>Soviet power</mark>") == 2
    assert "<title>searchkit: &quot;Soviet power&quot;</title>" in result.stdout


def test_facets_text_and_json(base: Path) -> None:
    result = run(base, "search", "coalition", "--facets", "-n", "1")
    assert result.exit_code == 0
    tail = result.stdout.splitlines()[-4:]
    assert tail == [
        "speaker: Alpha History editors (2), V. I. Lenin (2), L. D. Trotsky (1)",
        "author: Alpha History editors (3), V. I. Lenin (2)",
        "type: commentary (2), resolution (2), speech (1)",
        "year: 1917 (3), undated (2)",
    ]
    assert result.stderr.splitlines()[-1] == "1 of 5 matching paragraphs shown"
    lines = run(base, "search", "coalition", "--facets", "--json", "-n", "2").stdout.splitlines()
    assert len(lines) == 3 and "id" in json.loads(lines[0])
    facets = json.loads(lines[-1])["facets"]
    assert facets["type"] == [["commentary", 2], ["resolution", 2], ["speech", 1]]
    assert facets["year"] == [["1917", 3], ["undated", 2]]


def test_show_with_context(base: Path) -> None:
    result = run(base, "show", "lenin-opposition-resolution:6", "--context", "1")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Resolution of the C.C. of the R.S.D.L.P.(B.) on the Opposition within the C.C."
    assert lines[1] == "sources/lenin-opposition-resolution.md"
    heads = [line for line in lines if "¶" in line]
    assert heads == [
        "  [lenin-opposition-resolution:5] ¶5 (line 27) · V. I. Lenin · 2 Nov / 15 Nov 1917 · resolution",
        "> [lenin-opposition-resolution:6] ¶6 (line 29) · V. I. Lenin · 2 Nov / 15 Nov 1917 · resolution",
        "  [lenin-opposition-resolution:7] ¶7 (line 31) · V. I. Lenin · 2 Nov / 15 Nov 1917 · resolution",
    ]
    records = [
        json.loads(x) for x in run(base, "show", "alpha-coalition-terms", "--json").stdout.splitlines()
    ]
    assert [r["paragraph"] for r in records] == list(range(1, 13))
    assert all(r["target"] for r in records)
    missing = run(base, "show", "lenin-opposition-resolution:99")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "Error: Document 'lenin-opposition-resolution' has no paragraph 99; its paragraphs are 1-9\n"
    )


def test_every_search_hit_id_can_be_shown(base: Path) -> None:
    for line in run(base, "search", "kerensky", "--json").stdout.splitlines():
        ident = json.loads(line)["id"]
        shown = run(base, "show", ident, "--json")
        assert shown.exit_code == 0
        assert [json.loads(x)["id"] for x in shown.stdout.splitlines()] == [ident]


def test_stats(base: Path) -> None:
    result = run(base, "stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Documents:  9",
        "Paragraphs: 28 (3 undated)",
        "Dates:      1917-11-01 to 1917-11-30",
    ]
    assert lines[4].startswith("Speakers:   10: V. I. Lenin (9), Izvestiia (6),")
    assert lines[6].startswith(f"Index:      {base / 'index'}, ") and " UTC" in lines[6]
    data = json.loads(run(base, "stats", "--json").stdout)
    assert (data["documents"], data["paragraphs"], data["first_date"]) == (9, 28, "1917-11-01")


def test_kwic_is_aligned_on_the_match(base: Path) -> None:
    result = run(base, "kwic", "coalition")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 8
    columns = {line.index("[[") for line in lines}
    assert len(columns) == 1
    assert lines[0].startswith("alpha-coalition-terms:1 ")
    assert result.stderr == "8 of 8 occurrences shown\n"
    right = run(base, "kwic", "coalition", "--sort", "right", "--speaker", "lenin").stdout.splitlines()
    assert [line.split("]]")[1].split()[0] for line in right] == ["with", "with", "within"]
    js = [json.loads(x) for x in run(base, "kwic", '"Soviet power"', "--json").stdout.splitlines()]
    assert [j["match"] for j in js] == ["Soviet power", "Soviet power"]
    assert run(base, "kwic", "zanzibar").exit_code == 1


def test_did_you_mean(base: Path) -> None:
    result = run(base, "search", "coalision")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Did you mean: searchkit search coalition  (5 matching paragraphs)" in result.stderr
    phrase = run(base, "search", '"Soviet powr"')
    assert "Did you mean: searchkit search '\"Soviet power\"'  (2 matching paragraphs)" in phrase.stderr
    assert "Did you mean" not in run(base, "search", "coalition").stderr


def test_explain_goes_to_stderr(base: Path) -> None:
    plain = run(base, "search", "coalition")
    result = run(base, "search", "coalition", "--explain")
    assert result.stdout == plain.stdout
    assert result.stderr.startswith("Query: coalition\n  word body:coalit (stem of coalition, coalitions)\n")


def test_query_syntax_error_has_a_column(base: Path) -> None:
    result = run(base, "search", 'coalition AND "land peace')
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Unbalanced quote at column 15 in query")
    bad_date = run(base, "search", "date:[1917-11-31 TO 1917-12] coalition")
    assert bad_date.exit_code == 2 and "(column 1 of query" in bad_date.stderr


def test_csv_output(base: Path) -> None:
    result = run(base, "search", '"Soviet power"', "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["lenin-opposition-resolution:3", "lenin-opposition-resolution:5"]
    for r in rows:
        assert {r["text"][s:e] for s, e in json.loads(r["highlights"])} == {"Soviet power"}
        assert {r["passage"][s:e] for s, e in json.loads(r["passage_highlights"])} == {"Soviet power"}
        assert r["source"] == "sources/lenin-opposition-resolution.md" and r["date"] == "2 (15) November 1917"


def test_count(base: Path) -> None:
    assert run(base, "search", "coalition", "--count").stdout == "5\n"
    miss = run(base, "search", "zanzibar", "--count")
    assert (miss.exit_code, miss.stdout) == (1, "0\n")


def test_sort_and_paging(base: Path) -> None:
    def ids(*args: str) -> list[str]:
        return [
            json.loads(x)["id"] for x in run(base, "search", "coalition", "--json", *args).stdout.splitlines()
        ]

    by_date = ids("--sort", "date")
    assert by_date[:3] == [
        "alpha-coalition-terms:11",
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]
    assert ids("--sort", "date-desc")[:3] == [
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
        "alpha-coalition-terms:11",
    ]
    assert ids("--sort", "date", "-n", "2", "--page", "2") == by_date[2:4]
    assert ids("--sort", "date", "-n", "2", "--offset", "3") == by_date[3:5]
    page = run(base, "search", "coalition", "-n", "2", "--page", "2")
    assert page.stderr.splitlines()[-1] == "3-4 of 5 matching paragraphs shown"
    past = run(base, "search", "coalition", "--page", "9")
    assert past.exit_code == 1 and past.stderr.splitlines()[-1] == "No hits on this page; 5 in all"
    both = run(base, "search", "coalition", "--page", "2", "--offset", "1")
    assert both.exit_code == 2 and "Give --page or --offset, not both" in both.stderr
    two = run(base, "search", "coalition", "--json", "--csv")
    assert two.exit_code == 2 and "Give only one of --json, --csv, --html, --count and --cite" in two.stderr


def test_colour_in_kwic_and_show(base: Path) -> None:
    assert "\x1b[" in run(base, "kwic", "coalition", "--color", "always").stdout
    assert "\x1b[" not in run(base, "kwic", "coalition").stdout
    assert "\x1b[" in run(base, "show", "knox-diary-verkhovsky:1", "--color", "always").stdout


def test_pipe_into_head_ends_quietly(tmp_path: Path) -> None:
    """A real pipe: the reader goes away after one line; no BrokenPipeError traceback."""
    src = tmp_path / "sources"
    src.mkdir()
    # Enough output to fill the pipe's buffer (64 KB) several times over.
    text = " ".join(f"the coalition of word{i} and word{i + 1}." for i in range(8))
    for n in range(10):
        paragraphs = "\n\n".join(f"Paragraph {n}-{k}: {text}" for k in range(15))
        (src / f"doc{n:02}.md").write_text(f"---\ntitle: Doc {n}\n---\n{paragraphs}\n", encoding="utf-8")
    index = str(tmp_path / "index")
    assert not build_index([src], Path(index)).errors
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    for args in (["search", "coalition", "-n", "150", "--json"], ["kwic", "coalition"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "searchkit", *args, "--index", index],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # what `| head -1` does
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=120) == 0
        assert first.strip()
        assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_kwic_show_and_stats_update_a_stale_index(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED, tmp_path / "sources")
    index = str(tmp_path / "index")
    runner = CliRunner()
    built = runner.invoke(cli, ["stats", "--index", index, "--sources", str(tmp_path / "sources")])
    assert built.exit_code == 0 and "building it from" in built.stderr
    (tmp_path / "sources" / "extra.md").write_text("---\ntitle: Extra\n---\nA zanzibar note.\n")
    result = runner.invoke(cli, ["kwic", "zanzibar", "--index", index])
    assert result.exit_code == 0
    assert "1 source files changed since the index was built: updating it" in result.stderr
    assert result.stdout == "extra:1  " + " " * 38 + "A [[zanzibar]] note.\n"
    assert runner.invoke(cli, ["show", "extra", "--index", index]).exit_code == 0
