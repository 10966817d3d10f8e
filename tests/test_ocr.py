"""ALTO, PAGE XML and hOCR, and historical print: the ground truth of an 18th-century German
journal page (OCR-D), hOCR from hocr-tools, generated files with known truth; and the folding of
long s, superscript-e umlauts, ligatures and soft hyphens in search, highlighting the original."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from searchkit import build_index, search
from searchkit.analysis import body_analyzer
from searchkit.formats import load_collection, read_any
from searchkit.formats.ocr import join_lines
from searchkit.sources import Document
from tests.conftest import DATA
from tools import make_test_documents

FORMATS = DATA / "formats"
#: The article's first paragraph, as the OCR-D ground truth transcribes it.
KANT = (
    "Aufklaͤrung iſt der Ausgang des Menſchen aus ſeiner ſelbſt verſchuldeten Unmuͤndigkeit. "
    "Unmuͤndigkeit iſt das Unvermoͤgen, ſich ſeines Verstandes ohne Leitung eines anderen zu bedienen"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ocr")
    make_test_documents.main(folder)
    return folder


def read(path: Path) -> Document:
    return read_any(path, load_collection(path.parent))


def test_page_xml_reading_order_furniture_drop_capital_and_page_number() -> None:
    first = read(FORMATS / "page" / "PAGE_0017_PAGE.xml")
    assert len(first.paragraphs) == 3
    assert first.paragraphs[0].text == "(S. Decemb. 1783. S. 516.)"
    # the drop capital "A" joined to its word, "Men-" / "ſchen" rejoined
    assert first.paragraphs[1].text.startswith(KANT)
    assert first.paragraphs[2].text.startswith("Faulheit und Feigheit ſind die Ursachen, warum")
    assert {p.section for p in first.paragraphs} == {"Beantwortung der Frage: Was iſt Aufklaͤrung?"}
    assert {p.page for p in first.paragraphs} == {"17"}  # no printed number: the file's name
    assert "Monatsſchr. IV" not in " ".join(p.text for p in first.paragraphs)  # signature mark
    later = read(FORMATS / "page" / "PAGE_0020_PAGE.xml")
    assert {p.page for p in later.paragraphs} == {"484"}  # the page-number region, dropped
    assert len(later.paragraphs) == 2  # the catch-word is dropped too


def test_alto_words_and_punctuation_by_position_and_untagged_page_numbers() -> None:
    doc = read(FORMATS / "alto" / "PAGE_0017_ALTO.xml")  # the same page as ALTO 2
    assert doc.paragraphs[0].text == "Berliniſche Monatsſchrift."  # "." is a String of its own
    assert any(p.text.startswith(KANT) for p in doc.paragraphs)
    later = read(FORMATS / "alto" / "PAGE_0020_ALTO.xml")
    assert {p.page for p in later.paragraphs} == {"484"} and len(later.paragraphs) == 2
    assert not any(p.text in ("484", "Stan-") for p in later.paragraphs)


def test_alto_hyphenation_markup_tags_and_margins(generated: Path) -> None:
    doc = read(generated / "gazette.xml")
    assert [(p.text, p.section, p.page) for p in doc.paragraphs] == [
        ("The steam ship arrived from New-York with emigrants.", "Harbour news", "214"),
    ]


def test_hocr_paragraphs_headings_and_truth() -> None:
    doc = read(FORMATS / "hocr" / "alice.html")
    assert (doc.title, doc.author, doc.extra["publisher"]) == (
        "Alice im Wonderland",
        "Lewis Carroll",
        "Macmillan",
    )
    # the text of the page image, typed by hand: the OCR differs only in its own errors
    truth = (FORMATS / "hocr" / "alice.txt").read_text(encoding="utf-8").split()[4:]
    words = " ".join(p.text for p in doc.paragraphs).split()
    diff = difflib.SequenceMatcher(a=truth, b=words, autojunk=False)
    assert diff.ratio() > 0.98
    changed = [(truth[i1:i2], words[j1:j2]) for op, i1, i2, j1, j2 in diff.get_opcodes() if op != "equal"]
    assert (["flashed"], ["Hashed"]) in changed and (["field"], ["Held"]) in changed  # OCR errors
    assert len(changed) == 6
    assert len(doc.paragraphs) == 6  # five ocr_par and the lines before them
    assert {p.section for p in doc.paragraphs} == {"1 Down the Rabbit-Hole"}
    tess = read(FORMATS / "hocr" / "tess.hocr")  # Tesseract's output for the same page
    assert {p.page for p in tess.paragraphs} == {"1"}  # from the image name, alice_1.png
    assert tess.paragraphs[1].text.startswith("Alice was beginning to get very tired")


def test_hocr_headers_and_printed_page_numbers(generated: Path) -> None:
    doc = read(generated / "history.hocr")
    assert [(p.text, p.page) for p in doc.paragraphs] == [
        ("The campaign of the winter began badly.", "xii"),
        ("Supplies ran short in January.", "xiii"),
    ]


def test_line_joining_rule() -> None:
    assert (
        join_lines(["Men-", "ſchen und", "Nord-", "Amerika", "Ende¬", "lich"])
        == "Menſchen und Nord-Amerika Endelich"
    )


@pytest.mark.parametrize(
    ("query", "printed"),
    [
        ("Mädchen", "Maͤdchen"),
        ("Wissenschaft", "Wiſſenſchaft"),
        ("finden", "ﬁnden"),
        ("Caesar", "Cæsar"),
        ("verbreitet", "ver\u00adbreitet"),
    ],
)
def test_historical_letters_fold_to_modern_ones(query: str, printed: str) -> None:
    analyze = body_analyzer()
    assert [t.text for t in analyze(query)] == [t.text for t in analyze(printed)]
    spans = [(t.startchar, t.endchar) for t in analyze(f"x {printed} y", chars=True)]
    assert spans == [(0, 1), (2, 2 + len(printed)), (3 + len(printed), 4 + len(printed))]


def test_search_finds_and_highlights_the_printed_form(tmp_path: Path, generated: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    for name in ("PAGE_0017_PAGE.xml", "PAGE_0020_PAGE.xml"):
        (folder / name).write_bytes((FORMATS / "page" / name).read_bytes())
    (folder / "letters.docx").write_bytes((generated / "letters.docx").read_bytes())
    build_index([folder], tmp_path / "ix")
    hits = search(tmp_path / "ix", "Wissenschaft Mädchen").hits
    assert [(h.source, h.page) for h in hits] == [("c/letters.docx", "1")]
    (hit,) = hits
    assert [hit.text[a:b] for a, b in hit.highlights] == ["Wiſſenſchaft", "Maͤdchen"]
    kant = search(tmp_path / "ix", "Aufklärung Unmündigkeit").hits
    assert [(h.source, h.page, h.paragraph) for h in kant] == [("c/PAGE_0017_PAGE.xml", "17", 2)]
    assert [kant[0].text[a:b] for a, b in kant[0].highlights][:3] == [
        "Aufklaͤrung",
        "Unmuͤndigkeit",
        "Unmuͤndigkeit",
    ]
