"""Fixed document words per language, read from `templates/documents/labels.yaml`."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LABELS_PATH = Path(__file__).resolve().parents[2] / "templates" / "documents" / "labels.yaml"
FALLBACK = ("en", "ru")
"""Merged in this order, each over the last, then the language's own entries on top."""
OWN_KEYS = frozenset({"language_name", "locale"})
"""Keys that describe the language itself, so borrowing them from ru would be wrong."""


@dataclass(frozen=True)
class Labels:
    """The words of one document language."""

    language: str
    entries: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.entries[key]


@cache
def _table() -> dict[str, dict[str, str]]:
    with LABELS_PATH.open(encoding="utf-8") as stream:
        raw: dict[str, dict[str, str]] = yaml.safe_load(stream)
    return {lang: {k: str(v) for k, v in entries.items()} for lang, entries in raw.items()}


def known_languages() -> tuple[str, ...]:
    """Languages the labels file names, in file order."""
    return tuple(_table())


@cache
def labels_for(language: str) -> Labels:
    """Labels of `language`, each missing key taken from ru, then en."""
    table = _table()
    merged: dict[str, str] = {}
    for fallback in FALLBACK:
        merged.update((k, v) for k, v in table[fallback].items() if k not in OWN_KEYS)
    merged.update(table.get(language, {}))
    merged.setdefault("language_name", language.upper())
    merged.setdefault("locale", language)
    return Labels(language=language, entries=merged)


@dataclass(frozen=True)
class DocumentLabels:
    """The labels of every language of one document, primary first."""

    languages: tuple[str, ...]

    @property
    def primary(self) -> Labels:
        return labels_for(self.languages[0])

    def each(self, key: str) -> list[str]:
        """The label in each document language, in column order."""
        return [labels_for(lang)[key] for lang in self.languages]

    def joined(self, key: str) -> str:
        """All languages on one line ("Стороны / Тараптар"), repeats dropped."""
        return " / ".join(dict.fromkeys(self.each(key)))
