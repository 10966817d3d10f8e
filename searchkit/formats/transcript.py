"""Speaker turns: a paragraph that opens with a label ("Mr. BULLITT.") starts that speaker's turn.

The turn lasts until the next label. Labels become people through ``people``, a plain mapping
from a label or name to the canonical name (case-insensitive); without an entry, "Mr. BULLITT"
becomes "Mr. Bullitt" and "The CHAIRMAN" "The Chairman".

>>> labels = SpeakerLabels()
>>> labels.match("Senator KNOX. When did you first go to Paris?")
('Senator Knox', 'When did you first go to Paris?')
>>> labels.match("The CHAIRMAN. Mr. Bullitt, will you take the stand?")
('The Chairman', 'Mr. Bullitt, will you take the stand?')
>>> labels.match("Senator KNOX, I think that was published.") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from searchkit.errors import SourceError

#: Titles that may open a label; "The" covers "The CHAIRMAN.", "The WITNESS.".
_TITLES = (
    "Mr|Mrs|Ms|Miss|Dr|Senator|Representative|Congressman|Secretary|General|Admiral|Colonel|Captain"
    "|Judge|Governor|President|Commissioner|Professor|Rev|Hon|The"
)
#: The default label: a title, then a name in capitals, then a full stop. A label may also be
#: "Mr. BULLITT, William C. Bullitt." when the words after the comma repeat the name.
DEFAULT_SPEAKER_PATTERN = (
    rf"^(?P<label>(?:(?:{_TITLES})\.?\s+)[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+)*)"
    r"(?:\.\s*|,\s*(?P<aside>[^.]*(?:\.\s?[A-Z][a-z][^.]*)*)\.\s*$)"
)
#: How many labelled paragraphs make a file a transcript when turns are detected automatically.
MIN_TURNS = 10


class SpeakerLabels:
    """A compiled label pattern (with a named group ``label``) and the people it maps to."""

    def __init__(self, pattern: str | None = None, people: Mapping[str, str] | None = None) -> None:
        try:
            self.regex = re.compile(pattern or DEFAULT_SPEAKER_PATTERN)
        except re.error as e:
            raise SourceError(f"Invalid speaker pattern '{pattern}': {e}; write a Python regex") from None
        if "label" not in self.regex.groupindex:
            raise SourceError(f"Speaker pattern '{pattern}' has no (?P<label>…) group; add one")
        self.people = {k.casefold(): v for k, v in (people or {}).items()}

    def match(self, text: str) -> tuple[str, str] | None:
        """``(speaker, rest of the paragraph)`` if ``text`` opens with a label, else None."""
        m = self.regex.match(text)
        if not m:
            return None
        label = " ".join(m.group("label").split())
        aside = m.groupdict().get("aside")
        if aside is not None and _surname(label).casefold() not in aside.casefold():
            return None  # "Senator KNOX, I think…" addresses Knox; it is not Knox speaking
        return self.person(label), text[m.end() :].strip()

    def person(self, label: str) -> str:
        """The canonical name for a label: from ``people``, else the label in title case."""
        for key in (label, _surname(label)):
            if key.casefold() in self.people:
                return self.people[key.casefold()]
        return " ".join(w if not w.isupper() or len(w) < 2 else w.title() for w in label.split())


def _surname(label: str) -> str:
    return label.split()[-1]


def count_turns(texts: list[str], labels: SpeakerLabels) -> int:
    """How many of ``texts`` open with a speaker label."""
    return sum(1 for t in texts if labels.match(t) is not None)
