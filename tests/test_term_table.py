"""The index's table of final body terms (searchkit/stems.py): its answer is the computed
``body_term`` for every form of every word, and a search of words the index knows imports neither
the romanization key (searchkit/namekey.py, with its English word list) nor NLTK."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchkit import build_index
from searchkit.analysis import body_term, computed_body_term, computed_name_term, lower, word_spans
from searchkit.folding import folding
from searchkit.stems import CAPITAL, CAPITAL_NAME, NAME, WORD, open_stems, word_entries, word_key
from searchkit.storage import open_searcher, read_manifest, stems_tag

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"

IMPORTS = """
import sys
from searchkit.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit as e:
    code = e.code
loaded = [m for m in sys.modules if m in ("nltk", "searchkit.namekey", "searchkit.romanize")]
print("imported:", *loaded)
sys.exit(code)
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", IMPORTS, *args], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def texts() -> dict[str, str]:
    """The bundled sources and the text of tests/data (English, Cyrillic, pre-1918 spelling, the
    romanized name lists), by file."""
    paths = [p for p in (REPO / "sources").rglob("*") if p.suffix in (".md", ".txt", ".xml")]
    paths += [p for p in DATA.rglob("*") if p.suffix in (".md", ".txt", ".tsv", ".xml", ".html", ".hocr")]
    return {str(p): p.read_text(encoding="utf-8", errors="replace") for p in sorted(paths)}


def forms(word: str) -> set[str]:
    """A word as written, lowered, capitalised and in capitals, each also with ’ for '."""
    found = {word, word.lower(), word[:1].upper() + word[1:].lower(), word.upper()}
    return found | {f.replace("'", "’") for f in found} | {f.replace("’", "'") for f in found}


def words_of(text: str) -> set[str]:
    return {text[s:e] for s, e in word_spans(text)}


@pytest.mark.parametrize("off", [(), ("russian",), ("english",), ("english", "russian")])
def test_the_entries_answer_the_computed_term_for_every_form(off: tuple[str, ...]) -> None:
    every = set().union(*map(words_of, texts().values()))
    if off:  # the other settings on the Cyrillic and name-list text, where they matter
        every = {w for w in every if not w.isascii()} | words_of((DATA / "variants.tsv").read_text())
    assert len(every) > (8_000 if not off else 1_000)
    cyrillic = 0
    with folding(off):
        for word in every:
            for form in forms(word):
                # (the entries are those of the lowered form, whichever word of the text it came from)
                entries = dict(word_entries(form, computed_body_term))
                names = dict(word_entries(form, computed_name_term, (NAME, CAPITAL_NAME)))
                cyrillic += len(entries) > 1
                key = word_key(form, lower(form))
                if key is None:
                    continue
                assert key in entries or key[0] == CAPITAL[0], (word, form)
                if key in entries:
                    assert entries[key] == computed_body_term(form), (word, form, off)
                    name_key = word_key(form, lower(form), (NAME, CAPITAL_NAME))
                    assert names[str(name_key)] == computed_name_term(form), (word, form, off)
    assert cyrillic > 300  # the capitalised Cyrillic entries were tried


def _check_index(index: Path) -> int:
    table = open_stems(index, stems_tag(read_manifest(index)))
    assert table is not None
    with open_searcher(index) as searcher:
        exact = [w.decode() for w in searcher.reader().lexicon("exact")]
        checked = 0
        for word in exact:
            for form in forms(word):
                key = word_key(form, lower(form))
                if key is None:
                    continue
                known = table.get(key)
                assert known is not None or not key.startswith(WORD), form  # every word is there
                if known is not None:
                    assert known == computed_body_term(form) == body_term(form), form
                    checked += 1
    return checked


def test_the_bundled_index_answers_every_word_as_computed(bundled_index: Path) -> None:
    assert _check_index(bundled_index) > 1_000


@pytest.mark.parametrize("setting", ["", "variants: {russian: false}\n"])
def test_a_cyrillic_index_answers_every_word_as_computed(tmp_path: Path, setting: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(DATA / "romanized", src, ignore=shutil.ignore_patterns("PROVENANCE.md"))
    # the capital makes the English exonym (the Don), the lower case the Russian word
    (src / "don.md").write_text("Дон и Пермь. На дон пермь.\n", encoding="utf-8")
    if setting:
        (src / "searchkit.yaml").write_text(setting, encoding="utf-8")
    build_index([src], tmp_path / "index")
    assert _check_index(tmp_path / "index") > 100
    if not setting:
        assert body_term("Дон") != body_term("дон")


@pytest.mark.parametrize(
    "query", ["coalition", "bolsheviks", "socialist-revolutionary", "--any", "--speaker"]
)
def test_a_search_of_known_words_imports_no_name_key(bundled_index: Path, query: str) -> None:
    args = ["search", "--index", str(bundled_index), "--color", "never"]
    if query == "--any":
        args += ["--any", "Trotsky on a coalition with the garrison?"]
    elif query == "--speaker":
        args += ["coalition", "--speaker", "Trotsky"]
    else:
        args += [query]
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("imported:"), done.stdout[-200:]


def test_a_cyrillic_search_imports_no_name_key(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(DATA / "romanized", src, ignore=shutil.ignore_patterns("PROVENANCE.md"))
    build_index([src], tmp_path / "index")
    for query in ("Керенского", "Керенскій", "Kerensky"):  # (Kerenskii: not in the text)
        done = run_cli("search", query, "--index", str(tmp_path / "index"), "--count")
        assert done.returncode == 0, done.stderr
        assert done.stdout.split()[:2] == ["4", "imported:"] and len(done.stdout.split()) == 2, query


def test_an_unknown_word_still_gets_its_key(bundled_index: Path) -> None:
    done = run_cli("search", "--index", str(bundled_index), "Kerenskyish", "--count")
    assert "searchkit.namekey" in done.stdout.split()
