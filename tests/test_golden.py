"""Search results stay exactly as recorded before the speed work (issue 7): ids, scores,
highlights, passages, totals and facets, for every query class of the speed benchmark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from golden_cases import CASES, GOLDEN, as_data, case_id, golden_index, make_filters

from searchkit import search

EXPECTED: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden_index(tmp_path_factory.mktemp("golden"))


def test_every_case_is_recorded() -> None:
    assert sorted(EXPECTED) == sorted(case_id(text, kwargs) for text, kwargs in CASES)


@pytest.mark.parametrize(("text", "kwargs"), CASES, ids=[case_id(t, k) for t, k in CASES])
def test_results_unchanged(index: Path, text: str, kwargs: dict[str, Any]) -> None:
    args = dict(kwargs)
    if "filters" in args:
        args["filters"] = make_filters(args["filters"])
    assert as_data(search(index, text, **args)) == EXPECTED[case_id(text, kwargs)]
