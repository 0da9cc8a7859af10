"""Load every content file, validate it, and return a bundle or *all* problems at once.

Each file is read and validated on its own, so a syntax error in one file still lets the others
be checked, and nothing that goes wrong while checking one file reaches staff as a traceback.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.content.bundle import ContentBundle
from bot.content.consistency import (
    EMERGENCY_FILE,
    FAQ_FILE,
    JOB_AD_FILE,
    JOB_OFFER_CHECK_FILE,
    LEXICON_FILE,
    MESSAGES_FILE,
    OFFTOPIC_FILE,
    PRIVACY_FILE,
    STATS_FILE,
    TIPS_FILE,
    check_consistency,
    unexpected_problem,
)
from bot.content.emergency_models import EmergencySignals
from bot.content.error_messages import describe
from bot.content.job_ad_models import JobAdContent
from bot.content.models import FaqFile, Lexicon, Messages, OffTopicFile, StatsFile
from bot.content.prevention_models import JobOfferCheckContent, TipsContent
from bot.content.privacy_models import PrivacyContent
from bot.content.problems import ContentInvalid, ContentProblem, Severity
from bot.content.yaml_source import YamlDocument, read_yaml

__all__ = [
    "CONTENT_FILES",
    "EMERGENCY_FILE",
    "FAQ_FILE",
    "JOB_AD_FILE",
    "JOB_OFFER_CHECK_FILE",
    "LEXICON_FILE",
    "MESSAGES_FILE",
    "OFFTOPIC_FILE",
    "PRIVACY_FILE",
    "STATS_FILE",
    "TIPS_FILE",
    "LoadResult",
    "content_version",
    "load_content",
    "load_content_or_raise",
]

log = logging.getLogger(__name__)

CONTENT_FILES: dict[str, type[BaseModel]] = {
    FAQ_FILE: FaqFile,
    STATS_FILE: StatsFile,
    LEXICON_FILE: Lexicon,
    MESSAGES_FILE: Messages,
    JOB_OFFER_CHECK_FILE: JobOfferCheckContent,
    TIPS_FILE: TipsContent,
    EMERGENCY_FILE: EmergencySignals,
    OFFTOPIC_FILE: OffTopicFile,
    PRIVACY_FILE: PrivacyContent,
    JOB_AD_FILE: JobAdContent,
}

_INDONESIAN_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "nama": ("name",),
    "judul": ("title", "question"),
    "pertanyaan": ("question",),
    "contoh": ("examples",),
    "jawaban": ("answer",),
    "kategori": ("category",),
    "terkait": ("related",),
    "kanal": ("channels",),
    "layanan": ("channels",),
    "sumber": ("sources", "source"),
    "telepon": ("phone",),
    "telp": ("phone",),
    "wa": ("whatsapp",),
    "jam": ("hours",),
    "tujuan": ("purpose",),
    "catatan": ("note",),
    "keterangan": ("note",),
    "diperiksa": ("verified_on",),
    "tahun": ("year", "years"),
    "jumlah": ("total",),
    "wilayah": ("regions", "counts"),
    "alias": ("aliases",),
}

_ITEM_LABELS = {
    "faqs": ("pertanyaan", "id"),
    "channels": ("kanal", "id"),
    "categories": ("kategori", "id"),
    "regions": ("wilayah", "id"),
    "years": ("tahun", "year"),
    "tanda_bahaya": ("tanda bahaya", "id"),
}


@dataclass(frozen=True)
class LoadResult:
    bundle: ContentBundle | None
    """The new content, or None when any file has an error."""
    problems: list[ContentProblem]
    documents: Mapping[str, YamlDocument] = field(default_factory=dict, repr=False)
    """The parsed files with their line maps, for checks that report lines (routing check)."""

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
        try:
            document, read_problems = read_yaml(content_dir / file_name)
            problems.extend(read_problems)
            if document is None:
                continue
            documents[file_name] = document
            parsed, model_problems = validate_document(document, model)
            problems.extend(model_problems)
            if parsed is not None:
                models[file_name] = parsed
        except Exception as error:
            log.exception("checking %s failed", file_name)
            problems.append(unexpected_problem(file_name, error))
    problems.extend(_unknown_files(content_dir))
    problems.extend(check_consistency(models, documents, today=today or date.today()))
    problems = _in_reading_order(problems)
    if len(models) < len(CONTENT_FILES) or any(p.severity is Severity.ERROR for p in problems):
        return LoadResult(None, problems, documents)
    bundle = ContentBundle(
        faq=models[FAQ_FILE],
        stats=models[STATS_FILE],
        lexicon=models[LEXICON_FILE],
        messages=models[MESSAGES_FILE],
        job_offer_check=models[JOB_OFFER_CHECK_FILE],
        tips=models[TIPS_FILE],
        emergency_signals=models[EMERGENCY_FILE],
        offtopic=models[OFFTOPIC_FILE],
        privacy=models[PRIVACY_FILE],
        job_ads=models[JOB_AD_FILE],
        version=content_version({name: documents[name].digest for name in CONTENT_FILES}),
    )
    return LoadResult(bundle, problems, documents)


def load_content_or_raise(content_dir: Path) -> ContentBundle:
    result = load_content(content_dir)
    if result.bundle is None:
        raise ContentInvalid(result.errors)
    return result.bundle


def validate_document(
    document: YamlDocument, model: type[BaseModel]
) -> tuple[BaseModel | None, list[ContentProblem]]:
    """The model, or every schema error of the file, each at the line it points to."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        details = error.errors(include_url=False)
        return None, [_problem(document, detail, model) for detail in details]


def _problem(document: YamlDocument, detail: ErrorDetails,
             model: type[BaseModel]) -> ContentProblem:
    loc = detail["loc"]
    line = document.line_of(loc)
    suggestion = None
    if detail["type"] == "extra_forbidden":
        suggestion = _suggest_field(str(loc[-1]), _known_fields(model, loc[:-1]))
    message = describe(detail, typed=document.source_value(line), suggestion=suggestion)
    return ContentProblem(document.name, line, _item_label(document, loc) + message)


def _suggest_field(written: str, known: list[str]) -> str | None:
    """The field staff probably meant: an Indonesian name for it, or a near spelling."""
    for candidate in _INDONESIAN_FIELD_NAMES.get(written.lower(), ()):
        if candidate in known:
            return candidate
    close = difflib.get_close_matches(written.lower(), known, n=1, cutoff=0.6)
    return close[0] if close else None


def _known_fields(model: type[BaseModel], path: tuple[int | str, ...]) -> list[str]:
    """The field names allowed at `path` ("faqs", 3) of `model`, to suggest a misspelt one."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            arguments = get_args(current)
            current = arguments[0] if arguments else None
        elif isinstance(current, type) and issubclass(current, BaseModel) \
                and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` and `Annotated[X, ...]` -> X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _item_label(document: YamlDocument, loc: tuple[int | str, ...]) -> str:
    """"pertanyaan 'apa-itu-tppo': " so staff know which entry a line belongs to."""
    if len(loc) < 3 or loc[0] not in _ITEM_LABELS or not isinstance(loc[1], int):
        return ""
    label, key = _ITEM_LABELS[str(loc[0])]
    item = document.value_at(loc[:2])
    value = item.get(key) if isinstance(item, dict) else None
    if value is None or loc[2] == key:
        return ""
    return f"{label} '{value}': " if key == "id" else f"{label} {value}: "


def _unknown_files(content_dir: Path) -> list[ContentProblem]:
    """A misspelt file name (Stats.yaml, faq_id.yml) would otherwise be ignored silently."""
    if not content_dir.is_dir():
        return []
    problems = []
    for path in sorted(content_dir.iterdir()):
        if path.suffix.lower() in {".yaml", ".yml"} and path.name not in CONTENT_FILES:
            close = difflib.get_close_matches(path.name.lower(), list(CONTENT_FILES), n=1)
            hint = f" (mungkin maksudnya {close[0]}?)" if close else ""
            problems.append(ContentProblem(path.name, None,
                f"berkas ini tidak dipakai bot{hint}; bot hanya membaca "
                f"{', '.join(CONTENT_FILES)}", Severity.WARNING))
    return problems


def _in_reading_order(problems: list[ContentProblem]) -> list[ContentProblem]:
    order = {name: index for index, name in enumerate(CONTENT_FILES)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.file, p.line or 0))


def content_version(digests: Mapping[str, str]) -> str:
    """A short hash of the files, so caches (charts) can tell one content version from another.

    The reloader computes the same value from the files on disk to tell whether they changed.
    """
    combined = "".join(digests[name] for name in sorted(digests))
    return hashlib.sha256(combined.encode()).hexdigest()[:12]
