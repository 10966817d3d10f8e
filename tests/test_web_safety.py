"""The safety items of the web interface, one test (or more) each: Host check, access token,
read-only, no file paths, escaping of hostile metadata, CSP without inline script, hostile queries."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from starlette.testclient import TestClient

from searchkit import build_index, search
from searchkit.query import MAX_QUERY_CHARS
from searchkit.web import create_app
from searchkit.web.guard import CSP, allowed_hosts, host_of

BASE = "http://127.0.0.1:8017"

HOSTILE = """---
id: hostile
title: <script>alert("title")</script>
author: '"><img src=x onerror=alert(1)>'
type: <b>letter</b>
citation: javascript:alert(document.cookie)
found_at: "<a href='javascript:alert(2)'>click</a>"
changes: <style>body{display:none}</style>
---
A paragraph about bread with <script>alert("body")</script> and <img src=x onerror=alert(3)> in it.

The second paragraph about bread: javascript:alert(4) "quoted" & 'single' </p></article>.
"""


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    (base / "sources").mkdir()
    (base / "sources" / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    stats = build_index([base / "sources"], base / "index")
    assert not stats.errors
    return base / "index"


@pytest.fixture(scope="module")
def client(hostile_index: Path) -> TestClient:
    with TestClient(create_app(hostile_index), base_url=BASE) as c:
        yield c


VIEWS = [
    "/",
    "/search?q=bread",
    "/search?q=bread&explain=1",
    "/read?id=hostile:1&q=bread&rank=1",
    "/read?id=hostile",
    "/kwic?q=bread",
    "/collection",
    "/help",
    "/search?q=%22bread",  # 400
    "/read?id=%3Cscript%3E",  # 404
]


@pytest.mark.parametrize("url", VIEWS)
def test_hostile_metadata_shows_as_text(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    doc = lxml.html.document_fromstring(response.text)
    # Only the page's own scripts and stylesheet; nothing the source smuggled in.
    assert [s.get("src") for s in doc.xpath("//script")] == ["/static/htmx-2.0.11.min.js", "/static/app.js"]
    assert not doc.xpath("//img | //style | //iframe | //object | //embed | //body//b")
    for el in doc.iter():
        for name, value in el.attrib.items():
            assert not name.startswith("on"), (el.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (el.tag, name, value)
            assert name != "style", el.tag
    if response.status_code == 200 and url.startswith(("/search?q=bread", "/read")):
        shown = doc.text_content()
        assert '<script>alert("title")</script>' in shown
        assert '"><img src=x onerror=alert(1)>' in shown


def test_a_javascript_url_in_metadata_is_not_a_link(client: TestClient) -> None:
    doc = lxml.html.document_fromstring(client.get("/read?id=hostile:1").text)
    rows = {
        r.xpath("dt")[0].text_content(): r.xpath("dd")[0]
        for r in doc.xpath("//section[@class='meta']//dl/div")
    }
    assert rows["Citation"].text_content() == "javascript:alert(document.cookie)"
    assert not rows["Citation"].xpath(".//a")
    assert not rows["Found at"].xpath(".//a")


def test_exported_html_escapes_too(client: TestClient) -> None:
    doc = lxml.html.document_fromstring(client.get("/export?format=html&q=bread").text)
    assert not doc.xpath("//script | //img")
    assert '<script>alert("title")</script>' in doc.text_content()


@pytest.mark.parametrize("url", ["/", "/search?q=bread", "/search?q=%28", "/nowhere", "/static/style.css"])
def test_every_answer_carries_the_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_templates_hold_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parent.parent / "searchkit" / "web" / "templates"
    for path in templates.glob("*.html"):
        doc = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        assert all(s.get("src") for s in doc.xpath("//script")), path.name
        assert not doc.xpath("//style | //*[@style] | //*[@*[starts-with(name(), 'on')]]"), path.name


@pytest.mark.parametrize(
    "host,status",
    [
        ("127.0.0.1:8017", 200),
        ("localhost:8017", 200),
        ("LOCALHOST", 200),
        ("[::1]:8017", 200),
        ("evil.example", 400),
        ("evil.example:8017", 400),
        ("127.0.0.1.evil.example", 400),
        ("10.0.0.5:8017", 400),
        ("", 400),
    ],
)
def test_foreign_host_headers_are_refused(client: TestClient, host: str, status: int) -> None:
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 sends Host: evil.example."""
    response = client.get("/search?q=bread", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert "Host not allowed" in response.text


def test_host_parsing() -> None:
    assert host_of("[::1]:8017") == "::1" and host_of("Localhost:80") == "localhost"
    assert "192.0.2.7" in allowed_hosts("192.0.2.7") and "evil.example" not in allowed_hosts("192.0.2.7")


def test_another_host_needs_the_token(hostile_index: Path) -> None:
    app = create_app(hostile_index, host="192.0.2.7", token="s3cret-token")
    with TestClient(app, base_url="http://192.0.2.7:8017") as c:
        assert c.get("/").status_code == 403
        assert c.get("/search?q=bread&token=wrong").status_code == 403
        assert c.get("/static/style.css").status_code == 403
        first = c.get("/search?q=bread&token=s3cret-token")
        assert first.status_code == 200
        assert "HttpOnly" in first.headers["set-cookie"] and "SameSite=Strict" in first.headers["set-cookie"]
        assert c.get("/search?q=bread").status_code == 200  # the cookie carries it from now on
        c.cookies.clear()
        assert c.get("/search?q=bread").status_code == 403
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_server_is_read_only(client: TestClient, hostile_index: Path, method: str) -> None:
    before = sorted((p.name, p.stat().st_mtime_ns) for p in hostile_index.iterdir())
    response = client.request(method, "/search?q=bread", content=b"q=bread")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    assert sorted((p.name, p.stat().st_mtime_ns) for p in hostile_index.iterdir()) == before


@pytest.mark.parametrize(
    "url",
    [
        "/static/../searchkit.json",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fapp.py",
        "/static//etc/passwd",
        "/read?id=../../../../etc/passwd",
        "/read?id=/etc/passwd",
        "/read?id=" + os.path.abspath(__file__),
        "/export?format=../../etc/passwd&q=bread",
        "/etc/passwd",
    ],
)
def test_no_route_serves_a_file_path(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert "root:x:0:0" not in response.text and "[project]" not in response.text
    assert "import " not in response.text


HOSTILE_QUERIES = [
    "(" * 5000 + "bread" + ")" * 5000,
    "(((bread",
    "bread))",
    '"bread',
    "nosuchfield:bread",
    "   ",
    "a" * 2000,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: q[:12])
def test_a_hostile_query_is_a_400_page_and_the_server_keeps_answering(client: TestClient, query: str) -> None:
    response = client.get("/search", params={"q": query})
    if not query.strip():
        assert response.status_code == 200  # an empty box is the search page, not an error
        return
    assert response.status_code == 400
    doc = lxml.html.document_fromstring(response.text)
    (alert,) = doc.xpath("//*[@role='alert']")
    assert alert.text_content().strip() and "Traceback" not in response.text
    assert doc.xpath("//input[@name='q']")  # the form is there to correct it
    assert client.get("/search?q=bread").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "bread", "page": "abc"},
        {"q": "bread", "page": "0"},
        {"q": "bread", "page": "99999999999999999999"},
        {"q": "bread", "n": "100000"},
        {"q": "bread", "sort": "DROP TABLE"},
        {"q": "bread", "calendar": "mayan"},
        {"q": "bread", "from": "1917-13-45"},
        {"q": "bread", "from": "1918", "to": "1917"},
        {"q": "bread", "author": "!!!"},
        {"q": "bread", "speaker": "x" * 10_000},
        {"q": "bread", "format": "exe"},
    ],
    ids=lambda p: "-".join(f"{k}={v[:10]}" for k, v in p.items()),
)
def test_bad_parameters_are_400_pages(client: TestClient, params: dict[str, str]) -> None:
    url = "/export" if "format" in params else "/search"
    response = client.get(url, params=params)
    assert response.status_code == 400, response.text[:300]
    assert lxml.html.document_fromstring(response.text).xpath("//*[@role='alert']")


def test_a_query_longer_than_the_limit_is_a_400_page(hostile_index: Path) -> None:
    """Sent straight to the ASGI app: an HTTP client refuses to build a URL this long, a browser does not."""
    app = create_app(hostile_index)
    status, body = asgi_get(app, "/search", f"q={'x' * (MAX_QUERY_CHARS + 1)}")
    assert status == 400
    (alert,) = lxml.html.document_fromstring(body).xpath("//*[@role='alert']")
    assert "longer than the limit of 100,000" in alert.text_content()
    assert asgi_get(app, "/search", "q=bread")[0] == 200


def asgi_get(app: Any, path: str, query: str) -> tuple[int, str]:
    """One GET request to an ASGI app, without an HTTP client in between."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8017")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8017),
    }
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body.decode("utf-8")


def test_library_still_answers_after_the_hostile_queries(hostile_index: Path) -> None:
    assert search(hostile_index, "bread").total == 2
