"""The words of every language: one gettext catalog per domain and language.

`locales/<Babel locale>/LC_MESSAGES/<domain>.po` (``uz_Latn`` for ``uz-Latn``), read and
compiled in memory the first time a domain is asked for in a language, so there are no `.mo`
files to build or to forget. A message missing in a language is taken from the next language
of its fallback chain (`languages.fallback_chain`), never left blank.
"""

from collections.abc import Mapping
from functools import cache
from io import BytesIO
from pathlib import Path
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from accord.i18n.languages import complete_tags, fallback_chain, language, workspace_tags

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAINS = ("pages", "mail", "documents", "workspace")
"""`pages`: the portal and refusals; `mail`: e-mails; `documents`: the fixed words documents
print, each keyed by its context (msgctxt), since the same English word may be two labels;
`workspace`: the secretariat's signed-in pages, offered in the languages whose `workspace`
catalog is complete (`languages.workspace_tags()`)."""


def complete_for(domain: str) -> tuple[str, ...]:
    """The languages whose catalog of `domain` must be complete (the check enforces it)."""
    return workspace_tags() if domain == "workspace" else complete_tags()


def catalog_path(domain: str, tag: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / language(tag).locale / "LC_MESSAGES" / f"{domain}.po"


@cache
def read_catalog(domain: str, tag: str) -> Catalog | None:
    """The catalog of `domain` in `tag` as written, or None while the language has none."""
    path = catalog_path(domain, tag)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language(tag).locale, domain=domain)


@cache
def translations(domain: str, tag: str) -> Translations:
    """gettext in `tag`, each message it lacks taken from the rest of its fallback chain."""
    first, *rest = (_compiled(domain, each) for each in fallback_chain(tag))
    for fallback in rest:
        first.add_fallback(fallback)
    return first


@cache
def by_context(domain: str, tag: str) -> Mapping[str, str]:
    """Context (msgctxt) → translation in `tag`, each missing one from its fallback chain."""
    merged: dict[str, str] = {}
    for each in reversed(fallback_chain(tag)):
        catalog = read_catalog(domain, each)
        merged.update(
            (message.context, message.string)
            for message in catalog or ()
            if message.context
            and isinstance(message.string, str)
            and message.string
            and not message.fuzzy
        )
    return MappingProxyType(merged)


def _compiled(domain: str, tag: str) -> Translations:
    """A fresh object each time: fallbacks are chained onto it, so it must not be shared."""
    catalog = read_catalog(domain, tag)
    if catalog is None:
        return Translations()  # empty: every message comes from the fallbacks
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=domain)
