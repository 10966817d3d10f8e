"""Generate PDFs with known truth for searchkit's PDF tests and benchmarks (reportlab, BSD).

Each function writes one file and returns the paragraphs it holds, as (start page label, text),
so that a test can compare what the reader rebuilt with what was written::

    .venv/bin/python tools/make_test_pdfs.py OUTDIR   # writes every file into OUTDIR

reportlab is a development dependency only: searchkit reads PDFs with pypdfium2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
FONT, SIZE, LEADING = "Times-Roman", 11, 14

#: A book's paragraphs, each as the lines it is set in (a line ending in "-" is hyphenated there).
BOOK = [
    [
        "The archives of the provincial council were kept in the old customs",
        "house until the fire of 1842, when most of the inter-",
        "national correspondence was lost and only the minute books survived.",
    ],
    [
        "A second collection, bought by the library of New-",
        "York in 1901, holds the letters of the merchants who traded",
        "with the council, among them the partners of the firm.",
    ],
    [
        "Historians have long argued about the reliability of the minute books.",
        "They were written by clerks who were paid by the page, and who had",
        "every reason to be generous with the words they set down.",
    ],
    [
        "The clerks wrote in a hand that is still easy to read, and the ink",
        "has kept its colour well; the paper, however, has suffered from damp",
        "in the cellars where the books were stored for much of the cen-",
        "tury, and many leaves are torn at the corners.",
    ],
    [
        "This paragraph begins near the foot of a page and goes on over the",
        "page break, so that a reader must join the last lines of one page",
        "with the first lines of the next one to cite it properly to the page",
        "where it begins, as a footnote needs.",
    ],
    [
        "Finally, the council's accounts show what the town spent on its",
        "roads, its wells and its watchmen.",
    ],
]
HEADER = "A HISTORY OF THE PROVINCIAL COUNCIL"


def _start(path: Path, title: str = "", author: str = "") -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    return c


def _line(c: canvas.Canvas, x: float, y: float, text: str, size: float = SIZE) -> None:
    c.setFont(FONT, size)
    c.drawString(x, y, text)


def book(path: Path, lines_per_page: int = 15) -> list[tuple[str, str]]:
    """A book whose page labels run ii, iii, then 214, 215, … (a front-matter page, then the
    text): a running header and a page number on every page, first-line indents, hyphenated
    line ends, and one paragraph over a page break."""
    c = _start(path, "A History of the Provincial Council", "Jane Q. Archivist")
    c.setSubject("Local government")
    c.setKeywords("council, archives")
    c.addPageLabel(0, style="ROMAN_LOWER", start=2)
    c.addPageLabel(1, style="ARABIC", start=214)
    labels = ["ii", *(str(n) for n in range(214, 240))]
    page = 0
    truth: list[tuple[str, str]] = []

    def furniture() -> None:
        _line(c, 72, HEIGHT - 40, HEADER, 9)
        _line(c, WIDTH / 2, 30, labels[page], 9)

    # front matter: a short preface
    furniture()
    _line(c, 72, HEIGHT - 100, "Preface.")
    _line(c, 72, HEIGHT - 120, "This book was written from the council's own papers.")
    truth += [("ii", "Preface."), ("ii", "This book was written from the council's own papers.")]
    c.showPage()
    page += 1
    furniture()
    y, used = HEIGHT - 90, 0
    for para in BOOK:
        start = labels[page]
        for i, text in enumerate(para):
            if used == lines_per_page:
                c.showPage()
                page += 1
                furniture()
                y, used = HEIGHT - 90, 0
            _line(c, 72 + (18 if i == 0 else 0), y, text)
            y -= LEADING
            used += 1
        y -= 4  # a little space between paragraphs, as well as the indent
        truth.append((start, _joined(para)))
    c.showPage()
    c.save()
    return truth


def _joined(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out.endswith("-"):  # a broken word loses its hyphen; "New-" "York" keeps it
            out = (out[:-1] if line[:1].islower() else out) + line
        elif out:
            out += " " + line
        else:
            out = line
    return out


def two_columns(path: Path) -> list[tuple[str, str]]:
    """One page in two columns: the left column's paragraphs come before the right column's."""
    c = _start(path, "Two Columns")
    left = [BOOK[0], BOOK[2]]
    right = [BOOK[3], BOOK[5]]
    col_width = (WIDTH - 144 - 24) / 2
    truth = []
    for x0, paras in ((72.0, left), (72 + col_width + 24, right)):
        y = HEIGHT - 90
        for para in paras:
            for i, text in enumerate(para):
                c.setFont(FONT, 7)
                c.drawString(x0 + (10 if i == 0 else 0), y, text)
                y -= 9
            y -= 5
            truth.append(("1", _joined(para)))
    c.showPage()
    c.save()
    return truth


def scan(path: Path) -> None:
    """Two pages: one with text, one with an image and no text (a scan without OCR)."""
    c = _start(path, "Half Scanned")
    _line(c, 72, HEIGHT - 90, "This page has a text layer.")
    c.showPage()
    from reportlab.lib.utils import ImageReader  # noqa: F401  (reportlab draws raw images too)

    c.drawInlineImage(_grey_image(), 72, 300, width=400, height=400)
    c.showPage()
    c.save()


def _grey_image() -> object:
    from PIL import Image

    return Image.new("L", (64, 64), 128)


def long_book(path: Path, pages: int) -> None:
    """``pages`` pages of text (for the time limit and the benchmark)."""
    c = _start(path, "A Long Book")
    for n in range(pages):
        _line(c, 72, HEIGHT - 40, HEADER, 9)
        y = HEIGHT - 90
        for k in range(40):
            para = BOOK[(n + k) % len(BOOK)]
            _line(c, 72, y, para[k % len(para)])
            y -= LEADING
        _line(c, WIDTH / 2, 30, str(n + 1), 9)
        c.showPage()
    c.save()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    book(out / "book.pdf")
    two_columns(out / "two-columns.pdf")
    scan(out / "half-scanned.pdf")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
