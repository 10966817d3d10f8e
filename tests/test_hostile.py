"""A catalogue of broken and hostile sources: each is indexed (possibly with a note) or skipped with a
one-line error naming the file, and the rest of the collection is always indexed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import build_index, search, sources
from searchkit.cli import cli
from searchkit.storage import read_manifest

GOOD = "---\ntitle: Good\nauthor: A. Writer\ndate: 1917-11-07\n---\nThe soviet congress met today.\n"


def run(tmp_path: Path, files: dict[str, bytes]) -> tuple[list[str], Path]:
    """Index a collection of one good document and ``files``; its errors and the index."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "good.md").write_text(GOOD, encoding="utf-8")
    for name, data in files.items():
        (src / name).write_bytes(data)
    stats = build_index([src], tmp_path / "ix")
    for err in stats.errors:
        assert "\n" not in err.replace(str(src), "")  # one line (file names aside)
    assert search(tmp_path / "ix", "congress").hits[0].doc == "good"
    return stats.errors, tmp_path / "ix"


def one_error(errors: list[str], name: str, *words: str) -> str:
    (err,) = errors
    assert name in err
    for word in words:
        assert word in err
    return err


def ids(ix: Path, query: str) -> list[str]:
    return [h.id for h in search(ix, query, limit=100).hits]


# --- Encodings and binary files ---------------------------------------------------------------


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    errors, _ = run(tmp_path, {"image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    one_error(errors, "image.md", "not UTF-8")


def test_utf8_text_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    errors, _ = run(tmp_path, {"dump.txt": b"abc\x00\x01\x02def"})
    one_error(errors, "dump.txt", "NUL bytes", "binary")


def test_latin1_is_an_error_with_advice(tmp_path: Path) -> None:
    errors, _ = run(tmp_path, {"latin.md": "Title\n\nKérensky fled.\n".encode("latin-1")})
    one_error(errors, "latin.md", "not UTF-8", "byte 0xe9 on line 3", "convert the file to UTF-8", "iconv")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_with_bom_is_read(tmp_path: Path, codec: str) -> None:
    bom = {"utf-16-be": "\ufeff", "utf-16-le": "\ufeff"}.get(codec, "")
    text = bom + "---\ntitle: Sixteen\n---\nThe Kérensky telegram arrived.\n"
    errors, ix = run(tmp_path, {"wide.md": text.encode(codec)})
    assert errors == []
    (hit,) = search(ix, "telegram").hits
    assert (hit.title, hit.text) == ("Sixteen", "The Kérensky telegram arrived.")


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    errors, _ = run(tmp_path, {"wide.md": "Some text here.\n".encode("utf-16-le")})
    one_error(errors, "wide.md", "NUL bytes")


def test_utf8_bom_does_not_hide_front_matter(tmp_path: Path) -> None:
    errors, ix = run(tmp_path, {"bom.md": ("\ufeff---\ntitle: Marked\n---\nA telegram.\n").encode()})
    assert errors == []
    assert search(ix, "telegram").hits[0].title == "Marked"


# --- Structure ------------------------------------------------------------------------------


def test_empty_file_and_front_matter_only_are_documents_without_paragraphs(tmp_path: Path) -> None:
    errors, ix = run(tmp_path, {"empty.md": b"", "meta.md": b"---\ntitle: Only metadata\n---\n"})
    assert errors == []
    files = read_manifest(ix).files
    assert sorted(info["paragraphs"] for info in files.values()) == [0, 0, 1]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("---\ntitle: [unclosed\n---\ntext\n", ("bad.md:2", "malformed front matter")),
        ("---\ntitle: x\n", ("bad.md:1", "never closed")),
        ("---\n- a list\n---\ntext\n", ("bad.md:2", "key: value")),
        ('---\ntitle: x\n---\n::: {speaker="A"}\nopen block\n', ("bad.md:4", "never closed")),
        ("---\ndate: 1917-02-30\n---\ntext\n", ("bad.md:2", "1917-02-30", "day is out of range")),
        ("---\ndate: yesterday\n---\ntext\n", ("bad.md:2", "'yesterday'", "YYYY-MM-DD")),
        ("---\ntitle: {a: 1}\n---\ntext\n", ("bad.md:2", "'title' must be a single value")),
    ],
)
def test_broken_front_matter_is_skipped_with_its_line(tmp_path: Path, text: str, words: tuple[str]) -> None:
    errors, _ = run(tmp_path, {"bad.md": text.encode()})
    one_error(errors, "bad.md", *words)


def test_yaml_cannot_construct_objects(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'---\nx: !!python/object/apply:os.system ["touch {marker}"]\n---\ntext\n'
    errors, _ = run(tmp_path, {"evil.md": text.encode()})
    one_error(errors, "evil.md", "evil.md:2", "could not determine a constructor")
    assert not marker.exists()


def test_unknown_fields_of_any_yaml_type_are_kept_as_valid_json(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Odd\nblob: !!binary aGVsbG8=\nnan: .nan\ninf: -.inf\nset: !!set {b, a}\n"
        "3: numeric key\nwhen: 1917-11-07\nnested: {list: [1, null, true]}\n---\nA telegram.\n"
    )
    errors, ix = run(tmp_path, {"odd.md": text.encode()})
    assert errors == []
    result = CliRunner().invoke(cli, ["search", "telegram", "--json", "--index", str(ix)])
    record = json.loads(result.output, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert record["extra"] == {
        "blob": "hello",
        "nan": "nan",
        "inf": "-inf",
        "set": ["a", "b"],
        "3": "numeric key",
        "when": "1917-11-07",
        "nested": {"list": [1, None, True]},
    }


_PAIRS = zip("abcdefgh", "bcdefghi", strict=True)


@pytest.mark.parametrize(
    "meta",
    [
        "loop: &a [*a]",  # refers to itself
        # a "billion laughs": nine levels of ten aliases each stand for 10**9 values
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "\n".join(
            f"{c}: &{c} [{','.join(['*' + p] * 10)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ],
)
def test_self_referencing_or_exploding_yaml_is_refused(tmp_path: Path, meta: str) -> None:
    errors, _ = run(tmp_path, {"bomb.md": f"---\n{meta}\n---\ntext\n".encode()})
    one_error(errors, "bomb.md", "too large or refers to itself")


# --- Size -----------------------------------------------------------------------------------


def test_a_20_mb_paragraph_is_refused_quickly(tmp_path: Path) -> None:
    words = ("coalition", "bread", "soviet", "peace", "land")
    huge = " ".join(words[i % 5] for i in range(3_500_000)).encode()
    assert len(huge) > 20_000_000
    errors, _ = run(tmp_path, {"huge.md": b"---\ntitle: Huge\n---\n" + huge})
    one_error(errors, "huge.md", "huge.md:4", "longer than searchkit's limit", "blank lines")


def test_paragraphs_up_to_the_limit_are_indexed(tmp_path: Path) -> None:
    text = ("word " * (sources.MAX_PARAGRAPH_CHARS // 5 - 2) + "needle").encode()
    errors, ix = run(tmp_path, {"long.md": text})
    assert errors == []
    assert ids(ix, "needle") == ["long:1"]


def test_files_over_the_size_limit_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    errors, _ = run(tmp_path, {"big.md": b"word " * 300})
    one_error(errors, "big.md", "1,500 bytes", "split it")


# --- Links and names ------------------------------------------------------------------------


def test_links_out_of_the_collection_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.md").write_text("The password is swordfish.\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "leak.md").symlink_to(outside / "secret.md")
    (src / "folder").symlink_to(outside, target_is_directory=True)
    (src / "loop").symlink_to(src, target_is_directory=True)
    (src / "a.md").symlink_to(src / "b.md")
    (src / "b.md").symlink_to(src / "a.md")
    (src / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (src / "inside.md").symlink_to(src / "good.md")
    errors, ix = run(tmp_path, {})
    assert ids(ix, "swordfish") == []
    assert sorted(info["doc"] for info in read_manifest(ix).files.values()) == ["good", "inside"]
    assert len(errors) == 4
    assert any("leak.md" in e and "outside the collection" in e for e in errors)
    for name in ("a.md", "b.md", "dangling.md"):
        assert any(f"{name}'" in e for e in errors)


@pytest.mark.parametrize("name", ["with space.md", "Керенский ушёл.md", "new\nline.md", "tab\there.md"])
def test_odd_file_names(tmp_path: Path, name: str) -> None:
    errors, ix = run(tmp_path, {name: b"A telegram about bread.\n"})
    assert errors == []
    (hit,) = search(ix, "telegram").hits
    assert hit.source == f"src/{name}"
    assert hit.doc == name[:-3]


# --- Files that change under the indexer --------------------------------------------------


def _during_run(action: Callable[[Path], None]) -> Callable[[int, int, Path], None]:
    def progress(done: int, total: int, path: Path) -> None:
        if path.name == "b.md":
            action(path)

    return progress


def test_file_vanishing_while_indexed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (src / name).write_text(f"Paragraph of {name[0]} with bread.\n", encoding="utf-8")
    stats = build_index([src], tmp_path / "ix", progress=_during_run(lambda p: p.unlink()))
    (err,) = stats.errors
    assert "b.md" in err and "No such file" in err
    assert sorted(ids(tmp_path / "ix", "bread")) == ["a:1", "c:1"]
    again = build_index([src], tmp_path / "ix")  # the next run forgets it quietly
    assert again.errors == [] and again.documents == 2


def test_file_changing_while_indexed_is_read_again_next_time(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.md", "b.md"):
        (src / name).write_text(f"Paragraph of {name[0]} with bread.\n", encoding="utf-8")

    def rewrite(path: Path) -> None:
        path.write_text("Rewritten with peace.\n", encoding="utf-8")
        os.utime(path, ns=(1, 1))

    stats = build_index([src], tmp_path / "ix", progress=_during_run(rewrite))
    assert stats.errors == []
    build_index([src], tmp_path / "ix")
    assert ids(tmp_path / "ix", "peace") == ["b:1"]
    assert ids(tmp_path / "ix", "bread") == ["a:1"]
