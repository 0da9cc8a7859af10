"""A content problem is reported to staff as `file:line: message`, in Indonesian."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class ContentProblem:
    file: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR

    @property
    def where(self) -> str:
        """`file:line`, or just the file when the problem has no line."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        label = "PERINGATAN" if self.severity is Severity.WARNING else "KESALAHAN"
        return f"{self.where}: {label}: {self.message}"


class ContentInvalid(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
