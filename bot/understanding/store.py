"""Trained models kept on disk, so a restart with unchanged content does not retrain.

Training with the encoder takes several seconds (cross-validation of two SVMs); start-up must
not. The key is a hash of exactly what training reads (each example's label and normalised
text, the encoder's name, the training settings, the scikit-learn version) and of this
package's source, so any change to the content, the normaliser or the code trains afresh (an
upgraded bot never unpickles parts of an older shape). The file is written by this
process into the bot's own data folder and read back by it; it is not for exchanging models.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sklearn

log = logging.getLogger(__name__)

_CODE = hashlib.sha256(b"".join(path.read_bytes()
                                for path in sorted(Path(__file__).parent.glob("*.py"))))
"""The pickled parts are this package's classes: their source is part of every key."""


class ModelStore:
    """The last trained model in memory (a reload that changed only answers reuses it) and,
    with a folder, on disk (a restart reuses it)."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._last: tuple[str, Any] | None = None

    @staticmethod
    def key(parts: Iterable[str]) -> str:
        digest = _CODE.copy()
        digest.update(sklearn.__version__.encode())
        for part in parts:
            digest.update(b"\x00" + part.encode())
        return digest.hexdigest()[:24]

    def _path(self, key: str) -> Path | None:
        return None if self._folder is None else self._folder / f"intent-model-{key}.pickle"

    def load(self, key: str) -> Any | None:
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            with path.open("rb") as file:
                return pickle.load(file)
        except Exception:
            log.warning("stored intent model %s unreadable; training again", path.name)
            return None

    def save(self, key: str, trained: Any) -> None:
        self._last = (key, trained)
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob("intent-model-*.pickle"):
                old.unlink(missing_ok=True)  # one content version at a time
            partial = path.with_suffix(".tmp")
            with partial.open("wb") as file:
                pickle.dump(trained, file, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(path)
        except OSError:
            log.warning("intent model could not be stored in %s", path.parent)
