"""DOCX, ODT, EPUB, saved web pages and RTF: paragraphs, sections, notes, pages and metadata, on
real files from the libraries' and projects' own test data (tests/data/formats, see PROVENANCE)
and on generated files with known truth (tools/make_test_documents.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.formats import load_collection, read_any
from searchkit.sources import Document
from tests.conftest import DATA
from tools import make_test_documents

FORMATS = DATA / "formats"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents")
    make_test_documents.main(folder)
    return folder


def read(path: Path) -> Document:
    return read_any(path, load_collection(path.parent))


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_footnotes_and_endnotes_are_notes_after_their_paragraph() -> None:
    for name in ("footnotes.docx", "endnotes.docx"):  # mammoth's test files
        doc = read(FORMATS / "docx" / name)
        assert [(p.text, p.type) for p in doc.paragraphs] == [
            ("Ouch.", "unknown"),
            ("A tachyon walks into a bar.", "note"),
            ("Fin.", "note"),
        ]
    assert read(FORMATS / "docx" / "footnotes.docx").author == "Michael Williamson"


def test_docx_tables_text_boxes_and_strict_ooxml() -> None:
    assert texts(read(FORMATS / "docx" / "tables.docx")) == [
        "Above",
        "Top left",
        "Top right",
        "Bottom left",
        "Bottom right",
        "Below",
    ]
    assert texts(read(FORMATS / "docx" / "text-box.docx")) == ["Datum plane"]  # stored twice, read once
    strict = read(FORMATS / "docx" / "strict-format.docx")  # another namespace for everything
    assert texts(strict) == ["Test"] and strict.author == "Tom Chantry"


def test_docx_headings_pages_and_core_properties(generated: Path) -> None:
    doc = read(generated / "letters.docx")
    assert (doc.title, doc.author, doc.date) == ("Letters from Weimar", "Anna Amalia", None)
    assert doc.extra == {"created": "1998-03-04T10:00:00Z", "language": "de"}
    got = [(p.text, p.section, p.page, p.type) for p in doc.paragraphs]
    assert got == [
        (make_test_documents.OLD_GERMAN, "Erster Brief", "1", "unknown"),
        ("Eine Anmerkung zur Wiſſenſchaft.", "Erster Brief", "1", "note"),
        ("Kept words.", "Erster Brief", "1", "unknown"),  # the deleted words are left out
        ("Cell one", "Erster Brief", "1", "unknown"),
        ("Cell two", "Erster Brief", "1", "unknown"),
        ("Anchor of a box.", "Erster Brief", "1", "unknown"),
        ("Randnotiz im Kasten", "Erster Brief", "1", "unknown"),
        ("On the second page, with an endnote.", "Zweiter Brief", "2", "unknown"),
        ("The endnote text.", "Zweiter Brief", "2", "note"),
    ]


def test_docx_without_rendered_page_breaks_has_no_pages() -> None:
    assert {p.page for p in read(FORMATS / "docx" / "tables.docx").paragraphs} == {None}


# --- ODT ----------------------------------------------------------------------------------------


def test_odt_notes_drop_comments_and_citation_marks() -> None:
    doc = read(FORMATS / "odt" / "note.odt")  # odfdo's test file
    assert [(p.text, p.type) for p in doc.paragraphs] == [
        ("Un paragraphe d'apparence banale.", "unknown"),  # the comment and the marks are gone
        ("C'est-à-dire l'élément « text:p ».", "note"),
        ("Les apparences sont trompeuses !", "note"),
    ]


def test_odt_headings_and_metadata() -> None:
    doc = read(FORMATS / "odt" / "example.odt")
    assert doc.title == "This is the title"
    assert doc.extra["subject"] == "This is the subject" and doc.extra["language"] == "fr-FR"
    assert [(p.section, p.text) for p in doc.paragraphs][3:5] == [
        ("Level 2 Title", "This is the first paragraph of the second title."),
        ("Level 2 Title", "This is the last paragraph with diacritical signs: éè"),
    ]


def test_odt_soft_page_breaks_give_the_page_a_paragraph_starts_on(generated: Path) -> None:
    doc = read(generated / "report.odt")
    assert (doc.title, doc.author, doc.extra["created"]) == (
        "The Famine Report",
        "Relief Commission",
        "2003-05-06T07:08:09",
    )
    assert [(p.text, p.section, p.page, p.type) for p in doc.paragraphs] == [
        ("The harvest of 1846 failed in most parishes.", "Report on the harvest", "1", "unknown"),
        ("Parish records, vol. 3.", "Report on the harvest", "1", "note"),
        ("Potatoes", "Report on the harvest", "1", "unknown"),
        ("Oats", "Report on the harvest", "1", "unknown"),
        ("Relief committees met weekly; this paragraph runs over a page break.", "Relief", "2", "unknown"),
        ("After the break.", "Relief", "3", "unknown"),
        ("A framed table caption.", "Relief", "3", "unknown"),
    ]


# --- EPUB ---------------------------------------------------------------------------------------


def test_epub3_spine_pages_sections_and_dublin_core() -> None:
    doc = read(FORMATS / "epub" / "childrens-literature.epub")  # an IDPF sample book
    assert doc.title == "Children's Literature"
    assert doc.author == "Charles Madison Curry and Erle Elsworth Clippinger"
    assert doc.date is not None and doc.date.text == "2008-05-20"
    assert doc.extra["language"] == "en" and "Children's literature" in doc.extra["subject"]
    first = doc.paragraphs[0]
    assert (first.text, first.section, first.page) == (
        "Alden, Raymond Macdonald, Why the Chimes Rang, and Other Stories.",
        "BIBLIOGRAPHY",
        "170",  # the marker before the heading moves the page
    )
    pages = [p.page for p in doc.paragraphs]
    assert None not in pages and len(set(pages)) >= 60
    assert not any(p.text in ("169", "170", "Pages") for p in doc.paragraphs)  # markers, nav: not text
    fir = [p for p in doc.paragraphs if p.text.startswith('"Now my splendor will begin afresh,"')]
    assert [(p.section, p.page) for p in fir] == [("THE FIR TREE", "193")]


def test_epub2_ncx_page_list_translator_and_isbn(generated: Path) -> None:
    doc = read(generated / "memoirs.epub")
    assert (doc.title, doc.author, doc.date and doc.date.text) == (
        "Memoirs of a Revolution",
        "Ivan Petrov",
        "1921-04",
    )
    assert doc.extra["translator"] == "Constance Garnett" and doc.extra["isbn"] == "978-0-00-000000-2"
    assert doc.extra["publisher"] == "Heinemann"
    assert [(p.text, p.section, p.page) for p in doc.paragraphs] == [
        ("The first paragraph on page eleven.", "Chapter One: Petrograd", "11"),
        ("It runs on to page twelve.", "Chapter One: Petrograd", "11"),  # cited where it starts
        ("Wholly on page twelve.", "Chapter One: Petrograd", "12"),
        ("Moscow in winter.", "Chapter Two: Moscow", "12"),
        ("Second paragraph.", "Chapter Two: Moscow", "12"),
    ]


def test_epub_with_obfuscated_fonts_only_is_read(generated: Path) -> None:
    assert len(read(generated / "fonts.epub").paragraphs) == 5


# --- HTML saved from the web --------------------------------------------------------------------


def test_saved_page_keeps_the_article_and_its_metadata(generated: Path) -> None:
    doc = read(generated / "archive-opens.html")
    assert (doc.title, doc.author, doc.date and doc.date.text) == (
        "Archive opens the ministry files",
        "Maria Lopez",
        "2021-06-14",
    )
    assert doc.extra["site"] == "Example News"
    assert doc.extra["url"] == "https://news.example.org/archive-opens"
    assert [p.section for p in doc.paragraphs] == [
        "Archive opens the ministry files",
        "Archive opens the ministry files",
        "What the files contain",
    ]
    text = " ".join(texts(doc))
    for boilerplate in ("Home", "cookies", "Most read", "First!", "Copyright"):
        assert boilerplate not in text


def test_real_saved_news_page() -> None:
    doc = read(FORMATS / "html" / "wikimediafoundation.org.turkey.html")  # from trafilatura's tests
    assert doc.title == "Access to Wikipedia restored in Turkey after more than two and a half years"
    assert doc.date is not None and doc.date.text == "2020-01-15"
    assert doc.extra["site"] == "Wikimedia Foundation"
    assert doc.extra["url"].startswith("https://wikimediafoundation.org/news/2020/01/15/")
    assert texts(doc)[0].startswith("Today, on Wikipedia’s 19th birthday")
    assert len(doc.paragraphs) == 9


# --- RTF ----------------------------------------------------------------------------------------


def test_rtf_code_page_and_info_group() -> None:
    doc = read(FORMATS / "rtf" / "ansicpg1250.rtf")  # striprtf's test file, Windows-1250
    expected = (FORMATS / "rtf" / "ansicpg1250.txt").read_text(encoding="utf-8")
    assert [" ".join(t.split()) for t in texts(doc)] == [
        " ".join(line.split()) for line in expected.splitlines() if line.strip()
    ]
    assert (doc.title, doc.author, doc.extra["created"]) == ("DANE WNIOSKODAWCY", "AMiszcz", "2020-01-16")
    assert texts(read(FORMATS / "rtf" / "hello.rtf")) == ["Hello"]


def test_a_markdown_search_imports_none_of_these_readers(bundled_index: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from searchkit.cli import main; sys.argv=['searchkit','search','Trotsky',"
        f"'--index',{str(bundled_index)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('lxml','trafilatura','striprtf','justext',"
        "'htmldate') or m.startswith('searchkit.formats.') and m.rsplit('.', 1)[1] in ('docx','odt',"
        "'epub','html','rtf','alto','page','hocr','package')]\n"
        "print('IMPORTED', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("IMPORTED []")
