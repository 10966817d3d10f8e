"""Romanization folding measured on names put through every system (searchkit/romanize.py).

- tests/data/romanization_names.tsv: Russian names of 1900–1930; each system's form must find the
  Cyrillic and be found by it (recall per system);
- tests/data/romanization_pairs.tsv: distinct names one step apart; in each system the two forms
  must stay apart (precision per system: joined names / all joins, the pairs' joins counted false);
- tests/data/english_pairs.tsv: ordinary English words that differ the way romanizations do;
- tests/data/attested_variants.tsv: spellings seen in the corpora of ../shared/corpora, each with
  the form it must find and where it was seen (recall on its own).

Run ``python tests/test_romanization.py`` to print every figure and every miss.
"""

from __future__ import annotations

import csv
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from searchkit.analysis import body_analyzer
from searchkit.romanize import SYSTEMS, romanize

DATA = Path(__file__).resolve().parent / "data"


def rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#") and line.strip())
        found = list(csv.reader(lines, delimiter="\t"))
    return found[1:]


@lru_cache(maxsize=100_000)
def terms(text: str, mode: str) -> frozenset[str]:
    return frozenset(t.text for t in body_analyzer()(text, mode=mode))


def finds(query: str, text: str) -> bool:
    """Would a search for ``query`` find a paragraph that says ``text``?"""
    wanted = terms(query, "query")
    return bool(wanted) and wanted <= terms(text, "index")


def joined(a: str, b: str) -> bool:
    return finds(a, b) and finds(b, a)


def roman(text: str, system: str) -> str:
    return " ".join(romanize(w, system) for w in text.split())


def system_figures(system: str) -> tuple[float, float, float, list[str], list[str]]:
    """Recall, precision and the share of pairs kept apart for one system, with the misses."""
    names = [r[0] for r in rows("romanization_names.tsv")]
    pairs = rows("romanization_pairs.tsv")
    misses = [f"{n} = {roman(n, system)}" for n in names if not joined(roman(n, system), n)]
    false = [
        f"{a} {roman(a, system)} / {b} {roman(b, system)}"
        for a, b in pairs
        if joined(roman(a, system), roman(b, system))
    ]
    found = len(names) - len(misses)
    return found / len(names), found / (found + len(false)), 1 - len(false) / len(pairs), misses, false


def attested_figures() -> tuple[float, list[list[str]]]:
    found = rows("attested_variants.tsv")
    misses = [r for r in found if not joined(r[0], r[1])]
    return 1 - len(misses) / len(found), misses


def test_the_sets_are_big_enough() -> None:
    assert len(rows("romanization_names.tsv")) >= 300
    assert len(rows("romanization_pairs.tsv")) >= 300
    assert len(rows("attested_variants.tsv")) >= 40


@pytest.mark.parametrize("system", SYSTEMS)
def test_recall_and_precision_floors_per_system(system: str) -> None:
    recall, precision, apart, misses, false = system_figures(system)
    assert recall >= 0.97, misses
    assert precision >= 0.99, false


def test_attested_spellings_floor() -> None:
    recall, misses = attested_figures()
    assert recall >= 0.95, misses


def test_english_words_stay_apart_and_period_spellings_as_decided() -> None:
    wrong = [r for r in rows("english_pairs.tsv") if joined(r[0], r[1]) != (r[2] == "joined")]
    assert not wrong


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Керенского", "Kerensky"),
        ("Керенскій", "Kerenskii"),
        ("Ленину", "Lenine"),
        ("Троцким", "Trotzky"),
        ("Извѣстія", "Izvestiya"),
        ("Ѳеодоръ", "Fyodor"),
        ("Милюковъ", "Miliukoff"),
        ("Керенскаго", "Kérensky"),
    ],
)
def test_inflected_and_pre_reform_cyrillic_meet_the_latin_name(a: str, b: str) -> None:
    assert joined(a, b)


def test_cyrillic_and_latin_meet_through_the_command_line(tmp_path: Path) -> None:
    """A Latin query finds the Cyrillic paragraphs (modern, pre-1918, inflected) and back."""
    import json
    import shutil

    from click.testing import CliRunner

    from searchkit.cli import cli

    shutil.copytree(DATA / "romanized", tmp_path / "src", ignore=shutil.ignore_patterns("PROVENANCE.md"))
    index = str(tmp_path / "index")
    runner = CliRunner()
    assert runner.invoke(cli, ["index", str(tmp_path / "src"), "--index", index, "-q"]).exit_code == 0

    def docs(query: str) -> set[str]:
        result = runner.invoke(cli, ["search", query, "--index", index, "--json", "--limit", "50"])
        assert result.exit_code in (0, 1), result.output
        hits = [json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"id"')]
        return {hit["id"].split(":")[0] for hit in hits}

    everyone = {"reed-trudoviki", "appeal-1917", "appeal-1917-old", "kerensky-cases"}
    assert docs("Kerensky") == everyone
    assert docs("Керенского") == everyone
    assert docs("Керенскій") == everyone
    assert docs("Kerenskii") == everyone
    assert docs("Kaledine") == {"appeal-1917", "appeal-1917-old"}
    assert docs("Petrograd") == {"appeal-1917", "appeal-1917-old"}
    assert docs("Trotzky") == {"kerensky-cases"}
    assert docs("exact:Kerensky") == {"reed-trudoviki"}

    # --explain lists the spellings a query word was joined with; the library gives them as data
    from searchkit.explain import joined_spellings

    result = runner.invoke(cli, ["search", "Kerenskii", "--index", index, "--explain"])
    assert "romanization key of kerensky, керенский, керенского, керенскій" in result.output
    assert joined_spellings(Path(index), "Trotzky") == {"троск": ["троцким"]}


def test_a_collection_can_switch_folding_off_for_a_language(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import cli
    from searchkit.folding import folding_off

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text("Kerensky and the labour party met Керенского.\n", encoding="utf-8")
    index = str(tmp_path / "index")
    runner = CliRunner()

    def count(query: str) -> str:
        return runner.invoke(cli, ["search", query, "--index", index, "--count"]).stdout.strip()

    assert runner.invoke(cli, ["index", str(src), "--index", index, "-q"]).exit_code == 0
    assert (count("Kerenskii"), count("labor")) == ("1", "1")
    (src / "searchkit.yaml").write_text("variants: {russian: false}\n", encoding="utf-8")
    assert runner.invoke(cli, ["index", str(src), "--index", index, "-q"]).exit_code == 0
    assert (count("Kerenskii"), count("Kerensky"), count("labor")) == ("0", "1", "1")
    (src / "searchkit.yaml").write_text("variants: {russian: false, english: false}\n", encoding="utf-8")
    assert runner.invoke(cli, ["index", str(src), "--index", index, "-q"]).exit_code == 0
    assert (count("labor"), count("labour")) == ("0", "1")
    assert folding_off() == frozenset()  # only while that index is open
    (src / "searchkit.yaml").write_text("variants: {latin: false}\n", encoding="utf-8")
    result = runner.invoke(cli, ["index", str(src), "--index", index, "-q"])
    assert result.exit_code != 0 and "unknown language 'latin' in 'variants'" in result.output


if __name__ == "__main__":
    print(f"{'system':<10} recall precision apart")
    for s in SYSTEMS:
        r, p, a, m, f = system_figures(s)
        print(f"{s:<10} {r:.3f}  {p:.3f}     {a:.3f}")
        for line in m:
            print("    miss:", line)
        for line in f:
            print("    joined:", line)
    if (DATA / "attested_variants.tsv").exists():
        r, m = attested_figures()
        print(f"attested: recall {r:.3f} of {len(rows('attested_variants.tsv'))}")
        for row in m:
            print("    miss:", " / ".join(row))
    sys.exit(0)


def test_word_list_binary_search_agrees_with_a_set() -> None:
    """The English word list is searched in its sorted text, not built into a set: every listed
    word is found, and words near them (cut, extended, changed) only when they are listed too."""
    from searchkit.namekey import english_words

    wl = english_words()
    listed = [w for w in wl.text.split("\n") if w]
    assert listed == sorted(listed)  # the binary search needs code-point order
    known = set(listed)
    assert all(w in wl for w in listed[::7])
    near = [w[:-1] for w in listed[::13]] + [w + "q" for w in listed[::17]] + [w[::-1] for w in listed[::11]]
    assert [w in wl for w in near] == [w in known for w in near]
    for odd in ("", "kerensky", "trotzky", "zzzzzz", "a\nb", "керенский"):
        assert (odd in wl) == (odd in known)
