"""Citations for hits, checked against the Chicago Manual of Style's own examples.

Each example is a source file with the documented metadata keys, indexed and read back as a hit,
so the test covers the whole way from front matter to footnote. The examples are the notes and
bibliography entries of the Chicago Manual of Style 17th edition's Citation Quick Guide (book,
chapter, newspaper), the 16th edition's quick guide (web page with an access date), CMOS 17
§14.217 as given by the Valley Forge Chicago/Turabian guide (lecture) and the UCD Library's CMOS 17
guide (letter in an archive). Where citeproc-py with the vendored style differs from the printed
example, the test says how.
"""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy

from searchkit import build_index
from searchkit.browse import show
from searchkit.cite import FORMATS, chicago_citation, citations, csl_item, plain_citation
from searchkit.cite.chicago import chicago
from searchkit.cite.names import csl_name
from searchkit.query import Hit

DATA = Path(__file__).resolve().parent / "data"

EXAMPLES = {
    "smith-swing-time": """
        title: Swing Time
        author: Zadie Smith
        type: book
        publisher: Penguin Press
        place: New York
        issued: '2016'
    """,
    "thoreau-walking": """
        title: Walking
        author: Henry David Thoreau
        type: essay
        container: The Making of the American Essay
        editor: John D’Agata
        publisher: Graywolf Press
        place: Minneapolis
        issued: '2016'
        pages: 167-95
    """,
    "manjoo-snap": """
        title: Snap Makes a Bet on the Cultural Supremacy of the Camera
        author: Farhad Manjoo
        type: newspaper article
        newspaper: New York Times
        date: '2017-03-08'
        url: https://www.nytimes.com/2017/03/08/technology/snap-makes-a-bet-on-the-cultural-supremacy-of-the-camera.html
    """,
    "mcdonalds-toys": """
        title: McDonald’s Happy Meal Toy Safety Facts
        type: web page
        site: McDonald’s Corporation
        url: http://www.mcdonalds.com/corp/about/factsheets.html
        accessed: '2008-07-19'
    """,
    "mitchell-to-ryan": """
        title: Mitchell to Ryan about the Irish in Spain
        author: Mairin Mitchell
        recipient: Desmond Ryan
        type: letter
        date: 2 February 1940
        item: UCDA LA10/146
        collection: Papers of Desmond Ryan
        repository: UCD Archives, University College Dublin Library
        repository_place: Ireland
    """,
    "hong-censorship": """
        title: Censorship in Children’s Literature during Argentina’s Dirty War (1976–1983)
        author: Viviana Hong
        type: speech
        genre: lecture
        place: University of Chicago, Chicago, IL
        date: '2015-04-30'
    """,
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Hit]:
    """Each example as the hit on its first paragraph."""
    base = tmp_path_factory.mktemp("cite")
    folder = base / "sources"
    folder.mkdir()
    for name, meta in EXAMPLES.items():
        text = f"---\n{textwrap.dedent(meta).strip()}\n---\nThe first paragraph of {name}.\n\nA second one.\n"
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    stats = build_index([folder], base / "index")
    assert not stats.errors
    return {name: show(base / "index", f"{name}:1").paragraphs[0] for name in EXAMPLES}


def on_page(hit: Hit, page: str) -> Hit:
    """The hit as a paginated source would give it (the bundled readers have no pages)."""
    return dataclasses.replace(hit, page=page)


def test_book(examples: dict[str, Hit]) -> None:
    found = chicago_citation(on_page(examples["smith-swing-time"], "315"))
    assert found.note == "Zadie Smith, Swing Time (New York: Penguin Press, 2016), 315."
    assert found.bibliography == "Smith, Zadie. Swing Time. New York: Penguin Press, 2016."


def test_chapter(examples: dict[str, Hit]) -> None:
    found = chicago_citation(on_page(examples["thoreau-walking"], "177"))
    assert found.note == (
        "Henry David Thoreau, “Walking,” in The Making of the American Essay, ed. John D’Agata"
        " (Minneapolis: Graywolf Press, 2016), 177."
    )
    # The entry gives the chapter's pages, not the page cited in the note.
    assert found.bibliography == (
        "Thoreau, Henry David. “Walking.” In The Making of the American Essay, edited by John D’Agata,"
        " 167–95. Minneapolis: Graywolf Press, 2016."
    )


def test_newspaper_article(examples: dict[str, Hit]) -> None:
    hit = examples["manjoo-snap"]
    url = "https://www.nytimes.com/2017/03/08/technology/snap-makes-a-bet-on-the-cultural-supremacy-of-the-camera.html"
    # The guide's note cites no locator (an online article has no pages).
    assert chicago(csl_item(hit), None).note == (
        f"Farhad Manjoo, “Snap Makes a Bet on the Cultural Supremacy of the Camera,” New York Times,"
        f" March 8, 2017, {url}."
    )
    found = chicago_citation(hit)
    assert found.note == (
        f"Farhad Manjoo, “Snap Makes a Bet on the Cultural Supremacy of the Camera,” New York Times,"
        f" March 8, 2017, para. 1, {url}."
    )
    assert found.bibliography == (
        f"Manjoo, Farhad. “Snap Makes a Bet on the Cultural Supremacy of the Camera.” New York Times,"
        f" March 8, 2017. {url}."
    )


def test_web_page(examples: dict[str, Hit]) -> None:
    hit = examples["mcdonalds-toys"]
    url = "http://www.mcdonalds.com/corp/about/factsheets.html"
    assert chicago(csl_item(hit), None).note == (
        f"“McDonald’s Happy Meal Toy Safety Facts,” McDonald’s Corporation, accessed July 19, 2008, {url}."
    )
    # The guide's entry is "McDonald’s Corporation. “…” Accessed July 19, 2008. URL."; the CSL
    # style puts the site first in place of the missing author and names it again after the title.
    entry = chicago_citation(hit).bibliography
    assert entry.startswith("McDonald’s Corporation. “McDonald’s Happy Meal Toy Safety Facts.”")
    assert entry.endswith(f"Accessed July 19, 2008. {url}.")


def test_letter_in_an_archive(examples: dict[str, Hit]) -> None:
    hit = examples["mitchell-to-ryan"]
    # The guide writes the date "2 February 1940"; the style writes Chicago's "February 2, 1940".
    archive = (
        "UCDA LA10/146, Papers of Desmond Ryan, UCD Archives, University College Dublin Library, Ireland"
    )
    assert (
        chicago(csl_item(hit), None).note == f"Mairin Mitchell to Desmond Ryan, February 2, 1940, {archive}."
    )
    found = chicago_citation(hit)
    assert found.note == f"Mairin Mitchell to Desmond Ryan, February 2, 1940, para. 1, {archive}."
    assert found.bibliography == (
        "Mitchell, Mairin. Letter to Desmond Ryan, February 2, 1940. UCDA LA10/146, Papers of Desmond"
        " Ryan. UCD Archives, University College Dublin Library. Ireland."
    )


def test_archive_box_and_folder() -> None:
    hit = _bare_hit(
        type="letter",
        extra={
            "recipient": "Ellen Waterston",
            "box": "2",
            "folder": "5",
            "collection": "Ellen Waterston Papers",
        },
    )
    item = csl_item(hit)
    assert item["archive_location"] == "box 2, folder 5"
    assert item["archive_collection"] == "Ellen Waterston Papers"
    assert "box 2, folder 5, Ellen Waterston Papers" in chicago_citation(hit).note


def test_speech(examples: dict[str, Hit]) -> None:
    hit = examples["hong-censorship"]
    title = "“Censorship in Children’s Literature during Argentina’s Dirty War (1976–1983)"
    assert chicago(csl_item(hit), None).note == (
        f"Viviana Hong, {title}” (lecture, University of Chicago, Chicago, IL, April 30, 2015)."
    )
    found = chicago_citation(hit)
    assert found.note.endswith("April 30, 2015), para. 1.")
    assert found.bibliography == (
        f"Hong, Viviana. {title}.” Lecture, University of Chicago, Chicago, IL, April 30, 2015."
    )


def test_csl_json_is_valid_against_the_csl_schema(examples: dict[str, Hit], bundled_index: Path) -> None:
    schema = json.loads((DATA / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    hits = list(examples.values()) + show(bundled_index, "lenin-opposition-resolution").paragraphs
    (text,) = citations(hits, "csl-json")
    items = json.loads(text)
    jsonschema.validate(items, schema)
    assert [item["id"] for item in items] == [hit.id for hit in hits]
    broken = [dict(items[0], type="speeches")]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_bibtex_parses(examples: dict[str, Hit]) -> None:
    hits = [on_page(hit, "177") if name == "thoreau-walking" else hit for name, hit in examples.items()]
    text = "\n".join(citations(hits, "bibtex"))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    thoreau = entries["thoreau-walking:1"]
    assert thoreau.entry_type == "incollection"
    assert thoreau["booktitle"] == "The Making of the American Essay"
    assert thoreau["pages"] == "167--95"
    assert thoreau["author"] == "Thoreau, Henry David"
    assert thoreau["note"].startswith("p. 177;")
    assert entries["mitchell-to-ryan:1"]["howpublished"] == (
        "UCDA LA10/146, Papers of Desmond Ryan, UCD Archives, University College Dublin Library, Ireland"
    )
    assert entries["mcdonalds-toys:1"]["urldate"] == "2008-07-19"


def test_ris_reads_back(examples: dict[str, Hit]) -> None:
    text = "\n".join(citations(list(examples.values()), "ris"))
    records = {r["id"]: r for r in rispy.loads(text)}
    assert len(records) == len(EXAMPLES)
    smith = records["smith-swing-time:1"]
    assert (smith["type_of_reference"], smith["authors"], smith["publisher"]) == (
        "BOOK",
        ["Smith, Zadie"],
        "Penguin Press",
    )
    assert records["thoreau-walking:1"]["start_page"] == "167"
    assert records["manjoo-snap:1"]["type_of_reference"] == "NEWS"
    assert records["mitchell-to-ryan:1"]["type_of_reference"] == "PCOMM"
    assert records["mcdonalds-toys:1"]["access_date"] == "2008-07-19"


def test_bundled_collection(bundled_index: Path) -> None:
    """Real output for the bundled sources: a chapter of Lenin's Collected Works, a web page."""
    lenin = show(bundled_index, "lenin-opposition-resolution:3").paragraphs[0]
    found = chicago_citation(lenin)
    assert found.note == (
        "V. I. Lenin, “Resolution of the C.C. of the R.S.D.L.P.(B.) on the Opposition within the C.C.,” in"
        " Collected Works, trans. Yuri Sdobnikov and George Hanna, vol. 26 (Moscow: Progress Publishers,"
        " 1972), para. 3."
    )
    assert "26:277–79. Moscow: Progress Publishers, 1972." in found.bibliography
    trotsky = show(bundled_index, "alpha-coalition-terms:11").paragraphs[0]
    # Trotsky's speech is quoted on a web page, so the web page is what is cited, without the
    # speech's date as if it were the page's: the page is undated ("n.d.").
    assert plain_citation(trotsky) == (
        "Alpha History editors, “The Bolsheviks set terms for party coalitions (1917),” Alpha History,"
        " n.d., para. 11, http://alphahistory.com/russianrevolution/bolsheviks-align-other-parties-1917/."
    )
    for fmt in FORMATS:
        assert list(citations(show(bundled_index, "knox-diary-verkhovsky").paragraphs, fmt))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("V. I. Lenin", {"family": "Lenin", "given": "V. I."}),
        ("Sir George Buchanan", {"family": "Buchanan", "given": "George"}),
        ("Martin Luther King Jr.", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        ("Smith, Zadie", {"family": "Smith", "given": "Zadie"}),
        ("Izvestiia", {"literal": "Izvestiia"}),
        ("Central Committee of the RSDLP(b)", {"literal": "Central Committee of the RSDLP(b)"}),
        ("Léon (Lev) Bakst (inferred)", {"literal": "Léon (Lev) Bakst (inferred)"}),
    ],
)
def test_names(name: str, expected: dict[str, str]) -> None:
    assert csl_name(name) == expected


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown citation format 'mla'"):
        list(citations([], "mla"))


def test_bad_metadata_does_not_break_a_citation() -> None:
    """An unreadable date is kept as written; lists and maps where text belongs are ignored."""
    hit = _bare_hit(
        type="book", extra={"issued": "sometime in spring", "publisher": ["A", "B"], "volume": {}}
    )
    item = csl_item(hit)
    assert item["issued"] == {"literal": "sometime in spring"}
    assert "publisher" not in item and "volume" not in item
    assert re.search(r"sometime in spring", chicago_citation(hit).note)


def _bare_hit(*, type: str, extra: dict[str, object]) -> Hit:
    return Hit(
        rank=1,
        id="doc:1",
        doc="doc",
        source="doc.md",
        paragraph=1,
        line=5,
        title="A title",
        author="Ann Author",
        speaker="Ann Author",
        date=None,
        type=type,
        score=1.0,
        text="Text.",
        highlights=(),
        passage="Text.",
        passage_highlights=(),
        extra=dict(extra),
    )


TEI_LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Letter to Desmond Ryan</title><author>Mairin Mitchell</author></titleStmt>
      <publicationStmt><publisher>An electronic edition</publisher></publicationStmt>
      <sourceDesc>
        <msDesc>
          <msIdentifier>
            <settlement>Dublin</settlement>
            <repository>UCD Archives</repository>
            <collection>Papers of Desmond Ryan</collection>
            <idno>UCDA LA10/146</idno>
          </msIdentifier>
        </msDesc>
        <bibl><editor role="translator">Ann Other</editor><editor>Ed Itor</editor>
          <publisher>Four Courts Press</publisher><pubPlace>Dublin</pubPlace></bibl>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text><body><div type="letter"><p>Dear Desmond, a few lines.</p></div></body></text>
</TEI>
"""


def test_tei_header_gives_the_citation_keys(tmp_path: Path) -> None:
    from searchkit.formats import load_collection, read_any

    path = tmp_path / "letter.xml"
    path.write_text(TEI_LETTER, encoding="utf-8")
    doc = read_any(path, load_collection(tmp_path))
    assert doc.extra == {
        "publisher": "Four Courts Press",  # the printed source's, not the electronic edition's
        "place": "Dublin",
        "editor": ["Ed Itor"],
        "translator": ["Ann Other"],
        "repository": "UCD Archives",
        "repository_place": "Dublin",
        "collection": "Papers of Desmond Ryan",
        "item": "UCDA LA10/146",
    }


def test_gutenberg_header_gives_the_e_book_address() -> None:
    from searchkit.formats import load_collection, read_any

    path = DATA / "formats" / "gutenberg" / "bullitt-hearing-excerpt.txt"
    doc = read_any(path, load_collection(path.parent))
    assert doc.extra["url"] == "https://www.gutenberg.org/ebooks/10713"
    assert (doc.extra["publisher"], doc.extra["language"]) == ("Project Gutenberg", "English")


def test_reader_metadata_keys_map_onto_csl() -> None:
    """The keys the PDF/EPUB/HTML/DOCX readers put into ``extra``."""
    hit = _bare_hit(
        type="web page",
        extra={
            "url": "https://example.org/a",
            "site": "Example Archive",
            "language": "en",
            "created": "2020-05-01",
            "modified": "2021-01-02",
            "identifier": "urn:isbn:978-0-226-81637-1",
            "subject": ["Russia", "1917"],
            "contributors": ["Ann Author", "Bob Builder"],
            "translator": "Tom Translator",
            "editor": ["Eve Editor"],
        },
    )
    item = csl_item(hit)
    assert item["type"] == "webpage"
    assert item["container-title"] == "Example Archive"
    assert item["issued"] == {"date-parts": [[2020, 5, 1]]}
    assert item["ISBN"] == "9780226816371"
    assert item["keyword"] == "Russia, 1917"
    assert item["translator"] == [{"family": "Translator", "given": "Tom"}]
    assert [n["family"] for n in item["contributor"]] == ["Author", "Builder"]


def _cli(index: Path, *args: str) -> Any:
    from click.testing import CliRunner

    from searchkit.cli import cli

    return CliRunner().invoke(cli, [*args, "--index", str(index)], catch_exceptions=False)


def test_cli_search_and_show_cite(bundled_index: Path) -> None:
    found = _cli(bundled_index, "search", '"Soviet power"', "--cite", "chicago", "-n", "1")
    assert found.exit_code == 0
    assert found.stdout.splitlines()[0] == "[lenin-opposition-resolution:3]"
    assert found.stdout.splitlines()[1].startswith("  note: V. I. Lenin, “Resolution of the C.C.")
    assert found.stdout.splitlines()[1].endswith("1972), para. 3.")
    assert found.stderr == ""  # no "1 of 2 matching paragraphs shown" under citations
    items = json.loads(_cli(bundled_index, "search", "coalition", "--cite", "csl-json").stdout)
    assert len(items) == 5 and all(item["id"].count(":") == 1 for item in items)
    shown = _cli(bundled_index, "show", "knox-diary-verkhovsky:1", "--context", "1", "--cite", "bibtex")
    assert [e.key for e in bibtexparser.parse_string(shown.stdout).entries] == ["knox-diary-verkhovsky:1"]
    whole = _cli(bundled_index, "show", "alpha-coalition-terms", "--cite", "ris")
    assert len(rispy.loads(whole.stdout)) == 12  # every paragraph of the document
    none = _cli(bundled_index, "search", "zzzxq", "--cite", "chicago")
    assert (none.exit_code, none.stdout) == (1, "")


@pytest.mark.parametrize(
    "args",
    [
        ("search", "coalition", "--cite", "chicago", "--json"),
        ("search", "coalition", "--cite", "ris", "--count"),
        ("search", "coalition", "--cite", "ris", "--facets"),
        ("show", "knox-diary-verkhovsky:1", "--cite", "ris", "--json"),
        ("search", "coalition", "--cite", "mla"),
    ],
)
def test_cli_cite_conflicts_are_usage_errors(bundled_index: Path, args: tuple[str, ...]) -> None:
    result = _cli(bundled_index, *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_shelfmark_and_keywords() -> None:
    """Keys the PDF reader and its sidecars use: a shelfmark places the item, keywords join subject."""
    hit = _bare_hit(
        type="history", extra={"shelfmark": "MS 12", "keywords": "council, archives", "subject": "Towns"}
    )
    item = csl_item(hit)
    assert (item["type"], item["archive_location"], item["keyword"]) == (
        "manuscript",
        "MS 12",
        "Towns, council, archives",
    )
    assert (
        chicago_citation(dataclasses.replace(hit, page="214")).note
        == "Ann Author, “A title” (n.d.), 214, MS 12."
    )


def test_pandoc_imports_the_csl_json(examples: dict[str, Hit], tmp_path: Path) -> None:
    """Pandoc (a real importer; .ci/run installs it) reads the CSL-JSON without a warning and,
    with the vendored style, writes the same Chicago notes as searchkit does."""
    import shutil
    import subprocess

    pandoc = shutil.which("pandoc")
    assert pandoc, "the CSL-JSON import test needs pandoc: apt-get install pandoc"
    (text,) = citations(list(examples.values()), "csl-json")
    (tmp_path / "hits.json").write_text(text, encoding="utf-8")
    (tmp_path / "paper.md").write_text("Read.[@smith-swing-time:1, p. 315] Then.[@hong-censorship:1]\n")
    style = (
        Path(__file__).resolve().parent.parent
        / "searchkit"
        / "cite"
        / "data"
        / "chicago-fullnote-bibliography.csl"
    )
    done = subprocess.run(
        [pandoc, "paper.md", "--citeproc", "--bibliography", "hits.json", "--csl", str(style)]
        + ["-t", "plain", "--wrap", "none"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr == ""
    notes = [line.split("] ", 1)[1] for line in done.stdout.splitlines() if line.startswith("[")]
    assert notes[0] == chicago_citation(on_page(examples["smith-swing-time"], "315")).note
    # Pandoc title-cases titles ("Children’s Literature During"), which searchkit leaves as written.
    assert notes[1].startswith("Viviana Hong, “Censorship in Children’s Literature")
    assert notes[1].endswith("” (lecture, University of Chicago, Chicago, IL, April 30, 2015).")
