"""Fixed document words per language, from the `documents` catalogs and the language registry.

Each word is looked up by its key (the catalogs' msgctxt) along the registry's fallback chain:
the document language, then Russian, then English, then the English of `words.py`. So a
language whose catalog is still incomplete prints Russian for the words it lacks. What
describes the language itself (its column heading, Word's proofing tag, number separators)
comes from the registry and Babel and never falls back to another language.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from accord.documents.words import WORDS
from accord.i18n import catalogs, formats, languages


@dataclass(frozen=True)
class Labels:
    """The words of one document language."""

    language: str
    entries: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.entries[key]


def known_languages() -> tuple[str, ...]:
    """Every language of the registry, in its order."""
    return languages.tags()


@cache
def labels_for(language: str) -> Labels:
    """Labels of `language`, each word it lacks taken from its fallback chain."""
    return Labels(
        language=language,
        entries={**WORDS, **catalogs.by_context("documents", language), **_own(language)},
    )


def _own(tag: str) -> dict[str, str]:
    """The words that describe the language itself; an unknown code prints as itself."""
    found = languages.parse_tag(tag)
    if found is None:
        thousands, decimal = formats.number_separators(languages.reader_language(tag))
        return {
            "language_name": tag.upper(),
            "locale": tag,
            "thousands_sep": thousands,
            "decimal_sep": decimal,
        }
    thousands, decimal = formats.number_separators(found.tag)
    return {
        "language_name": found.column_name,
        "locale": found.proofing,
        "thousands_sep": thousands,
        "decimal_sep": decimal,
    }


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
