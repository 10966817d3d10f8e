"""Ranking quality on the Cranfield collection: searchkit against SQLite FTS5 (porter, bm25()).

    python bench/relevance.py ../shared/corpora/cranfield

CRANFIELD_DIR holds ``derived/docs.jsonl``, ``derived/queries.tsv`` and ``derived/qrels.trec``
(see its PROVENANCE.md). Each of the 1,400 abstracts becomes a source file (title and author in
the front matter, the abstract as its text), indexed by ``searchkit.build_index``; each of the 225
questions is run through ``searchkit.search(..., any_words=True)``, as ``searchkit search --any``
runs it. The same documents and questions go through SQLite FTS5 in the same run.

Judgments: queries are numbered 1..225 by position; grade 1 is the most relevant. nDCG@10 uses
gain 5 - grade (grade -1 is not relevant); MAP counts grades 1-4 as relevant, over the top 1000.
Tune on the odd-numbered queries only: the even half is the figure that counts.

``--set k1=0.9 --set title_weight=0`` changes a field of :class:`searchkit.ranking.Ranking` for an
experiment; without it the defaults (what the CLI uses) are measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import searchkit
from searchkit.ranking import DEFAULT, Ranking

Qrels = dict[int, dict[str, int]]


def load(cranfield: Path) -> tuple[list[dict[str, str]], list[tuple[int, str]], Qrels]:
    derived = cranfield / "derived"
    docs = [json.loads(line) for line in (derived / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    queries = []
    for line in (derived / "queries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, _original, text = line.split("\t")
        queries.append((int(qid), text))
    qrels: Qrels = {}
    for line in (derived / "qrels.trec").read_text(encoding="utf-8").splitlines():
        qid, _, docid, grade = line.split()
        qrels.setdefault(int(qid), {})[docid] = int(grade)
    return docs, queries, qrels


def write_sources(docs: Iterable[dict[str, str]], folder: Path) -> None:
    """One source file per abstract: JSON strings are valid YAML, so any title is safe."""
    folder.mkdir(parents=True)
    for d in docs:
        header = [f"id: {json.dumps(d['doc_id'])}", f"title: {json.dumps(d['title'])}"]
        if d["author"]:
            header.append(f"author: {json.dumps(d['author'])}")
        body = "---\n" + "\n".join(header) + "\n---\n" + d["text"] + "\n"
        (folder / f"{int(d['doc_id']):04d}.txt").write_text(body, encoding="utf-8")


def searchkit_run(index: Path, ranking: Ranking) -> Callable[[str], list[str]]:
    def run(text: str) -> list[str]:
        result = searchkit.search(index, text, any_words=True, limit=1000, ranking=ranking)
        return [hit.doc for hit in result.hits]

    return run


def fts5_run(docs: Iterable[dict[str, str]]) -> Callable[[str], list[str]]:
    """SQLite FTS5, porter tokenizer, ranked by bm25() over title and text, any of the words."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, text, tokenize='porter')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d["doc_id"], d["title"], d["text"]) for d in docs])

    def run(text: str) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute(
            "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 1000", (match,)
        ).fetchall()
        return [r[0] for r in rows]

    return run


def ndcg_at_10(ranked: list[str], judged: dict[str, int]) -> float:
    gains = {d: 5 - g for d, g in judged.items() if g >= 1}
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(gains.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def average_precision(ranked: list[str], judged: dict[str, int]) -> float:
    relevant = {d for d, g in judged.items() if g >= 1}
    found, total = 0, 0.0
    for i, d in enumerate(ranked[:1000], start=1):
        if d in relevant:
            found += 1
            total += found / i
    return total / len(relevant) if relevant else 0.0


def evaluate(
    run: Callable[[str], list[str]], queries: list[tuple[int, str]], qrels: Qrels
) -> dict[str, float]:
    """nDCG@10 and MAP for the odd, even and all queries."""
    per_query = {}
    for qid, text in queries:
        ranked = run(text)
        per_query[qid] = (
            ndcg_at_10(ranked, qrels.get(qid, {})),
            average_precision(ranked, qrels.get(qid, {})),
        )
    figures = {}
    for half, keep in (("odd", 1), ("even", 0), ("all", None)):
        rows = [v for q, v in per_query.items() if keep is None or q % 2 == keep]
        figures[f"ndcg_{half}"] = sum(r[0] for r in rows) / len(rows)
        figures[f"map_{half}"] = sum(r[1] for r in rows) / len(rows)
    return figures


def parse_settings(settings: list[str]) -> Ranking:
    fields = {f.name: f.type for f in dataclasses.fields(Ranking)}
    changes: dict[str, object] = {}
    for item in settings:
        key, _, value = item.partition("=")
        if key not in fields:
            sys.exit(f"Unknown ranking setting '{key}'; settings are {', '.join(fields)}")
        kind = {"float": float, "int": int, "bool": lambda v: v.lower() in ("1", "true", "yes")}[
            str(fields[key])
        ]
        changes[key] = kind(value)
    return dataclasses.replace(DEFAULT, **changes)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cranfield", type=Path, help="the cranfield folder (with derived/)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--no-fts5", action="store_true", help="measure searchkit only")
    args = parser.parse_args()
    docs, queries, qrels = load(args.cranfield)
    ranking = parse_settings(args.settings)
    systems: list[tuple[str, Callable[[str], list[str]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        write_sources(docs, Path(tmp) / "cranfield")
        stats = searchkit.build_index([Path(tmp) / "cranfield"], Path(tmp) / "index")
        print(f"searchkit: indexed {stats.paragraphs} paragraphs in {time.perf_counter() - started:.1f} s")
        print(f"searchkit ranking: {ranking}")
        systems.append(("searchkit --any", searchkit_run(Path(tmp) / "index", ranking)))
        if not args.no_fts5:
            systems.append(("SQLite FTS5 porter bm25()", fts5_run(docs)))
        print(f"{len(queries)} queries, top 1000; nDCG@10 gain = 5 - grade; tune on odd, report even\n")
        print("| system | nDCG@10 odd | nDCG@10 even | nDCG@10 all | MAP odd | MAP even | MAP all |")
        print("|---|---|---|---|---|---|---|")
        for name, run in systems:
            started = time.perf_counter()
            f = evaluate(run, queries, qrels)
            cells = [
                f"{f[k]:.4f}" for k in ("ndcg_odd", "ndcg_even", "ndcg_all", "map_odd", "map_even", "map_all")
            ]
            print(
                f"| {name} | " + " | ".join(cells) + f" |  ({time.perf_counter() - started:.1f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
