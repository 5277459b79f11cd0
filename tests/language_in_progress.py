"""A language whose catalogs are still being translated, for the tests of falling back.

The real languages all get translated in time, so fallback tests must not lean on one of
them being incomplete: this marks Kyrgyz incomplete and gives it catalogs that hold only the
messages a test names, in a folder of the test's own.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from accord.documents import labels
from accord.i18n import catalogs, languages

IN_PROGRESS = "ky"

Translated = Mapping[str, Mapping[str | tuple[str, str], str]]
"""Domain → msgid (or (msgctxt, msgid)) → translation."""


def _clear_caches() -> None:
    catalogs.read_catalog.cache_clear()
    catalogs.translations.cache_clear()
    catalogs.by_context.cache_clear()
    labels.labels_for.cache_clear()
    languages.parse_tag.cache_clear()


@pytest.fixture
def language_in_progress(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[[Translated], str]]:
    """Call it with what the language has translated so far; it returns the language's tag."""
    registry = tuple(
        replace(language, complete=False) if language.tag == IN_PROGRESS else language
        for language in languages.LANGUAGES
    )
    monkeypatch.setattr(languages, "LANGUAGES", registry)
    monkeypatch.setattr(languages, "_BY_TAG", {x.tag.lower(): x for x in registry})
    real_path = catalogs.catalog_path

    def catalog_path(domain: str, tag: str, locales_dir: Path = catalogs.LOCALES_DIR) -> Path:
        if languages.language(tag).tag == IN_PROGRESS:
            return real_path(domain, tag, tmp_path)
        return real_path(domain, tag, locales_dir)

    monkeypatch.setattr(catalogs, "catalog_path", catalog_path)

    def translated_so_far(messages: Translated) -> str:
        for domain, entries in messages.items():
            catalog = Catalog(locale=languages.language(IN_PROGRESS).locale, domain=domain)
            for key, text in entries.items():
                context, msgid = key if isinstance(key, tuple) else (None, key)
                catalog.add(msgid, text, context=context)
            path = catalog_path(domain, IN_PROGRESS)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog)
        _clear_caches()
        return IN_PROGRESS

    _clear_caches()
    yield translated_so_far
    monkeypatch.undo()
    _clear_caches()
