"""Two dates per paragraph (written, and the period it describes) and offices held on a date."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXCERPTS

from searchkit import Filters, build_index, search
from searchkit.cli import cli
from searchkit.errors import QueryError

WORDS = "army OR peace OR penalty OR war OR soldiers"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def ids(index: Path, text: str = WORDS, **filters: str) -> list[str]:
    found = search(index, text, filters=Filters.build(**filters), limit=50)
    return sorted(hit.id for hit in found.hits)


def test_about_is_kept_shown_and_given_in_json(excerpts_index: Path) -> None:
    code, out, _ = run("search", "peace", "--index", str(excerpts_index), "--json")
    assert code == 0
    by_id = {r["id"]: r for r in map(json.loads, out.splitlines())}
    reed = by_id["reed-verkhovsky:3"]
    assert (reed["date"], reed["date_start"], reed["date_end"]) == ("1917-11-02", "1917-11-02", "1917-11-02")
    assert (reed["about"], reed["about_shown"]) == ("1917-10/1917-11", "October to November 1917")
    assert (reed["about_start"], reed["about_end"]) == ("1917-10-01", "1917-11-30")
    code, out, _ = run("search", "bills", "--index", str(excerpts_index), "--json")
    trotsky = json.loads(out.splitlines()[0])
    # a block's own about wins over the document's
    assert (trotsky["about"], trotsky["about_shown"]) == ("1914/1918-02", "1914 to February 1918")
    code, out, _ = run("search", "bills", "--index", str(excerpts_index))
    assert "L. D. Trotsky · 1918-02-14 · speech · period: 1914 to February 1918" in out


def test_written_date_and_period_filter_separately(excerpts_index: Path) -> None:
    # Reed wrote in 1918-1919 about October-November 1917
    assert ids(excerpts_index, about="1917-10..1917-11") == [
        "reed-verkhovsky:1",
        "reed-verkhovsky:2",
        "reed-verkhovsky:3",
        "trotsky-address-14-february:2",  # about 1914 to February 1918
    ]
    assert "reed-verkhovsky:1" in ids(excerpts_index, date_from="1919", date_to="1919")
    assert ids(excerpts_index, about="1917-10..1917-11", date_from="1917-12") == [
        "reed-verkhovsky:1",
        "reed-verkhovsky:2",
        "trotsky-address-14-february:2",
    ]
    # Dorr's account is about May to August 1917; an open period and an EDTF one
    assert ids(excerpts_index, about="..1917-06") == [
        "dorr-moscow-conference:1",
        "dorr-moscow-conference:2",
        "trotsky-address-14-february:2",
    ]
    assert ids(excerpts_index, about="1918-02") == [
        "trotsky-address-14-february:1",
        "trotsky-address-14-february:2",
    ]
    assert ids(excerpts_index, about="1917-1X", author="Dorr") == []


def test_about_on_the_command_line(excerpts_index: Path) -> None:
    code, out, _ = run(
        "search", "army", "--index", str(excerpts_index), "--about", "1917-05..1917-06", "--count"
    )
    assert (code, out) == (0, "1\n")
    code, out, _ = run(
        "search",
        "army",
        "--index",
        str(excerpts_index),
        "--about",
        "1917-10-10..",
        "--calendar",
        "julian",
        "--count",
    )
    assert (code, out) == (0, "3\n")
    code, _, err = run("search", "army", "--index", str(excerpts_index), "--about", "1918..1917")
    assert code == 2 and "Invalid value for '--about': Invalid period '1918..1917'" in err


def test_facets_count_both_years(excerpts_index: Path, bundled_index: Path) -> None:
    found = search(excerpts_index, "army", facets=True)
    assert found.facets is not None
    # Reed's book, written 1918/1919, counts in both years
    assert found.facets["year"] == [("1917", 2), ("1918", 2), ("1919", 2)]
    assert found.facets["about"] == [("1917", 4)]
    code, out, _ = run("search", "army", "--index", str(excerpts_index), "--facets", "--json")
    assert json.loads(out.splitlines()[-1])["facets"]["about"] == [["1917", 4]]
    # a collection without periods has no about facet (and its facets are as before)
    plain = search(bundled_index, "coalition", facets=True).facets
    assert plain is not None and list(plain) == ["speaker", "author", "type", "year"]


def test_role_finds_whoever_held_the_office_on_the_date(excerpts_index: Path) -> None:
    # Kerensky was Minister of War from 5 May to 30 August 1917 (OS), then Verkhovsky until 21 October
    assert ids(excerpts_index, role="Minister of War") == ["dorr-moscow-conference:2", "reed-verkhovsky:3"]
    assert ids(excerpts_index, role="war minister") == ["dorr-moscow-conference:2", "reed-verkhovsky:3"]
    assert ids(excerpts_index, role="Minister-President") == ["dorr-moscow-conference:2"]
    assert ids(excerpts_index, role="Minister of Justice") == []  # Kerensky spoke in August, not March
    # Trotsky's address of 14 February 1918 (and his book of 1918, as author)
    assert ids(excerpts_index, role="people's commissar for foreign affairs") == [
        "trotsky-address-14-february:1",
        "trotsky-address-14-february:2",
    ]
    # from 14 March 1918: not the address of 14 February, but the book dated "1918" overlaps
    assert ids(excerpts_index, role="Commissar for War") == ["trotsky-address-14-february:1"]
    code, out, _ = run("search", "peace", "--index", str(excerpts_index), "--role", "Minister of War")
    assert code == 0 and out.startswith(
        "1. Ten Days That Shook the World, chapter II (excerpt)  [reed-verkhovsky:3]"
    )


def test_role_tenures_are_checked_day_by_day(tmp_path: Path) -> None:
    """Kerensky's and Verkhovsky's tenures as Minister of War, either side of 30 August 1917 (OS)."""
    folder = tmp_path / "orders"
    folder.mkdir()
    shutil.copy(EXCERPTS / "people.yaml", folder / "people.yaml")
    orders = [
        ("kerensky-june", "A. F. Kerensky", "1917-06-01", "julian"),  # in office
        ("kerensky-september", "A. F. Kerensky", "1917-09-15", "julian"),  # Verkhovsky's time
        ("verkhovsky-september", "Verkhovski", "1917-09-28", "gregorian"),  # 15 September OS
        ("verkhovsky-november", "Verkhovsky", "1917-11-14", "gregorian"),  # after 3 November NS
        ("kerensky-undated", "Kerensky", "", "gregorian"),
        ("kerensky-uncertain", "Kerensky", "1917-1X", "gregorian"),  # October-December 1917
    ]
    for name, author, date, calendar in orders:
        (folder / f"{name}.md").write_text(
            f"---\nauthor: {author}\ndate: '{date}'\ncalendar: {calendar}\n---\nOrder to the army.\n",
            encoding="utf-8",
        )
    stats = build_index([folder], tmp_path / "index")
    assert not stats.errors
    assert ids(tmp_path / "index", "order", role="Minister of War") == [
        "kerensky-june:1",
        "verkhovsky-september:1",
    ]
    # Minister-President from 8 July (OS): not in June; a paragraph dated October-December 1917
    # overlaps the last weeks (to 26 October OS), so it matches; undated ones never do
    assert ids(tmp_path / "index", "order", role="Minister-President") == [
        "kerensky-september:1",
        "kerensky-uncertain:1",
    ]


def test_unknown_roles_and_bad_tenures_are_clear_errors(excerpts_index: Path, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="No office called 'Tsar' in the people file; the people file has:"):
        search(excerpts_index, "army", filters=Filters(role="Tsar"))
    code, _, err = run("search", "army", "--index", str(excerpts_index), "--role", "Tsar")
    assert code == 2 and "Minister of War" in err and "Traceback" not in err
    code, _, err = run("kwic", "army", "--index", str(excerpts_index), "--role", "minister of war")
    assert code == 0
    for entry, message in [
        ("- {role: Minister of War, from: 1917-02-30}", "role 'Minister of War': Invalid date '1917-02-30'"),
        ("- {role: Minister of War, since: 1917}", "unknown key 'since'"),
        ("- {role: Minister of War, from: 1917-09, to: 1917-05}", "ends ('1917-05') before it starts"),
        ("- {from: 1917}", "needs a 'role'"),
    ]:
        folder = tmp_path / f"c{len(message)}"
        folder.mkdir()
        (folder / "people.yaml").write_text(
            f"- name: A. F. Kerensky\n  roles:\n    {entry}\n", encoding="utf-8"
        )
        (folder / "a.md").write_text("Order to the army.\n", encoding="utf-8")
        code, _, err = run("index", str(folder), "--index", str(tmp_path / f"i{len(message)}"))
        assert code == 2 and message in err and "people.yaml: entry 1 ('A. F. Kerensky')" in err, err


def test_the_web_page_filters_by_period_and_office(excerpts_index: Path) -> None:
    import lxml.html
    from starlette.testclient import TestClient

    from searchkit.web import create_app

    def cids(html: str) -> list[str]:
        doc = lxml.html.document_fromstring(html)
        return [" ".join(c.text_content().split()) for c in doc.xpath("//*[@class='cid']")]

    with TestClient(create_app(excerpts_index), base_url="http://127.0.0.1:8017") as client:
        about = client.get("/search?q=army&about=1917-10..1917-11&from=1918")
        assert about.status_code == 200
        assert cids(about.text) == ["reed-verkhovsky:2", "reed-verkhovsky:1"]
        doc = lxml.html.document_fromstring(about.text)
        assert doc.xpath("//input[@name='about']")[0].get("value") == "1917-10..1917-11"
        active = [" ".join(li.text_content().split()) for li in doc.xpath("//section[@class='active']//li")]
        assert active[0].startswith("dated from: 1918")
        assert active[1].startswith("about the period: 1917-10..1917-11")
        # the period in words, as the command line shows it
        words = "John Reed · 1918 to 1919 · eyewitness account · period: October to November 1917"
        assert words in about.text
        role = client.get("/search?q=penalty+OR+peace&role=Minister+of+War")
        assert cids(role.text) == ["dorr-moscow-conference:2", "reed-verkhovsky:3"]
        assert "12–15 Aug / 25–28 Aug 1917" in role.text
        # the about facet narrows to a year of the period described
        facets = lxml.html.document_fromstring(client.get("/search?q=army").text)
        (year,) = facets.xpath("//aside//a[@data-facet='about']")
        assert query_of_about(year.get("href")) == ["1917"]
        assert sorted(cids(client.get(year.get("href")).text)) == [
            "dorr-moscow-conference:1",
            "reed-verkhovsky:1",
            "reed-verkhovsky:2",
            "reed-verkhovsky:3",
        ]
        bad = client.get("/search?q=army&about=1918..1917")
        assert bad.status_code == 400 and "Period: Invalid period &#39;1918..1917&#39;" in bad.text
        unknown = client.get("/search?q=army&role=Tsar")
        assert unknown.status_code == 400 and "No office called" in unknown.text


def query_of_about(href: str) -> list[str]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(href).query)["about"]
