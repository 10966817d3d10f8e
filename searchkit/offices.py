"""Offices held on a date: ``--role "Minister of War"`` finds what whoever held the office wrote or
said on each paragraph's date.

The people file gives each person's offices with their tenure (:class:`searchkit.people.Role`);
an index run keeps them in the manifest as :class:`Tenure` rows, so that a search needs neither
the sources folder nor the people file. A paragraph matches a role when its author or its speaker
is one of the holders and its date overlaps that holder's tenure (dates are ranges: a paragraph
dated "1917" overlaps every tenure of 1917). Undated paragraphs never match.

A role is named as the people file names it, compared after folding by all its words, as
``--author`` compares names: ``--role "minister of war"`` and ``--role "war minister"`` both find
"Minister of War"; ``--role minister`` finds every minister.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchkit.analysis import name_words
from searchkit.errors import QueryError

if TYPE_CHECKING:  # a search imports this module: the people file's reader (and YAML) it needs not
    from searchkit.people import People

#: The day numbers of an open end: before and after every date searchkit can hold.
OPEN_START, OPEN_END = 1, dt.date.max.toordinal()


@dataclass(frozen=True)
class Tenure:
    """One person holding one office, from day ``start`` to day ``end`` (proleptic Gregorian
    ordinals; open ends are :data:`OPEN_START` and :data:`OPEN_END`)."""

    role: str
    person: str  #: the canonical name, as hits show it
    start: int
    end: int
    written: str  #: the tenure as the people file wrote it ("1917-05-05 to 1917-08-30 (julian)")

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "person": self.person,
            "start": self.start,
            "end": self.end,
            "written": self.written,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tenure:
        return cls(
            str(data["role"]), str(data["person"]), int(data["start"]), int(data["end"]), str(data["written"])
        )


def tenures(people: People) -> list[Tenure]:
    """Every office of every person in ``people``, in the order the file lists them."""
    found = []
    for person in people.persons:
        for role in person.roles:
            start = role.start.start.toordinal() if role.start else OPEN_START
            end = role.end.end.toordinal() if role.end else OPEN_END
            calendars = {d.calendar for d in (role.start, role.end) if d}
            written = f"{role.start.text if role.start else '..'} to {role.end.text if role.end else '..'}"
            if calendars - {"gregorian"}:
                written += f" ({', '.join(sorted(calendars))})"
            found.append(Tenure(role.title, person.name, start, end, written))
    return found


def holders(role: str, known: list[Tenure]) -> list[Tenure]:
    """The tenures of the office ``role`` names (all its words, folded, in the office's title).

    :raises QueryError: when no office in the people file has those words.
    """
    wanted = set(name_words(role))
    if not wanted:
        raise QueryError(f"--role '{role}' has no words to match")
    found = [t for t in known if wanted <= set(name_words(t.role))]
    if not found:
        offices = sorted({t.role for t in known})
        listed = (
            f"; the people file has: {', '.join(offices[:8])}"
            if offices
            else ("; the people file lists no offices (add 'roles:' to its entries)")
        )
        raise QueryError(f"No office called '{role}' in the people file{listed}")
    return found


def role_query(role: str, known: list[Tenure]) -> Any:
    """The Whoosh query of paragraphs by or spoken by a holder of ``role`` during their tenure."""
    from whoosh import query as q

    parts = []
    for tenure in holders(role, known):
        words = name_words(tenure.person)
        person = q.Or(
            [q.And([q.Term("author", w) for w in words]), q.And([q.Term("speaker", w) for w in words])]
        )
        parts.append(
            q.And(
                [
                    person,
                    q.NumericRange("date_end", tenure.start, None),
                    q.NumericRange("date_start", None, tenure.end),
                ]
            )
        )
    return parts[0] if len(parts) == 1 else q.Or(parts)


def load_tenures(index_dir: Path) -> list[Tenure]:
    """The offices the index in ``index_dir`` was built with (from its manifest)."""
    from searchkit.storage import read_manifest

    return [Tenure.from_json(row) for row in read_manifest(index_dir).offices]
