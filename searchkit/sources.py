"""Read source documents: YAML front matter, then paragraphs separated by blank lines.

The format is documented in the README. In short::

    ---
    title: Speech against coalition
    author: L. D. Trotsky
    date: 1917-11-08
    type: speech
    ---
    First paragraph, which may be
    wrapped over several lines.

    ::: {speaker="Izvestiia" type="newspaper report"}
    A run of paragraphs spoken or written by someone else.
    :::

Nothing here imports whoosh: a :class:`Document` is plain data.
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from searchkit.calendars import GREGORIAN, check_calendar
from searchkit.dates import DateRange, parse_date
from searchkit.errors import DateError, SourceError

#: File name endings read as source documents.
SOURCE_SUFFIXES = (".md", ".markdown", ".txt")
#: Front-matter keys with a meaning of their own; any other key is kept as extra metadata.
KNOWN_KEYS = ("id", "title", "author", "speaker", "date", "about", "type", "calendar")
UNKNOWN = "unknown"
#: Longest paragraph indexed (indexing time grows with it: about 0.5 s per 100,000 characters).
MAX_PARAGRAPH_CHARS = 100_000
#: Largest source file read.
MAX_FILE_BYTES = 64 * 1024 * 1024

_DIV_OPEN = re.compile(r"^:{3,}\s*\{(?P<attrs>.*)\}\s*$")
_DIV_CLOSE = re.compile(r"^:{3,}\s*$")
_ATTR = re.compile(r"""(?P<key>[\w-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")
_DIV_KEYS = ("speaker", "date", "about", "type", "calendar")


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as written: searchkit parses them itself, with clear errors
    (PyYAML would turn 1917-02-30 into a ValueError and 1917-11-07 into a date object)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph with the metadata in force for it."""

    number: int  #: 1-based position in its document: the citation's paragraph number
    text: str
    line: int  #: 1-based line of the file where the paragraph starts
    speaker: str
    date: DateRange | None
    type: str
    section: str = ""  #: the chapter or heading it falls under, if the format has them
    #: the page it starts on, as printed (a PDF page label such as "xii" or "214"), for paginated
    #: sources; None where the source has no pages
    page: str | None = None
    #: the period the paragraph describes, when it differs from when it was written (a memoir
    #: written in 1931 about October 1917); None when not given
    about: DateRange | None = None


@dataclass(frozen=True)
class Document:
    """A source document: its metadata and its paragraphs."""

    id: str
    source: str  #: path relative to the collection folder, with '/' separators
    title: str
    author: str
    date: DateRange | None
    type: str
    paragraphs: tuple[Paragraph, ...]
    extra: dict[str, Any] = field(default_factory=dict)
    about: DateRange | None = None  #: the period the document describes, if given

    @property
    def speaker(self) -> str:
        return self.paragraphs[0].speaker if self.paragraphs else self.author


def is_source_file(path: Path) -> bool:
    """True for the files a collection folder is made of (not hidden, not a README)."""
    return (
        path.suffix.lower() in SOURCE_SUFFIXES
        and not path.name.startswith(".")
        and not path.stem.upper().startswith("README")
    )


def find_source_files(root: Path, keep: Callable[[Path], bool] = is_source_file) -> list[Path]:
    """Every source file below ``root`` (or ``root`` itself if it is a file), in sorted order;
    ``keep`` says which file names count (by default: :func:`is_source_file`). Hidden files and
    folders are skipped, and links to folders are not followed."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise SourceError(f"No sources folder '{root}': give the folder that holds your documents")
    return sorted(path for path in _walk(str(root)) if keep(path))


def _walk(folder: str) -> Iterator[Path]:
    # os.scandir knows most entries' kinds without a system call per file, which matters before
    # every search of a collection of ten thousand files.
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        # Broken links and loops of links are listed too, so that they are reported, not ignored.
        elif entry.is_symlink() or entry.is_file():
            yield Path(entry.path)


def read_sources(root: Path, on_error: Callable[[SourceError], None] | None = None) -> Iterator[Document]:
    """Yield every document below ``root``.

    A file that cannot be read is passed to ``on_error`` and skipped, so one bad document never
    stops the others; without ``on_error`` the error is raised.
    """
    base = root if root.is_dir() else root.parent
    for path in find_source_files(root):
        try:
            yield read_document(path, base)
        except SourceError as e:
            if on_error is None:
                raise
            on_error(e)


def read_document(path: Path, base: Path) -> Document:
    """Read one source file; ``base`` is the collection folder its id and source are relative to."""
    rel = path.relative_to(base).as_posix()
    return parse_document(read_source_text(path, base), rel, label=str(path))


def read_source_text(path: Path, base: Path) -> str:
    """The text of a source file below ``base``, whatever its format, with '\\n' line ends.

    Refuses links that lead out of ``base``, files over :data:`MAX_FILE_BYTES`, and anything
    :func:`decode_source` cannot read, with a :class:`SourceError` naming the file.
    """
    outside = outside_link(path, base)
    if outside:
        raise SourceError(f"Not reading '{path}': it is a link to '{outside}', outside the collection")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                f"Not reading '{path}': {size:,} bytes is more than searchkit's limit of"
                f" {MAX_FILE_BYTES:,}; split it into several files"
            )
        raw = path.read_bytes()
    except OSError as e:
        raise SourceError(f"Cannot read '{path}': {e.strerror or e}") from None
    return decode_source(raw, str(path)).replace("\r\n", "\n").replace("\r", "\n")


def decode_source(raw: bytes, label: str) -> str:
    """The text of a source file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Anything else,
    and text with NUL bytes (a binary file), raises :class:`SourceError`."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise SourceError(
                f"Cannot read '{label}': not UTF-8, and not UTF-16 although it starts like it"
                f" (bad data at offset {e.start}); convert the file to UTF-8"
            ) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            raise SourceError(
                f"Cannot read '{label}': not UTF-8 (byte 0x{raw[e.start]:02x} on line {line});"
                " convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8"
            ) from None
    if "\x00" in text:
        raise SourceError(f"Not reading '{label}': it holds NUL bytes, so it is binary, not text")
    return text


def outside_link(path: Path, base: Path) -> str:
    """The target of ``path`` when it is (or lies under) a symbolic link leading out of ``base``."""
    try:
        target = path.resolve()
        target.relative_to(base.resolve())
    except ValueError:
        return str(target)
    except (OSError, RuntimeError):  # a loop of links
        return "a loop of links"
    return ""


def parse_document(text: str, source: str, label: str | None = None) -> Document:
    """Parse the text of a source file. ``source`` is its path inside the collection."""
    label = label or source
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start = _front_matter(lines, label)
    default_id = source.rsplit(".", 1)[0]
    doc_id = _string(meta, "id", label, lines) or default_id
    author = _string(meta, "author", label, lines) or UNKNOWN
    speaker = _string(meta, "speaker", label, lines) or author
    doc_type = (_string(meta, "type", label, lines) or UNKNOWN).lower()
    title = _string(meta, "title", label, lines) or Path(default_id).name
    calendar = _calendar(meta.get("calendar"), GREGORIAN, label, _key_line(lines, "calendar"))
    date = _date(meta.get("date"), label, _key_line(lines, "date"), calendar)
    about = _date(meta.get("about"), label, _key_line(lines, "about"), calendar)
    defaults = {"speaker": speaker, "date": date, "about": about, "type": doc_type, "calendar": calendar}
    paragraphs = tuple(_paragraphs(lines, body_start, defaults, label))
    extra = _extra(meta, label, lines)
    return Document(doc_id, source, title, author, date, doc_type, paragraphs, extra, about=about)


def load_yaml(text: str | bytes, label: str, what: str, first_line: int = 1) -> Any:
    """Safe YAML, dates left as written; a syntax error is a :class:`SourceError` naming ``label``,
    the line (the text starts at line ``first_line`` of the file) and ``what`` was malformed."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506  (a SafeLoader)
    except yaml.MarkedYAMLError as e:
        line = (e.problem_mark.line + first_line) if e.problem_mark else 1
        raise SourceError(f"{label}:{line}: malformed {what}: {e.problem}") from None
    except yaml.YAMLError as e:
        raise SourceError(f"{label}: malformed {what}: {e}") from None


def _front_matter(lines: list[str], label: str) -> tuple[dict[str, Any], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise SourceError(f"{label}:1: front matter opened with '---' is never closed; add a '---' line")
    meta = load_yaml("\n".join(lines[1:end]), label, "front matter", first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(f"{label}:2: front matter must be 'key: value' lines")
    return {str(k): v for k, v in meta.items()}, end + 1


def _key_line(lines: list[str], key: str) -> int:
    for i, line in enumerate(lines[1:], start=2):
        if line.startswith(f"{key}:"):
            return i
    return 1


def _string(meta: dict[str, Any], key: str, label: str, lines: list[str]) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise SourceError(f"{label}:{_key_line(lines, key)}: '{key}' must be a single value")
    return " ".join(str(value).split())


def _date(value: Any, label: str, line: int, calendar: str = GREGORIAN) -> DateRange | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        return parse_date(value, calendar)
    except DateError as e:
        raise SourceError(f"{label}:{line}: {e}") from None


def _calendar(value: Any, default: str, label: str, line: int) -> str:
    """The calendar a document's or block's dates are written in (``calendar: julian``)."""
    if value is None or value == "":
        return default
    try:
        return check_calendar(str(value))
    except DateError as e:
        raise SourceError(f"{label}:{line}: {e}") from None


#: How many values the extra front-matter keys of one document may hold in all (YAML aliases can
#: make a few lines stand for billions of values).
MAX_META_VALUES = 10_000


def _plain(value: Any, budget: list[int] | None = None, depth: int = 0) -> Any:
    """Metadata as JSON can hold it: YAML dates become ISO strings, sets sorted lists, binary
    data, NaN and infinities text. Raises ``ValueError`` for self-referencing or huge values."""
    budget = [MAX_META_VALUES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0 or depth > 50:
        raise ValueError("it is too large or refers to itself")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(str(_plain(v, budget, depth + 1)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget, depth + 1) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _extra(meta: dict[str, Any], label: str, lines: list[str]) -> dict[str, Any]:
    budget = [MAX_META_VALUES]
    extra = {}
    for key, value in meta.items():
        if key in KNOWN_KEYS:
            continue
        try:
            extra[key] = _plain(value, budget)
        except ValueError as e:
            raise SourceError(f"{label}:{_key_line(lines, key)}: front-matter key '{key}': {e}") from None
    return extra


def _paragraphs(lines: list[str], start: int, defaults: dict[str, Any], label: str) -> Iterable[Paragraph]:
    stack: list[tuple[int, dict[str, Any]]] = []  # (line of ':::', metadata in force)
    current = dict(defaults)
    buf: list[str] = []
    buf_line = 0
    number = 0

    def flush() -> Paragraph | None:
        nonlocal number, buf
        text = " ".join(part.strip() for part in buf).strip()
        buf = []
        if not text:
            return None
        if len(text) > MAX_PARAGRAPH_CHARS:
            raise SourceError(
                f"{label}:{buf_line}: paragraph of {len(text):,} characters is longer than searchkit's"
                f" limit of {MAX_PARAGRAPH_CHARS:,}; separate its paragraphs with blank lines"
            )
        number += 1
        return Paragraph(
            number,
            text,
            buf_line,
            current["speaker"],
            current["date"],
            current["type"],
            about=current["about"],
        )

    for lineno, line in enumerate(lines[start:], start=start + 1):
        opened = _DIV_OPEN.match(line.strip())
        if opened or _DIV_CLOSE.match(line.strip()):
            para = flush()
            if para:
                yield para
            if opened:
                stack.append((lineno, current))
                attrs = _div_attrs(opened.group("attrs"), label, lineno, current["calendar"])
                current = {**current, **attrs}
            elif not stack:
                raise SourceError(f"{label}:{lineno}: ':::' closes no open '::: {{…}}' block")
            else:
                current = stack.pop()[1]
            continue
        if not line.strip():
            para = flush()
            if para:
                yield para
            continue
        if not buf:
            buf_line = lineno
        buf.append(line)
    para = flush()
    if para:
        yield para
    if stack:
        raise SourceError(f"{label}:{stack[-1][0]}: '::: {{…}}' block is never closed; add a ':::' line")


def _div_attrs(attrs: str, label: str, lineno: int, inherited_calendar: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    rest = _ATTR.sub("", attrs).strip()
    if rest:
        raise SourceError(f"{label}:{lineno}: cannot read '{rest}' in block attributes; write key=\"value\"")
    values = [(m.group("key"), _attr_value(m)) for m in _ATTR.finditer(attrs)]
    # the block's calendar first: its date is read in it
    calendar = dict(values).get("calendar")
    if calendar is not None:
        found["calendar"] = _calendar(calendar, GREGORIAN, label, lineno)
    for key, value in values:
        if key not in _DIV_KEYS:
            raise SourceError(
                f"{label}:{lineno}: unknown block attribute '{key}'; use {', '.join(_DIV_KEYS)}"
            )
        if key == "calendar":
            continue
        if key in ("date", "about"):
            found[key] = _date(value, label, lineno, found.get("calendar", inherited_calendar))
        elif key == "type":
            found[key] = " ".join(value.split()).lower()
        else:
            found[key] = " ".join(value.split())
    return found


def _attr_value(m: re.Match[str]) -> str:
    return next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
