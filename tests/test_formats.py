"""Each format on small real fixtures (tests/data/formats, see its PROVENANCE.md), through the
library: Gutenberg books, speaker turns, TEI, plain text with a catalogue or telling file names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.errors import SourceError
from searchkit.formats import detect_format, find_files, load_collection, read_any, read_collection
from searchkit.formats.common import blocks
from searchkit.formats.transcript import SpeakerLabels
from searchkit.sources import Document, read_source_text
from tests.conftest import DATA

FORMATS = DATA / "formats"
BULLITT = "gutenberg/bullitt-hearing-excerpt.txt"


def read(rel: str, fmt: str | None = None, config: Path | None = None) -> Document:
    path = FORMATS / rel
    return read_any(path, load_collection(path.parent, config, fmt))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "formats"
    shutil.copytree(FORMATS, dest)
    return dest


# Project Gutenberg


def test_gutenberg_drops_the_licence_and_takes_metadata_from_the_header() -> None:
    doc = read(BULLITT)
    assert (doc.title, doc.author, doc.type) == (
        "The Bullitt Mission to Russia",
        "William C. Bullitt",
        "transcript",
    )
    assert doc.date is not None and doc.date.text == "1919"  # "MCMXIX" on the title page
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Project Gutenberg" not in text and "gutenberg.net" not in text
    assert doc.paragraphs[0].text.startswith("Testimony before the Committee on Foreign Relations")


def test_gutenberg_joins_hard_wrapped_lines_and_keeps_chapters_as_sections() -> None:
    doc = read("gutenberg/dorr-excerpt.txt")
    assert (doc.title, doc.author, doc.type) == ("Inside the Russian Revolution", "Rheta Childe Dorr", "book")
    assert doc.date is not None and doc.date.text == "1917"
    last = doc.paragraphs[-1]
    assert last.section == "CHAPTER I. TOPSY-TURVY LAND"
    assert last.text.startswith(
        "Early in May, 1917, I went to Russia, eager to see again, in the hour of her"
    )
    assert "\n" not in last.text and last.line == 168
    assert not any(p.text.startswith("[Illustration") for p in doc.paragraphs)


def test_gutenberg_without_markers_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match=r"no-markers\.txt:1: no '\*\*\* START OF THE PROJECT GUTENBERG"):
        read("gutenberg/no-markers.txt", "gutenberg")
    assert read("gutenberg/no-markers.txt").paragraphs  # detected as plain text, not as Gutenberg


# Speaker turns


def test_every_turn_of_the_hearing_has_its_speaker() -> None:
    doc = read(BULLITT)
    by_line = {p.line: p for p in doc.paragraphs}
    assert by_line[129].speaker == "The Chairman"
    assert by_line[129].text.startswith("Mr. Bullitt is to make a statement")
    assert by_line[144].speaker == "Mr. Bullitt" and by_line[144].text == "I am, sir."
    assert by_line[181].speaker == "Senator Knox"
    # Before the first turn, and in parentheses, the record speaks; its date heads the hearing.
    assert by_line[122].speaker == "the record"
    assert by_line[184].speaker == "the record" and by_line[184].text.startswith("(Thereupon")
    assert by_line[129].date is not None and by_line[129].date.text == "1919-09-12"
    # A document read into the record (indented) is the reader's, with type document.
    assert (by_line[179].speaker, by_line[179].type) == ("Mr. Bullitt", "document")
    turns = [p for p in doc.paragraphs if p.line >= 129]
    assert {p.speaker for p in turns} == {"The Chairman", "Mr. Bullitt", "Senator Knox", "the record"}


def test_labels_map_to_people_through_the_settings(tmp_path: Path) -> None:
    config = tmp_path / "hearing.yaml"
    config.write_text("people:\n  The CHAIRMAN: Henry Cabot Lodge\n  BULLITT: William C. Bullitt\n")
    doc = read(BULLITT, config=config)
    speakers = {p.speaker for p in doc.paragraphs}
    assert {"Henry Cabot Lodge", "William C. Bullitt", "Senator Knox"} <= speakers
    assert "The Chairman" not in speakers


def test_speaker_labels() -> None:
    labels = SpeakerLabels()
    assert labels.match("Mr. BULLITT, William C. Bullitt.") == ("Mr. Bullitt", "")
    assert labels.match("Senator KNOX, I think that was published in nearly all the papers.") is None
    assert labels.match("Mr. LLOYD GEORGE. We have had no approaches.") == (
        "Mr. Lloyd George",
        "We have had no approaches.",
    )
    assert labels.match("THE JULY DAYS") is None
    custom = SpeakerLabels(r"^(?P<label>[A-Z]+):", {"LENIN": "V. I. Lenin"})
    assert custom.match("LENIN: Comrades!") == ("V. I. Lenin", "Comrades!")
    with pytest.raises(SourceError, match=r"has no \(\?P<label>…\) group"):
        SpeakerLabels(r"^[A-Z]+:")
    with pytest.raises(SourceError, match="Invalid speaker pattern '\\(unclosed'"):
        SpeakerLabels("(unclosed")


# TEI


def test_tei_metadata_speakers_dates_notes_and_apparatus() -> None:
    doc = read("tei/alpha-coalition-terms.xml")
    assert doc.title == "The Bolsheviks set terms for party coalitions (1917)"
    assert (doc.author, doc.type) == ("Alpha History editors", "commentary")
    assert doc.date is not None and doc.date.text == "1917-11"
    paras = doc.paragraphs
    assert {p.section for p in paras} == {
        "THE BOLSHEVIKS SET TERMS FOR PARTY COALITIONS (1917)"
    }  # <lem>, not <rdg>
    assert (paras[0].speaker, paras[0].line) == ("Alpha History editors", 31)
    assert paras[1].speaker == "Izvestiia" and paras[1].text.startswith("“[Bolshevik] agreement")
    note = next(p for p in paras if p.type == "note")
    assert note.text.startswith("Probably his reply") and "Probably" not in paras[note.number - 2].text
    trotsky = paras[-1]
    assert trotsky.speaker == "L. D. Trotsky"  # who="#trotsky" through the header's listPerson
    assert trotsky.date is not None and trotsky.date.text == "1917-11-08"
    assert "Trotsky." not in trotsky.text  # the <speaker> label is not part of the speech


def test_tei_letter_takes_its_date_from_the_dateline() -> None:
    doc = read("tei/diaghilev-letter.xml")
    assert doc.date is not None and doc.date.text == "1917-11-14"
    (para,) = doc.paragraphs
    assert para.type == "letter"
    assert "set design for Scarlatti. Prepare the sketch. I will be in Paris" in para.text
    assert "Scarlati" not in para.text and "Madrid, 14 November" not in para.text


def test_broken_xml_names_file_and_line() -> None:
    with pytest.raises(
        SourceError, match=r"broken\.xml:5: broken XML: mismatched tag at column \d+; fix the markup"
    ):
        read("tei/broken.xml")


# Plain text, catalogues and file names


def test_catalogue_gives_metadata_and_keeps_other_columns() -> None:
    doc = read("catalogued/knox.txt")
    assert (doc.title, doc.author, doc.type) == (
        "Knox, diary entry on Verkhovsky",
        "Sir Alfred Knox",
        "diary",
    )
    assert doc.date is not None and doc.date.text == "1917-11-14"
    assert doc.extra == {"place": "Petrograd"}
    assert read("catalogued/kiev.txt").author == "unknown"  # an empty cell


def test_catalogue_problems_are_reported_by_name_and_line() -> None:
    folder = FORMATS / "messy_catalogue"
    collection = load_collection(folder)
    assert collection.catalogue is not None
    problems = collection.catalogue.problems
    assert any(
        p.endswith("catalogue.csv:3: Invalid date '1917-11-31': day is out of range for month")
        for p in problems
    )
    assert any(
        p.endswith("catalogue.csv:4: 'wrangel.txt' is catalogued but there is no such file") for p in problems
    )
    with pytest.raises(
        SourceError, match=r"state-bank\.txt: not in the catalogue .*; add a row for 'state-bank\.txt'"
    ):
        read_any(folder / "state-bank.txt", collection)


def test_catalogue_without_a_required_column_is_an_error() -> None:
    with pytest.raises(
        SourceError, match=r"catalogue\.csv:1: catalogue has no 'date' column; it needs path, title"
    ):
        load_collection(FORMATS / "bad_catalogue")


def test_file_names_settings_and_people_give_every_paragraph_author_date_and_type() -> None:
    folder = FORMATS / "speeches"
    collection = load_collection(folder)
    assert collection.name == "Speeches"
    docs = {p.name: read_any(p, collection) for p in find_files(folder)}
    assert sorted(docs) == ["1789-Washington.txt", "1797-Adams.txt", "1945-Truman.txt"]
    washington, adams, truman = docs["1789-Washington.txt"], docs["1797-Adams.txt"], docs["1945-Truman.txt"]
    assert (washington.author, washington.type) == ("George Washington", "inaugural address")
    assert adams.author == "John Adams"  # a per-file setting beats the file name
    assert (truman.author, truman.type) == ("Harry S. Truman", "state of the union")
    assert truman.title.startswith("President Harry S. Truman's Address Before")
    # state_union files have one paragraph per line, without blank lines between them
    assert [p.line for p in truman.paragraphs] == [3, 5, 6, 7, 8, 9, 10, 11, 12]
    for doc in docs.values():
        for p in doc.paragraphs:
            assert p.speaker == doc.author and p.type == doc.type and p.date == doc.date
            assert p.date is not None and p.date.text == doc.source.split("/")[-1][:4]
    assert washington.date is not None and washington.date.text == "1789"


# Collections and detection


def test_detect_format() -> None:
    assert detect_format(FORMATS / BULLITT, read_source_text(FORMATS / BULLITT, FORMATS)) == "gutenberg"
    assert detect_format(Path("a.xml"), "<?xml version='1.0'?><TEI/>") == "tei"
    assert detect_format(Path("a.txt"), "---\ntitle: x\n---\nText") == "markdown"
    assert detect_format(Path("a.txt"), "Just text.") == "text"
    assert detect_format(Path("a.md"), "Just text.") == "markdown"


def test_collection_files_skip_readmes_and_provenance(copy: Path) -> None:
    (copy / "speeches" / "README").write_text("about")
    (copy / "speeches" / "PROVENANCE.md").write_text("about")
    names = [p.name for p in find_files(copy / "speeches")]
    assert names == ["1789-Washington.txt", "1797-Adams.txt", "1945-Truman.txt"]


def test_bad_settings_are_clear_errors(tmp_path: Path) -> None:
    config = tmp_path / "searchkit.yaml"
    config.write_text("name: x\nspeakers: auto\n")
    with pytest.raises(SourceError, match=r"searchkit\.yaml: unknown setting 'speakers'; use title, author"):
        load_collection(tmp_path)
    config.write_text("format: wordperfect\n")
    with pytest.raises(
        SourceError, match="unknown format 'wordperfect'; use one of auto, markdown, text, gutenberg, tei"
    ):
        load_collection(tmp_path)
    config.write_text("name: [unclosed\n")
    with pytest.raises(SourceError, match=r"searchkit\.yaml:2: malformed collection settings"):
        load_collection(tmp_path)
    config.write_text("files:\n  '*.txt': {date: 1917-02-30}\n")
    (tmp_path / "a.txt").write_text("Text.\n")
    with pytest.raises(SourceError, match=r"a\.txt: Invalid date '1917-02-30'"):
        read_any(tmp_path / "a.txt", load_collection(tmp_path))


def test_the_readme_settings_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    example = next(b for b in blocks if "speaker_pattern" in b)
    (tmp_path / "searchkit.yaml").write_text(example, encoding="utf-8")
    (tmp_path / "catalogue.csv").write_text("path,title,author,date,type\n", encoding="utf-8")
    collection = load_collection(tmp_path)
    assert collection.name == "speeches" and collection.config["people"]["Truman"] == "Harry S. Truman"
    labels = SpeakerLabels(collection.config["speaker_pattern"], collection.config["people"])
    assert labels.match("The CHAIRMAN. Order.") == ("Henry Cabot Lodge", "Order.")


def test_example_settings_for_the_shared_corpora_are_valid() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    for name in ("russia1917.yaml", "nltk_speeches.yaml"):
        collection = load_collection(FORMATS / "speeches", examples / name)
        assert collection.name == name.removesuffix(".yaml")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=30))
def test_blocks_keep_every_word(lines: list[str]) -> None:
    text = "\n".join(lines).replace("\r", "\n")
    split = text.split("\n")
    for by_line in (False, True):
        words = [w for b in blocks(split, by_line=by_line) for w in b.text.split()]
        assert words == text.split()


def test_read_collection_reports_bad_files_and_reads_the_rest() -> None:
    errors: list[SourceError] = []
    docs = list(read_collection(FORMATS / "tei", on_error=errors.append))
    assert [d.source for d in docs] == ["alpha-coalition-terms.xml", "diaghilev-letter.xml"]
    assert [str(e).split(": ")[0][-12:] for e in errors] == ["broken.xml:5"]
    with pytest.raises(SourceError, match="broken XML"):
        list(read_collection(FORMATS / "tei"))
