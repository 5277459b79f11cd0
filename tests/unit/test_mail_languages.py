"""Every kind of e-mail in every language tag, rendered once each: written in that language,
with its dates, and no sentence left in another language.

The facts of the examples (names, titles, reasons) are Kazakh and Russian text; they are taken
out before the words are read, so what remains is what the templates and catalogs wrote.
"""

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any

import pytest

from accord.i18n import catalogs, formats, languages
from accord.mail.rendering import render_mail
from tests.mail_examples import KINDS, context_for

WORD = re.compile(r"[^\W\d_]+")
URL = re.compile(r"https?://\S+")
NEUTRAL = {"UTC", "Accord"}
"""Written the same in every language: the time zone and the system's name."""
CODES = frozenset({"outcome", "decision", "event"})
"""Variables a template turns into words: they are not facts printed as given."""


@cache
def own_words(tag: str) -> frozenset[str]:
    """The words of the language's own `mail` catalog and of its month names in dates."""
    catalog = catalogs.read_catalog("mail", tag)
    assert catalog is not None, tag
    texts: list[str] = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts.extend(str(s) for s in strings)
    texts += [formats.long_date(date(2026, month, 1), tag) for month in range(1, 13)]
    return frozenset(w.casefold() for text in texts for w in WORD.findall(text))


def facts(value: Any) -> Iterator[str]:
    """Every text the example gives to be printed as it is."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in CODES:
                yield from facts(item)
    elif isinstance(value, list):
        for item in value:
            yield from facts(item)


def foreign_words(text: str, context: dict[str, Any], tag: str) -> set[str]:
    for fact in sorted(set(facts(context)), key=len, reverse=True):
        text = text.replace(fact, " ")
    words = WORD.findall(URL.sub(" ", text))
    return {w for w in words if w not in NEUTRAL and w.casefold() not in own_words(tag)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("tag", languages.tags())
def test_every_kind_is_written_in_the_readers_language(tag: str, kind: str) -> None:
    assert languages.language(tag).complete  # no reader is sent another language's e-mail
    context = context_for(kind)
    subject, text, html = render_mail(kind, tag, context)
    assert f'<html lang="{tag}">' in html
    greeting = catalogs.translations("mail", tag).gettext("Dear %(name)s,")
    assert text.startswith(greeting % {"name": context["recipient_name"]})
    assert not foreign_words(subject, context, tag), subject
    assert not foreign_words(text, context, tag), text
    for key in ("deadline", "as_of", "expires_on", "effective_date", "report_by"):
        if key in context:
            assert formats.long_date(context[key], tag) in text, key


def test_a_sentence_left_in_russian_is_caught() -> None:
    """The check itself: a Russian sentence is no Turkmen or Uzbek (Cyrillic) text."""
    russian = catalogs.translations("mail", "ru").gettext("Kind regards,")
    assert foreign_words(russian, {}, "tk") == set(WORD.findall(russian))
    assert foreign_words(russian, {}, "uz-Cyrl") == set(WORD.findall(russian))
