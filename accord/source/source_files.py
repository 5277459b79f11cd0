"""Which files a set of command-line paths means, and how their names are shown in problems."""

import os
from collections.abc import Sequence
from pathlib import Path

from accord.source.problems import Problem

SOURCE_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(os.getcwd()))))
    except ValueError:
        return str(path)


def source_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Files as given, directories as their sorted `*.yaml`/`*.yml` files; each file once."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        found, problem = _expand(path)
        if problem is not None:
            problems.append(problem)
        for file in found:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, problems


def _expand(path: Path) -> tuple[list[Path], Problem | None]:
    try:
        return _listed(path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return [], Problem(
            display_path(path), 1, 1, f"cannot read: {reason} (expected a readable path)"
        )


def _listed(path: Path) -> tuple[list[Path], Problem | None]:
    shown = display_path(path)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix in SOURCE_SUFFIXES and p.is_file())
        if not found:
            return [], Problem(
                shown, 1, 1, "no source files in directory (expected *.yaml or *.yml)"
            )
        return found, None
    if path.is_file():
        return [path], None
    return [], Problem(shown, 1, 1, "no such file or directory (expected a source file or folder)")
