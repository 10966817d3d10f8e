"""Rebuild searchkit/data/english_words.txt, the ordinary English words the romanization key
leaves alone (searchkit/namekey.py).

    apt-get install wamerican wbritish && pip install english-words
    .venv/bin/python tools/build_english_words.py

Sources: the lower-case words of Debian's wamerican and wbritish (SCOWL; notice in
searchkit/data/english_words.LICENSE.txt), possessive 's removed; and the lower-case words of
seven letters or more of Webster's Second International (1934, public domain; the ``web2`` list
of the english-words package), for the technical and period words SCOWL lacks (laminar,
aeroelastic). Shorter web2 words are left out: many are obscure words that romanized Russian names
would run into (lev, mir, bor). Words below in NOT_ENGLISH are Russian names in web2.
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "searchkit" / "data" / "english_words.txt"
DICTS = ("/usr/share/dict/american-english", "/usr/share/dict/british-english")
NOT_ENGLISH = frozenset({"konstantin"})


def main() -> None:
    from english_words import get_english_words_set

    words = set()
    for name in DICTS:
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            if re.fullmatch(r"[a-z]+('s)?", line):
                words.add(line.removesuffix("'s"))
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    words |= {w for w in web2 if w.islower() and w.isascii() and len(w) >= 7}
    words -= NOT_ENGLISH
    OUT.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {OUT}")


if __name__ == "__main__":
    main()
