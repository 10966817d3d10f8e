"""Sentence boundaries from NLTK's Punkt, trained on the collection's own text.

Punkt learns a collection's abbreviations ("C.C.", "i.e.", "vol.") and initials from the text
itself, so no downloaded model is needed. The indexer trains it after every run and stores what it
learnt as ``sentences.json`` in the index folder (plain JSON, not a pickle: it can be read by any
NLTK version and never runs code). Without that file an untrained Punkt is used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The file in the index folder that holds the trained parameters.
MODEL_FILE = "sentences.json"
#: Training reads at most this many characters (under a second of CPU): Punkt's statistics settle long
#: before, and a large collection must not make index runs slow.
TRAIN_CHARS = 500_000

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]


def _language_vars() -> Any:
    """Punkt's English punctuation, plus "…" as a sentence end (common in translated sources)."""
    from nltk.tokenize.punkt import PunktLanguageVars

    class LanguageVars(PunktLanguageVars):
        sent_end_chars = (".", "?", "!", "…")

    return LanguageVars()


def train(texts: Iterable[str], limit: int = TRAIN_CHARS) -> dict[str, Any]:
    """Learn Punkt parameters from ``texts`` (paragraphs); returns them as JSON-ready data."""
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer(lang_vars=_language_vars())
    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text)
        if size >= limit:
            break
    trainer.train("\n\n".join(chunk), finalize=True)
    params = trainer.get_params()
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def save_model(index_dir: Path, model: dict[str, Any]) -> None:
    """Write ``model`` into the index folder atomically."""
    tmp = index_dir / f".{MODEL_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, index_dir / MODEL_FILE)


def train_from_index(index_dir: Path, changed: int | None = None, documents: int = 0) -> bool:
    """Train on the paragraphs stored in the index in ``index_dir`` and save the model there;
    True if it did.

    With ``changed`` (files added, changed or removed by the run) out of ``documents``, an existing
    model is kept unless a tenth of the collection changed: small updates hardly move Punkt's
    statistics, and retraining would make every update pay for the whole collection.
    """
    from searchkit.storage import open_searcher

    if changed is not None and (index_dir / MODEL_FILE).exists() and changed * 10 < documents:
        return False

    with open_searcher(index_dir) as searcher:
        reader = searcher.reader()
        texts = (fields.get("body", "") for fields in reader.all_stored_fields())
        model = train(texts)
    save_model(index_dir, model)
    return True


def load_splitter(index_dir: Path | None) -> Splitter:
    """The sentence splitter of the index in ``index_dir``: ``split(text)`` -> sentence spans."""
    path = index_dir / MODEL_FILE if index_dir is not None else None
    try:
        stamp = path.stat().st_mtime_ns if path is not None else 0
    except OSError:
        path, stamp = None, 0
    return _splitter(str(path) if path else "", stamp)


@lru_cache(maxsize=4)
def _splitter(path: str, stamp: int) -> Splitter:
    # The spans found at index time answer first (see searchkit.sentence_store); Punkt (and with it
    # NLTK, a quarter of a second to import) is loaded only for a paragraph they do not hold.
    from searchkit.sentence_store import stored_spans

    tokenizer: list[Any] = []
    stored = stored_spans(Path(path)) if path else None

    def split(text: str) -> list[Span]:
        found = stored(text) if stored is not None else None
        if found is not None:
            return found
        if not tokenizer:
            tokenizer.append(_tokenizer(path))
        return [(int(s), int(e)) for s, e in tokenizer[0].span_tokenize(text)]

    return split


def punkt_splitter(index_dir: Path) -> Splitter:
    """Punkt with the model of the index in ``index_dir``, not the stored spans."""
    tokenizer = _tokenizer(str(index_dir / MODEL_FILE))

    def split(text: str) -> list[Span]:
        return [(int(s), int(e)) for s, e in tokenizer.span_tokenize(text)]

    return split


def _tokenizer(path: str) -> Any:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            params.abbrev_types = set(data["abbrev_types"])
            params.collocations = {(a, b) for a, b in data["collocations"]}
            params.sent_starters = set(data["sent_starters"])
            for word, flags in data["ortho_context"].items():
                params.ortho_context[word] = int(flags)
        except (OSError, ValueError, KeyError, TypeError):
            params = PunktParameters()  # an unreadable model only makes passages less exact
    return PunktSentenceTokenizer(params, lang_vars=_language_vars())
