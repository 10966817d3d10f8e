"""Record the expected results of tests/test_golden.py (run only when results are meant to change).

.venv/bin/python tools/record_golden.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from golden_cases import CASES, GOLDEN, as_data, case_id, golden_index, make_filters  # noqa: E402

from searchkit import search  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        index = golden_index(Path(tmp))
        out = {}
        for text, kwargs in CASES:
            args = dict(kwargs)
            if "filters" in args:
                args["filters"] = make_filters(args["filters"])
            out[case_id(text, kwargs)] = as_data(search(index, text, **args))
    GOLDEN.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} cases to {GOLDEN}")


if __name__ == "__main__":
    main()
