"""The JSON Schema (draft 2020-12) of everything searchkit writes as JSON: ``output.schema.json``.

Its ``$defs`` describe each kind of record: ``hit`` (a line of ``search --json``), ``shown``
(``show --json``), ``facets`` (the last line of ``search --facets --json``), ``kwic``, ``stats``,
``replay`` and ``record`` (the file of ``search --record``). Objects have exactly the keys listed
(no others), so a key added to the output without being added here fails the tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The schema file, shipped as package data.
SCHEMA_FILE = Path(__file__).with_name("output.schema.json")
#: The kinds of record the schema describes.
KINDS = ("hit", "shown", "facets", "kwic", "stats", "replay", "record")


def output_schema() -> dict[str, Any]:
    """The whole schema, as a dict."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def schema_for(kind: str) -> dict[str, Any]:
    """A schema that accepts one kind of record (``"hit"``, ``"kwic"``, …) and nothing else."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of record '{kind}'; the kinds are {', '.join(KINDS)}")
    root = output_schema()
    root.pop("oneOf", None)
    return {**root, "$ref": f"#/$defs/{kind}"}
