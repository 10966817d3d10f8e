"""Citations for hits: Chicago notes and bibliography, CSL-JSON, BibTeX and RIS.

Every format starts from one CSL-JSON item per hit (:func:`csl_item`, from the document's
metadata) and the hit's locator: its page where the source has pages, else its paragraph.
The renderers are imported when first used, so a plain search never loads them.

>>> FORMATS
('chicago', 'csl-json', 'bibtex', 'ris')
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from searchkit.cite.chicago import ChicagoCitation, chicago
from searchkit.cite.metadata import csl_item, locator
from searchkit.query import Hit

FORMATS = ("chicago", "csl-json", "bibtex", "ris")

__all__ = ["FORMATS", "ChicagoCitation", "chicago_citation", "citations", "csl_item", "plain_citation"]


def chicago_citation(hit: Hit) -> ChicagoCitation:
    """The Chicago full note for ``hit`` (with its page or paragraph) and its bibliography entry."""
    return chicago(csl_item(hit), locator(hit))


def plain_citation(hit: Hit) -> str:
    """The text a reader pastes into a footnote: the Chicago note (what the web page's
    copy-citation button copies)."""
    return chicago_citation(hit).note


def where(hit: Hit) -> str:
    """The locator as BibTeX and RIS notes give it: "p. 214" or "para. 3"."""
    label, value = locator(hit)
    return f"p. {value}" if label == "page" else f"para. {value}"


def citations(hits: Sequence[Hit], fmt: str) -> Iterator[str]:
    """The citations of ``hits`` in ``fmt`` (one of :data:`FORMATS`), as lines to print.

    ``chicago``: per hit its citation id, the note and the bibliography entry, a blank line
    between hits; ``csl-json``: one JSON array of items (what Zotero and Pandoc import);
    ``bibtex`` and ``ris``: one entry per hit.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown citation format '{fmt}'; give one of {', '.join(FORMATS)}")
    if fmt == "csl-json":
        # One JSON array (what importers take), one item per line.
        items: list[dict[str, Any]] = [csl_item(hit) for hit in hits]
        if items:
            yield "[" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"
        return
    from searchkit.cite.bibtex import bibtex_entry, ris_record

    for i, hit in enumerate(hits):
        if i:
            yield ""
        if fmt == "chicago":
            found = chicago_citation(hit)
            yield f"[{hit.id}]"
            yield f"  note: {found.note}"
            yield f"  bibliography: {found.bibliography}"
        elif fmt == "bibtex":
            yield bibtex_entry(csl_item(hit), where(hit))
        else:
            yield ris_record(csl_item(hit), where(hit))
