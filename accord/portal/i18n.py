"""The portal's languages: the registry's complete ones, each with its own Jinja2 environment."""

from datetime import date, datetime
from pathlib import Path

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from accord.i18n import catalogs, formats, languages
from accord.i18n.invisible import shown

UI_LANGUAGES = languages.complete_tags()
"""Languages whose catalogs are complete; a reader of another reads the first complete
language of its fallback chain (Russian for the languages of the region)."""
FALLBACK = languages.reader_language(None)
"""The language of a reader nothing else tells us about."""


def known_language(code: str | None) -> str | None:
    """The registry's tag for `code` (``uz`` → ``uz-Latn``), or None if Accord does not know it."""
    found = languages.parse_tag(code)
    return found.tag if found else None


def ui_language(contact_language: str, override: str | None = None) -> str:
    """`?ui=` if it names a known language, else the contact's own; then the first complete
    language of its fallback chain."""
    return languages.reader_language(known_language(override) or contact_language)


def language_name(code: str) -> str:
    """The language named in itself, so a reader finds theirs whatever the page language."""
    found = languages.parse_tag(code)
    return found.name if found else code


def load_translations() -> dict[str, Translations]:
    return {lang: catalogs.translations("pages", lang) for lang in UI_LANGUAGES}


def make_environments(
    templates_dir: Path, translations: dict[str, Translations]
) -> dict[str, Environment]:
    """One environment per language: a request never swaps another request's translations."""
    environments = {}
    for lang, catalog in translations.items():
        env = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=shown,
        )
        env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
        env.globals["ui_lang"] = lang
        env.filters["day"] = lambda value, _lang=lang: show_date(value, _lang)
        env.filters["moment"] = lambda value, _lang=lang: show_moment(value, _lang)
        environments[lang] = env
    return environments


def show_date(value: date, lang: str) -> str:
    return formats.long_date(value, lang)


def show_moment(value: datetime, lang: str) -> str:
    return formats.moment(value, lang)
