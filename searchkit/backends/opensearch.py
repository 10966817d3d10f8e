"""The OpenSearch backend, for when a server is reachable. UNTESTED HERE: no OpenSearch server
could be installed on the machines this was written on; its tests run only when
``SEARCHKIT_OPENSEARCH_URL`` names a server (see the README's "Beyond one machine").

- The mapping (:func:`mapping`): searchkit's analysed terms go into whitespace-analysed text
  fields (positions on, no engine stemming); ids, documents and sources are keywords; dates are
  integer day numbers; facets and sort keys are keywords.
- The query (:func:`to_dsl`) is translated from searchkit's parsed query: ``term``,
  ``match_phrase`` with slop, ``prefix``/``wildcard``/``fuzzy`` as constant scores, ``bool``.
- Searches use ``dfs_query_then_fetch``, so every shard ranks with the whole index's term
  statistics; documents are sent with ``_bulk``, routed by document id.
- A failed shard is an error naming it, or with ``allow_partial`` a warning.

Where several terms share a position (a hyphenated word is also indexed joined: "to-day" gives
"to", "day", "today"), a whitespace field can only put them one after another: phrases across
such a word may need one more position of slop than in the other backends.

Scores are OpenSearch's BM25 (its own Lucene idf, exact lengths quantised its own way, one norm per
field): unlike the Xapian backend (:mod:`searchkit.backends.xapian_weight`), nothing here makes
them equal to the embedded index's, so the order of close hits may differ from Whoosh's.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from typing import Any

from searchkit.analysis import name_words
from searchkit.backends.base import TEXT_FIELDS, Page, Record, Request, Row
from searchkit.backends.plan import All, AnyOf, DayRange, Node, Pattern, Phrase, Without, Word
from searchkit.errors import ClusterError, QueryError
from searchkit.facets import UNDATED, order_facets, year_span
from searchkit.query import Filters
from searchkit.ranking import DEFAULT

_NO_DAY = dt.date.max.toordinal()


def mapping(shards: int = 1) -> dict[str, Any]:
    """The index settings and mapping (BM25 with searchkit's default k1 and b)."""
    text = {"type": "text", "analyzer": "terms", "index_options": "positions", "similarity": "searchkit"}
    properties: dict[str, Any] = {name: dict(text) for name in TEXT_FIELDS}
    for name in ("id", "doc", "source", "collection", "tie", "date_key", "date_desc_key"):
        properties[name] = {"type": "keyword"}
    for name in ("speaker_facet", "author_facet", "type_facet"):
        properties[name] = {"type": "keyword"}
    for name in ("date_start", "date_end", "about_start", "about_end", "years", "about_years"):
        properties[name] = {"type": "integer"}
    properties["stored"] = {"type": "object", "enabled": False}
    return {
        "settings": {
            "number_of_shards": shards,
            "analysis": {"analyzer": {"terms": {"type": "custom", "tokenizer": "whitespace"}}},
            "similarity": {"searchkit": {"type": "BM25", "k1": DEFAULT.k1, "b": DEFAULT.b}},
        },
        "mappings": {"properties": properties},
    }


def _key(citation: str) -> str:
    doc, _, para = citation.rpartition(":")
    return f"{doc}\0{int(para) if para.isdigit() else 0:010d}"


def source(rec: Record) -> dict[str, Any]:
    """The JSON document of a paragraph."""
    body: dict[str, Any] = {name: " ".join(t for t, _ in terms) for name, terms in rec.terms.items()}
    body.update(rec.keywords)
    key = _key(rec.id)
    day = _NO_DAY if rec.days is None else rec.days[0]
    body["tie"] = f"{day:08d}{key}"
    body["date_key"] = f"1{key}" if rec.days is None else f"0{day:08d}{key}"
    body["date_desc_key"] = f"1{key}" if rec.days is None else f"0{_NO_DAY - day:08d}{key}"
    if rec.days is not None:
        body["date_start"], body["date_end"] = rec.days
        body["years"] = list(year_span(*rec.days))
    if rec.stored.get("about_start") is not None:
        body["about_start"], body["about_end"] = int(rec.stored["about_start"]), int(rec.stored["about_end"])
        body["about_years"] = list(year_span(body["about_start"], body["about_end"]))
    for name in ("speaker", "author", "type"):
        body[f"{name}_facet"] = str(rec.stored.get(name) or "unknown")
    body["stored"] = rec.stored
    return body


def bulk_lines(index: str, records: Sequence[Record], delete_docs: Sequence[str] = ()) -> str:
    """The ``_bulk`` body that adds ``records``, each routed by its document id (deletes are
    done before, by query)."""
    lines = []
    for rec in records:
        lines.append(json.dumps({"index": {"_index": index, "_id": rec.id, "routing": rec.doc}}))
        lines.append(json.dumps(source(rec), ensure_ascii=False))
    return "\n".join(lines) + "\n"


def to_dsl(node: Node) -> dict[str, Any]:
    """The OpenSearch query of a plan."""
    if isinstance(node, Word):
        return {"term": {node.field: {"value": node.text, "boost": node.boost}}}
    if isinstance(node, Phrase):
        # Lucene's slop counts moves; searchkit's (Whoosh's) slop 1 is side by side.
        return {"match_phrase": {node.field: {"query": " ".join(node.words), "slop": max(0, node.slop - 1)}}}
    if isinstance(node, Pattern):
        if node.kind == "prefix":
            inner: dict[str, Any] = {"prefix": {node.field: node.text}}
        elif node.kind == "wildcard":
            inner = {"wildcard": {node.field: node.text}}
        else:
            fuzzy = {
                "value": node.text,
                "fuzziness": min(node.maxdist, 2),
                "prefix_length": node.prefixlength,
            }
            inner = {"fuzzy": {node.field: fuzzy}}
        return {"constant_score": {"filter": inner, "boost": 0.0}}
    if isinstance(node, DayRange):
        bounds = {k: v for k, v in (("gte", node.low), ("lte", node.high)) if v is not None}
        return {"range": {node.field: bounds}}
    if isinstance(node, All):
        return {"bool": {"must": [to_dsl(c) for c in node.children]}}
    if isinstance(node, AnyOf):
        return {"bool": {"should": [to_dsl(c) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, Without):
        positive = {"match_all": {}} if node.positive is None else to_dsl(node.positive)
        return {"bool": {"must": [positive], "must_not": [to_dsl(node.negative)]}}
    raise QueryError(f"Cannot translate {node!r} for OpenSearch")


def filter_dsl(filters: Filters) -> list[dict[str, Any]]:
    """The ``bool`` filter clauses of ``filters``."""
    if filters.role is not None:
        raise QueryError("--role is not available on a cluster index yet; use --author or --speaker")
    parts: list[dict[str, Any]] = []
    for fieldname in ("author", "speaker", "type"):
        value = getattr(filters, fieldname)
        if value is not None:
            parts.extend({"term": {fieldname: w}} for w in name_words(value))
    if filters.collection is not None:
        parts.append({"term": {"collection": filters.collection.strip().lower()}})
    if filters.date_from is not None:
        parts.append({"range": {"date_end": {"gte": filters.date_from.start.toordinal()}}})
    if filters.date_to is not None:
        parts.append({"range": {"date_start": {"lte": filters.date_to.end.toordinal()}}})
    if filters.about_from is not None:
        parts.append({"range": {"about_end": {"gte": filters.about_from.start.toordinal()}}})
    if filters.about_to is not None:
        parts.append({"range": {"about_start": {"lte": filters.about_to.end.toordinal()}}})
    return parts


_SORTS = {
    "relevance": ["_score", {"tie": "asc"}],
    "date": [{"date_key": "asc"}],
    "date-desc": [{"date_desc_key": "asc"}],
}


def search_body(request: Request) -> dict[str, Any]:
    """The ``_search`` body of a request."""
    body: dict[str, Any] = {
        "query": {"bool": {"must": [to_dsl(request.node)], "filter": filter_dsl(request.filters)}},
        "from": request.offset,
        "size": request.limit,
        "sort": _SORTS[request.sort],
        "track_total_hits": True if request.exact_total or request.facets else request.offset + request.limit,
        "_source": ["stored"],
    }
    if request.facets:
        aggs: dict[str, Any] = {
            n: {"terms": {"field": f"{n}_facet", "size": 10_000}} for n in ("speaker", "author", "type")
        }
        aggs["year"] = {"terms": {"field": "years", "size": 10_000}}
        aggs["undated"] = {"missing": {"field": "date_start"}}
        aggs["about"] = {"terms": {"field": "about_years", "size": 10_000}}
        aggs["about_undated"] = {"missing": {"field": "about_start"}}
        body["aggs"] = aggs
    return body


class OpenSearchBackend:
    """An OpenSearch index at ``url``; see the module docstring."""

    name = "opensearch"

    def __init__(
        self, url: str, index: str, *, shards: int = 1, timeout: float = 10.0, allow_partial: bool = False
    ) -> None:
        if not url:
            raise ClusterError("An OpenSearch cluster needs a 'url' in cluster.json")
        self.url = url.rstrip("/")
        self.index = index
        self.shards = shards
        self.timeout = timeout
        self.allow_partial = allow_partial
        self._created = False

    def _call(self, method: str, path: str, body: Any = None, ndjson: bool = False) -> Any:
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        headers = {"Content-Type": "application/x-ndjson" if ndjson else "application/json"}
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (a configured URL)
                return json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            if e.code == 404 and method in ("DELETE", "HEAD"):
                return {}
            raise ClusterError(
                f"OpenSearch at '{self.url}' refused {method} {path}: {e.code} {e.read()[:300]!r}"
            ) from None
        except (urllib.error.URLError, OSError) as e:
            raise ClusterError(f"OpenSearch at '{self.url}' does not answer ({e})") from None

    def create(self) -> None:
        """Create the index with :func:`mapping`, unless it exists."""
        if self._created:
            return
        try:
            self._call("GET", f"/{self.index}")
        except ClusterError:
            self._call("PUT", f"/{self.index}", mapping(self.shards))
        self._created = True

    def write(self, records: Sequence[Record], delete_docs: Sequence[str] = ()) -> None:
        self.create()
        for doc in delete_docs:
            query = {"query": {"term": {"doc": doc}}}
            self._call("POST", f"/{self.index}/_delete_by_query?routing={doc}&refresh=true", query)
        if records:
            result = self._call("POST", "/_bulk?refresh=true", bulk_lines(self.index, records), ndjson=True)
            if result.get("errors"):
                bad = next(i for i in result["items"] if i.get("index", {}).get("error"))
                raise ClusterError(f"OpenSearch refused a paragraph: {bad['index']['error']}")

    def search(self, request: Request) -> Page:
        result = self._call(
            "POST", f"/{self.index}/_search?search_type=dfs_query_then_fetch", search_body(request)
        )
        shards = result.get("_shards", {})
        missing = tuple(
            f"shard {f.get('shard')} ({f.get('node', '?')}): {f.get('reason', {}).get('type', 'failed')}"
            for f in shards.get("failures", [])
        )
        if shards.get("failed") and not self.allow_partial:
            raise ClusterError(
                f"{'; '.join(missing) or 'a shard'} did not answer; search with --allow-partial"
            )
        hits = result["hits"]
        rows = [Row(h["_id"], float(h.get("_score") or 0.0), h["_source"]["stored"]) for h in hits["hits"]]
        total = hits["total"]
        facets = _facets(result["aggregations"]) if request.facets else None
        return Page(rows, int(total["value"]), total.get("relation") == "eq", facets, missing)

    def count(self) -> int:
        return int(self._call("GET", f"/{self.index}/_count").get("count", 0))

    def clear(self) -> None:
        self.create()
        self._call("POST", f"/{self.index}/_delete_by_query?refresh=true", {"query": {"match_all": {}}})

    def close(self) -> None:
        """Connections are not kept."""


def _facets(aggs: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    counters: dict[str, Counter[str]] = {}
    for name in ("speaker", "author", "type", "year", "about"):
        counters[name] = Counter({str(b["key"]): int(b["doc_count"]) for b in aggs[name]["buckets"]})
    for name, missing in (("year", "undated"), ("about", "about_undated")):
        if aggs[missing]["doc_count"]:
            counters[name][UNDATED] = int(aggs[missing]["doc_count"])
    return order_facets(counters)
