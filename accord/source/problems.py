"""Validation problems and warnings: each one says where (file, line, column) and what."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    """1-based, as editors count."""
    column: int
    """1-based, as editors count."""
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True, order=True)
class SourceWarning:
    """Something a reviewer should look at that does not stop a source from loading."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: warning: {self.message}"


class SourceInvalid(Exception):
    """Raised when sources break the format; nothing is written when this is raised."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
