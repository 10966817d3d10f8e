"""The JSON output is a contract: real output of every command validates against
searchkit/schemas/output.schema.json, and a key the schema does not name fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from searchkit.cli import cli
from searchkit.schemas import KINDS, output_schema, schema_for


def lines(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def check(kind: str, records: list[dict[str, Any]]) -> None:
    assert records, f"no {kind} output to check"
    validator = Draft202012Validator(schema_for(kind))
    for record in records:
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)
        ]
        assert not errors, (kind, errors)


def test_the_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(output_schema())
    for kind in KINDS:
        Draft202012Validator.check_schema(schema_for(kind))


@pytest.mark.parametrize("which", ["bundled", "excerpts"])
def test_search_show_kwic_facets_stats(which: str, bundled_index: Path, excerpts_index: Path) -> None:
    index = str(bundled_index if which == "bundled" else excerpts_index)
    query = "Kerensky OR coalition OR army OR peace"
    hits = lines("search", query, "--index", index, "--json", "-n", "50")
    check("hit", hits)
    if which == "excerpts":  # the period fields are filled, not only null
        assert any(h["about_start"] for h in hits) and any(
            "~" in (h["date"] or "") or "/" in (h["date"] or "") for h in hits
        )
    *more, facets = lines("search", query, "--index", index, "--json", "--facets")
    check("hit", more)
    check("facets", [facets])
    check("shown", lines("show", hits[0]["id"], "--context", "2", "--index", index, "--json"))
    check("shown", lines("show", hits[0]["id"].rsplit(":", 1)[0], "--index", index, "--json"))
    check("kwic", lines("kwic", query, "--index", index, "--json"))
    check("stats", lines("stats", "--index", index, "--json"))


def test_record_and_replay(bundled_index: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    lines(
        "search",
        '"Soviet power" OR Kerenski~1',
        "--index",
        str(bundled_index),
        "--record",
        str(path),
        "--json",
    )
    check("record", [json.loads(path.read_text(encoding="utf-8"))])
    check("replay", lines("replay", str(path), "--json"))
    # a changed replay fills every list
    data = json.loads(path.read_text(encoding="utf-8"))
    data["hits"] = [
        {"id": "gone:1", "rank": 1, "score": 1.0},
        *({**h, "rank": h["rank"] + 1} for h in data["hits"]),
    ]
    data["searchkit_version"] = "0.0.1"
    data["total"] += 1
    path.write_text(json.dumps(data), encoding="utf-8")
    replayed = lines("replay", str(path), "--json")
    check("replay", replayed)
    assert replayed[0]["changed"] and replayed[0]["gone"] and replayed[0]["moved"]


def test_an_undocumented_key_is_caught(bundled_index: Path) -> None:
    hit = lines("search", "coalition", "--index", str(bundled_index), "--json", "-n", "1")[0]
    for kind, record in (
        ("hit", {**hit, "citation": "…"}),
        ("facets", {"facets": {"year": [], "decade": []}}),
    ):
        assert list(Draft202012Validator(schema_for(kind)).iter_errors(record)), kind
    missing = dict(hit)
    del missing["about"]
    assert list(Draft202012Validator(schema_for("hit")).iter_errors(missing))
