"""The registry of languages: tags, the one fallback chain, and who reads what."""

from collections.abc import Callable

import pytest

from accord.i18n import languages
from accord.i18n.languages import (
    LANGUAGES,
    Language,
    complete_tags,
    fallback_chain,
    meant,
    parse_tag,
    pick,
    reader_language,
    written_tag,
)
from tests.language_in_progress import Translated


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("ru", "ru"),
        ("RU", "ru"),
        ("ru-KZ", "ru"),
        ("uz", "uz-Latn"),
        ("uz_latn", "uz-Latn"),
        ("uz-Cyrl", "uz-Cyrl"),
        ("ky-KG", "ky"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_tag_is_lenient(text: str | None, tag: str | None) -> None:
    found = parse_tag(text)
    assert (found.tag if found else None) == tag


@pytest.mark.parametrize(
    ("text", "tag"),
    [("ru", "ru"), ("uz", "uz-Latn"), ("uz-Latn", "uz-Latn"), ("uz-Cyrl", "uz-Cyrl")]
    + [(wrong, None) for wrong in ("RU", "ru-KZ", "uz-latn", "uz_Latn", "uz-Cyrl-UZ", "de")],
)
def test_sources_write_tags_one_way(text: str, tag: str | None) -> None:
    assert written_tag(text) == tag


@pytest.mark.parametrize(
    ("text", "tag"),
    [("RU", "ru"), ("kaz", "kk"), ("uzb", "uz-Latn"), ("KZ", "kk"), ("TJ", "tg"), ("de", None)],
)
def test_a_mistyped_tag_says_what_it_probably_means(text: str, tag: str | None) -> None:
    found = meant(text)
    assert (found.tag if found else None) == tag


def test_the_chain_is_the_readers_language_then_russian_then_english() -> None:
    assert fallback_chain("kk") == ("kk", "ru", "en")
    assert fallback_chain("ru") == ("ru", "en")
    assert fallback_chain("en") == ("en", "ru")
    assert fallback_chain("uz") == ("uz-Latn", "ru", "en")
    assert fallback_chain("xx") == ("ru", "en")


def test_readers_of_incomplete_languages_read_the_first_complete_one(
    language_in_progress: Callable[[Translated], str],
) -> None:
    tag = language_in_progress({})
    assert [reader_language(t) for t in ("en", "ru", "kk")] == ["en", "ru", "kk"]
    assert {reader_language(t) for t in (tag, tag.upper(), "xx", None)} == {"ru"}
    assert all(reader_language(t) == t for t in complete_tags())


def test_english_is_the_last_resort(
    monkeypatch: pytest.MonkeyPatch, language_in_progress: Callable[[Translated], str]
) -> None:
    tag = language_in_progress({})
    without_russian = tuple(
        Language(**{**vars(language), "complete": False}) if language.tag == "ru" else language
        for language in languages.LANGUAGES
    )
    monkeypatch.setattr(languages, "LANGUAGES", without_russian)
    assert reader_language(tag) == "en"


def test_pick_follows_the_chain_whatever_the_keys_spelling() -> None:
    texts = {"en": "Memorandum", "ru": "Меморандум", "uz": "Memorandum (uz)"}
    assert pick(texts, "uz-Latn") == "Memorandum (uz)"
    assert pick(texts, "ky") == "Меморандум"
    assert pick({"en": "Memorandum"}, "kk") == "Memorandum"
    assert pick({"de": "Absichtserklärung"}, "kk") == "Absichtserklärung"
    assert pick({"ru": "Меморандум", "de": "Absichtserklärung"}, "de") == "Absichtserklärung"
    assert pick(None, "kk") == ""


def test_every_language_names_itself_and_its_babel_locale() -> None:
    assert len({language.tag for language in LANGUAGES}) == len(LANGUAGES)
    for language in LANGUAGES:
        assert parse_tag(language.tag) == language
        assert language.name and language.proofing.startswith(language.tag.split("-")[0])
    kazakh = parse_tag("kk")
    assert kazakh is not None and kazakh.column_name == "Қазақ тілі" != kazakh.name
