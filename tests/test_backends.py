"""Contract tests: one suite of queries against the embedded Whoosh index, one Xapian database and
a three-shard Xapian cluster on loopback (started and stopped here), and a node that dies.

The collection is the bundled 1917 sources plus 100 Cranfield abstracts written out as documents
with authors, speakers, types and dates. For the comparison with Whoosh, Whoosh ranks with plain
BM25 (no title clause), as the engines do: Xapian then gives every hit Whoosh's score.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from searchkit.backends import build_index, open_backend
from searchkit.backends.base import Backend, Request, Row
from searchkit.backends.cluster import init_cluster, read_config, start_nodes, stop_nodes
from searchkit.backends.engine import BackendResult, run
from searchkit.dates import parse_date
from searchkit.errors import ClusterError
from searchkit.query import Filters, Hit
from searchkit.ranking import Ranking

REPO = Path(__file__).resolve().parent.parent
PLAIN = Ranking(title_weight=0.0)

pytestmark = pytest.mark.skipif(shutil.which("xapian-tcpsrv") is None, reason="needs xapian-tools")

AUTHORS = ["A. Smith", "B. Jones", "C. Trotzky", "D. Lenin"]
SPEAKERS = ["E. Kerenski", "F. Kerensky", "G. Martov"]


def _cranfield(root: Path, count: int = 100) -> None:
    """Cranfield abstracts, five to a document, each document with its metadata and a speaker
    block, so that every filter and facet has something to count."""
    root.mkdir()
    lines = (REPO / "tests/data/cranfield/docs.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines[:count]]
    for i in range(0, len(docs), 5):
        k = i // 5
        date = f"{1950 + k % 7}-{1 + k % 12:02d}-{1 + k % 27:02d}"
        kind = ["report", "note"][k % 2]
        about = f"about: {1940 + k % 5}\n" if k % 3 else ""
        head = f"---\ntitle: Report {k}\nauthor: {AUTHORS[k % 4]}\ndate: {date}\ntype: {kind}\n{about}---\n"
        texts = [d["text"] for d in docs[i : i + 5]]
        speaker = SPEAKERS[k % 3]
        body = "\n\n".join(texts[:3]) + f'\n\n::: {{speaker="{speaker}" type="testimony"}}\n'
        body += "\n\n".join(texts[3:]) + "\n:::\n"
        (root / f"report-{k:03d}.md").write_text(head + body, encoding="utf-8")


@pytest.fixture(scope="module")
def whoosh_dir(engines: dict[str, Backend]) -> Path:
    """The folder of the embedded index of :func:`engines`."""
    return Path(engines["whoosh"].index_dir)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Backend]]:
    base = tmp_path_factory.mktemp("contract")
    shutil.copytree(REPO / "sources", base / "sources")
    _cranfield(base / "cranfield")
    roots = [base / "sources", base / "cranfield"]
    init_cluster(base / "one", 1, ["local"])
    init_cluster(base / "three", 3)
    start_nodes(base / "three")
    try:
        for name in ("whoosh", "one", "three"):
            stats = build_index(roots, base / name)
            assert not stats.errors and stats.paragraphs == 128
        yield {name: open_backend(base / name) for name in ("whoosh", "one", "three")}
    finally:
        stop_nodes(base / "three")


def _day(text: str) -> Filters:
    return Filters(date_from=parse_date(text), date_to=parse_date(text))


#: (query, options): words, OR/NOT, phrases, proximity, patterns, variants, fields, filters.
SUITE: list[tuple[str, dict[str, object]]] = [
    ("heat", {}),
    ("boundary layer", {}),
    ("pressure OR heat", {}),
    ("shock NOT wave", {}),
    ("NOT flow", {}),
    ('"boundary layer"', {}),
    ('"heat transfer"~3', {}),
    ('"soviet power"', {}),
    ("lamin*", {}),
    ("veloc* heat", {}),
    ("kerenski", {}),  # variants: Kerensky, Kerenski, Kerenskii are one word
    ("trotzky", {}),
    ("kerensky~1", {}),
    ("author:lenin", {}),
    ("speaker:trotsky coalition", {}),
    ("title:report flow", {}),
    ("date:[1953-01-01 TO 1954-12-31] flow", {}),
    ("flow", {"filters": Filters(author="trotsky")}),  # Trotzky in the sources, by variant
    ("flow", {"filters": Filters(speaker="kerensky")}),
    ("flow", {"filters": Filters(type="testimony")}),
    ("flow", {"filters": Filters(date_from=parse_date("1952"), date_to=parse_date("1954-06"))}),
    ("kerensky", {"filters": _day("1917-11-14")}),
    ("flow", {"filters": Filters.build(about="1941..1942")}),
    ("flow", {"facets": True}),
    ("flow", {"sort": "date"}),
    ("flow pressure", {"sort": "date-desc"}),
    ("flow", {"offset": 10}),
    ("what is the pressure on a flat plate?", {"any_words": True}),
]


def _search(backend: Backend, query: str, limit: int, options: dict[str, object]) -> BackendResult:
    return run(backend, query, limit=limit, **{"ranking": PLAIN, **options})  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "options"), SUITE, ids=[f"{q} {sorted(o)}" for q, o in SUITE])
def test_same_results_on_every_engine(
    engines: dict[str, Backend], query: str, options: dict[str, object]
) -> None:
    results = {name: _search(b, query, 200, options) for name, b in engines.items()}
    whoosh, one, three = results["whoosh"], results["one"], results["three"]
    assert whoosh.total > 0, query
    # Equal result sets and totals (exact counts) everywhere.
    assert {h.id for h in whoosh.hits} == {h.id for h in one.hits} == {h.id for h in three.hits}
    assert whoosh.total == one.total == three.total
    assert one.total_is_exact and three.total_is_exact and not three.missing
    assert whoosh.facets == one.facets == three.facets
    # Shards exchange term statistics: the cluster ranks exactly as the one database.
    assert [(h.id, h.score) for h in one.hits] == [(h.id, h.score) for h in three.hits]
    # Passages, highlights and citations are searchkit's own code from the stored text.
    assert [(h.passage, h.highlights, h.locator) for h in one.hits] == [
        (h.passage, h.highlights, h.locator) for h in three.hits
    ]
    if options.get("sort") in ("date", "date-desc"):
        assert [h.id for h in whoosh.hits] == [h.id for h in one.hits]


#: Ranking for ``--any`` questions without what only the embedded index does (sequential
#: dependence, RM3 feedback): then Whoosh ranks the question's words with plain BM25, as Xapian does.
WORDS_ONLY = Ranking(title_weight=0.0, feedback_docs=0, ordered_weight=0.0)
#: Queries whose scores come from fields other than the body (``author:``, ``speaker:``,
#: ``title:``; a fuzzy word is looked up in the exact-spelling field): Xapian scores body words
#: only (one length per paragraph), so only their result sets are compared.
OTHER_FIELDS = ("author:lenin", "speaker:trotsky coalition", "title:report flow", "kerensky~1")
#: Words of every document frequency (2 to 127 paragraphs of 128; the suite has 1), AND, OR, NOT, phrases.
MORE: list[tuple[str, dict[str, object]]] = [
    (q, {})
    for q in (
        "the",
        "of",
        "flow",
        "pressure",
        "mach",
        "wing",
        "coalition",
        "bolshevik",
        "verkhovski",
        "mach number",
        "supersonic flow pressure",
        "heat AND transfer",
        "wing OR body OR tail",
        "(boundary OR shock) layer",
        "flow NOT pressure NOT heat",
        "heat ANDNOT flow",
        '"mach number"',
        '"the boundary layer"',
        '"flat plate"',
        '"shock wave" pressure',
        '"laminar flow"~4',
        "lami* OR turbul*",
        "date:[1953-01-01 TO 1954-12-31]",
    )
] + [("what is the pressure on a flat plate?", {"any_words": True, "ranking": WORDS_ONLY})]
SCORED = [(q, o) for q, o in SUITE if q not in OTHER_FIELDS and not o.get("any_words")] + MORE


def _whoosh_scores(index_dir: Path, query: str, options: dict[str, object]) -> dict[str, float]:
    """Every match's score as Whoosh computes it (the searcher rounds them to 6 digits)."""
    from searchkit.query import filter_query, parse_query
    from searchkit.ranking import final_query, parse_question, weighting
    from searchkit.storage import open_searcher

    ranking: Ranking = options.get("ranking", PLAIN)  # type: ignore[assignment]
    words = bool(options.get("any_words"))
    with open_searcher(index_dir) as searcher:
        searcher.weighting = weighting(ranking)
        parsed = parse_question(query, ranking) if words else parse_query(searcher.schema, query)
        allow = filter_query(options.get("filters") or Filters())  # type: ignore[arg-type]
        final = final_query(searcher, parsed, ranking, allow, feedback=words)
        return {r["id"]: r.score for r in searcher.search(final, limit=None, filter=allow)}


def _xapian_rows(backend: Backend, query: str, options: dict[str, object]) -> list[Row]:
    """Every match of ``query`` as the backend returns it (unrounded scores)."""
    from searchkit.backends.plan import plan
    from searchkit.query import parse_query
    from searchkit.ranking import parse_question
    from searchkit.schema import make_schema

    ranking: Ranking = options.get("ranking", PLAIN)  # type: ignore[assignment]
    words = bool(options.get("any_words"))
    parsed = parse_question(query, ranking) if words else parse_query(make_schema(), query)
    fields = {k: v for k, v in options.items() if k in ("filters", "sort", "facets", "any_words")}
    return backend.search(Request(query, plan(parsed), limit=500, ranking=ranking, **fields)).rows  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "options"), SCORED, ids=[f"{q} {sorted(o)}" for q, o in SCORED])
def test_xapian_scores_every_hit_as_whoosh(
    engines: dict[str, Backend], whoosh_dir: Path, query: str, options: dict[str, object]
) -> None:
    """Xapian's BM25, set up as in searchkit.backends.xapian_weight, gives every hit Whoosh's score
    (to 1e-9, relative), on one database and on three shards; so the top 10 are the same paragraphs
    in the same order, hits with equal scores aside (each engine orders those by date and id)."""
    whoosh = _whoosh_scores(whoosh_dir, query, options)
    shown = _search(engines["whoosh"], query, 10, options).hits
    assert whoosh
    for name in ("one", "three"):
        rows = _xapian_rows(engines[name], query, options)
        assert {r.id for r in rows} == set(whoosh), name
        worst = max(abs(r.score - whoosh[r.id]) / max(abs(whoosh[r.id]), 1e-12) for r in rows)
        assert worst <= 1e-9, (name, worst)
        if options.get("sort") not in ("date", "date-desc"):
            offset = int(options.get("offset", 0))  # type: ignore[call-overload]
            assert _untied(rows[offset : offset + 10], whoosh) == _untied(shown, whoosh), name


def _untied(top: Sequence[Row | Hit], scores: dict[str, float]) -> list[str | frozenset[str]]:
    """The ids of ``top`` in order, each run of hits with the same score (to 1e-9) as one set."""
    out: list[str | frozenset[str]] = []
    groups: list[list[str]] = []
    for item in top:
        if groups and math.isclose(scores[item.id], scores[groups[-1][0]], rel_tol=1e-9):
            groups[-1].append(item.id)
        else:
            groups.append([item.id])
    last = len(groups) - 1
    for i, group in enumerate(groups):
        tied = [h for h, s in scores.items() if math.isclose(s, scores[group[0]], rel_tol=1e-9)]
        if len(tied) == 1:
            out.append(group[0])
        elif i != last:  # a tie cut by the end of the list may be cut differently
            out.append(frozenset(group))
    return out


def test_padding_makes_the_length_whooshs() -> None:
    """Whoosh's one-byte length rounds up below 106,374 words: the padding is never negative."""
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from searchkit.backends.xapian_weight import padding

    assert all(n + padding(n) == byte_to_length(length_to_byte(n)) for n in range(106_374))
    assert (padding(11), padding(200), padding(10**6)) == (1, 3, 0)


def test_a_cluster_of_the_old_format_is_refused_then_rebuilt(tmp_path: Path) -> None:
    """Paragraphs written before the padding (no ``format`` in cluster.json) would be mis-scored:
    a search says to index again, and the next index run rebuilds the whole cluster."""
    from searchkit.backends import search
    from searchkit.backends.cluster import FORMAT

    shutil.copytree(REPO / "sources", tmp_path / "sources")
    index = tmp_path / "old"
    init_cluster(index, 1, ["local"])
    assert not build_index([tmp_path / "sources"], index).errors
    config = json.loads((index / "cluster.json").read_text())
    assert config["format"] == FORMAT
    del config["format"]
    (index / "cluster.json").write_text(json.dumps(config))
    with pytest.raises(
        ClusterError, match="was indexed by another searchkit \\(format 1, this one writes 2\\)"
    ):
        search(index, "coalition")
    stats = build_index([tmp_path / "sources"], index)  # nothing changed, yet all is read again
    assert (stats.unchanged, stats.paragraphs) == (0, 28)
    assert json.loads((index / "cluster.json").read_text())["format"] == FORMAT
    assert search(index, "coalition").total == 5


def test_paging_is_a_window_of_the_ranking(engines: dict[str, Backend]) -> None:
    whole = _search(engines["three"], "flow", 30, {})
    page = _search(engines["three"], "flow", 10, {"offset": 10})
    assert [h.id for h in page.hits] == [h.id for h in whole.hits[10:20]]
    assert [h.rank for h in page.hits] == list(range(11, 21))


def test_estimated_count_says_so(engines: dict[str, Backend]) -> None:
    result = run(engines["three"], "flow", limit=1, exact_total=False)
    exact = run(engines["three"], "flow", limit=1)
    assert exact.total_is_exact
    assert result.total_is_exact == (result.total == exact.total)


@pytest.fixture
def small_cluster(tmp_path: Path) -> Iterator[Path]:
    """A three-shard cluster of the bundled sources, with a one-second timeout per call."""
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    index = tmp_path / "cluster"
    init_cluster(index, 3)
    config = json.loads((index / "cluster.json").read_text())
    (index / "cluster.json").write_text(json.dumps({**config, "timeout": 1.0}))
    start_nodes(index)
    try:
        assert not build_index([tmp_path / "sources"], index).errors
        yield index
    finally:
        for pid_file in (index / "shards").glob("*.pid"):  # a test may have stopped one with SIGSTOP
            try:
                os.kill(int(pid_file.read_text()), signal.SIGCONT)
            except OSError:
                pass
        stop_nodes(index)


def _pid(index: Path, shard: int) -> int:
    return int((index / "shards" / f"shard-{shard}.pid").read_text())


def _kill(index: Path, shard: int) -> None:
    """Kill the node and the processes it forked for open connections, as a dying machine would."""
    pid = _pid(index, shard)
    os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_dead_node_is_named_or_skipped_with_a_warning(small_cluster: Path) -> None:
    from searchkit.backends import search

    before = search(small_cluster, "coalition OR kerensky", limit=100)
    node = read_config(small_cluster).nodes[1]
    _kill(small_cluster, 2)
    with pytest.raises(ClusterError, match=f"shard 2 \\({node}\\) does not answer"):
        search(small_cluster, "coalition OR kerensky")
    partial = search(small_cluster, "coalition OR kerensky", limit=100, allow_partial=True)
    assert partial.missing == (f"shard 2 ({node})",)
    assert {h.id for h in partial.hits} < {h.id for h in before.hits}


def test_node_killed_mid_search(small_cluster: Path) -> None:
    """The node dies after the shards were opened, before the match: error, or the others' hits."""
    from searchkit.backends.xapian_engine import XapianBackend

    class DiesMidSearch(XapianBackend):
        def _run(self, db: object, request: object, missing: list[str]) -> object:  # type: ignore[override]
            if not missing and _pid_alive(small_cluster, 2):
                _kill(small_cluster, 2)
            return super()._run(db, request, missing)  # type: ignore[arg-type]

    shards = open_backend(small_cluster).shards
    with pytest.raises(ClusterError, match="shard 2 .* stopped answering during the search"):
        run(DiesMidSearch(shards, timeout=1.0), "coalition OR kerensky")
    start_nodes(small_cluster)
    partial = run(DiesMidSearch(shards, timeout=1.0, allow_partial=True), "coalition OR kerensky")
    assert partial.missing == (shards[1].label,) and partial.hits


def _pid_alive(index: Path, shard: int) -> bool:
    try:
        os.kill(_pid(index, shard), 0)
        return True
    except OSError:
        return False


def test_hung_node_times_out(small_cluster: Path) -> None:
    """A node that accepts connections but never answers (stopped): a bounded wait, then the error."""
    from searchkit.backends import search

    os.kill(_pid(small_cluster, 3), signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(ClusterError, match="shard 3"):
        search(small_cluster, "coalition")
    assert time.monotonic() - started < 30  # bounded by the 1 s timeouts, not forever


def test_updates_and_deletions_reach_the_shards(small_cluster: Path) -> None:
    from searchkit.backends import search

    sources = small_cluster.parent / "sources"
    assert search(small_cluster, "verkhovski").total == 2
    (sources / "knox-diary-verkhovsky.md").unlink()
    lenin = sources / "lenin-opposition-resolution.md"
    lenin.write_text(lenin.read_text(encoding="utf-8") + "\nThe verkhovski postscript.\n", encoding="utf-8")
    stats = build_index([sources], small_cluster)
    assert (stats.removed, stats.changed, stats.unchanged) == (1, 1, 7)
    hits = search(small_cluster, "verkhovski", limit=10).hits
    assert sorted(h.id for h in hits) == ["buchanan-diary-verkhovsky:1", "lenin-opposition-resolution:10"]
    assert open_backend(small_cluster).count() == 28 - 1 + 1


def test_cluster_commands(tmp_path: Path) -> None:
    """The command line: init, start, index, search, status, a dead node, stop."""
    from click.testing import CliRunner, Result

    from searchkit.cli import cli

    shutil.copytree(REPO / "sources", tmp_path / "sources")
    index = str(tmp_path / "big")
    runner = CliRunner()

    def sk(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False, env={"NO_COLOR": "1"})

    assert "Cluster of 3 shards" in sk("cluster", "init", index, "--shards", "3").stdout
    try:
        assert sk("cluster", "start", index).stdout.count("started on 127.0.0.1:") == 3
        indexed = sk("index", str(tmp_path / "sources"), "--index", index)
        assert "Indexed 9 documents, 28 paragraphs" in indexed.stdout
        found = sk("search", "coalition", "--speaker", "trotsky", "--index", index)
        assert found.exit_code == 0 and "[alpha-coalition-terms:11]" in found.stdout
        status = sk("cluster", "status", index)
        assert status.exit_code == 0 and status.stdout.count(": up, ") == 3
        _kill(Path(index), 2)
        node = read_config(Path(index)).nodes[1]
        down = sk("search", "coalition", "--index", index)
        assert down.exit_code == 2
        assert f"shard 2 ({node}) does not answer" in down.stderr
        partial = sk("search", "coalition", "--index", index, "--allow-partial")
        assert f"Warning: shard 2 ({node}) did not answer" in partial.stderr
        assert sk("cluster", "status", index).exit_code == 2
        show = sk("show", "lenin-opposition-resolution:6", "--index", index)
        assert "is a cluster index" in show.stderr
    finally:
        stopped = sk("cluster", "stop", index).stdout
    assert "shard 2 not running" in stopped and stopped.count("stopped (pid") == 2


@pytest.mark.parametrize(("query", "options"), SUITE, ids=[f"{q} {sorted(o)}" for q, o in SUITE])
def test_opensearch_requests_are_built_for_the_suite(query: str, options: dict[str, object]) -> None:
    """The OpenSearch side (no server here) at least turns every query of the suite into a request."""
    from searchkit.backends.base import Request
    from searchkit.backends.opensearch import search_body
    from searchkit.backends.plan import plan
    from searchkit.query import parse_query
    from searchkit.ranking import parse_question
    from searchkit.schema import make_schema

    words = bool(options.get("any_words"))
    parsed = parse_question(query, PLAIN) if words else parse_query(make_schema(), query)
    fields = {k: v for k, v in options.items() if k in ("filters", "offset", "sort", "facets")}
    body = search_body(Request(query, plan(parsed), **fields))  # type: ignore[arg-type]
    assert json.loads(json.dumps(body))["query"]["bool"]["must"]


def test_the_embedded_default_never_imports_xapian(bundled_index: Path) -> None:
    """GPL code stays out of the default path: a search of an embedded index loads no Xapian."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from searchkit.backends import search;"
        f"r = search(Path({str(bundled_index)!r}), 'coalition'); assert r.total == 5, r.total;"
        "print('xapian' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "False"
