"""The command line's quick path: a search needs no NLTK (stems and sentence spans written at index
time answer the same as NLTK would), and an unchanged collection is told by its folder times."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchkit import build_index, search
from searchkit.analysis import body_term, stem_input, use_stem_table
from searchkit.cli import cli
from searchkit.freshness import unchanged
from searchkit.highlight import PASSAGE_CHARS
from searchkit.sentence_store import stored_spans
from searchkit.sentences import MODEL_FILE, punkt_splitter
from searchkit.stems import CAPITAL, CAPITAL_NAME, NAME, WORD, open_stems
from searchkit.storage import open_searcher, read_manifest, stems_tag
from searchkit.table import open_table, write_table

REPO = Path(__file__).resolve().parent.parent

NO_NLTK = """
import sys
from searchkit.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as e:
    code = e.code
print("NLTK IMPORTED" if any(m == "nltk" or m.startswith("nltk.") for m in sys.modules) else "no nltk")
sys.exit(code)
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_NLTK, *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


@pytest.mark.parametrize(
    "query",
    [
        "coalition",  # long hits: passages of whole sentences from the stored spans
        '"Soviet power"',
        "bolsheviks",  # a title word
        "socialist-revolutionary",  # a hyphenated word, joined
        "--any",
    ],
)
def test_a_search_imports_no_nltk(bundled_index: Path, query: str) -> None:
    args = ["search", "--index", str(bundled_index), "--color", "never"]
    args += ["--any", "Trotsky on a coalition with the garrison?"] if query == "--any" else [query]
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("no nltk")


def test_a_word_the_index_does_not_have_is_still_stemmed_by_nltk(bundled_index: Path) -> None:
    # "coalitional" is not in the collection, but it is stemmed as before (and so still matches
    # what its stem matches): only then is NLTK imported.
    done = run_cli("search", "--index", str(bundled_index), "coalitional", "--count")
    assert done.stdout.split()[-1] == "IMPORTED"


def test_the_stem_table_is_nltk_s_answer_for_every_word(bundled_index: Path) -> None:
    from nltk.stem.snowball import SnowballStemmer

    from searchkit.namekey import RUSSIAN, finish

    snowball = SnowballStemmer("english")
    table = open_stems(bundled_index, stems_tag(read_manifest(bundled_index)))
    assert table is not None
    items = list(table.items())
    assert len(items) > 500
    for key, stem in items:
        if key.startswith((WORD, CAPITAL, NAME, CAPITAL_NAME)):  # final terms: tests/test_term_table.py
            continue
        if key.startswith(RUSSIAN):  # a name's romanization key (searchkit.namekey)
            assert stem == finish(key[len(RUSSIAN) :]), key
            continue
        assert stem == snowball.stem(key), key
        assert table.get(key) == stem
    with open_searcher(bundled_index) as searcher:
        exact = {w.decode() for w in searcher.reader().lexicon("exact")}
    # every word of the collection is in it, and the joined hyphenated ones
    assert {stem_input(w) for w in exact} <= {k for k, _ in items}
    assert {"coalit", "socialistrevolutionari"} <= {s for _, s in items}


def test_stored_sentence_spans_are_punkt_s(bundled_index: Path) -> None:
    lookup = stored_spans(bundled_index / MODEL_FILE)
    punkt = punkt_splitter(bundled_index)
    long_texts = []
    with open_searcher(bundled_index) as searcher:
        long_texts = [
            f["body"] for f in searcher.reader().all_stored_fields() if len(f["body"]) > PASSAGE_CHARS
        ]
    assert len(long_texts) > 5
    for text in long_texts:
        assert lookup(text) == punkt(text)
    assert lookup("A paragraph the index does not hold. It has two sentences.") is None


def test_results_are_the_same_without_the_tables(bundled_index: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(bundled_index, copy)
    with_tables = [search(copy, q, limit=20) for q in ("coalition", '"Soviet power"', "to-day")]
    (copy / "stems.bin").unlink()
    (copy / "sentences.bin").unlink()
    use_stem_table(None)
    without = [search(copy, q, limit=20) for q in ("coalition", '"Soviet power"', "to-day")]
    assert with_tables == without


def test_table_lookups(tmp_path: Path) -> None:
    path = tmp_path / "t.bin"
    pairs = {"ab": "1", "b": "2", "xb": "3", "ünï": "4", "": "5"}
    pairs.update({f"k{i}": f"v{i}" for i in range(300)})
    write_table(path, pairs, "tag-1")
    table = open_table(path, "tag-1")
    assert table is not None
    assert all(table.get(k) == v for k, v in pairs.items())
    assert table.get("a") is None and table.get("bb") is None and table.get("k300") is None
    assert dict(table.items()) == pairs
    assert open_table(path, "tag-2") is None  # another index's table is not trusted
    assert open_table(tmp_path / "missing.bin", "tag-1") is None


def test_an_update_keeps_and_extends_the_tables(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    build_index([corpus], ix)
    tag = stems_tag(read_manifest(ix))
    before = dict(open_stems(ix, tag).items())  # type: ignore[union-attr]
    (corpus / "new.md").write_text("---\ntitle: Zymurgical notes\n---\n\nZymurgists brewed quietly.\n")
    build_index([corpus], ix)
    after = open_stems(ix, stems_tag(read_manifest(ix)))
    assert after is not None
    assert before.items() <= dict(after.items()).items()
    # (the words of the new file, whatever their analysis: "zymurgists" is in no word list, so it
    # gets a romanization key; "zymurgical" has an English ending)
    for word in ("Zymurgists", "Zymurgical"):
        assert after.get(stem_input(word)) == body_term(word), word


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_unchanged_collections_are_told_by_their_times(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    build_index([corpus], ix)
    assert unchanged(read_manifest(ix))
    _touch_later(corpus / "plain.md")  # an edited file
    assert not unchanged(read_manifest(ix))
    build_index([corpus], ix)
    assert unchanged(read_manifest(ix))
    sub = corpus / "more"
    sub.mkdir()  # a new folder (its parent's time changes)
    assert not unchanged(read_manifest(ix))
    build_index([corpus], ix)
    assert unchanged(read_manifest(ix))
    time.sleep(0.01)
    (sub / "x.md").write_text("A new file in a folder.\n")  # the folder's time changes
    os.utime(sub, ns=(sub.stat().st_atime_ns, sub.stat().st_mtime_ns + 2_000_000_000))
    assert not unchanged(read_manifest(ix))
    build_index([corpus], ix)
    (corpus / "letter.txt").unlink()
    assert not unchanged(read_manifest(ix))


def test_no_refresh_searches_the_index_as_it_is(corpus: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    ix = tmp_path / "index"
    build_index([corpus], ix)
    (corpus / "zebra.md").write_text("---\ntitle: Zebras\n---\n\nA zebra crossed.\n")
    runner = CliRunner()
    quiet = runner.invoke(cli, ["search", "zebra", "--index", str(ix), "--no-refresh", "--count"])
    assert quiet.exit_code == 1 and quiet.stdout.strip() == "0"
    fresh = runner.invoke(cli, ["search", "zebra", "--index", str(ix), "--count"])
    assert fresh.exit_code == 0 and fresh.stdout.strip() == "1"
    assert "changed since the index was built" in fresh.stderr


def test_an_edited_sidecar_is_a_change(tmp_path: Path) -> None:
    src = tmp_path / "sources"
    src.mkdir()
    (src / "note.txt").write_text("A note about the harvest.\n")
    (src / "note.txt.yaml").write_text("title: First\n")
    ix = tmp_path / "index"
    build_index([src], ix)
    assert unchanged(read_manifest(ix))
    side = src / "note.txt.yaml"
    side.write_text("title: Other\n")  # in place: the folder's time need not change
    _touch_later(side)
    os.utime(src, ns=(src.stat().st_atime_ns, read_manifest(ix).stamps["folders"][str(src)]))
    assert not unchanged(read_manifest(ix))


def test_the_quick_check_finds_sidecars_where_the_formats_put_them(tmp_path: Path) -> None:
    from searchkit.formats.collection import sidecar_path
    from searchkit.freshness import sidecar_of

    for name in ("report.pdf", "a.b.md", "notes"):
        assert Path(sidecar_of(str(tmp_path / name))) == sidecar_path(tmp_path / name)
