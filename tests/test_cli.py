"""The command line, through click's CliRunner, on temporary copies of the collections."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.indexer import index_lock
from tests.conftest import BUNDLED


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    shutil.copytree(BUNDLED, tmp_path / "sources")
    return tmp_path


def run(runner: CliRunner, base: Path, *args: str, env: dict[str, str] | None = None) -> object:
    return runner.invoke(
        cli,
        [*args, "--index", str(base / "index")]
        + (["--sources", str(base / "sources")] if args[0] == "search" else []),
        catch_exceptions=False,
        env=env,
    )


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [[], ["index"], ["search"]])
def test_help(runner: CliRunner, command: list[str], flag: str) -> None:
    result = runner.invoke(cli, [*command, flag])
    assert result.exit_code == 0
    assert "Usage: " in result.stdout


def test_first_search_builds_the_index(runner: CliRunner, bundled_copy: Path) -> None:
    result = run(runner, bundled_copy, "search", "coalition", "--speaker", "trotsky", "--color", "never")
    assert result.exit_code == 0
    assert "No index at" in result.stderr and "building it from" in result.stderr
    assert "Indexed 9 documents, 28 paragraphs" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. The Bolsheviks set terms for party coalitions (1917)  [alpha-coalition-terms:11]"
    assert lines[1] == "   Alpha History editors (speaker: L. D. Trotsky) · 26 Oct / 8 Nov 1917 · speech"
    assert lines[2].startswith("   sources/alpha-coalition-terms.md ¶11 (line ")
    assert "If a [[coalition]] is necessary, it must be a [[coalition]] with our garrison" in lines[3]
    assert len(lines) == 4
    assert (bundled_copy / "index" / "searchkit.json").exists()
    again = run(runner, bundled_copy, "search", "coalition", "--speaker", "trotsky", "--color", "never")
    assert "building" not in again.stderr and "updating" not in again.stderr


def test_exit_status_and_stderr_summary(runner: CliRunner, bundled_copy: Path) -> None:
    hit = run(runner, bundled_copy, "search", "Petrovitch")
    assert hit.exit_code == 0
    assert hit.stderr.splitlines()[-1] == "1 of 1 matching paragraphs shown"
    miss = run(runner, bundled_copy, "search", "zanzibar")
    assert (miss.exit_code, miss.stdout) == (1, "")
    assert miss.stderr.splitlines()[-1] == "No matches"
    bad = run(runner, bundled_copy, "search", '"soviet power')
    assert bad.exit_code == 2
    assert bad.stderr == (
        "Error: Unbalanced quote at column 1 in query '\"soviet power'; close the phrase with '\"'\n"
    )


def test_json_lines(runner: CliRunner, bundled_copy: Path) -> None:
    result = run(runner, bundled_copy, "search", '"Soviet power"', "--json")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["lenin-opposition-resolution:3", "lenin-opposition-resolution:5"]
    for r in records:
        for key in (
            "id",
            "source",
            "paragraph",
            "title",
            "author",
            "speaker",
            "date",
            "type",
            "score",
            "text",
            "passage",
            "highlights",
        ):
            assert key in r
        assert {r["text"][s:e] for s, e in r["highlights"]} == {"Soviet power"}
        assert r["source"] == "sources/lenin-opposition-resolution.md"
        assert r["date"] == "2 (15) November 1917"
        assert (r["date_start"], r["calendar"], r["date_shown"]) == (
            "1917-11-15",
            "julian",
            "2 Nov / 15 Nov 1917",
        )


def test_colour(runner: CliRunner, bundled_copy: Path) -> None:
    always = run(runner, bundled_copy, "search", "Petrovitch", "--color", "always")
    assert "\x1b[" in always.stdout and "[[" not in always.stdout
    auto = run(runner, bundled_copy, "search", "Petrovitch")  # not a terminal
    assert "\x1b[" not in auto.stdout and "[[Petrovitch]]" in auto.stdout
    no_color = run(runner, bundled_copy, "search", "Petrovitch", "--color", "auto", env={"NO_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout


def test_filters(runner: CliRunner, bundled_copy: Path) -> None:
    result = run(runner, bundled_copy, "search", "kerensky", "--type", "diary", "--json")
    assert sorted(json.loads(x)["id"] for x in result.stdout.splitlines()) == [
        "buchanan-diary-verkhovsky:1",
        "knox-diary-verkhovsky:1",
    ]
    result = run(
        runner, bundled_copy, "search", "coalition", "--from", "1917-11-14", "--to", "1917-11", "--json"
    )
    assert sorted(json.loads(x)["id"] for x in result.stdout.splitlines()) == [
        "lenin-opposition-resolution:6",
        "lenin-opposition-resolution:8",
    ]


def test_invalid_date_option(runner: CliRunner, bundled_copy: Path) -> None:
    result = run(runner, bundled_copy, "search", "x", "--from", "1917-02-30")
    assert result.exit_code == 2
    assert "Invalid value for '--from': Invalid date '1917-02-30'" in result.stderr
    result = run(runner, bundled_copy, "search", "x", "--from", "1918", "--to", "1917")
    assert result.exit_code == 2
    assert "'1918' is after --to '1917'" in result.stderr


def test_stale_index_is_updated_before_searching(runner: CliRunner, bundled_copy: Path) -> None:
    assert run(runner, bundled_copy, "index", str(bundled_copy / "sources")).exit_code == 0
    (bundled_copy / "sources" / "extra.md").write_text("---\ntitle: Extra\n---\nA zanzibar note.\n")
    result = run(runner, bundled_copy, "search", "zanzibar")
    assert result.exit_code == 0
    assert "1 source files changed since the index was built: updating it" in result.stderr


def test_search_while_index_is_locked_uses_last_index(runner: CliRunner, bundled_copy: Path) -> None:
    assert run(runner, bundled_copy, "index", str(bundled_copy / "sources")).exit_code == 0
    (bundled_copy / "sources" / "extra.md").write_text("A zanzibar note.\n")
    with index_lock(bundled_copy / "index"):
        result = run(runner, bundled_copy, "search", "coalition")
        locked = run(runner, bundled_copy, "index", str(bundled_copy / "sources"))
    assert result.exit_code == 0
    assert "another run is updating the index; searching the last complete index" in result.stderr
    assert locked.exit_code == 2
    assert "is being written by another searchkit run; wait for it to finish" in locked.stderr


def test_no_index_and_no_sources(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path, "search", "coalition")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: No index at '{tmp_path / 'index'}'; run 'searchkit index PATH' to build it\n"
    )


def test_index_command_summary_and_bad_files(runner: CliRunner, bundled_copy: Path) -> None:
    src = bundled_copy / "sources"
    (src / "broken.md").write_text("---\ntitle: [oops\n---\nx\n")
    result = run(runner, bundled_copy, "index", str(src))
    assert result.exit_code == 2
    assert f"Error: {src / 'broken.md'}:2: malformed front matter" in result.stderr
    assert result.stdout.startswith("Indexed 9 documents, 28 paragraphs in ")
    assert "(9 new, 0 changed, 0 removed, 0 unchanged; 1 file failed)" in result.stdout
    missing = run(runner, bundled_copy, "index", str(bundled_copy / "nowhere"))
    assert missing.exit_code == 2
    assert "No sources folder" in missing.stderr


def test_index_env_variable(runner: CliRunner, bundled_copy: Path) -> None:
    env = {"SEARCHKIT_INDEX": str(bundled_copy / "envindex")}
    result = runner.invoke(cli, ["index", str(bundled_copy / "sources"), "-q"], env=env)
    assert result.exit_code == 0 and result.stdout == ""
    assert (bundled_copy / "envindex" / "searchkit.json").exists()


def test_damaged_index(runner: CliRunner, bundled_copy: Path) -> None:
    assert run(runner, bundled_copy, "index", str(bundled_copy / "sources")).exit_code == 0
    for seg in (bundled_copy / "index").glob("*.seg"):
        seg.write_bytes(b"")
    result = run(runner, bundled_copy, "search", "coalition")
    assert result.exit_code == 2
    assert "is damaged" in result.stderr and "searchkit index --rebuild" in result.stderr
    assert run(runner, bundled_copy, "index", str(bundled_copy / "sources"), "--rebuild").exit_code == 0
    assert run(runner, bundled_copy, "search", "coalition").exit_code == 0
