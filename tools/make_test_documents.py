"""Make small DOCX, ODT, EPUB, ALTO, hOCR and HTML files with known truth, and hostile ones, for
the tests (the real files in tests/data/formats lack some cases). Each file is written from
scratch here, its text given below, so a test can check what a reader makes of it.

    python tools/make_test_documents.py FOLDER
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: The long s, superscript-e umlauts and a soft hyphen of historical print.
OLD_GERMAN = "Die Wiſſenſchaft der Maͤdchen und Knaben wird ver\u00adbreitet."


def _zip(path: Path, members: dict[str, str | bytes], stored_first: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first:
            z.writestr(zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _p(text: str, style: str = "", extra: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


def docx(path: Path) -> Path:
    """A letter with a title, two headings, a footnote, an endnote, a table, a text box (stored
    twice, as Word does), deleted text, a page break and Word's rendered page breaks."""
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        f"{_p('Randnotiz im Kasten')}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f"<w:txbxContent>{_p('Randnotiz im Kasten')}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    body = "".join(
        (
            _p("Briefe aus Weimar", "Title"),
            _p("Erster Brief", "Heading1"),
            "<w:p><w:r><w:t>" + OLD_GERMAN + '</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
            '<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>STRUCK OUT'
            "</w:delText></w:r></w:del><w:r><w:t>words.</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc>"
            + _p("Cell one")
            + "</w:tc><w:tc>"
            + _p("Cell two")
            + "</w:tc></w:tr></w:tbl>",
            "<w:p><w:r><w:t>Anchor of a box.</w:t></w:r>" + box + "</w:p>",
            '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
            _p("Zweiter Brief", "Heading1"),
            "<w:p><w:r><w:lastRenderedPageBreak/><w:t>On the second page, with an endnote.</w:t></w:r>"
            '<w:r><w:endnoteReference w:id="2"/></w:r></w:p>',
        )
    )
    styles = (
        f'<w:styles {W}><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>'
    )
    notes = (
        '<w:{kind}s {W}><w:{kind} w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        '<w:{kind} w:id="{id}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}></w:{kind}s>'
    )
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        "<dc:title>Letters from Weimar</dc:title><dc:creator>Anna Amalia</dc:creator>"
        "<dcterms:created>1998-03-04T10:00:00Z</dcterms:created><dc:language>de</dc:language>"
        "</cp:coreProperties>"
    )
    return _zip(
        path,
        {
            "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": f'<Relationships xmlns="{REL[:-14]}package/2006/relationships">'
            f'<Relationship Id="r1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="r2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
            "word/_rels/document.xml.rels": f'<Relationships xmlns="{REL[:-14]}package/2006/relationships">'
            f'<Relationship Id="r1" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="r2" Type="{REL}/footnotes" Target="footnotes.xml"/>'
            f'<Relationship Id="r3" Type="{REL}/endnotes" Target="endnotes.xml"/></Relationships>',
            "word/document.xml": f"<w:document {W} {MC}><w:body>{body}</w:body></w:document>",
            "word/styles.xml": styles,
            "word/footnotes.xml": notes.format(
                kind="footnote", W=W, id=1, text="Eine Anmerkung zur Wiſſenſchaft."
            ),
            "word/endnotes.xml": notes.format(kind="endnote", W=W, id=2, text="The endnote text."),
            "docProps/core.xml": core,
        },
    )


ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def odt(path: Path) -> Path:
    """A report with headings, a footnote, a comment, a table, a frame, and LibreOffice's soft
    page breaks (one between paragraphs, one inside a paragraph)."""
    text = (
        '<text:h text:outline-level="1">Report on the harvest</text:h>'
        '<text:p>The harvest of 1846 failed<text:note text:note-class="footnote"><text:note-citation>1'
        "</text:note-citation><text:note-body><text:p>Parish records, vol. 3.</text:p></text:note-body>"
        "</text:note> in most parishes.<office:annotation><dc:creator>Editor</dc:creator><text:p>CHECK THIS"
        "</text:p></office:annotation></text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>Potatoes</text:p></table:table-cell>"
        "<table:table-cell><text:p>Oats</text:p></table:table-cell></table:table-row></table:table>"
        "<text:soft-page-break/>"
        '<text:h text:outline-level="2">Relief</text:h>'
        '<text:p>Relief committees met<text:s text:c="2"/>weekly; this paragraph runs over'
        "<text:soft-page-break/> a page break.</text:p>"
        "<text:p>After the break.<draw:frame><draw:text-box><text:p>A framed table caption.</text:p>"
        "</draw:text-box></draw:frame></text:p>"
    )
    content = (
        f'<office:document-content {ODF}><office:body><office:text text:use-soft-page-breaks="true">'
        f"<text:sequence-decls/>{text}</office:text></office:body></office:document-content>"
    )
    meta = (
        f"<office:document-meta {ODF}><office:meta><dc:title>The Famine Report</dc:title>"
        "<meta:initial-creator>Relief Commission</meta:initial-creator>"
        "<meta:creation-date>2003-05-06T07:08:09</meta:creation-date><dc:language>en-IE</dc:language>"
        "</office:meta></office:document-meta>"
    )
    return _zip(
        path,
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content, "meta.xml": meta},
        stored_first="mimetype",
    )


_CONTAINER = (
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def epub2(path: Path, encryption: str | None = None) -> Path:
    """An EPUB 2 book: an NCX table of contents and page list (anchors, no page-break markers),
    two chapters, a translator; ``encryption``: an ``encryption.xml`` algorithm to add."""
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
        "<dc:title>Memoirs of a Revolution</dc:title>"
        '<dc:creator opf:role="aut">Ivan Petrov</dc:creator>'
        '<dc:contributor opf:role="trl">Constance Garnett</dc:contributor>'
        "<dc:publisher>Heinemann</dc:publisher><dc:date>1921-04</dc:date><dc:language>en</dc:language>"
        '<dc:identifier id="id" opf:scheme="ISBN">978-0-00-000000-2</dc:identifier></metadata>'
        '<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="c1" href="text/ch1.html" media-type="application/xhtml+xml"/>'
        '<item id="c2" href="text/ch2.html" media-type="application/xhtml+xml"/></manifest>'
        '<spine toc="ncx"><itemref idref="c1"/><itemref idref="c2"/></spine></package>'
    )
    ncx = (
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>'
        '<navPoint id="n1"><navLabel><text>Chapter One: Petrograd</text></navLabel>'
        '<content src="text/ch1.html"/>'
        '</navPoint><navPoint id="n2"><navLabel><text>Chapter Two: Moscow</text></navLabel>'
        '<content src="text/ch2.html"/></navPoint></navMap><pageList>'
        '<pageTarget id="p1" type="normal" value="11"><navLabel><text>11</text></navLabel>'
        '<content src="text/ch1.html#page11"/></pageTarget>'
        '<pageTarget id="p2" type="normal" value="12"><navLabel><text>12</text></navLabel>'
        '<content src="text/ch1.html#page12"/></pageTarget></pageList></ncx>'
    )
    xhtml = '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{}</body></html>'
    ch1 = xhtml.format(
        '<a id="page11"/><p>The first paragraph on page eleven.</p>'
        '<p>It runs on <a id="page12"/>to page twelve.</p><p>Wholly on page twelve.</p>'
    )
    ch2 = xhtml.format("<div><p>Moscow in winter.</p><p>Second paragraph.</p></div>")
    members: dict[str, str | bytes] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": _CONTAINER,
        "OEBPS/content.opf": opf,
        "OEBPS/toc.ncx": ncx,
        "OEBPS/text/ch1.html": ch1,
        "OEBPS/text/ch2.html": ch2,
    }
    if encryption:
        members["META-INF/encryption.xml"] = (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            f'<enc:EncryptionMethod Algorithm="{encryption}"/><enc:CipherData>'
            '<enc:CipherReference URI="OEBPS/text/ch1.html"/></enc:CipherData></enc:EncryptedData>'
            "</encryption>"
        )
    return _zip(path, members, stored_first="mimetype")


def zip_bomb(path: Path, member: str = "word/document.xml", megabytes: int = 4) -> Path:
    """A DOCX (or EPUB, with ``member``) whose one part unpacks a thousand times its size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("mimetype", "application/epub+zip")
        z.writestr(member, b"<w:document>" + b" " * (megabytes * 1024 * 1024) + b"</w:document>")
    path.write_bytes(buffer.getvalue())
    return path


def billion_laughs(path: Path) -> Path:
    """An ALTO file whose entities would expand to 10⁹ copies of "lol"."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    path.write_text(
        f"<?xml version='1.0'?><!DOCTYPE alto [{entities}]><alto><Layout><Page><PrintSpace><TextBlock>"
        '<TextLine><String CONTENT="&lol9;"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>'
    )
    return path


def external_entity(path: Path, target: Path) -> Path:
    """A PAGE file that asks for ``target``'s contents through an external entity."""
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE PcGts [<!ENTITY secret SYSTEM "file://{target}">]>'
        '<PcGts><Page><TextRegion id="r1" type="paragraph"><TextEquiv><Unicode>The secret is &secret; here.'
        "</Unicode></TextEquiv></TextRegion></Page></PcGts>"
    )
    return path


HYP = '<HYP CONTENT="-"/>'


def alto_newspaper(path: Path) -> Path:
    """An ALTO v4 newspaper page: a tagged running header and page number, a tagged heading,
    words broken at line ends with ``SUBS_CONTENT`` and with ``HYP`` alone, a real hyphen."""
    s = '<String CONTENT="{}" HPOS="{}" WIDTH="40"{}/>'

    def line(*words: str, hyp: bool = False) -> str:
        inner = "<SP/>".join(words) + (HYP if hyp else "")
        return f"<TextLine>{inner}</TextLine>"

    body = (
        '<TopMargin><TextBlock ID="tm"><TextLine>'
        + s.format("THE", 10, "")
        + "<SP/>"
        + s.format("GAZETTE", 60, "")
        + "</TextLine></TextBlock></TopMargin><PrintSpace>"
        '<TextBlock ID="pn" TAGREFS="LT1"><TextLine>' + s.format("214", 10, "") + "</TextLine></TextBlock>"
        '<TextBlock ID="h" TAGREFS="LT2">'
        + line(s.format("Harbour", 10, ""), s.format("news", 60, ""))
        + "</TextBlock>"
        '<TextBlock ID="b1">'
        + line(
            s.format("The", 10, ""),
            s.format("steam", 60, ""),
            s.format("ship", 110, ""),
            s.format("arri", 160, ' SUBS_TYPE="HypPart1" SUBS_CONTENT="arrived"'),
            hyp=True,
        )
        + line(
            s.format("ved", 10, ' SUBS_TYPE="HypPart2" SUBS_CONTENT="arrived"'),
            s.format("from", 60, ""),
            s.format("New-", 110, ""),
        )
        + line(s.format("York", 10, ""), s.format("with", 60, ""), s.format("emi", 110, ""), hyp=True)
        + line(s.format("grants.", 10, ""))
        + "</TextBlock></PrintSpace>"
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">'
        '<Tags><LayoutTag ID="LT1" LABEL="pageNumber"/><LayoutTag ID="LT2" LABEL="heading"/></Tags>'
        f'<Layout><Page ID="P1" PHYSICAL_IMG_NR="7">{body}</Page></Layout></alto>',
        encoding="utf-8",
    )
    return path


def hocr_book(path: Path) -> Path:
    """Two hOCR pages with running headers and printed page numbers (``ocr_pageno``)."""

    def page(n: int, number: str, lines: list[str]) -> str:
        spans = "".join(f"<span class='ocr_line'>{t}</span>" for t in lines)
        return (
            f"<div class='ocr_page' title='image \"scan_{n:04d}.png\"; ppageno {n - 1}'>"
            "<div class='ocr_header'><span class='ocr_line'>A HISTORY OF THE WAR</span></div>"
            f"<p class='ocr_par'>{spans}</p><div class='ocr_pageno'>{number}</div></div>"
        )

    path.write_text(
        "<html><head><meta name='ocr-system' content='tesseract 5'/>"
        "<meta name='DC.title' content='A History of the War'/></head><body>"
        + page(1, "xii", ["The campaign of the win-", "ter began badly."])
        + page(2, "xiii", ["Supplies ran short in", "January."])
        + "</body></html>",
        encoding="utf-8",
    )
    return path


def saved_page(path: Path) -> Path:
    """A news article as a browser saves it: navigation, a cookie banner, the article with
    headings, a sidebar, reader comments and a footer."""
    para = "<p>{}</p>"
    article = "".join(
        (
            "<h1>Archive opens the ministry files</h1>",
            para.format(
                "The national archive opened the files of the former ministry of the interior on Monday, "
                "after a delay of several years requested by the ministry itself."
            ),
            para.format(
                "Historians queued from early morning in the reading room, where the first boxes "
                "were handed out at nine o'clock by the archivists on duty."
            ),
            "<h2>What the files contain</h2>",
            para.format(
                "The collection holds correspondence, minutes of meetings and police reports from the "
                "years between the two world wars, most of them never seen before."
            ),
        )
    )
    path.write_text(
        "<!DOCTYPE html>\n<!-- saved from url=(0041)https://news.example.org/archive-opens -->\n"
        '<html lang="en"><head><title>Archive opens the ministry files | Example News</title>'
        '<meta name="author" content="Maria Lopez"><meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2021-06-14T08:00:00Z"></head><body>'
        '<nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>'
        '<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>'
        f"<main><article>{article}</article></main>"
        '<aside class="sidebar"><h3>Most read</h3><ul><li>Ten recipes for summer</li></ul></aside>'
        '<section id="comments" class="comments"><h3>Comments</h3><div class="comment">'
        "<p>First! This is a terrible article, the ministry did nothing wrong.</p></div></section>"
        "<footer>Copyright Example News. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    return path


def main(folder: Path) -> None:
    """Write every generated file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    docx(folder / "letters.docx")
    odt(folder / "report.odt")
    epub2(folder / "memoirs.epub")
    epub2(folder / "locked.epub", encryption="http://www.w3.org/2001/04/xmlenc#aes128-cbc")
    epub2(folder / "fonts.epub", encryption="http://www.idpf.org/2008/embedding")
    alto_newspaper(folder / "gazette.xml")
    hocr_book(folder / "history.hocr")
    saved_page(folder / "archive-opens.html")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
