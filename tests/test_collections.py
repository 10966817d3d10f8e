"""Collections in the index: several in one index, filtered by collection; formats chosen on the
command line and remembered; speaker turns found by --speaker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import build_index, search
from searchkit.cli import cli
from searchkit.query import Filters
from searchkit.storage import read_manifest
from tests.conftest import DATA

FORMATS = DATA / "formats"


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """Writable copies: a hearing (Gutenberg), speeches (text + settings) and TEI editions."""
    (tmp_path / "hearing").mkdir()
    shutil.copy(FORMATS / "gutenberg" / "bullitt-hearing-excerpt.txt", tmp_path / "hearing")
    shutil.copytree(FORMATS / "speeches", tmp_path / "speeches")
    shutil.copytree(FORMATS / "tei", tmp_path / "tei")
    (tmp_path / "tei" / "broken.xml").unlink()
    return tmp_path


def cli_run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})


def test_several_collections_in_one_index(folders: Path) -> None:
    index = folders / "index"
    stats = build_index([folders / "hearing", folders / "speeches", folders / "tei"], index)
    assert not stats.errors and stats.documents == 6
    everywhere = search(index, "congress", limit=50)
    assert {h.collection for h in everywhere.hits} == {"speeches", "tei"}
    only = search(index, "congress", filters=Filters(collection="Speeches"), limit=50)
    assert only.hits and {h.collection for h in only.hits} == {"speeches"}
    assert only.total < everywhere.total
    hit = search(index, "agreement", filters=Filters(collection="tei")).hits[0]
    assert hit.speaker == "Izvestiia" and hit.section.startswith("THE BOLSHEVIKS SET TERMS")


def test_speaker_filter_finds_only_that_speakers_turns(folders: Path) -> None:
    index = folders / "index"
    build_index([folders / "hearing"], index)
    bullitt = search(index, "war", filters=Filters(speaker="bullitt"), limit=50).hits
    assert bullitt and {h.speaker for h in bullitt} == {"Mr. Bullitt"}
    chairman = search(index, "war", filters=Filters(speaker="chairman"), limit=50).hits
    assert {h.speaker for h in chairman} == {"The Chairman"}
    assert {h.text for h in chairman} == {
        "Before we went into the war?",
        "Prior to the war, what were you engaged in?",
    }


def test_index_format_option_and_clear_error(folders: Path) -> None:
    bad = folders / "bad"
    bad.mkdir()
    shutil.copy(FORMATS / "gutenberg" / "no-markers.txt", bad)
    result = cli_run("index", str(bad), "--format", "gutenberg", "--index", str(folders / "index"))
    assert result.exit_code == 2
    assert "no-markers.txt:1: no '*** START OF THE PROJECT GUTENBERG EBOOK' line" in result.stderr
    result = cli_run("index", str(folders / "tei"), "--format", "rtf2", "--index", str(folders / "index"))
    assert result.exit_code == 2 and "'rtf2' is not one of" in result.stderr


def test_broken_xml_is_reported_and_the_rest_indexed(folders: Path) -> None:
    shutil.copy(FORMATS / "tei" / "broken.xml", folders / "tei")
    result = cli_run("index", str(folders / "tei"), "--index", str(folders / "index"))
    assert result.exit_code == 2
    assert "broken.xml:5: broken XML: mismatched tag at column" in result.stderr
    assert "Indexed 2 documents" in result.stdout


def test_catalogue_problems_make_the_run_fail_loudly(tmp_path: Path) -> None:
    shutil.copytree(FORMATS / "messy_catalogue", tmp_path / "messy")
    result = cli_run("index", str(tmp_path / "messy"), "--index", str(tmp_path / "index"))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert any(
        e.endswith("catalogue.csv:4: 'wrangel.txt' is catalogued but there is no such file") for e in errors
    )
    assert any("state-bank.txt: not in the catalogue" in e for e in errors)
    assert "Indexed 1 document," in result.stdout  # kiev.txt, the one good row
    shutil.copytree(FORMATS / "bad_catalogue", tmp_path / "bad")
    result = cli_run("index", str(tmp_path / "bad"), "--index", str(tmp_path / "index2"))
    assert result.exit_code == 2
    assert "catalogue.csv:1: catalogue has no 'date' column" in result.stderr


def test_config_option_is_remembered_by_later_updates(folders: Path) -> None:
    config = folders / "hearing.yaml"
    config.write_text("name: bullitt\npeople:\n  The CHAIRMAN: Henry Cabot Lodge\n")
    index = folders / "index"
    result = cli_run("index", str(folders / "hearing"), "--config", str(config), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    # A plain update (and the update a search does) keeps reading the folder with those settings.
    excerpt = folders / "hearing" / "bullitt-hearing-excerpt.txt"
    text = excerpt.read_bytes().replace(
        b"***END", b"The CHAIRMAN. The committee will stand adjourned.\r\n\r\n***END"
    )
    excerpt.write_bytes(text)
    result = cli_run(
        "search",
        "adjourned",
        "--speaker",
        "lodge",
        "--collection",
        "bullitt",
        "--json",
        "--index",
        str(index),
    )
    assert result.exit_code == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["text"] for h in hits] == ["The committee will stand adjourned."]
    manifest = read_manifest(index)
    assert manifest.collections[str(folders / "hearing")]["options"]["config"] == str(config)


def test_collection_filter_on_the_command_line(folders: Path) -> None:
    index = folders / "index"
    cli_run("index", "-q", str(folders / "speeches"), str(folders / "tei"), "--index", str(index))
    result = cli_run("search", "sketch", "--collection", "speeches", "--index", str(index))
    assert result.exit_code == 1 and "No matches" in result.stderr
    result = cli_run("search", "sketch", "-c", "TEI", "--index", str(index))
    assert result.exit_code == 0 and "Sergei P. Diaghilev" in result.stdout


def test_format_choices_on_the_command_line_are_the_library_formats() -> None:
    from searchkit.formats import FORMAT_NAMES

    option = next(p for p in cli.commands["index"].params if p.name == "fmt")  # type: ignore[attr-defined]
    assert tuple(option.type.choices) == FORMAT_NAMES
