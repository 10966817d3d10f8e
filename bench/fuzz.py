"""A longer fuzz run: the hypothesis properties of tests/test_properties.py with many examples.

    .venv/bin/python bench/fuzz.py --examples 5000          # every property
    .venv/bin/python bench/fuzz.py --examples 20000 -k query

Prints how many inputs each property was given and whether it held; exit status 1 if any failed
(hypothesis prints the smallest failing input). The search property runs over an index of a copy
of the bundled collection, built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=5000, help="inputs per property (default 5000)")
    parser.add_argument("-k", default="", help="only properties whose name contains this")
    args = parser.parse_args()
    os.environ["SEARCHKIT_HYPOTHESIS_PROFILE"] = "fuzz"
    os.environ["SEARCHKIT_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path[:0] = [str(REPO), str(REPO / "tests")]

    import test_properties as props

    from searchkit import build_index

    tmp = Path(tempfile.mkdtemp(prefix="searchkit-fuzz-"))
    failed = []
    try:
        shutil.copytree(REPO / "sources", tmp / "sources")
        build_index([tmp / "sources"], tmp / "index")
        tests = [(n, f) for n, f in vars(props).items() if n.startswith("test_") and args.k in n]
        for name, test in sorted(tests):
            started = time.perf_counter()
            before = sum(props.CALLS.values())
            try:
                test(
                    tmp / "index"
                ) if "bundled_index" in test.hypothesis.inner_test.__code__.co_varnames else test()
                status = "held"
            except Exception:  # noqa: BLE001  (report every failing property, then go on)
                traceback.print_exc()
                status = "FAILED"
                failed.append(name)
            tried = sum(props.CALLS.values()) - before
            print(f"{name:45} {tried:7d} inputs {time.perf_counter() - started:7.1f} s  {status}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{sum(props.CALLS.values())} inputs in all; {len(failed)} properties failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
