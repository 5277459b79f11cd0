"""What a language's catalog still lacks against the messages its sources use.

Used by the catalog check (tests/unit/test_catalogs.py) and by `./run catalogs`, which
reports the languages still in progress.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from accord.i18n.languages import language

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
"""`%(name)s` (pages, e-mails) and `{name}` (document labels)."""


@dataclass(frozen=True)
class Gaps:
    """What a catalog lacks against its template; empty when the language is done."""

    missing: list[str]
    placeholders: list[str]
    plural_forms: str | None

    def __bool__(self) -> bool:
        return bool(self.missing or self.placeholders or self.plural_forms)


def gaps(template: Catalog, catalog: Catalog | None, tag: str) -> Gaps:
    """Untranslated (absent, empty or fuzzy) messages, placeholders a translation drops or
    adds, and Plural-Forms that differ from Babel's rule for the language."""
    if catalog is None:
        return Gaps([_key(m) for m in entries(template)], [], None)
    missing, placeholders = [], []
    for wanted in entries(template):
        found = catalog.get(wanted.id, context=wanted.context)
        if found is None or found.fuzzy or not _translated(found):
            missing.append(_key(wanted))
        elif not _same_placeholders(found):
            placeholders.append(f"{_key(wanted)} → {found.string!r}")
    expected = get_plural(language(tag).locale)
    plural = None
    if catalog.plural_forms != expected.plural_forms:
        plural = f"Plural-Forms {catalog.plural_forms!r}, Babel says {expected.plural_forms!r}"
    return Gaps(missing, placeholders, plural)


def entries(catalog: Catalog) -> Iterator[Message]:
    """The messages of a catalog, without its header."""
    return (message for message in catalog if message.id)


def _key(message: Message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}: {text}" if message.context else text


def _translated(message: Message) -> bool:
    forms = _texts(message.string)
    return bool(forms) and all(forms)


def _same_placeholders(message: Message) -> bool:
    wanted = set().union(*(_placeholders(text) for text in _texts(message.id)))
    return all(_placeholders(form) == wanted for form in _texts(message.string))


def _texts(value: object) -> tuple[str, ...]:
    """The texts of an id or translation: one, or one per plural form."""
    if isinstance(value, str):
        return (value,)
    return tuple(text for text in value) if isinstance(value, list | tuple) else ()


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text.replace("%%", ""))}
