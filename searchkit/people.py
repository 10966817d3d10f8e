"""The authority file of people: one canonical name for everyone a collection names many ways.

A collection folder may hold ``people.yaml`` (it is not a document: the indexer reads it for
names only)::

    - name: V. I. Lenin                  # the canonical name, shown in hits and facets
      aliases: [N. Lenin, Vladimir Ilyich Ulyanov, Lenine]
      scripts: [Ленин, Владимир Ильич Ульянов]
      description: Bolshevik leader; Chairman of the Council of People's Commissars.

An entry may also list the offices the person held, with their tenure in either calendar (an
open end is left out); ``--role "Minister of War"`` then finds what whoever held the office said
or wrote on each paragraph's date (:mod:`searchkit.offices`)::

      roles:
        - {role: Minister of War, from: 1917-05-05, to: 1917-08-30, calendar: julian}

An author or speaker written as any of these names (compared after folding, as a name filter
compares them) is indexed under all of them and shown by the canonical name, so
``--author Ulyanov`` finds Lenin's resolution and its hit reads "V. I. Lenin".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.analysis import name_words
from searchkit.calendars import GREGORIAN, check_calendar
from searchkit.dates import DateRange, parse_date
from searchkit.errors import DateError, SourceError
from searchkit.sources import load_yaml

#: The file name of the authority file in a collection folder.
PEOPLE_FILE = "people.yaml"


@dataclass(frozen=True)
class Role:
    """An office a person held, from ``start`` to ``end`` (None: open at that end)."""

    title: str
    start: DateRange | None
    end: DateRange | None


@dataclass(frozen=True)
class Person:
    """One entry of the authority file: a person, or a body such as a newspaper."""

    name: str
    aliases: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    description: str = ""
    roles: tuple[Role, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of this person, the canonical one first."""
        return (self.name, *self.aliases, *self.scripts)


class People:
    """The people of one or more authority files, looked up by any of their names."""

    def __init__(self, persons: list[Person] | None = None, digest: str = "") -> None:
        self.persons = list(persons or [])
        self.digest = digest  #: a hash of the files read, to notice when they change
        self._by_key: dict[tuple[str, ...], Person] = {}
        for person in self.persons:
            for name in person.names:
                key = tuple(name_words(name))
                if key:
                    self._by_key.setdefault(key, person)

    def find(self, name: str) -> Person | None:
        """The person ``name`` is one of the names of, or None."""
        return self._by_key.get(tuple(name_words(name)))

    def canonical(self, name: str) -> str:
        """The canonical name for ``name`` (``name`` itself when nobody has it)."""
        person = self.find(name)
        return person.name if person else name

    def indexed_names(self, name: str) -> str:
        """The text indexed for an author or speaker: every name of the person, or ``name``."""
        person = self.find(name)
        if person is None:
            return name
        return " ; ".join(dict.fromkeys((*person.names, name)))


def people_files(roots: list[Path]) -> list[Path]:
    """The authority files of the collection folders ``roots`` (a file root: its folder's)."""
    found = []
    for root in roots:
        folder = root if root.is_dir() else root.parent
        path = folder / PEOPLE_FILE
        if path.is_file():
            found.append(path)
    return found


def load_people(roots: list[Path]) -> People:
    """Read the authority files of ``roots``; later entries never replace earlier names.

    :raises SourceError: naming the file and entry when one is malformed.
    """
    persons: list[Person] = []
    digest = hashlib.sha256()
    for path in people_files(roots):
        raw = path.read_bytes()
        digest.update(str(path).encode() + b"\0" + raw)
        persons.extend(parse_people(raw.decode("utf-8", errors="replace"), str(path)))
    return People(persons, digest.hexdigest() if persons else "")


def parse_people(text: str, label: str) -> list[Person]:
    """Parse the text of an authority file (a YAML list of entries)."""
    data = load_yaml(text, label, "people file")
    if data is None:
        return []
    if not isinstance(data, list):
        raise SourceError(f"{label}: a people file is a list of entries, each starting with '- name:'")
    return [_person(entry, i, label) for i, entry in enumerate(data, start=1)]


def _person(entry: Any, number: int, label: str) -> Person:
    where = f"{label}: entry {number}"
    if not isinstance(entry, dict) or not entry.get("name"):
        raise SourceError(f"{where} has no 'name'; write '- name: Canonical Name'")
    unknown = set(entry) - {"name", "aliases", "scripts", "description", "kind", "roles"}
    if unknown:
        raise SourceError(
            f"{where} ('{entry['name']}') has unknown key '{sorted(unknown)[0]}';"
            " use name, aliases, scripts, description, kind, roles"
        )

    def names(key: str) -> tuple[str, ...]:
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise SourceError(f"{where} ('{entry['name']}'): '{key}' must be a list of names")
        return tuple(" ".join(str(v).split()) for v in value)

    return Person(
        name=" ".join(str(entry["name"]).split()),
        aliases=names("aliases"),
        scripts=names("scripts"),
        description=" ".join(str(entry.get("description") or "").split()),
        roles=tuple(_role(r, f"{where} ('{entry['name']}')") for r in _role_list(entry.get("roles"), where)),
    )


def _role_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SourceError(f"{where}: 'roles' must be a list of '{{role: …, from: …, to: …}}' entries")
    return value


def _role(entry: Any, where: str) -> Role:
    """One office of an entry: ``{role: Minister of War, from: 1917-05-05, to: 1917-08-30,
    calendar: julian}``."""
    if not isinstance(entry, dict) or not entry.get("role"):
        raise SourceError(
            f"{where}: each of 'roles' needs a 'role', e.g. {{role: Minister of War, from: 1917-05}}"
        )
    title = " ".join(str(entry["role"]).split())
    unknown = set(entry) - {"role", "from", "to", "calendar", "note"}
    if unknown:
        raise SourceError(
            f"{where}: role '{title}' has unknown key '{sorted(unknown)[0]}';"
            " use role, from, to, calendar, note"
        )
    try:
        calendar = check_calendar(str(entry["calendar"])) if entry.get("calendar") else GREGORIAN
        start = parse_date(str(entry["from"]), calendar) if entry.get("from") not in (None, "") else None
        end = parse_date(str(entry["to"]), calendar) if entry.get("to") not in (None, "") else None
    except DateError as e:
        raise SourceError(f"{where}: role '{title}': {e}") from None
    if start and end and start.start > end.end:
        raise SourceError(f"{where}: role '{title}' ends ('{end.text}') before it starts ('{start.text}')")
    return Role(title, start, end)
