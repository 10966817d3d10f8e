"""Search records: ``search --record FILE`` keeps what was asked and what came back, so that
``replay FILE`` (:mod:`searchkit.replay`) can ask again and say what changed.

A record (one JSON object, described by ``searchkit/schemas/record.json``) holds:

- what was asked: the query, the filters as given, and the options (limit, offset, sort, --any);
- what it was turned into: the parsed query and every query word with the index words it matched
  (its spelling variants and inflections: :func:`searchkit.explain.matched_words`);
- the searchkit version; the index snapshot (the Whoosh index name and commit generation, a digest
  of every source file's hash and of the people file, document and paragraph counts); the analysis
  (``SCHEMA_VERSION`` and a digest of the variant rules and tables, :func:`rules_digest`);
- the number of matching paragraphs and the hits, ranked, as citation ids with scores.

:func:`searchkit.replay.replay` runs the recorded search again and compares: hits new, gone,
moved and rescored, the total, and which of index, version, analysis and parsed words differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import types
from dataclasses import dataclass, field
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from searchkit.dates import DateRange, parse_date
from searchkit.errors import DateError, RecordError
from searchkit.query import Filters, SearchResult
from searchkit.schema import SCHEMA_VERSION

#: The version of the record format; a record of another version is refused.
RECORD_FORMAT = 1
#: The modules whose rules and tables decide how words are matched; their source and their
#: module-level tables go into :func:`rules_digest`. A module that takes over part of the
#: analysis belongs here.
ANALYSIS_MODULES = ("searchkit.analysis", "searchkit.variants", "searchkit.namekey", "searchkit.romanize")
#: Data files of the package that the analysis reads (the English word list of the name keys).
ANALYSIS_DATA = ("data/english_words.txt",)
_DATE_FILTERS = ("date_from", "date_to", "about_from", "about_to")
_NAME_FILTERS = ("author", "speaker", "type", "collection", "role")


def searchkit_version() -> str:
    try:
        return metadata.version("searchkit")
    except metadata.PackageNotFoundError:
        return "unknown"


def _canonical(value: Any) -> Any:
    """A table or rule as plain data in a fixed order (sets and dicts sorted), for hashing."""
    if isinstance(value, re.Pattern):
        return ["re", value.pattern, value.flags]
    if isinstance(value, dict):
        return [[_canonical(k), _canonical(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return type(value).__name__


def rules_digest() -> str:
    """A digest of how words are matched: the source of :data:`ANALYSIS_MODULES` and the tables
    and rules they hold now (so a table changed at run time counts too)."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for name in ANALYSIS_MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        path = getattr(module, "__file__", None)
        if path:
            digest.update(Path(path).read_bytes())
        tables = {
            key: _canonical(value)
            for key, value in vars(module).items()
            if not key.startswith("__")
            and not callable(value)
            and not isinstance(value, types.ModuleType)
            and not isinstance(value, type)
        }
        digest.update(json.dumps(tables, sort_keys=True, default=str).encode())
    for name in ANALYSIS_DATA:
        digest.update(files("searchkit").joinpath(name).read_bytes())
    return digest.hexdigest()


def index_snapshot(index_dir: Path) -> dict[str, Any]:
    """What identifies the index as it is now (from its manifest): the Whoosh index name and
    commit, and a digest of what it holds that does not depend on where it was built: every
    source file's label and hash, and the people files' contents."""
    from searchkit.people import people_files
    from searchkit.storage import read_manifest

    manifest = read_manifest(index_dir)
    digest = hashlib.sha256()
    for info in sorted(manifest.files.values(), key=lambda i: str(i.get("source"))):
        digest.update(f"{info.get('source')}\t{info.get('sha256')}\n".encode())
    roots = [Path(r) for r in manifest.roots if Path(r).exists()]
    if len(roots) == len(manifest.roots):
        for path in people_files(roots):
            digest.update(b"people\t" + hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    else:  # a sources folder is gone: the manifest's own digest of the people files stands in
        digest.update(f"people\t{manifest.people}\n".encode())
    return {
        "name": manifest.indexname,
        "generation": manifest.generation,
        "sources_digest": digest.hexdigest(),
        "documents": len(manifest.files),
        "paragraphs": sum(int(i.get("paragraphs", 0)) for i in manifest.files.values()),
    }


def _date_json(value: DateRange | None) -> dict[str, str] | None:
    return None if value is None else {"text": value.text, "calendar": value.calendar}


def filters_json(filters: Filters) -> dict[str, Any]:
    """Filters as a record keeps them: names as given, dates as written with their calendar."""
    found: dict[str, Any] = {name: getattr(filters, name) for name in _NAME_FILTERS}
    found.update({name: _date_json(getattr(filters, name)) for name in _DATE_FILTERS})
    return found


def filters_from_json(data: Any) -> Filters:
    """The filters of a record (the inverse of :func:`filters_json`)."""
    if not isinstance(data, dict):
        raise RecordError("Record 'asked.filters' is not an object")
    values: dict[str, Any] = {}
    for name in _NAME_FILTERS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"Record filter '{name}' is not text")
        values[name] = value
    for name in _DATE_FILTERS:
        value = data.get(name)
        if value is None:
            values[name] = None
            continue
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            raise RecordError(f'Record filter \'{name}\' is not a date ({{"text": …, "calendar": …}})')
        try:
            values[name] = parse_date(value["text"], str(value.get("calendar") or "gregorian"))
        except DateError as e:
            raise RecordError(f"Record filter '{name}': {e}") from None
    return Filters(**values)


@dataclass(frozen=True)
class Asked:
    """A search as it was asked."""

    query: str
    filters: Filters = field(default_factory=Filters)
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"
    any_words: bool = False

    def options(self) -> dict[str, Any]:
        return {"limit": self.limit, "offset": self.offset, "sort": self.sort, "any": self.any_words}


def make_record(index_dir: Path, asked: Asked, result: SearchResult) -> dict[str, Any]:
    """The record of a search that gave ``result`` on the index in ``index_dir``."""
    from searchkit.explain import matched_words
    from searchkit.query import parse_query
    from searchkit.storage import open_searcher

    with open_searcher(index_dir) as searcher:
        if asked.any_words:
            from searchkit.ranking import DEFAULT, parse_question

            parsed = parse_question(asked.query, DEFAULT)
        else:
            parsed = parse_query(searcher.schema, asked.query)
        words = [w.to_json() for w in matched_words(parsed, searcher.reader())]
    return {
        "searchkit_record": RECORD_FORMAT,
        "recorded": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "searchkit_version": searchkit_version(),
        "asked": {"query": asked.query, "filters": filters_json(asked.filters), "options": asked.options()},
        "understood": {"parsed": result.query, "words": words},
        "index": {"dir": str(Path(index_dir).resolve()), **index_snapshot(index_dir)},
        "analysis": {"schema_version": SCHEMA_VERSION, "rules_digest": rules_digest()},
        "total": result.total,
        "hits": [{"id": h.id, "rank": h.rank, "score": h.score} for h in result.hits],
    }


def record_search(index_dir: Path, asked: Asked) -> dict[str, Any]:
    """Run the search ``asked`` and return its record."""
    from searchkit.query import search

    result = search(
        index_dir,
        asked.query,
        filters=asked.filters,
        limit=asked.limit,
        offset=asked.offset,
        sort=asked.sort,
        any_words=asked.any_words,
        count=True,  # a record keeps the exact number of matches, to compare on replay
    )
    return make_record(index_dir, asked, result)


def write_record(path: Path, record: dict[str, Any]) -> None:
    try:
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as e:
        raise RecordError(f"Cannot write the record '{path}': {e.strerror or e}") from None


def read_record(path: Path) -> dict[str, Any]:
    """A record file, checked enough to replay it.

    :raises RecordError: naming the file and what is wrong with it.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(
            f"No record file '{path}'; write one with 'searchkit search … --record FILE'"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise RecordError(f"Cannot read the record '{path}': {e}") from None
    except ValueError as e:
        raise RecordError(f"Record '{path}' is not JSON ({e})") from None
    if not isinstance(data, dict) or "searchkit_record" not in data:
        raise RecordError(f"'{path}' is not a searchkit record (no 'searchkit_record' key)")
    if data["searchkit_record"] != RECORD_FORMAT:
        raise RecordError(
            f"Record '{path}' has format {data['searchkit_record']!r};"
            f" this searchkit reads format {RECORD_FORMAT}"
        )
    try:
        asked = data["asked"]
        _ = (asked["query"], asked["options"], data["hits"], data["index"], data["total"])
        for hit in data["hits"]:
            _ = (hit["id"], hit["rank"], hit["score"])
    except (KeyError, TypeError) as e:
        raise RecordError(f"Record '{path}' is incomplete: no {e}") from None
    return data


def asked_from_record(record: dict[str, Any]) -> Asked:
    asked, options = record["asked"], record["asked"]["options"]
    try:
        return Asked(
            query=str(asked["query"]),
            filters=filters_from_json(asked.get("filters") or {}),
            limit=int(options.get("limit", 10)),
            offset=int(options.get("offset", 0)),
            sort=str(options.get("sort", "relevance")),
            any_words=bool(options.get("any", False)),
        )
    except (TypeError, ValueError, AttributeError) as e:
        raise RecordError(f"Record options are malformed ({e})") from None
