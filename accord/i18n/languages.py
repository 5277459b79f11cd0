"""The one list of languages Accord knows, and the one rule for falling back between them.

Every other place (pages, e-mails, document labels, source validation) asks this module:
adding a language is one line here plus its catalogs. A language is `complete` only when
its catalogs pass the catalog check (tests/unit/test_catalogs.py); until then readers of
it are served the first complete language of its fallback chain.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from babel.core import get_global


@dataclass(frozen=True)
class Language:
    tag: str
    """BCP 47 tag as agreements and contacts write it: ``ru``, ``kk``, ``uz-Latn``."""
    name: str
    """The language named in itself, so a reader finds theirs whatever the page language."""
    locale: str
    """Babel's locale identifier: dates, numbers and plural rules (``uz_Latn``)."""
    script: str
    """ISO 15924 script of its texts (``Cyrl``, ``Latn``): checks that labels match it."""
    complete: bool
    """True once every catalog of every domain is translated (the catalog check enforces it)."""
    workspace: bool
    """True once its `workspace` catalog (the secretariat's signed-in pages) is translated:
    the workspace is offered in it."""
    proofing: str
    """The tag Word checks spelling with (``w:lang``), region included: ``kk-KZ``."""
    heading: str = ""
    """The language named as a document's column heading, where that differs from `name`
    (a menu says "Қазақша", a column of a treaty "Қазақ тілі")."""

    @property
    def column_name(self) -> str:
        return self.heading or self.name


_L = Language
# fmt: off
LANGUAGES: tuple[Language, ...] = (
    #  tag       name in itself Babel     script complete workspace Word proofing column heading
    _L("en",      "English",    "en",      "Latn", True,  True,  "en-GB"),
    _L("ru",      "Русский",    "ru",      "Cyrl", True,  True,  "ru-RU"),
    _L("kk",      "Қазақша",    "kk",      "Cyrl", True,  True,  "kk-KZ",      "Қазақ тілі"),
    _L("ky",      "Кыргызча",   "ky",      "Cyrl", True,  False, "ky-KG",      "Кыргыз тили"),
    _L("tg",      "Тоҷикӣ",     "tg",      "Cyrl", True,  False, "tg-Cyrl-TJ", "Забони тоҷикӣ"),
    _L("uz-Latn", "Oʻzbekcha",  "uz_Latn", "Latn", True,  False, "uz-Latn-UZ", "Oʻzbek tili"),
    _L("uz-Cyrl", "Ўзбекча",    "uz_Cyrl", "Cyrl", True,  False, "uz-Cyrl-UZ", "Ўзбек тили"),
    _L("tk",      "Türkmençe",  "tk",      "Latn", True,  False, "tk-TM",      "Türkmen dili"),
)
# fmt: on
FALLBACK: tuple[str, ...] = ("ru", "en")
"""After the reader's own language: Russian is read across the region, English last."""
DEFAULT_SCRIPT = {"uz": "Latn"}
"""A tag without its script means the official one (Uzbek is written in Latin)."""
STATE_LANGUAGE = {"KZ": "kk", "KG": "ky", "TJ": "tg", "UZ": "uz", "TM": "tk"}
"""A country's state language, for telling apart a country code written as a language."""

_BY_TAG = {language.tag.lower(): language for language in LANGUAGES}


@cache
def parse_tag(text: str | None) -> Language | None:
    """The language a tag names, whatever its case or separator (``uz_latn``); None if unknown.

    ``uz`` alone means Latin-script Uzbek; a region subtag (``ru-KZ``) is ignored.
    """
    if not text:
        return None
    parts = text.strip().replace("_", "-").split("-")
    base = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    script = script or DEFAULT_SCRIPT.get(base)
    tag = f"{base}-{script}" if script and f"{base}-{script}".lower() in _BY_TAG else base
    return _BY_TAG.get(tag.lower())


def written_tag(text: str) -> str | None:
    """The registry's tag for `text` if it is written as Accord writes tags: the tag itself
    (``uz-Latn``), or a language without its default script (``uz``); else None.

    Sources are strict where `parse_tag` is lenient: ``RU`` or ``uz_Latn`` is a typo to point
    out (with the tag meant), not a spelling to accept silently.
    """
    found = parse_tag(text)
    if found is None:
        return None
    base = found.tag.split("-")[0]
    alias = base if DEFAULT_SCRIPT.get(base) == found.script and found.tag != base else None
    return found.tag if text in (found.tag, alias) else None


def meant(text: str) -> Language | None:
    """The language a mistyped tag probably means, for a "did you mean": ``RU``, ``uz_latn``,
    ISO 639-2 codes (``kaz``, by CLDR's aliases) and the region's country codes (``KZ``)."""
    found = parse_tag(text)
    if found is None and text.strip():
        base = text.strip().replace("_", "-").split("-")[0].lower()
        alias = get_global("language_aliases").get(base) or STATE_LANGUAGE.get(base.upper())
        found = parse_tag(alias)
    return found


def language(tag: str) -> Language:
    """The language of a tag already known to be valid (KeyError names the tag otherwise)."""
    found = parse_tag(tag)
    if found is None:
        raise KeyError(f"unknown language tag {tag!r} (known: {', '.join(tags())})")
    return found


def tags() -> tuple[str, ...]:
    """Every known tag, in registry order."""
    return tuple(language.tag for language in LANGUAGES)


def complete_tags() -> tuple[str, ...]:
    """Languages whose catalogs are complete: the ones pages and e-mails are written in."""
    return tuple(language.tag for language in LANGUAGES if language.complete)


def workspace_tags() -> tuple[str, ...]:
    """Languages the secretariat's workspace is written in (its own catalog complete)."""
    return tuple(language.tag for language in LANGUAGES if language.workspace)


def workspace_language(tag: str | None) -> str:
    """The first workspace language of the reader's fallback chain."""
    offered = set(workspace_tags())
    return next(t for t in fallback_chain(tag) if t in offered)


def fallback_chain(tag: str | None) -> tuple[str, ...]:
    """The reader's language (normalised) first, then Russian, then English; no repeats."""
    own = parse_tag(tag)
    return tuple(dict.fromkeys(((own.tag,) if own else ()) + FALLBACK))


def reader_language(tag: str | None) -> str:
    """The first complete language of the reader's fallback chain: what they are written in."""
    complete = set(complete_tags())
    return next(t for t in fallback_chain(tag) if t in complete)


def pick(texts: Mapping[str, str] | None, tag: str | None) -> str:
    """A text map (language tag → text) in the reader's language, along the fallback chain;
    the map's first text when none of the chain is there."""
    if not texts:
        return ""
    exact = texts.get(tag) if tag else None
    if exact:  # the common case (documents ask for each of their own languages): no parsing
        return exact
    normalised = {_normal(key): text for key, text in texts.items()}
    own = (_normal(tag),) if tag else ()  # even a language the registry does not know
    for candidate in (*own, *fallback_chain(tag)):
        if normalised.get(candidate):
            return normalised[candidate]
    return next(iter(texts.values()))


def _normal(tag: str) -> str:
    found = parse_tag(tag)
    return found.tag if found else tag
