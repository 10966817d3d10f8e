"""Measure the romanization key against Daitch–Mokotoff and Beider–Morse on the test sets of
tests/test_romanization.py and tests/test_variants.py.

The phonetic codes come from abydos (GPL-3.0: it is used by this measuring tool only, never by
searchkit at run time, and is not a dependency). Install it in a separate environment:

    python3 -m venv /tmp/phon && /tmp/phon/bin/pip install abydos -e .
    /tmp/phon/bin/python tools/compare_phonetic.py

Two words are joined by a phonetic algorithm when their code sets share a code; a Cyrillic word
is first written in BGN/PCGN. "key + D–M guard" joins two words when their keys are equal, or
when both are name-like (not English words) and their D–M codes meet.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_romanization import joined as key_joined  # noqa: E402
from test_romanization import roman, rows  # noqa: E402
from test_variants import load_pairs  # noqa: E402

from searchkit.analysis import fold  # noqa: E402
from searchkit.namekey import is_name_like  # noqa: E402
from searchkit.romanize import SYSTEMS, romanize  # noqa: E402


def _latin(word: str) -> str:
    if any("\u0400" <= c <= "\u052f" for c in word):
        word = romanize(word, "bgn-pcgn")
    return "".join(c for c in fold(word) if c.isalpha())


@cache
def dm(word: str) -> frozenset[str]:
    from abydos.phonetic import DaitchMokotoff

    return frozenset(DaitchMokotoff().encode(_latin(word)) or ())


@cache
def bm(word: str) -> frozenset[str]:
    from abydos.phonetic import BeiderMorse

    latin = _latin(word)
    return frozenset(BeiderMorse().encode(latin).split()) if latin else frozenset()


def phonetic(code: Callable[[str], frozenset[str]]) -> Callable[[str, str], bool]:
    def joined(a: str, b: str) -> bool:
        wa, wb = a.split(), b.split()
        return len(wa) == len(wb) and all(code(x) & code(y) for x, y in zip(wa, wb, strict=True))

    return joined


def guarded(a: str, b: str) -> bool:
    if key_joined(a, b):
        return True
    wa, wb = a.split(), b.split()
    names = all(is_name_like(fold(w)) for w in wa + wb)
    return names and phonetic(dm)(a, b)


def figures(name: str, joined: Callable[[str, str], bool]) -> list[str]:
    names = [r[0] for r in rows("romanization_names.tsv")]
    pairs = rows("romanization_pairs.tsv")
    lines = []
    worst_r, worst_a = 1.0, 1.0
    for s in SYSTEMS:
        found = sum(joined(roman(n, s), n) for n in names)
        false = sum(joined(roman(a, s), roman(b, s)) for a, b in pairs)
        worst_r = min(worst_r, found / len(names))
        worst_a = min(worst_a, 1 - false / len(pairs))
        lines.append(f"  {s:<10} recall {found / len(names):.3f}  pairs apart {1 - false / len(pairs):.3f}")
    att = rows("attested_variants.tsv")
    att_r = sum(joined(a, b) for a, b, _ in att) / len(att)
    eng = rows("english_pairs.tsv")
    eng_wrong = sum(joined(a, b) for a, b, d in eng if d == "apart")
    old = load_pairs()
    tp = sum(1 for a, b, lab, _ in old if lab == "variant" and joined(a, b))
    fp = sum(1 for a, b, lab, _ in old if lab == "distinct" and joined(a, b))
    variants = sum(1 for p in old if p[2] == "variant")
    head = (
        f"{name}: worst system recall {worst_r:.3f}, worst pairs apart {worst_a:.3f}; attested {att_r:.3f};"
        f" English pairs wrongly joined {eng_wrong}; variants.tsv recall {tp / variants:.3f}"
        f" precision {tp / max(tp + fp, 1):.3f}"
    )
    return [head, *lines]


def main() -> int:
    for name, fn in [
        ("romanization key (searchkit)", key_joined),
        ("Daitch–Mokotoff", phonetic(dm)),
        ("Beider–Morse", phonetic(bm)),
        ("key + D–M guard", guarded),
    ]:
        print("\n".join(figures(name, fn)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
