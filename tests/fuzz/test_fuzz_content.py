"""Random damage to valid content files gives staff a clean message or a valid load, never a
crash: the loader must turn every failure into `file:line` problems."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content import loader
from bot.content.loader import load_content
from bot.content.problems import ContentProblem
from bot.content.yaml_source import YamlDocument
from tests.conftest import CONTENT_DIR

FILES = ["faq_id.yaml", "stats.yaml", "pesan.yaml", "normalisasi.yaml"]
JUNK = ["", ":", "- ", "  ", "\t", "'", '"', "{{", "}}", "<b>", "&", "0812345678", "8:00", "null",
        "- id: x", "[", "]", "#", "é", "\x00"]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[tuple[str, int, str]]]:
    file_name = draw(st.sampled_from(FILES))
    steps = draw(st.lists(st.tuples(
        st.sampled_from(["delete", "duplicate", "insert", "replace", "indent", "truncate"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(JUNK),
    ), min_size=1, max_size=4))
    return file_name, steps


def _apply(text: str, steps: list[tuple[str, int, str]]) -> str:
    lines = text.split("\n")
    for operation, position, junk in steps:
        index = position % max(1, len(lines))
        if operation == "delete" and lines:
            del lines[index]
        elif operation == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif operation == "insert":
            lines.insert(index, junk)
        elif operation == "replace" and lines:
            line = lines[index]
            column = position % max(1, len(line))
            lines[index] = line[:column] + junk + line[column + 1 :]
        elif operation == "indent" and lines:
            lines[index] = "   " + lines[index]
        elif operation == "truncate":
            lines = lines[: index + 1]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def unchanged_files_read_once() -> Iterator[None]:
    """Each example damages one file; the nine others are content/'s own, read once here
    instead of in every example (ruamel's round-trip parser takes over a second for them).
    The damaged file, validation and the checks across files run in full every time."""
    originals = {path.name: path.read_bytes() for path in CONTENT_DIR.glob("*.yaml")}
    read = loader.read_yaml
    read_original = functools.cache(read)

    def read_yaml(path: Path) -> tuple[YamlDocument | None, list[ContentProblem]]:
        unchanged = originals.get(path.name) == path.read_bytes()
        return read_original(CONTENT_DIR / path.name) if unchanged else read(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "read_yaml", read_yaml)
        yield


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=mutations())
@pytest.mark.usefixtures("unchanged_files_read_once")
def test_mutated_content_never_crashes_the_loader(tmp_path_factory: object,
                                                  mutation: tuple[str, list]) -> None:
    file_name, steps = mutation
    folder = Path(tmp_path_factory.mktemp("content"))  # type: ignore[attr-defined]
    for path in CONTENT_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    target = folder / file_name
    target.write_text(_apply(target.read_text(encoding="utf-8"), steps), encoding="utf-8")
    result = load_content(folder)
    assert result.bundle is not None or result.errors
    for problem in result.problems:
        text = str(problem)
        assert text.split(":")[0].endswith(".yaml")
        assert "Traceback" not in text
