"""List the words of a corpus that spelling-variant folding joins and the stemmer alone did not:
the way to check the folding's precision on real text.

    .venv/bin/python tools/variant_merges.py /path/to/corpus [more paths...]

Reads every file below the paths as UTF-8 text (bad bytes replaced).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

from searchkit.analysis import body_term, fold, stem, word_spans


def main(paths: list[str]) -> int:
    vocab: collections.Counter[str] = collections.Counter()
    for root in map(Path, paths):
        for path in [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()):
            text = path.read_text(encoding="utf-8", errors="replace")
            vocab.update(text[s:e] for s, e in word_spans(text))
    groups: dict[str, set[str]] = collections.defaultdict(set)
    for word in vocab:
        groups[body_term(word)].add(fold(word))
    merges = [sorted(words) for words in groups.values() if len({stem(w) for w in words}) > 1]
    merges.sort(key=lambda words: -sum(vocab[w] for w in words))
    print(f"{len(vocab)} distinct words; {len(merges)} groups joined by variant folding")
    for words in merges:
        print("  " + " / ".join(words))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
