"""Load every content file, validate it, and return a bundle or *all* problems at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.content.bundle import ContentBundle
from bot.content.consistency import check_consistency
from bot.content.error_messages import describe
from bot.content.models import FaqFile, Lexicon, Messages, StatsFile
from bot.content.problems import ContentInvalid, ContentProblem, Severity
from bot.content.yaml_source import YamlDocument, read_yaml

FAQ_FILE = "faq_id.yaml"
STATS_FILE = "stats.yaml"
LEXICON_FILE = "normalisasi.yaml"
MESSAGES_FILE = "pesan.yaml"

CONTENT_FILES: dict[str, type[BaseModel]] = {
    FAQ_FILE: FaqFile,
    STATS_FILE: StatsFile,
    LEXICON_FILE: Lexicon,
    MESSAGES_FILE: Messages,
}


@dataclass(frozen=True)
class LoadResult:
    bundle: ContentBundle | None
    problems: list[ContentProblem]

    @property
    def errors(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def load_content(content_dir: Path, *, today: date | None = None) -> LoadResult:
    """Validate every file; a bundle is returned only when there is no error."""
    problems: list[ContentProblem] = []
    models: dict[str, Any] = {}
    documents: dict[str, YamlDocument] = {}
    for file_name, model in CONTENT_FILES.items():
        document, read_problems = read_yaml(content_dir / file_name)
        problems.extend(read_problems)
        if document is None:
            continue
        documents[file_name] = document
        parsed, model_problems = _validate(document, model)
        problems.extend(model_problems)
        if parsed is not None:
            models[file_name] = parsed
    if len(models) < len(CONTENT_FILES):
        return LoadResult(None, problems)
    problems.extend(check_consistency(models, documents, today=today or date.today()))
    if any(p.severity is Severity.ERROR for p in problems):
        return LoadResult(None, problems)
    bundle = ContentBundle(
        faq=models[FAQ_FILE],
        stats=models[STATS_FILE],
        lexicon=models[LEXICON_FILE],
        messages=models[MESSAGES_FILE],
        version=_version(documents),
    )
    return LoadResult(bundle, problems)


def load_content_or_raise(content_dir: Path) -> ContentBundle:
    result = load_content(content_dir)
    if result.bundle is None:
        raise ContentInvalid(result.errors)
    return result.bundle


def _validate(
    document: YamlDocument, model: type[BaseModel]
) -> tuple[BaseModel | None, list[ContentProblem]]:
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        problems = [
            ContentProblem(document.name, document.line_of(detail["loc"]), describe(detail))
            for detail in error.errors(include_url=False)
        ]
        return None, problems


def _version(documents: dict[str, YamlDocument]) -> str:
    """A short hash of the files, so caches (charts) can tell one content version from another."""
    combined = "".join(documents[name].digest for name in sorted(documents))
    return hashlib.sha256(combined.encode()).hexdigest()[:12]
