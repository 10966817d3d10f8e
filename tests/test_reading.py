"""Reading a real folder: formats told apart by content, byte formats read in child processes
under time and memory limits, sidecar metadata, and the index run's per-format summary."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import build_index
from searchkit.cli import cli
from searchkit.formats import FORMAT_NAMES, FORMATS, SUFFIXES, find_files, load_collection, read_any
from searchkit.formats.sniff import sniff
from searchkit.indexer import scan_changes
from tests.conftest import BUNDLED, REPO
from tools import make_test_pdfs


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdfs")
    make_test_pdfs.main(folder)
    return folder


def test_the_format_table_is_whole() -> None:
    assert set(FORMAT_NAMES) == {"auto", *FORMATS}
    assert set(SUFFIXES.values()) <= set(FORMATS)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.xml", b"<?xml version='1.0'?>\n<!-- c -->\n<TEI xmlns='http://www.tei-c.org/ns/1.0'>", "tei"),
        ("a.xml", b"<?xml version='1.0'?><alto xmlns='http://www.loc.gov/standards/alto/ns-v3#'>", "alto"),
        ("a.xml", b"<alto:alto xmlns:alto='http://schema.ccs-gmbh.com/ALTO'>", "alto"),
        ("a.xml", b"\xef\xbb\xbf<?xml version='1.0'?><PcGts xmlns='http://schema.primaresearch'>", "page"),
        ("a.html", b"<!DOCTYPE html>\n<html><head><title>News</title></head>", "html"),
        ("a.html", b"<html><head><meta name='ocr-system' content='tesseract'/></head>", "hocr"),
        ("a.html", b"<html><body><div class='ocr_page' title='bbox 0 0 10 10'>", "hocr"),
        ("a.txt", b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        ("a.doc", b"{\\rtf1\\ansi Hello}", "rtf"),
        ("a.md", b"---\ntitle: x\n---\n", None),
        ("a.xml", b"<?xml version='1.0'?><catalogue/>", None),
    ],
)
def test_sniffing(name: str, head: bytes, expected: str | None) -> None:
    assert sniff(Path(name), head) == expected


def test_zip_files_are_told_apart_by_their_members(tmp_path: Path) -> None:
    cases = {
        "book.bin": ("mimetype", b"application/epub+zip", "epub"),
        "text.bin": ("mimetype", b"application/vnd.oasis.opendocument.text", "odt"),
        "word.bin": ("word/document.xml", b"<w:document/>", "docx"),
        "other.bin": ("data.csv", b"a,b", None),
    }
    for name, (member, data, expected) in cases.items():
        with zipfile.ZipFile(tmp_path / name, "w") as z:
            z.writestr(member, data)
        assert sniff(tmp_path / name, (tmp_path / name).read_bytes()[:64]) == expected, name


def test_sidecars_and_missing_readers_are_not_sources(tmp_path: Path, pdfs: Path) -> None:
    shutil.copy(pdfs / "book.pdf", tmp_path / "book.pdf")
    (tmp_path / "book.pdf.yaml").write_text("title: T\n")
    (tmp_path / "notes.md").write_text("Text.\n")
    found = {p.name for p in find_files(tmp_path)}
    assert found == {"book.pdf", "notes.md"}


def _mixed(tmp_path: Path, pdfs: Path) -> Path:
    folder = tmp_path / "research"
    folder.mkdir()
    for name in ("alpha-coalition-terms.md", "kiev-confusion.md"):
        shutil.copy(BUNDLED / name, folder / name)
    shutil.copy(pdfs / "book.pdf", folder / "book.pdf")
    shutil.copy(pdfs / "half-scanned.pdf", folder / "half-scanned.pdf")
    shutil.copy(pdfs / "book.pdf", folder / "misnamed.txt")
    shutil.copy(REPO / "tests/data/formats/pdf/encrypted.pdf", folder / "locked.pdf")
    (folder / "noise.pdf").write_bytes(bytes(range(256)) * 8)
    return folder


def test_index_a_mixed_folder_names_every_skipped_file(tmp_path: Path, pdfs: Path) -> None:
    folder = _mixed(tmp_path, pdfs)
    result = CliRunner().invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    out = result.stdout
    assert "  markdown        2 files        " in out
    assert "  pdf             3 files        " in out  # book.pdf, half-scanned.pdf, misnamed.txt
    assert "Skipped 2 files (1 damaged, 1 encrypted); the others are indexed." in out
    err = result.stderr
    assert f"Error: Not reading '{folder / 'locked.pdf'}': the PDF is encrypted" in err
    assert f"Error: Cannot read '{folder / 'noise.pdf'}': not a readable PDF file" in err
    assert f"Warning: {folder / 'half-scanned.pdf'}: no text layer: needs OCR (page 2)" in err
    query = ["search", "international correspondence", "--index", str(tmp_path / "ix")]
    hits = CliRunner().invoke(cli, query)
    assert "research/book.pdf p. 214 ¶3" in hits.stdout


def test_stats_carry_counts_by_format(tmp_path: Path, pdfs: Path) -> None:
    folder = _mixed(tmp_path, pdfs)
    stats = build_index([folder], tmp_path / "ix")
    assert {f: c.files for f, c in stats.formats.items()} == {"markdown": 2, "pdf": 3}
    assert stats.formats["pdf"].paragraphs == 2 * 8 + 1
    assert stats.skipped_reasons() == {"damaged": 1, "encrypted": 1}
    assert sorted(Path(s.path).name for s in stats.skipped) == ["locked.pdf", "noise.pdf"]


def test_time_and_memory_limits(tmp_path: Path, pdfs: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    make_test_pdfs.long_book(folder / "slow.pdf", 300)  # about a second to read here
    with open(folder / "big.pdf", "wb") as f:  # a PDF of 48 MB (zeros after the end)
        f.write((pdfs / "book.pdf").read_bytes())
        f.truncate(48 << 20)
    shutil.copy(pdfs / "book.pdf", folder / "fine.pdf")
    (folder / "notes.md").write_text("A note.\n")
    (folder / "searchkit.yaml").write_text(
        "files:\n  slow.pdf: {time_limit: 0.2}\n  big.pdf: {memory_limit: 16}\n"
    )
    # In a fresh process, as `searchkit index` runs: in this test process, threads that earlier
    # tests started leave glibc arenas reserved in the address space, and a forked reader can
    # allocate inside them without meeting a small address-space limit.
    code = (
        "import json, sys; from pathlib import Path; from searchkit import build_index\n"
        f"stats = build_index([Path({str(folder)!r})], Path({str(tmp_path / 'ix')!r}))\n"
        "print(json.dumps([{s.path: s.message for s in stats.skipped},"
        " {f: c.files for f, c in stats.formats.items()}]))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    skipped, formats = json.loads(run.stdout.strip().splitlines()[-1])
    by_name = {Path(path).name: message for path, message in skipped.items()}
    assert set(by_name) == {"slow.pdf", "big.pdf"}
    assert by_name["slow.pdf"] == (
        f"Not reading '{folder / 'slow.pdf'}': it took longer than the time limit of 0.2 s;"
        " if the file is sound, raise 'time_limit' in the collection's searchkit.yaml"
    )
    assert by_name["big.pdf"] == (
        f"Not reading '{folder / 'big.pdf'}': it needs more memory than the limit of 16 MB;"
        " if the file is sound, raise 'memory_limit' in the collection's searchkit.yaml"
    )
    assert formats == {"markdown": 1, "pdf": 1}


def test_sidecar_beats_the_file_and_the_catalogue_beats_the_sidecar(tmp_path: Path, pdfs: Path) -> None:
    shutil.copy(pdfs / "book.pdf", tmp_path / "book.pdf")
    shutil.copy(pdfs / "book.pdf", tmp_path / "other.pdf")
    side = "title: Minutes of the Council\ndate: 1843-05\nshelfmark: MS 12\n"
    (tmp_path / "book.pdf.yaml").write_text(side)
    (tmp_path / "other.pdf.yaml").write_text("title: Sidecar title\nauthor: Sidecar Author\n")
    (tmp_path / "catalogue.csv").write_text(
        "path,title,author,date,type\nbook.pdf,,,,\nother.pdf,Catalogue title,,1850,report\n"
    )
    collection = load_collection(tmp_path)
    book = read_any(tmp_path / "book.pdf", collection)
    assert (book.title, book.author, book.date and book.date.text) == (
        "Minutes of the Council",
        "Jane Q. Archivist",  # from the PDF: nobody overrides it
        "1843-05",
    )
    assert book.extra["shelfmark"] == "MS 12" and book.extra["subject"] == "Local government"
    other = read_any(tmp_path / "other.pdf", collection)
    assert (other.title, other.author, other.type) == ("Catalogue title", "Sidecar Author", "report")
    assert other.paragraphs[0].date is not None and other.paragraphs[0].date.text == "1850"


def test_changing_only_a_sidecar_reindexes_the_document(tmp_path: Path, pdfs: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(pdfs / "book.pdf", folder / "book.pdf")
    (folder / "notes.md").write_text("A note.\n")
    side = folder / "book.pdf.yaml"
    side.write_text("title: First title\n")
    build_index([folder], tmp_path / "ix")
    side.write_text("title: Second title, longer\n")
    assert scan_changes(tmp_path / "ix") == [str(folder / "book.pdf")]
    stats = build_index([folder], tmp_path / "ix")
    assert (stats.changed, stats.unchanged) == (1, 1)
    hits = CliRunner().invoke(cli, ["search", "title:second", "--index", str(tmp_path / "ix")])
    assert "Second title, longer" in hits.stdout
    side.unlink()
    assert scan_changes(tmp_path / "ix") == [str(folder / "book.pdf")]
    assert build_index([folder], tmp_path / "ix").changed == 1


def test_a_markdown_search_imports_no_reader_library(bundled_index: Path) -> None:
    code = (
        "import sys; from searchkit.cli import main; sys.argv=['searchkit','search','Trotsky',"
        f"'--index',{str(bundled_index)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pypdfium2','pdfminer','multiprocessing')"
        " or m in ('searchkit.formats.pdf', 'searchkit.formats.isolation')]\n"
        "print('IMPORTED', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("IMPORTED []")
