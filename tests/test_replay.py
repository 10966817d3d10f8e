"""search --record and replay: a search kept with what it was turned into, re-run and compared."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUNDLED

from searchkit import build_index
from searchkit.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A writable copy of the bundled collection and its index."""
    shutil.copytree(BUNDLED, tmp_path / "sources")
    assert not build_index([tmp_path / "sources"], tmp_path / "index").errors
    yield tmp_path / "sources", tmp_path / "index"


def record(index: Path, path: Path, *args: str) -> dict[str, object]:
    code, _, _ = run("search", *args, "--index", str(index), "--record", str(path))
    assert code == 0
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_the_record_says_what_was_asked_and_what_it_became(
    collection: tuple[Path, Path], tmp_path: Path
) -> None:
    _, index = collection
    rec = record(
        index, tmp_path / "r.json", "Kerensky", "--type", "diary", "--from", "1917-11-01os", "-n", "3"
    )
    assert rec["asked"] == {
        "query": "Kerensky",
        "filters": {
            "author": None,
            "speaker": None,
            "type": "diary",
            "collection": None,
            "role": None,
            "date_from": {"text": "1917-11-01os", "calendar": "julian"},
            "date_to": None,
            "about_from": None,
            "about_to": None,
        },
        "options": {"limit": 3, "offset": 0, "sort": "relevance", "any": False},
    }
    # the spellings the word was matched with, from the index (Knox writes "Kerenski")
    assert rec["understood"] == {
        "parsed": "body:керенск",
        "words": [
            {
                "field": "body",
                "term": "керенск",
                "kind": "word",
                "words": ["kerenski", "kerenskii", "kerensky"],
            }
        ],
    }
    assert rec["searchkit_version"] == "0.1.0"
    index_id = rec["index"]
    assert isinstance(index_id, dict)
    assert (index_id["documents"], index_id["paragraphs"], index_id["generation"]) == (9, 28, 1)
    assert len(index_id["sources_digest"]) == 64
    assert rec["total"] == 2
    hits = rec["hits"]
    assert isinstance(hits, list)
    assert [(h["id"], h["rank"], round(h["score"], 2)) for h in hits] == [
        ("buchanan-diary-verkhovsky:1", 1, 2.14),  # as the README's search shows them
        ("knox-diary-verkhovsky:1", 2, 1.87),
    ]


def test_nothing_changed(collection: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = collection
    record(index, tmp_path / "r.json", "coalition", "--speaker", "trotsky")
    code, out, _ = run("replay", str(tmp_path / "r.json"))
    assert code == 0
    assert out.splitlines()[-1] == "No change: the same 1 hit in the same order, from the same sources."
    code, out, _ = run("replay", str(tmp_path / "r.json"), "--json")
    data = json.loads(out)
    assert (code, data["changed"], data["changes"], data["new"], data["gone"]) == (0, False, [], [], [])
    assert data["hits"] == [{"id": "alpha-coalition-terms:11", "rank": 1, "score": 3.526612}]


def test_a_document_added(collection: tuple[Path, Path], tmp_path: Path) -> None:
    sources, index = collection
    record(index, tmp_path / "r.json", "coalition", "-n", "3")
    (sources / "zz-coalition-note.md").write_text(
        "---\ntitle: Note\nauthor: A reader\ndate: 1917-11~\n---\nCoalition, coalition, coalition.\n",
        encoding="utf-8",
    )
    code, out, err = run("replay", str(tmp_path / "r.json"))
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "The index changed: its sources differ, 9 -> 10 documents, 28 -> 29 paragraphs"
    assert "Matching paragraphs: 5 -> 6" in lines
    assert "+ new      2. zz-coalition-note:1  (score 3.43)" in lines
    assert "- gone     3. alpha-coalition-terms:9  (score 3.10)" in lines
    assert "~ moved    2 -> 3. alpha-coalition-terms:11" in lines
    assert lines[-1] == "Changed."
    assert "source files changed since the index was built: updating it" in err
    code, out, _ = run("replay", str(tmp_path / "r.json"), "--json")
    data = json.loads(out)
    assert code == 1 and data["changed"] is True
    assert [c["what"] for c in data["changes"]] == ["index", "total"]
    assert [h["id"] for h in data["new"]] == ["zz-coalition-note:1"]
    assert data["total"] == {"was": 5, "now": 6}


def test_a_variant_rule_changed(
    collection: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit import variants
    from searchkit.analysis import forget_terms

    _, index = collection
    record(index, tmp_path / "r.json", "Kerensky")
    # A new table entry: "Kerensky" is no longer folded with Knox's "Kerenski" (the index, built
    # with the old rules, is not rebuilt: replay says the rules, not the index, changed)
    monkeypatch.setitem(variants.TABLE, "kerensky", "kerenskij")
    forget_terms()
    try:
        code, out, _ = run("replay", str(tmp_path / "r.json"))
    finally:
        monkeypatch.undo()
        forget_terms()
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith("The variant rules changed (analysis digest ") for line in lines)
    assert "The index changed" not in out  # the same index: only the analysis differs
    assert "The query is understood differently: body:керенск -> body:kerenskij" in lines
    assert "- gone     1. wrangel-kerensky-fled:1  (score 6.06)" in lines


def test_a_new_searchkit_version_is_named(
    collection: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchkit import records

    _, index = collection
    record(index, tmp_path / "r.json", "coalition")
    monkeypatch.setattr(records, "searchkit_version", lambda: "9.9.9")
    code, out, _ = run("replay", str(tmp_path / "r.json"))
    assert code == 1
    assert out.splitlines()[1:] == ["The searchkit version changed: 0.1.0 -> 9.9.9", "Changed."]


def test_filters_and_options_are_replayed(collection: tuple[Path, Path], tmp_path: Path) -> None:
    _, index = collection
    args = (
        "Kerensky",
        "--from",
        "1917-11-01",
        "--to",
        "1917-11-01",
        "--calendar",
        "julian",
        "--sort",
        "date",
    )
    rec = record(index, tmp_path / "r.json", *args, "--page", "2", "-n", "1")
    code, out, _ = run("replay", str(tmp_path / "r.json"), "--json")
    assert code == 0, out
    assert json.loads(out)["hits"] == rec["hits"]
    assert [h["rank"] for h in json.loads(out)["hits"]] == [2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No record file"),
        ("not json", "is not JSON"),
        ('{"query": "x"}', "is not a searchkit record"),
        ('{"searchkit_record": 7}', "has format 7; this searchkit reads format 1"),
        ('{"searchkit_record": 1, "asked": {}}', "is incomplete: no 'query'"),
    ],
)
def test_bad_records_are_one_line_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run("replay", str(path))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_stem_unlike_its_words_still_lists_them(excerpts_index: Path, tmp_path: Path) -> None:
    """ "army" is stemmed "armi": its index words are found all the same."""
    rec = record(excerpts_index, tmp_path / "r.json", "army")
    assert rec["understood"] == {
        "parsed": "body:armi",
        "words": [{"field": "body", "term": "armi", "kind": "word", "words": ["army"]}],
    }
