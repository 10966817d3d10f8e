from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchkit import SourceError, read_sources
from searchkit.sources import parse_document, read_document


def test_front_matter_and_paragraphs(corpus: Path) -> None:
    doc = read_document(corpus / "letter.txt", corpus)
    assert doc.id == "letter"
    assert doc.title == "“A letter” with curly quotes"
    assert doc.author == "Léon Bakst"
    assert doc.date is not None and doc.date.start == dt.date(1917, 1, 1)
    assert [p.text for p in doc.paragraphs] == [
        "Dear friend, the Workers’ theatre is closed. It will open again in the spring.",
        "The scenery for Scarlatti is ready.",
    ]
    assert [p.line for p in doc.paragraphs] == [7, 12]
    assert doc.paragraphs[0].speaker == "Léon Bakst"


def test_speaker_block_changes_speaker_and_date(corpus: Path) -> None:
    doc = read_document(corpus / "hearing.md", corpus)
    speakers = [p.speaker for p in doc.paragraphs]
    assert speakers == ["Committee clerk", "William C. Bullitt", "William C. Bullitt", "Committee clerk"]
    assert doc.paragraphs[1].date is not None and doc.paragraphs[1].date.text == "1919-09-12"
    assert doc.paragraphs[3].date is not None and doc.paragraphs[3].date.text == "1919-09"
    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4]
    assert doc.extra == {"archive": "Test fixture, written for searchkit's tests"}


def test_no_front_matter(corpus: Path) -> None:
    doc = read_document(corpus / "plain.md", corpus)
    assert (doc.id, doc.title, doc.author, doc.type, doc.date) == (
        "plain",
        "plain",
        "unknown",
        "unknown",
        None,
    )


def test_bundled_collection_reads_cleanly() -> None:
    root = Path(__file__).resolve().parent.parent / "sources"
    docs = list(read_sources(root))
    assert len(docs) == 9
    resolution = next(d for d in docs if d.id == "lenin-opposition-resolution")
    assert len(resolution.paragraphs) == 9
    assert resolution.paragraphs[5].text.startswith("6) The Central Committee affirms")
    for doc in docs:
        for para in doc.paragraphs:
            assert "See more" not in para.text
    alpha = next(d for d in docs if d.id == "alpha-coalition-terms")
    assert alpha.paragraphs[0].text == "THE BOLSHEVIKS SET TERMS FOR PARTY COALITIONS (1917)"
    assert {p.speaker for p in alpha.paragraphs} == {"Alpha History editors", "Izvestiia", "L. D. Trotsky"}
    assert sum(p.speaker == "L. D. Trotsky" for p in alpha.paragraphs) == 3
    assert all("changes" in d.extra for d in docs)
    unknown = {d.id for d in docs if d.author == "unknown"}
    assert unknown == {"state-bank-commissar", "kiev-confusion"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [unclosed\n---\nx\n", r"^doc\.md:2: malformed front matter"),
        ("---\ntitle: a\n\nbody\n", r"^doc\.md:1: front matter opened with '---' is never closed"),
        ("---\n- a\n- b\n---\nx\n", r"^doc\.md:2: front matter must be 'key: value' lines"),
        ("---\ntitle: a\ndate: 1917-02-30\n---\nx\n", r"^doc\.md:3: Invalid date '1917-02-30'"),
        ("---\ndate: yesterday\n---\nx\n", r"^doc\.md:2: Invalid date 'yesterday'"),
        ("---\nauthor: [a, b]\n---\nx\n", r"^doc\.md:2: 'author' must be a single value"),
        ('x\n\n::: {speaker="A"}\ny\n', r"^doc\.md:3: '::: \{…\}' block is never closed"),
        ("x\n:::\n", r"^doc\.md:2: ':::' closes no open"),
        ('::: {voice="A"}\ny\n:::\n', r"^doc\.md:1: unknown block attribute 'voice'"),
        ("---\n!!python/object/apply:os.system ['true']\n---\nx\n", r"^doc\.md:2: malformed front matter"),
    ],
)
def test_malformed_documents_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_document(text, "doc.md")


def test_non_utf8_file_is_reported_and_others_still_read(corpus: Path) -> None:
    (corpus / "latin1.txt").write_bytes("---\ntitle: caf\xe9\n---\nDéjà vu\n".encode("latin-1"))
    errors: list[SourceError] = []
    docs = list(read_sources(corpus, on_error=errors.append))
    assert sorted(d.id for d in docs) == ["hearing", "letter", "plain"]
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"Cannot read '{corpus / 'latin1.txt'}': not UTF-8 (byte 0xe9")
    assert "convert the file to UTF-8" in str(errors[0])


def test_missing_sources_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"No sources folder '.*nowhere'"):
        list(read_sources(tmp_path / "nowhere"))


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nOne\r\n\r\nTwo\r\n")
    doc = read_document(tmp_path / "a.md", tmp_path)
    assert doc.title == "T"
    assert [p.text for p in doc.paragraphs] == ["One", "Two"]


def test_calendar_in_front_matter_and_blocks() -> None:
    from searchkit.sources import parse_document

    doc = parse_document(
        "---\ndate: 1917-10-25\ncalendar: julian\n---\nFirst.\n\n"
        '::: {date="1917-10-26"}\nOld Style too.\n:::\n\n'
        '::: {date="1917-11-08" calendar="gregorian"}\nNew Style.\n:::\n\n'
        '::: {date="26 October (8 November) 1917" calendar="gregorian"}\nBoth.\n:::\n',
        "doc.md",
    )
    dates = [(p.date.start.isoformat(), p.date.calendar) for p in doc.paragraphs if p.date]
    assert dates == [
        ("1917-11-07", "julian"),
        ("1917-11-08", "julian"),
        ("1917-11-08", "gregorian"),
        ("1917-11-08", "julian"),
    ]
    assert "calendar" not in doc.extra


def test_bad_calendar_is_reported_with_its_line() -> None:
    import pytest

    from searchkit.errors import SourceError
    from searchkit.sources import parse_document

    with pytest.raises(SourceError, match=r"doc.md:3: Unknown calendar 'mayan'"):
        parse_document("---\ndate: 1917\ncalendar: mayan\n---\nText.\n", "doc.md")
