"""Every page of the web interface, in process: the parsed HTML holds what the library returns."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from searchkit import Filters, Index, build_index
from searchkit.browse import collection_stats, show
from searchkit.cli import cli
from searchkit.explain import explain
from searchkit.kwic import kwic
from searchkit.render import byline, plain_citation
from searchkit.web import create_app

BASE = "http://127.0.0.1:8017"


@pytest.fixture(scope="module")
def client(bundled_index: Path) -> TestClient:
    with TestClient(create_app(bundled_index), base_url=BASE) as c:
        yield c


def page(client: TestClient, url: str, status: int = 200) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return lxml.html.document_fromstring(response.text)


def text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_home_has_a_labelled_search_box_and_landmarks(client: TestClient) -> None:
    doc = page(client, "/")
    assert doc.get("lang") == "en"
    (box,) = doc.xpath("//form[@role='search']//input[@name='q']")
    assert box.get("type") == "search"
    assert doc.xpath("//form[@role='search']")[0].get("method") == "get"
    assert doc.xpath(f"//label[@for='{box.get('id')}']")
    for tag in ("header", "nav", "main", "footer"):
        assert doc.xpath(f"//{tag}"), tag
    for field in doc.xpath("//form//input[not(@type='hidden')] | //form//select"):
        assert doc.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


def test_results_show_each_hit_as_the_library_returns_it(client: TestClient, bundled_index: Path) -> None:
    result = Index(bundled_index).search("coalition", facets=True)
    doc = page(client, "/search?q=coalition")
    assert text(doc.xpath("//*[@id='summary']")[0]) == f"{len(result.hits)} of {result.total} paragraphs"
    hits = doc.xpath("//ol[@class='hits']/li")
    assert len(hits) == len(result.hits)
    for li, hit in zip(hits, result.hits, strict=True):
        assert text(li.xpath(".//h3")[0]) == f"{hit.rank}. {hit.title}"
        assert text(li.xpath(".//*[@class='byline']")[0]) == byline(hit)
        assert text(li.xpath(".//*[@class='cid']")[0]) == hit.id
        marks = [m.text_content() for m in li.xpath(".//blockquote//mark")]
        assert marks == [hit.passage[s:e] for s, e in hit.passage_highlights]
        assert text(li.xpath(".//blockquote")[0]) == " ".join(hit.passage.split())
        assert li.xpath(".//button[@class='copy']")[0].get("data-citation") == plain_citation(hit)
        read = li.xpath(".//h3/a")[0].get("href")
        assert query_of(read)["id"] == [hit.id] and query_of(read)["rank"] == [str(hit.rank)]
        assert read.endswith(f"#p{hit.paragraph}")


def test_filters_sort_and_calendar_come_from_the_url(client: TestClient, bundled_index: Path) -> None:
    doc = page(client, "/search?q=coalition&speaker=trotsky")
    assert [text(c) for c in doc.xpath("//*[@class='cid']")] == ["alpha-coalition-terms:11"]
    assert doc.xpath("//input[@name='speaker']")[0].get("value") == "trotsky"
    # 26 October 1917 Old Style is 8 November New Style.
    julian = page(client, "/search?q=coalition&from=1917-10-26&to=1917-10-26&calendar=julian")
    assert [text(c) for c in julian.xpath("//*[@class='cid']")] == ["alpha-coalition-terms:11"]
    assert julian.xpath("//select[@name='calendar']/option[@selected]")[0].get("value") == "julian"
    gregorian = page(client, "/search?q=coalition&from=1917-10-26&to=1917-10-26")
    assert not gregorian.xpath("//*[@class='cid']")
    by_date = Index(bundled_index).search("coalition", sort="date-desc")
    doc = page(client, "/search?q=coalition&sort=date-desc")
    assert [text(c) for c in doc.xpath("//*[@class='cid']")] == [h.id for h in by_date.hits]


def test_any_words_mode(client: TestClient, bundled_index: Path) -> None:
    question = "what did Trotsky say about a coalition?"
    expected = Index(bundled_index).search(question, any_words=True).hits
    doc = page(client, f"/search?q={question}&any=1")
    assert [text(c) for c in doc.xpath("//*[@class='cid']")] == [h.id for h in expected]
    assert doc.xpath("//input[@name='any']")[0].get("checked") is not None


def test_paging_and_page_size(client: TestClient, bundled_index: Path) -> None:
    second = Index(bundled_index).search("coalition", limit=2, offset=2).hits
    doc = page(client, "/search?q=coalition&n=2&page=2")
    assert text(doc.xpath("//*[@id='summary']")[0]) == "3–4 of 5 paragraphs"
    assert [text(c) for c in doc.xpath("//*[@class='cid']")] == [h.id for h in second]
    prev = doc.xpath("//nav[@class='pages']/a[@rel='prev']")[0].get("href")
    nxt = doc.xpath("//nav[@class='pages']/a[@rel='next']")[0].get("href")
    assert "page" not in query_of(prev) and query_of(nxt)["page"] == ["3"]
    assert text(doc.xpath("//nav[@class='pages']//*[@aria-current='page']")[0]) == "Page 2 of 3"
    last = page(client, nxt)
    assert not last.xpath("//nav[@class='pages']/a[@rel='next']")


def test_did_you_mean_and_explanation(client: TestClient, bundled_index: Path) -> None:
    doc = page(client, "/search?q=coalision")
    (link,) = doc.xpath("//*[@class='suggestion']/a")
    assert text(link) == "coalition" and query_of(link.get("href"))["q"] == ["coalition"]
    assert "(5 matching paragraphs)" in text(doc.xpath("//*[@class='suggestion']")[0])
    assert text(doc.xpath("//*[@id='summary']")[0]) == "No paragraphs match"
    explained = page(client, "/search?q=coalition&speaker=trotsky&explain=1")
    lines = explain(bundled_index, "coalition", Filters(speaker="trotsky"))
    assert explained.xpath("//section[@class='explain']/pre")[0].text_content().splitlines() == lines
    # Without explain=1 the page offers it as a link.
    offer = page(client, "/search?q=coalition").xpath("//a[text()='How was this understood?']")[0]
    assert query_of(offer.get("href"))["explain"] == ["1"]


def test_facets_add_and_remove_filters(client: TestClient, bundled_index: Path) -> None:
    facets = Index(bundled_index).search("coalition", facets=True).facets
    assert facets is not None
    doc = page(client, "/search?q=coalition")
    for name, pairs in facets.items():
        items = doc.xpath(f"//aside//section[h3='{name.capitalize()}']//li")
        assert [text(li) for li in items] == [f"{v} ({n})" for v, n in pairs]
    (trotsky,) = doc.xpath(
        "//aside//a[@data-facet='speaker'][starts-with(normalize-space(.), 'L. D. Trotsky')]"
    )
    narrowed = page(client, trotsky.get("href"))
    assert text(narrowed.xpath("//*[@id='summary']")[0]) == "1 of 1 paragraph"
    (active,) = narrowed.xpath("//section[@class='active']//li")
    assert text(active).startswith("speaker: L. D. Trotsky")
    widened = page(client, active.xpath(".//a[@class='remove']")[0].get("href"))
    assert text(widened.xpath("//*[@id='summary']")[0]) == "5 of 5 paragraphs"
    (year,) = doc.xpath("//aside//a[@data-facet='year']")
    assert query_of(year.get("href"))["from"] == ["1917"] and query_of(year.get("href"))["to"] == ["1917"]
    assert text(page(client, year.get("href")).xpath("//*[@id='summary']")[0]) == "3 of 3 paragraphs"


def test_reading_view_marks_the_paragraph_and_steps_through_hits(
    client: TestClient, bundled_index: Path
) -> None:
    hits = Index(bundled_index).search("coalition").hits
    middle = hits[2]
    doc = page(client, "/search?q=coalition").xpath(f"//h3[@id='hit-{middle.rank}']/a")[0]
    reading = page(client, doc.get("href"))
    (target,) = reading.xpath("//article[contains(@class, 'target')]")
    assert target.get("id") == f"p{middle.paragraph}" and target.get("aria-current") == "true"
    assert [m.text_content() for m in target.xpath(".//mark")] == [
        middle.text[s:e] for s, e in middle.highlights
    ]
    shown = show(bundled_index, middle.id, 3)
    assert [a.get("id") for a in reading.xpath("//article")] == [f"p{p.paragraph}" for p in shown.paragraphs]
    prev = reading.xpath("//nav[@class='hitnav']/a[@rel='prev']")[0].get("href")
    nxt = reading.xpath("//nav[@class='hitnav']/a[@rel='next']")[0].get("href")
    assert query_of(prev)["id"] == [hits[1].id] and query_of(nxt)["id"] == [hits[3].id]
    assert "Hit 3 of 5" in text(reading.xpath("//nav[@class='hitnav']")[0])
    back = reading.xpath("//nav[@class='hitnav']/a")[0].get("href")
    assert query_of(back) == {"q": ["coalition"]}
    whole = page(client, reading.xpath("//p[@class='more']/a")[0].get("href"))
    everything = show(bundled_index, middle.doc)
    assert len(whole.xpath("//article")) == len(everything.paragraphs)


def test_reading_view_shows_the_documents_metadata(client: TestClient) -> None:
    doc = page(client, "/read?id=lenin-opposition-resolution:6")
    rows = {
        text(d.xpath("dt")[0]): text(d.xpath("dd")[0]) for d in doc.xpath("//section[@class='meta']//dl/div")
    }
    assert rows["Author"] == "V. I. Lenin"
    assert rows["Date"] == "2 Nov / 15 Nov 1917 (Old Style / New Style)"
    assert rows["Type"] == "resolution"
    assert rows["Publication"].startswith("Pravda No. 180")
    assert rows["Changes from the original"].startswith("None to the text.")
    assert "cited" in text(doc.xpath("//article[@id='p6']")[0])
    assert not doc.xpath("//nav[@class='hitnav']")  # no search, no hit navigation
    whole = page(client, "/read?id=lenin-opposition-resolution")
    assert not whole.xpath("//article[contains(@class, 'target')]")
    assert len(whole.xpath("//article")) == 9


def test_concordance_sorts_left_and_right(client: TestClient, bundled_index: Path) -> None:
    for order in ("position", "left", "right"):
        lines = kwic(bundled_index, "coalition", width=50, sort=order)
        doc = page(client, f"/kwic?q=coalition&order={order}")
        rows = doc.xpath("//table[@class='kwic']/tbody/tr")
        assert [text(r.xpath("td")[0]) for r in rows] == [ln.cite for ln in lines]
        assert [r.xpath("td")[1].text_content() for r in rows] == [ln.left for ln in lines]
        assert [r.xpath("td//mark")[0].text_content() for r in rows] == [ln.match for ln in lines]


@pytest.mark.parametrize("kind,flag", [("jsonl", "--json"), ("csv", "--csv"), ("html", "--html")])
def test_export_is_the_command_lines_output(
    client: TestClient, bundled_index: Path, kind: str, flag: str
) -> None:
    response = client.get(f"/export?format={kind}&q=coalition&speaker=lenin&n=1&page=2")
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith(f'.{kind}"')
    args = ["search", "coalition", flag, "--speaker", "lenin", "-n", "1", "--page", "2"]
    cli_run = CliRunner().invoke(cli, [*args, "--index", str(bundled_index)], catch_exceptions=False)
    assert cli_run.exit_code == 0
    assert response.text == cli_run.stdout


def test_collection_page_is_what_stats_prints(client: TestClient, bundled_index: Path) -> None:
    stats = collection_stats(bundled_index)
    doc = page(client, "/collection")
    rows = {text(d.xpath("dt")[0]): text(d.xpath("dd")[0]) for d in doc.xpath("//dl[@class='stats']/div")}
    assert rows["Documents"] == str(stats.documents)
    assert rows["Paragraphs"] == f"{stats.paragraphs} ({stats.undated} undated)"
    assert rows["Dates"] == f"{stats.first_date} to {stats.last_date}"
    authors = doc.xpath("//section[h2[starts-with(., 'Authors')]]//tbody/tr")
    assert [(text(r[0]), text(r[1])) for r in authors] == [(n, str(c)) for n, c in stats.authors]


def test_help_page_examples_are_working_searches(client: TestClient) -> None:
    doc = page(client, "/help")
    links = doc.xpath("//table[@class='examples']//a")
    assert len(links) >= 10
    for link in links:
        assert client.get(link.get("href")).status_code == 200, link.get("href")


def test_unknown_pages_and_ids_are_404_pages(client: TestClient) -> None:
    doc = page(client, "/nowhere", 404)
    assert text(doc.xpath("//h1")[0]) == "Not found"
    doc = page(client, "/read?id=lenin-opposition-resolution:99", 404)
    assert "its paragraphs are 1-9" in text(doc.xpath("//*[@role='alert']")[0])


def test_static_files_and_vendored_htmx(client: TestClient) -> None:
    doc = page(client, "/")
    scripts = [s.get("src") for s in doc.xpath("//script")]
    assert "/static/htmx-2.0.11.min.js" in scripts
    for src in [*scripts, *(link.get("href") for link in doc.xpath("//link"))]:
        assert client.get(src).status_code == 200, src
    assert "Zero-Clause BSD" in client.get("/static/htmx-LICENSE.txt").text


def test_the_next_request_sees_an_updated_index(corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir)
    with TestClient(create_app(index_dir), base_url=BASE) as c:
        assert text(page(c, "/search?q=zanzibar").xpath("//*[@id='summary']")[0]) == "No paragraphs match"
        (corpus / "new.md").write_text("---\ntitle: New\n---\nA letter from Zanzibar.\n", encoding="utf-8")
        build_index([corpus], index_dir)
        doc = page(c, "/search?q=zanzibar")
        assert text(doc.xpath("//*[@id='summary']")[0]) == "1 of 1 paragraph"


def test_a_lower_bound_total_shows_as_plus(bundled_index: Path) -> None:
    """When the library says the total is only a lower bound, the page says "1,000+" and pages on
    without claiming a last page."""
    from dataclasses import replace

    from searchkit.web.app import make_templates
    from searchkit.web.params import SearchParams
    from searchkit.web.routes import paging

    params = SearchParams(q="coalition", n=2)
    real = Index(bundled_index).search("coalition", limit=2, facets=True)
    result = replace(real, total=1000, total_is_exact=False)
    html = (
        make_templates()
        .env.get_template("search.html")
        .render(params=params, result=result, suggestion=None, explanation=None, pages=paging(result, params))
    )
    doc = lxml.html.document_fromstring(html)
    assert text(doc.xpath("//*[@id='summary']")[0]) == "2 of 1,000+ paragraphs"
    assert text(doc.xpath("//nav[@class='pages']//*[@aria-current='page']")[0]) == "Page 1"
    assert doc.xpath("//nav[@class='pages']/a[@rel='next']")


def test_copy_button_gives_the_chicago_note_of_cite(client: TestClient, bundled_index: Path) -> None:
    """The copy-citation button copies the note that ``search --cite chicago`` prints (issue 15)."""
    printed = CliRunner().invoke(
        cli, ["search", '"Soviet power"', "--cite", "chicago", "--index", str(bundled_index)]
    )
    notes = [
        line.removeprefix("  note: ") for line in printed.stdout.splitlines() if line.startswith("  note: ")
    ]
    doc = page(client, "/search?q=%22Soviet+power%22")
    copied = [b.get("data-citation") for b in doc.xpath("//ol[@class='hits']/li//button[@class='copy']")]
    assert copied == notes and len(notes) == 2
    assert notes[0].startswith("V. I. Lenin, “Resolution of the C.C.") and notes[0].endswith("para. 3.")
