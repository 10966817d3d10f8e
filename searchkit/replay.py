"""``searchkit replay FILE``: run a recorded search again and say what changed.

The comparison is of data (:class:`Replay`); :func:`replay_lines` and :func:`replay_json` turn it
into text for people and one JSON object for programs (``searchkit/schemas/replay.json``).
Something *changed* when the hits (which, in what order, with what score) or the number of
matches differ, or when the index's sources, the searchkit version, the analysis (variant rules,
schema) or the words the query was matched with are not what the record says. An index built
again from the same sources is the same index, unless the results differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.records import asked_from_record, read_record, record_search

#: Scores closer than this are the same score (scores are kept to six decimals).
_SCORE_EPSILON = 1e-6


@dataclass(frozen=True)
class Change:
    """One thing about the search that is not what the record says."""

    what: str  #: "index", "searchkit_version", "analysis", "words", "parsed_query", "total"
    was: Any
    now: Any
    summary: str  #: one line for people


@dataclass(frozen=True)
class Replay:
    """A recorded search asked again: what differs, and the two records."""

    record_path: str
    recorded: dict[str, Any]
    now: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)  #: hits that were not there ({id, rank, score})
    gone: list[dict[str, Any]] = field(default_factory=list)  #: hits no longer there (as recorded)
    moved: list[dict[str, Any]] = field(default_factory=list)  #: {id, was, now} ranks
    rescored: list[dict[str, Any]] = field(default_factory=list)  #: {id, rank, was, now} scores

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.new or self.gone or self.moved or self.rescored)


def replay(record_path: Path, index_dir: Path | None = None) -> Replay:
    """Run the search recorded in ``record_path`` again, on ``index_dir`` (default: the index
    it was recorded on), and compare.

    :raises RecordError: when the record cannot be read.
    """
    recorded = read_record(record_path)
    index = Path(index_dir) if index_dir is not None else Path(str(recorded["index"].get("dir", "index")))
    now = record_search(index, asked_from_record(recorded))
    return compare(recorded, now, str(record_path))


def compare(recorded: dict[str, Any], now: dict[str, Any], record_path: str = "") -> Replay:
    """What differs between two records of the same search."""
    old_hits = {h["id"]: h for h in recorded["hits"]}
    new_hits = {h["id"]: h for h in now["hits"]}
    new = [h for h in now["hits"] if h["id"] not in old_hits]
    gone = [h for h in recorded["hits"] if h["id"] not in new_hits]
    moved, rescored = [], []
    for hit in now["hits"]:
        old = old_hits.get(hit["id"])
        if old is None:
            continue
        if old["rank"] != hit["rank"]:
            moved.append({"id": hit["id"], "was": old["rank"], "now": hit["rank"]})
        elif abs(float(old["score"]) - float(hit["score"])) > _SCORE_EPSILON:
            rescored.append({"id": hit["id"], "rank": hit["rank"], "was": old["score"], "now": hit["score"]})
    differ = bool(new or gone or moved or rescored) or recorded["total"] != now["total"]
    changes = _environment(recorded, now, differ)
    return Replay(record_path, recorded, now, changes, new, gone, moved, rescored)


def _environment(recorded: dict[str, Any], now: dict[str, Any], results_differ: bool) -> list[Change]:
    """What around the search changed. An index of the same sources built again (another name or
    commit) counts only when the results differ too: then it is the likely reason (deleted
    paragraphs still count in Whoosh's statistics until its segments are merged)."""
    changes = []
    was_index, now_index = recorded["index"], now["index"]
    same_sources = all(
        was_index.get(k) == now_index.get(k) for k in ("sources_digest", "documents", "paragraphs")
    )
    rebuilt = any(was_index.get(k) != now_index.get(k) for k in ("name", "generation"))
    if not same_sources:
        parts = ["its sources differ"]
        for key in ("documents", "paragraphs"):
            if was_index.get(key) != now_index.get(key):
                parts.append(f"{was_index.get(key)} -> {now_index.get(key)} {key}")
        summary = "The index changed: " + ", ".join(parts)
        changes.append(Change("index", _snap(was_index), _snap(now_index), summary))
    elif rebuilt and results_differ:
        summary = "The index was rebuilt or updated since (its sources are the same)"
        changes.append(Change("index", _snap(was_index), _snap(now_index), summary))
    if recorded.get("searchkit_version") != now.get("searchkit_version"):
        was, new = recorded.get("searchkit_version"), now.get("searchkit_version")
        changes.append(
            Change("searchkit_version", was, new, f"The searchkit version changed: {was} -> {new}")
        )
    was_an, now_an = recorded.get("analysis") or {}, now.get("analysis") or {}
    if was_an.get("schema_version") != now_an.get("schema_version"):
        changes.append(
            Change(
                "analysis",
                was_an,
                now_an,
                f"The index schema changed: version {was_an.get('schema_version')} ->"
                f" {now_an.get('schema_version')}",
            )
        )
    elif was_an.get("rules_digest") != now_an.get("rules_digest"):
        changes.append(
            Change(
                "analysis",
                was_an,
                now_an,
                "The variant rules changed (analysis digest"
                f" {str(was_an.get('rules_digest'))[:12]} -> {str(now_an.get('rules_digest'))[:12]})",
            )
        )
    was_u, now_u = recorded.get("understood") or {}, now.get("understood") or {}
    if was_u.get("parsed") != now_u.get("parsed"):
        changes.append(
            Change(
                "parsed_query",
                was_u.get("parsed"),
                now_u.get("parsed"),
                f"The query is understood differently: {was_u.get('parsed')} -> {now_u.get('parsed')}",
            )
        )
    for line in _word_changes(was_u.get("words") or [], now_u.get("words") or []):
        changes.append(Change("words", was_u.get("words"), now_u.get("words"), line))
    if recorded["total"] != now["total"]:
        changes.append(
            Change(
                "total",
                recorded["total"],
                now["total"],
                f"Matching paragraphs: {recorded['total']} -> {now['total']}",
            )
        )
    return changes


def _snap(index: dict[str, Any]) -> dict[str, Any]:
    return {k: index.get(k) for k in ("name", "generation", "sources_digest", "documents", "paragraphs")}


def _word_changes(was: list[dict[str, Any]], now: list[dict[str, Any]]) -> Iterator[str]:
    """One line per query word now matched with other index words."""

    def key(w: dict[str, Any]) -> tuple[str, str, str]:
        return (str(w.get("field")), str(w.get("term")), str(w.get("kind")))

    old = {key(w): w.get("words") or [] for w in was}
    for word in now:
        before = old.get(key(word))
        after = word.get("words") or []
        if before is not None and list(before) != list(after):
            added = sorted(set(after) - set(before))
            dropped = sorted(set(before) - set(after))
            bits = ([f"now also {', '.join(added)}"] if added else []) + (
                [f"no longer {', '.join(dropped)}"] if dropped else []
            )
            yield f"'{word.get('term')}' ({word.get('field')}) is matched with other words: {'; '.join(bits)}"


def describe_asked(record: dict[str, Any]) -> str:
    """The recorded search in a line: the query and the filters and options that were set."""
    asked = record["asked"]
    bits = [repr(asked["query"])]
    for name, value in (asked.get("filters") or {}).items():
        if value is not None:
            bits.append(f"{name}={value['text'] if isinstance(value, dict) else value}")
    options = asked.get("options") or {}
    defaults = {"limit": 10, "offset": 0, "sort": "relevance", "any": False}
    bits.extend(f"{k}={v}" for k, v in options.items() if defaults.get(k) != v)
    return " ".join(bits)


def replay_lines(result: Replay) -> Iterator[str]:
    """The replay for people: what was asked, what changed around it, then the hits."""
    rec = result.recorded
    yield f"Replaying {describe_asked(rec)}"
    for change in result.changes:
        yield change.summary
    for hit in result.new:
        yield f"+ new    {hit['rank']:>3}. {hit['id']}  (score {hit['score']:.2f})"
    for hit in result.gone:
        yield f"- gone   {hit['rank']:>3}. {hit['id']}  (score {hit['score']:.2f})"
    for hit in result.moved:
        yield f"~ moved  {hit['was']:>3} -> {hit['now']}. {hit['id']}"
    for hit in result.rescored:
        yield f"~ score  {hit['rank']:>3}. {hit['id']}  {hit['was']:.2f} -> {hit['now']:.2f}"
    shown = len(result.now["hits"])
    if result.changed:
        yield "Changed."
    else:
        hits = f"{shown} hit{'s' if shown != 1 else ''}"
        yield f"No change: the same {hits} in the same order, from the same sources."


def replay_record(result: Replay) -> dict[str, Any]:
    """The replay as one JSON object (``searchkit/schemas/replay.json``)."""
    return {
        "replay": result.record_path,
        "changed": result.changed,
        "changes": [
            {"what": c.what, "was": c.was, "now": c.now, "summary": c.summary} for c in result.changes
        ],
        "new": result.new,
        "gone": result.gone,
        "moved": result.moved,
        "rescored": result.rescored,
        "total": {"was": result.recorded["total"], "now": result.now["total"]},
        "hits": result.now["hits"],
    }


def replay_json(result: Replay) -> str:
    return json.dumps(replay_record(result), ensure_ascii=False)
