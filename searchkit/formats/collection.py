"""Collections: a folder of sources and the settings that say how to read it.

Settings come from ``searchkit.yaml`` in the folder (or a file given with ``--config``); every
key is optional::

    name: speeches              # the collection's name (default: the folder's name)
    format: auto                # auto, or one format for every file: markdown, text, pdf, …
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
    pdf_reader: pdfium          # pdfium (fast) or pdfminer (slower, for hard multi-column layouts)
    time_limit: 120             # seconds a file of a format read from bytes may take
    memory_limit: 2048          # megabytes such a file's reading may use
    files:                      # settings for some files only (glob patterns, in order)
      "inaugural/*": {type: inaugural address}

A file's metadata can also be given in a *sidecar*: ``report.pdf.yaml`` beside ``report.pdf``,
with the keys of front matter (title, author, date, …; other keys are kept as extra metadata).
What wins: the catalogue row, then the sidecar, then the ``files:`` settings, then the file's
name (``filename:``), then what the file itself says, then the collection's defaults.
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
FORMAT_NAMES = (
    *("auto", "markdown", "text", "gutenberg", "tei"),
    *("pdf", "docx", "odt", "epub", "html", "hocr", "alto", "page", "rtf"),
)
#: Keys that describe a file's metadata; anything else is a reading setting.
META_KEYS = ("title", "author", "speaker", "date", "type", "calendar")
FILE_KEYS = (
    *META_KEYS,
    *("format", "filename", "turns", "speaker_pattern", "record_speaker", "quoted_type", "paragraphs"),
    *("pdf_reader", "time_limit", "memory_limit"),
)
#: The keys of a sidecar that have a meaning of their own (as in front matter).
SIDECAR_KEYS = ("id", *META_KEYS)
#: A sidecar's name: the file's name plus this.
SIDECAR_SUFFIX = ".yaml"
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
    #: what a reader found worth telling that is not an error ("no text layer: needs OCR")
    warnings: list[str] = field(default_factory=list)


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of ``path`` would be: ``report.pdf`` -> ``report.pdf.yaml``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in the sidecar of ``path`` ({} when there is none)."""
    side = sidecar_path(path)
    try:
        raw = side.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise SourceError(f"Cannot read the sidecar '{side}': {e.strerror or e}") from None
    data = load_yaml(raw, str(side), "sidecar")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(f"{side}:1: a sidecar must be 'key: value' lines, like front matter")
    found = {str(k): _plain(v) for k, v in data.items()}
    for key in SIDECAR_KEYS:
        if isinstance(found.get(key), (dict, list)):
            raise SourceError(f"{side}: '{key}' must be a single value")
    return found


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
        sidecar = read_sidecar(path)
        overrides.update({k: v for k, v in sidecar.items() if k in SIDECAR_KEYS and v not in (None, "")})
        extra.update({k: v for k, v in sidecar.items() if k not in SIDECAR_KEYS})
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
