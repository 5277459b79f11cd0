"""The portal's languages: gettext catalogs compiled in memory, one Jinja2 environment each."""

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
UI_LANGUAGES = ("en", "ru", "kk")
"""Languages with a complete catalog; every other language of the region reads Russian."""
FALLBACK = "ru"
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "uz": "Oʻzbekcha",
    "tk": "Türkmençe",
}
"""Each language named in itself, so a reader finds theirs whatever the page language."""


def known_language(code: str | None) -> str | None:
    """`code` if the portal knows the language (with a catalog or via Russian), else None."""
    return code if code in LANGUAGE_NAMES else None


def ui_language(contact_language: str, override: str | None = None) -> str:
    """`?ui=` if it names a language of the region, else the contact's own; Russian for those
    without a catalog of their own."""
    wanted = known_language(override) or contact_language
    return wanted if wanted in UI_LANGUAGES else FALLBACK


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def compile_catalog(po_file: Path) -> Translations:
    """A `.po` file as gettext translations, without writing a `.mo` file anywhere."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=po_file.parent.parent.name)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def load_translations(locales_dir: Path = LOCALES_DIR) -> dict[str, Translations]:
    return {
        lang: compile_catalog(locales_dir / lang / "LC_MESSAGES" / "messages.po")
        for lang in UI_LANGUAGES
    }


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
        )
        env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
        env.globals["ui_lang"] = lang
        env.filters["day"] = lambda value, _lang=lang: show_date(value, _lang)
        env.filters["moment"] = lambda value, _lang=lang: show_moment(value, _lang)
        environments[lang] = env
    return environments


def show_date(value: date, lang: str) -> str:
    return format_date(value, "long", locale=lang)


def show_moment(value: datetime, lang: str) -> str:
    """Times are stored in UTC and shown as such, said plainly."""
    day = format_date(value.astimezone(UTC), "medium", locale=lang)
    return f"{day}, {format_time(value, 'short', tzinfo=UTC, locale=lang)} UTC"
