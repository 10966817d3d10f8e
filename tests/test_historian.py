"""The issue's "done when" checks on the bundled 1917 collection: variants, calendars, people."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import build_index
from searchkit.cli import cli
from searchkit.errors import SourceError
from searchkit.indexer import scan_changes
from searchkit.people import load_people, parse_people
from searchkit.query import Filters, search
from searchkit.sources import find_source_files

BUNDLED = Path(__file__).resolve().parent.parent / "sources"


def marked(index: Path, query: str, **filters: str) -> dict[str, set[str]]:
    """Citation id -> the words highlighted in it."""
    hits = search(index, query, filters=Filters.build(**filters), limit=50).hits
    return {h.id: {h.text[s:e] for s, e in h.highlights} for h in hits}


def test_kerensky_finds_kerenski_and_kerenskii(bundled_index: Path) -> None:
    found = marked(bundled_index, "Kerensky")
    assert found["knox-diary-verkhovsky:1"] == {"Kerenski"}
    assert found["alpha-coalition-terms:5"] == {"Kerenskii"}
    assert found["buchanan-diary-verkhovsky:1"] == {"Kerensky"}
    assert marked(bundled_index, "Kerenskii") == found


def test_cyrillic_query_finds_latin_text(bundled_index: Path) -> None:
    assert marked(bundled_index, "Керенский") == marked(bundled_index, "Kerensky")


def test_skeptics_finds_scepticism(bundled_index: Path) -> None:
    found = marked(bundled_index, "skeptics")
    assert found["lenin-opposition-resolution:2"] == {"scepticism"}
    assert found["lenin-opposition-resolution:9"] == {"skeptics"}


def test_joined_and_hyphenated_forms(bundled_index: Path) -> None:
    assert marked(bundled_index, "today") == {"buchanan-diary-verkhovsky:1": {"to-day"}}
    assert marked(bundled_index, "wholeheartedly")["lenin-opposition-resolution:9"] == {"whole-heartedly"}
    assert marked(bundled_index, '"came to see me today"') == {
        "buchanan-diary-verkhovsky:1": {"came to see me to-day"}
    }


def test_other_variants_in_the_collection(bundled_index: Path) -> None:
    assert marked(bundled_index, "Petrovich") == {"state-bank-commissar:1": {"Petrovitch"}}
    assert marked(bundled_index, "Korniloff") == {"alpha-coalition-terms:5": {"Kornilov"}}
    assert marked(bundled_index, "organizations")["lenin-opposition-resolution:4"] == {"organisations"}
    assert marked(bundled_index, "Izvestia")["alpha-coalition-terms:2"] == {"Izvestiia"}
    assert marked(bundled_index, "programme")["alpha-coalition-terms:4"] == {"program"}


def test_exact_field_keeps_only_that_spelling(bundled_index: Path) -> None:
    assert set(marked(bundled_index, "exact:Kerenski")) == {"knox-diary-verkhovsky:1"}
    assert set(marked(bundled_index, "exact:scepticism")) == {"lenin-opposition-resolution:2"}


def test_speaker_and_author_by_any_name(bundled_index: Path) -> None:
    trotsky = set(marked(bundled_index, "coalition", speaker="Trotzky"))
    assert trotsky == {"alpha-coalition-terms:11"}
    assert set(marked(bundled_index, "coalition", speaker="Бронштейн")) == trotsky
    lenin = set(marked(bundled_index, "coalition", author="Vladimir Ilyich Ulyanov"))
    assert (
        lenin
        == set(marked(bundled_index, "coalition", author="Ленин"))
        == set(marked(bundled_index, "coalition", author="lenin"))
    )
    assert lenin and all(c.startswith("lenin-") for c in lenin)


def test_hits_show_canonical_names_and_both_dates(bundled_index: Path) -> None:
    hits = search(bundled_index, "Kerensky fled").hits
    assert [(h.author, h.date, h.date_shown, h.calendar) for h in hits] == [
        ("P. N. Wrangel", "1917-11-01", "1 Nov / 14 Nov 1917", "julian")
    ]
    hit = search(bundled_index, "coalition", filters=Filters(speaker="trotsky")).hits[0]
    assert (hit.speaker, hit.date_shown) == ("L. D. Trotsky", "26 Oct / 8 Nov 1917")
    izv = search(bundled_index, "Kaledin").hits[0]
    assert (izv.date, izv.date_shown) == ("November 1917", "November 1917")


@pytest.mark.parametrize(
    ("date_from", "date_to", "calendar"),
    [
        ("1917-11-01", "1917-11-01", "julian"),
        ("1917-11-14", "1917-11-14", "gregorian"),
        ("1917-11-01os", "1917-11-01 OS", "gregorian"),
        ("1917-11-14ns", "1917-11-14 NS", "julian"),
    ],
)
def test_date_filters_in_both_calendars(
    bundled_index: Path, date_from: str, date_to: str, calendar: str
) -> None:
    found = set(marked(bundled_index, "Kerensky", date_from=date_from, date_to=date_to, calendar=calendar))
    # the Izvestiia report is dated "November 1917", which overlaps the day
    assert found == {
        "wrangel-kerensky-fled:1",
        "buchanan-diary-verkhovsky:1",
        "knox-diary-verkhovsky:1",
        "alpha-coalition-terms:5",
    }


def test_an_old_style_day_is_not_the_same_new_style_day(bundled_index: Path) -> None:
    # 14 November OS is 27 November NS: nothing dated to that day, only "November 1917"
    found = set(
        marked(bundled_index, "Kerensky", date_from="1917-11-14", date_to="1917-11-14", calendar="julian")
    )
    assert found == {"alpha-coalition-terms:5"}
    # the Trotsky speech: 26 October OS = 8 November NS
    assert "alpha-coalition-terms:11" in marked(
        bundled_index, "coalition", date_from="1917-10-26os", date_to="1917-10-26os"
    )


def test_cli_calendar_option_and_both_dates(bundled_index: Path) -> None:
    args = ["search", "Kerensky fled", "--index", str(bundled_index), "--color", "never"]
    runner = CliRunner()
    result = runner.invoke(cli, [*args, "--from", "1917-11-01", "--to", "1917-11-01", "--calendar", "julian"])
    assert result.exit_code == 0, result.output
    assert "P. N. Wrangel · 1 Nov / 14 Nov 1917 · memoir" in result.stdout
    result = runner.invoke(cli, [*args, "--from", "1917-11-01", "--to", "1917-11-01"])
    assert result.exit_code == 1
    result = runner.invoke(cli, [*args, "--from", "1917-02-29", "--calendar", "julian"])
    assert result.exit_code == 2
    assert "Invalid value for '--from'" in result.stderr and "'1917-02-29'" in result.stderr


def test_people_file_is_not_a_document() -> None:
    assert (BUNDLED / "people.yaml").is_file()
    assert all(p.name != "people.yaml" for p in find_source_files(BUNDLED))


def test_every_author_and_speaker_of_the_bundled_collection_is_in_the_people_file() -> None:
    from searchkit.sources import read_sources

    people = load_people([BUNDLED])
    names = {d.author for d in read_sources(BUNDLED)} | {
        p.speaker for d in read_sources(BUNDLED) for p in d.paragraphs
    }
    missing = {n for n in names - {"unknown"} if people.find(n) is None}
    assert not missing
    assert all(p.description for p in people.persons)


def test_changing_the_people_file_reindexes(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(BUNDLED, sources)
    index = tmp_path / "index"
    build_index([sources], index)
    people = sources / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("name: V. I. Lenin", "name: Vladimir Lenin"),
        encoding="utf-8",
    )
    assert scan_changes(index) == [str(people)]
    stats = build_index([sources], index)
    assert stats.added == 9
    assert scan_changes(index) == []
    assert {h.author for h in search(index, "coalition", filters=Filters(author="Ulyanov")).hits} == {
        "Vladimir Lenin"
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: A\n  alias: [B]\n", "entry 1 ('A') has unknown key 'alias'"),
        ("- aliases: [B]\n", "entry 1 has no 'name'"),
        ("name: A\n", "a people file is a list of entries"),
        ("- name: A\n  aliases: [B\n", "people.yaml:3: malformed people file"),
    ],
)
def test_bad_people_files(text: str, message: str) -> None:
    with pytest.raises(
        SourceError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
    ):
        parse_people(text, "people.yaml")


def test_a_broken_people_file_stops_the_index_run_with_its_name(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(BUNDLED, sources)
    (sources / "people.yaml").write_text("- name: A\n  alias: [B]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["index", str(sources), "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {sources / 'people.yaml'}: entry 1 ('A') has unknown key 'alias'"
    )


def test_a_cyrillic_source_is_found_by_a_latin_query(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    # Wrangel's Russian sentence, quoted in sources/wrangel-kerensky-fled.md
    (sources / "wrangel-ru.md").write_text(
        "---\ndate: 1917-11-01\ncalendar: julian\n---\n"
        "1 ноября Керенский бежал, предав своих товарищей по кабинету, армию и Россию\n",
        encoding="utf-8",
    )
    build_index([sources], tmp_path / "index")
    hits = search(tmp_path / "index", "Kerenskii").hits
    assert [{h.text[s:e] for s, e in h.highlights} for h in hits] == [{"Керенский"}]
    assert hits[0].date_shown == "1 Nov / 14 Nov 1917"
