"""Collections: a folder of sources and the settings that say how to read it.

Settings come from ``searchkit.yaml`` in the folder (or a file given with ``--config``); every
key is optional::

    name: speeches              # the collection's name (default: the folder's name)
    format: auto                # auto, markdown, text, gutenberg, tei
    author: Unknown author      # defaults for what a file does not say
    type: speech
    date: 1917
    calendar: gregorian         # recorded with each document
    filename: '^(?P<date>\\d{4})-(?P<author>[A-Za-z]+)'   # metadata from file names
    turns: auto                 # speaker turns: auto, true or false
    speaker_pattern: '^(?P<label>[A-Z]+):'                # a regex with a 'label' group
    people: {The CHAIRMAN: Henry Cabot Lodge}              # label or name -> person
    catalogue: catalogue.csv    # a CSV catalogue (default: catalogue.csv if there is one)
    variants: {russian: false}  # spelling-variant folding off for a language (searchkit.folding)
    files:                      # settings for some files only (glob patterns, in order)
      "inaugural/*": {type: inaugural address}
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.folding import check_setting
from searchkit.formats.catalogue import Catalogue, read_catalogue
from searchkit.sources import load_yaml

CONFIG_NAMES = ("searchkit.yaml", "searchkit.yml")
CATALOGUE_NAMES = ("catalogue.csv", "catalog.csv")
FORMAT_NAMES = ("auto", "markdown", "text", "gutenberg", "tei")
#: Keys that describe a file's metadata; anything else is a reading setting.
META_KEYS = ("title", "author", "speaker", "date", "type", "calendar")
FILE_KEYS = (
    *META_KEYS,
    *("format", "filename", "turns", "speaker_pattern", "record_speaker", "quoted_type", "paragraphs"),
)
TOP_KEYS = (*FILE_KEYS, "name", "people", "catalogue", "files", "variants")


@dataclass
class FileSettings:
    """Everything that says how to read one file of a collection."""

    rel: str  #: path inside the collection folder, '/' separated
    format: str
    defaults: dict[str, Any]  #: used when the file itself does not say
    overrides: dict[str, Any]  #: catalogue row and per-file settings: these win
    settings: dict[str, Any]
    people: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Collection:
    """A collection folder and its settings."""

    root: Path
    name: str
    config: dict[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    catalogue: Catalogue | None = None
    options: dict[str, Any] = field(default_factory=dict)  #: how it was asked for (for the manifest)

    def for_file(self, path: Path) -> FileSettings:
        """The merged settings for ``path`` (a file below the root)."""
        base = self.root if self.root.is_dir() else self.root.parent
        rel = path.relative_to(base).as_posix()
        top = {k: v for k, v in self.config.items() if k in FILE_KEYS}
        overrides: dict[str, Any] = {}
        for pattern, entry in (self.config.get("files") or {}).items():
            if fnmatch.fnmatch(rel, pattern):
                top.update({k: v for k, v in entry.items() if k not in META_KEYS})
                overrides.update({k: v for k, v in entry.items() if k in META_KEYS})
        extra: dict[str, Any] = {}
        if self.catalogue is not None and rel in self.catalogue.rows:
            row = self.catalogue.rows[rel]
            overrides.update({k: v for k, v in row.meta.items() if v})
            extra.update(row.extra)
        if "calendar" in top or "calendar" in overrides:
            extra["calendar"] = overrides.get("calendar", top.get("calendar"))
        return FileSettings(
            rel=rel,
            format=str(top.pop("format", "auto")),
            defaults={k: v for k, v in top.items() if k in META_KEYS},
            overrides=overrides,
            settings={k: v for k, v in top.items() if k not in META_KEYS},
            people={str(k): str(v) for k, v in (self.config.get("people") or {}).items()},
            extra=extra,
        )

    def fingerprint(self) -> dict[str, Any]:
        """What the manifest remembers, so that a changed config or catalogue means a rebuild."""
        found: dict[str, Any] = {"name": self.name, "config": self.config}
        if self.config_path is not None:
            found["config_path"] = str(self.config_path)
        if self.catalogue is not None:
            found["catalogue_sha256"] = self.catalogue.sha256
        return found


def load_collection(root: Path, config_path: Path | None = None, fmt: str | None = None) -> Collection:
    """The collection at ``root``: its settings file (``config_path`` or ``root/searchkit.yaml``),
    its catalogue, and ``fmt`` (a format name) overriding the configured format."""
    folder = root if root.is_dir() else root.parent
    if config_path is None:
        config_path = next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)
    config = _read_config(config_path) if config_path is not None else {}
    if fmt is not None:
        if fmt not in FORMAT_NAMES:
            raise SourceError(f"Unknown format '{fmt}'; use one of {', '.join(FORMAT_NAMES)}")
        config["format"] = fmt
    name = str(config.get("name") or folder.name)
    catalogue = None
    cat_name = config.get("catalogue")
    if cat_name:
        catalogue = read_catalogue(folder / str(cat_name), folder)
    else:
        found = next((folder / n for n in CATALOGUE_NAMES if (folder / n).is_file()), None)
        catalogue = read_catalogue(found, folder) if found else None
    return Collection(root, name, config, config_path, catalogue)


def _read_config(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(f"Cannot read collection settings '{path}': {e.strerror or e}") from None
    data = load_yaml(raw, str(path), "collection settings")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{path}:1: collection settings must be 'key: value' lines")
    for key in data:
        if key not in TOP_KEYS:
            raise SourceError(f"{path}: unknown setting '{key}'; use {', '.join(TOP_KEYS)}")
    fmt = data.get("format", "auto")
    if fmt not in FORMAT_NAMES:
        raise SourceError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMAT_NAMES)}")
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise SourceError(f"{path}: 'files' must map glob patterns to settings")
    for pattern, entry in files.items():
        for key in entry:
            if key not in FILE_KEYS:
                raise SourceError(
                    f"{path}: unknown setting '{key}' for '{pattern}'; use {', '.join(FILE_KEYS)}"
                )
    if "variants" in data:
        problem = check_setting(data["variants"], str(path))
        if problem:
            raise SourceError(problem)
    people = data.get("people") or {}
    if not isinstance(people, dict):
        raise SourceError(f"{path}: 'people' must map labels or names to people")
    # Dates stay as written, so that they are checked like any other date.
    return {str(k): _plain(v) for k, v in data.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
