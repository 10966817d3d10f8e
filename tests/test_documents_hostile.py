"""Bad and hostile files in the structured formats: each is a one-line error naming the file, and
the other files of the folder are indexed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import cli
from searchkit.errors import SourceError
from searchkit.formats import load_collection, read_any
from tests.conftest import DATA
from tools import make_test_documents

FORMATS = DATA / "formats"


def fails(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_any(path, load_collection(path.parent))
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return info.value


@pytest.mark.parametrize(
    ("name", "member"), [("bomb.docx", "word/document.xml"), ("bomb.epub", "OEBPS/c.html")]
)
def test_zip_bombs_are_refused_before_unpacking(tmp_path: Path, name: str, member: str) -> None:
    error = fails(make_test_documents.zip_bomb(tmp_path / name, member))
    assert error.reason == "zip bomb"
    assert f"its part '{member}' would unpack to 4,194,329 bytes from" in str(error)


@pytest.mark.parametrize("name", ["docx/footnotes.docx", "odt/note.odt", "epub/childrens-literature.epub"])
def test_truncated_packages(tmp_path: Path, name: str) -> None:
    data = (FORMATS / name).read_bytes()
    cut = tmp_path / Path(name).name
    cut.write_bytes(data[: len(data) // 2])
    error = fails(cut)
    assert error.reason == "damaged" and "damaged or truncated" in str(error)


@pytest.mark.parametrize("name", ["noise.docx", "noise.odt", "noise.epub", "noise.rtf", "noise.html"])
def test_random_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(os.urandom(4096).replace(b"<", b"_"))
    fails(path)


def test_drm_epub_is_refused_by_name(tmp_path: Path) -> None:
    path = make_test_documents.epub2(tmp_path / "locked.epub", "http://www.w3.org/2001/04/xmlenc#aes128-cbc")
    error = fails(path)
    assert str(error) == (
        f"Not reading '{path}': it is DRM-protected (META-INF/encryption.xml encrypts its text);"
        " index a DRM-free copy"
    )
    assert error.reason == "DRM"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    error = fails(make_test_documents.billion_laughs(tmp_path / "laughs.xml"))
    assert error.reason == "hostile XML" and "billion laughs" in str(error)


def test_external_entities_are_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    path = make_test_documents.external_entity(tmp_path / "page.xml", secret)
    doc = read_any(path, load_collection(tmp_path))
    assert [p.text for p in doc.paragraphs] == ["The secret is &secret; here."]


def test_a_word_file_without_text_is_named(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="urn:x"><w:body/></w:document>')
    error = fails(path)
    assert str(error) == f"Nothing to index in '{path}': no text found in it" and error.reason == "no text"


def test_one_folder_one_file_of_each_format_and_the_bad_ones_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "research"
    make_test_documents.main(folder)
    for name in ("docx/tables.docx", "odt/note.odt", "rtf/hello.rtf", "page/PAGE_0020_PAGE.xml"):
        (folder / Path(name).name).write_bytes((FORMATS / name).read_bytes())
    make_test_documents.zip_bomb(folder / "bomb.docx")
    make_test_documents.billion_laughs(folder / "laughs.xml")
    (folder / "cut.epub").write_bytes((folder / "memoirs.epub").read_bytes()[:300])
    result = CliRunner().invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    for line in (
        "  alto            1 file          1 paragraph",
        "  docx            2 files        15 paragraphs",
        "  epub            2 files        10 paragraphs",
        "  hocr            1 file          2 paragraphs",
        "  html            1 file          3 paragraphs",
        "  odt             2 files        10 paragraphs",
        "  page            1 file          2 paragraphs",
        "  rtf             1 file          1 paragraph",
        "Skipped 4 files (1 DRM, 1 damaged, 1 hostile XML, 1 zip bomb); the others are indexed.",
    ):
        assert line in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 4
    for name in ("bomb.docx", "laughs.xml", "cut.epub", "locked.epub"):
        assert sum(str(folder / name) in e for e in errors) == 1
    hits = CliRunner().invoke(cli, ["search", "emigrants", "--json", "--index", str(tmp_path / "ix")])
    assert '"source": "research/gazette.xml", "paragraph": 1, "page": "214"' in hits.stdout
    hits = CliRunner().invoke(cli, ["search", "Relief committees", "--index", str(tmp_path / "ix")])
    assert "research/report.odt p. 2 ¶5 · score" in hits.stdout  # no "(line 0)": an ODT has no lines
