"""The converter's LibreOffice profile: settings it holds before LibreOffice first reads it.

Writer looks up a language's forbidden line-start and line-end characters each time it
breaks a line in a language other than the last one it broke a line in, and without an
entry in the profile it builds them from the locale's data, which costs far more than the
line itself. Agreements alternate languages paragraph by paragraph (a Russian cell, then
a Kazakh one, on every row of the plan), so a 200-row plan paid that cost thousands of
times: a fifth of the converter's time. An entry per language in the profile
(`AsianLayout/StartEndCharacters`) is found at once. Its lists are empty, as the locale
data's are for every language Accord writes (forbidden characters are a Chinese, Japanese
and Korean rule), so lines break exactly where they did.
"""

from collections.abc import Iterable
from pathlib import Path

from accord.i18n.languages import LANGUAGES

SETTINGS = Path("user") / "registrymodifications.xcu"
DEFAULT_LANGUAGE = "en-US"
"""The language of the documents' defaults (headers, footers, text in no document language)."""
_FORBIDDEN = "/org.openoffice.Office.Common/AsianLayout/StartEndCharacters"
_ITEMS_END = "</oor:items>"
_EMPTY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    f"{_ITEMS_END}\n"
)


def document_languages() -> tuple[str, ...]:
    """The language tags (`w:lang`) Accord's documents carry: each language's proofing tag."""
    return (DEFAULT_LANGUAGE, *(language.proofing for language in LANGUAGES))


def forbidden_characters_item(language: str) -> str:
    """The profile entry that gives `language` empty forbidden line-start and line-end lists."""
    return (
        f'<item oor:path="{_FORBIDDEN}"><node oor:name="{language}" oor:op="replace">'
        '<prop oor:name="StartCharacters" oor:op="fuse"><value></value></prop>'
        '<prop oor:name="EndCharacters" oor:op="fuse"><value></value></prop></node></item>'
    )


def has_entry(settings: str, language: str) -> bool:
    """Whether the settings file names `language`'s forbidden characters, as we write the
    entry or as LibreOffice writes it back (it reorders the entry's properties)."""
    return f'oor:path="{_FORBIDDEN}"><node oor:name="{language}"' in settings


def with_settings(existing: str | None, languages: Iterable[str]) -> str:
    """The profile's settings file with an entry for each of `languages`; what it already
    holds (LibreOffice writes its own settings there) is kept."""
    text = existing if existing and _ITEMS_END in existing else _EMPTY
    missing = [forbidden_characters_item(lang) for lang in languages if not has_entry(text, lang)]
    if not missing:
        return text
    head, _, tail = text.rpartition(_ITEMS_END)
    return head + "".join(f"{item}\n" for item in missing) + _ITEMS_END + tail


def prepare(profile_dir: Path) -> None:
    """Write the settings into the profile (new or kept from an earlier start) before
    LibreOffice starts on it."""
    path = profile_dir / SETTINGS
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    wanted = with_settings(existing, document_languages())
    if wanted != existing:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted, encoding="utf-8")
