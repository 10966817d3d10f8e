"""PDF: paragraphs, pages, hyphens, headers and metadata, on generated files with known truth and
on real files from the PDF libraries' own test data (tests/data/formats/pdf, see PROVENANCE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.errors import SourceError
from searchkit.formats import load_collection, plan, read_any
from searchkit.formats.pdflayout import join_hyphens
from tests.conftest import DATA
from tools import make_test_pdfs

PDFS = DATA / "formats" / "pdf"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdfs")
    make_test_pdfs.main(folder)
    return folder


def read(path: Path, **settings: object) -> tuple[object, list[str]]:
    collection = load_collection(path.parent)
    collection.config.update(settings)
    p = plan(path, collection)
    from searchkit.formats import read_planned

    return read_planned(p), p.settings.warnings


def test_book_paragraphs_pages_hyphens_and_headers(generated: Path, tmp_path: Path) -> None:
    truth = make_test_pdfs.book(tmp_path / "book.pdf")
    doc, warnings = read(tmp_path / "book.pdf")
    got = [(p.page, p.text) for p in doc.paragraphs]  # type: ignore[attr-defined]
    assert got == truth
    assert not warnings
    text = " ".join(t for _, t in got)
    assert "international correspondence" in text  # pdfium's hyphen mark, joined
    assert "New-York" in text  # a capital after the hyphen: a real hyphen
    assert "century" in text
    assert make_test_pdfs.HEADER not in text and " 215 " not in f" {text} "
    # the paragraph over the page break is one paragraph, cited to the page it starts on
    over = next(p for p in doc.paragraphs if p.text.startswith("This paragraph begins"))  # type: ignore[attr-defined]
    assert over.page == "214" and over.text.endswith("as a footnote needs.")


def test_metadata_from_the_document_information(generated: Path) -> None:
    doc, _ = read(generated / "book.pdf")
    assert doc.title == "A History of the Provincial Council"  # type: ignore[attr-defined]
    assert doc.author == "Jane Q. Archivist"  # type: ignore[attr-defined]
    assert doc.extra["subject"] == "Local government"  # type: ignore[attr-defined]
    assert doc.extra["keywords"] == "council, archives"  # type: ignore[attr-defined]
    assert doc.extra["created"] == "2000-01-01"  # type: ignore[attr-defined]  (reportlab invariant)


def test_two_columns_come_out_in_reading_order(generated: Path, tmp_path: Path) -> None:
    truth = make_test_pdfs.two_columns(tmp_path / "cols.pdf")
    for reader in ("pdfium", "pdfminer"):
        doc, _ = read(tmp_path / "cols.pdf", pdf_reader=reader)
        assert [(p.page, p.text) for p in doc.paragraphs] == truth, reader  # type: ignore[attr-defined]


def test_pdfminer_reads_the_book_too(generated: Path, tmp_path: Path) -> None:
    truth = make_test_pdfs.book(tmp_path / "book.pdf")
    doc, _ = read(tmp_path / "book.pdf", pdf_reader="pdfminer")
    assert [(p.page, p.text) for p in doc.paragraphs] == truth  # type: ignore[attr-defined]


def test_page_without_text_layer_is_a_warning_naming_file_and_page(generated: Path) -> None:
    doc, warnings = read(generated / "half-scanned.pdf")
    assert [p.text for p in doc.paragraphs] == ["This page has a text layer."]  # type: ignore[attr-defined]
    assert warnings == [f"{generated / 'half-scanned.pdf'}: no text layer: needs OCR (page 2)"]


def test_real_latex_file_keeps_its_page_labels_and_drops_page_numbers() -> None:
    doc, _ = read(PDFS / "pagelabels-latex.pdf")
    pages = {p.page for p in doc.paragraphs}  # type: ignore[attr-defined]
    assert pages == {"iii", "iv", "1", "2"} or pages >= {"iii", "iv", "1"}
    assert [p.text for p in doc.paragraphs if p.page == "iv"] == ["2 Second section", "Some text here..."]  # type: ignore[attr-defined]
    assert doc.extra["created"] == "2021-10-12"  # type: ignore[attr-defined]


def test_real_libreoffice_and_federal_register_files() -> None:
    doc, _ = read(PDFS / "lorem-libreoffice.pdf")
    text = " ".join(p.text for p in doc.paragraphs)  # type: ignore[attr-defined]
    assert "Lorem ipsum dolor sit amet" in text and "https://kde.org/" in text
    doc, _ = read(PDFS / "federal-register-3-columns.pdf")
    paras = [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]
    assert any(t.startswith("This section of the FEDERAL REGISTER contains notices") for t in paras)
    assert "Airworthiness Directives; The Boeing Company Airplanes" in paras


def test_damaged_file_still_gives_its_text() -> None:
    doc, _ = read(PDFS / "zen-corrupted.pdf")
    assert "Beautiful is better than ugly." in " ".join(p.text for p in doc.paragraphs)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["encrypted.pdf", "aes-128.pdf"])
def test_encrypted_file_is_a_one_line_error(name: str) -> None:
    with pytest.raises(SourceError, match=r"^Not reading '.*encrypted|aes-128.*': the PDF is encrypted") as e:
        read_any(PDFS / name, load_collection(PDFS))
    assert e.value.reason == "encrypted" and "\n" not in str(e.value)


def test_truncated_and_random_files_are_one_line_errors(generated: Path, tmp_path: Path) -> None:
    (tmp_path / "cut.pdf").write_bytes((generated / "book.pdf").read_bytes()[:1500])
    (tmp_path / "noise.pdf").write_bytes(bytes(range(256)) * 20)
    for name in ("cut.pdf", "noise.pdf"):
        with pytest.raises(SourceError, match=rf"^Cannot read '.*{name}': not a readable PDF file \("):
            read_any(tmp_path / name, load_collection(tmp_path))


def test_a_pdf_named_txt_is_read_as_a_pdf(generated: Path, tmp_path: Path) -> None:
    (tmp_path / "book.txt").write_bytes((generated / "book.pdf").read_bytes())
    p = plan(tmp_path / "book.txt", load_collection(tmp_path))
    assert p.format == "pdf"
    doc = read_any(tmp_path / "book.txt", load_collection(tmp_path))
    assert doc.paragraphs[2].page == "214"


def test_hyphen_rule_without_pdfium_mark() -> None:
    assert join_hyphens(["the inter-", "national law"]) == "the international law"
    assert join_hyphens(["library of New-", "York"]) == "library of New-York"
    assert join_hyphens(["inter\ufffe", "national"]) == "international"
    assert join_hyphens(["a dash -", "then"]) == "a dash - then"
    assert join_hyphens(["soft\u00ad", "Hyphen"]) == "softHyphen"


def test_unknown_pdf_reader_setting_is_an_error(generated: Path) -> None:
    with pytest.raises(SourceError, match="unknown pdf_reader 'magic'; use pdfium or pdfminer"):
        read(generated / "book.pdf", pdf_reader="magic")
