"""The catalog check: every message the sources use is translated in every complete language.

Messages are extracted from the sources with Babel's extraction API, as `./run catalogs`
and `pybabel extract` do (babel.cfg): portal pages and refusals (`pages`), e-mails (`mail`),
document labels (`documents`). A language the registry marks complete fails the check when
any of them is missing, empty or fuzzy in its catalog of that domain, when a translation drops
or adds a placeholder (`%(name)s`, `{name}`), or when the catalog's plural forms are not
Babel's for the language. Languages still in progress are reported by `./run catalogs`.
"""

from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from accord.i18n import check, extraction
from accord.i18n.catalogs import (
    DOMAINS,
    by_context,
    catalog_path,
    complete_for,
    read_catalog,
    translations,
)
from accord.i18n.languages import LANGUAGES
from tests.language_in_progress import Translated


@cache
def template(domain: str) -> Catalog:
    return extraction.messages(domain)


@pytest.mark.parametrize(
    ("domain", "tag"), [(domain, tag) for domain in DOMAINS for tag in complete_for(domain)]
)
def test_complete_languages_translate_every_message(domain: str, tag: str) -> None:
    found = check.gaps(template(domain), read_catalog(domain, tag), tag)
    assert not found.missing, f"{tag} lacks in {domain}: {found.missing}"
    assert not found.placeholders, f"{tag} {domain}: placeholders differ: {found.placeholders}"
    assert found.plural_forms is None, f"{tag} {domain}: {found.plural_forms}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_language_of_the_registry_has_a_catalog_per_domain(domain: str) -> None:
    """A new language is one registry line and these files (`./run catalogs` creates them)."""
    for language in LANGUAGES:
        assert catalog_path(domain, language.tag).is_file(), (domain, language.tag)


def test_the_sources_of_each_domain_are_found() -> None:
    """The check is only as good as the extraction: each domain finds what it must."""
    pages = {m.id for m in template("pages")}
    assert "Your update has been saved." in pages
    assert (
        "I confirm that I sign version %(number)s with hash %(hash)s on behalf of "
        "%(organisation)s." in pages
    )  # from a page template
    mail = template("mail")
    assert mail.get("Dear %(name)s,") is not None
    assert mail.get(("%(num)s day", "%(num)s days")) is not None
    assert mail.get("Reason given:", context="declined signature") is not None
    documents = template("documents")
    assert documents.get("Memorandum of Understanding", context="kind_mou") is not None
    assert len(documents) >= 90 and len(mail) >= 130 and len(pages) >= 150


def test_refusal_sentences_are_extracted_from_the_syntax_tree(tmp_path: Path) -> None:
    source = b"""
from accord.errors import Refusal
raise Refusal("review.closed", "Round %(round)s is closed.", round=2)
raise errors.Refusal(
    "sign.twice",
    "You have already signed "
    "version %(number)s.",
    number=3,
)
legacy = Refusal(TOO_LARGE, {"limit": 10})
"""
    found = list(extraction.python_and_refusals(BytesIO(source), {}, (), {}))
    assert [message for _, _, message, _ in found] == [
        "Round %(round)s is closed.",
        "You have already signed version %(number)s.",
    ]  # not "limit" from the dict of a call that has no sentence


# --- the check itself: each rule catches what it is for ------------------------------------


def _template() -> Catalog:
    catalog = Catalog(locale=None)
    catalog.add("Dear %(name)s,")
    catalog.add(("%(num)s day", "%(num)s days"))
    catalog.add("Page {page} of {pages}", context="page_of")
    return catalog


def _russian(**changes: object) -> Catalog:
    catalog = Catalog(locale="ru")
    strings: dict[str, object] = {
        "Dear %(name)s,": "Здравствуйте, %(name)s!",
        "days": ("%(num)s день", "%(num)s дня", "%(num)s дней"),
        "page_of": "Страница {page} из {pages}",
        **changes,
    }
    catalog.add("Dear %(name)s,", strings["Dear %(name)s,"])
    catalog.add(("%(num)s day", "%(num)s days"), strings["days"])
    catalog.add("Page {page} of {pages}", strings["page_of"], context="page_of")
    return catalog


def test_a_complete_catalog_has_no_gaps() -> None:
    assert not check.gaps(_template(), _russian(), "ru")


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"Dear %(name)s,": ""}, ["Dear %(name)s,"]),
        ({"days": ("%(num)s день", "", "%(num)s дней")}, ["%(num)s day"]),
        ({"page_of": None}, ["page_of: Page {page} of {pages}"]),
    ],
)
def test_an_empty_translation_is_missing(changes: dict[str, object], missing: list[str]) -> None:
    assert check.gaps(_template(), _russian(**changes), "ru").missing == missing


def test_a_fuzzy_translation_is_missing() -> None:
    catalog = _russian()
    entry = catalog.get("Dear %(name)s,")
    assert entry is not None
    entry.flags.add("fuzzy")
    assert check.gaps(_template(), catalog, "ru").missing == ["Dear %(name)s,"]


def test_a_message_not_in_the_catalog_is_missing() -> None:
    template = _template()
    template.add("Kind regards,")
    assert check.gaps(template, _russian(), "ru").missing == ["Kind regards,"]
    assert len(check.gaps(template, None, "ru").missing) == 4


@pytest.mark.parametrize(
    "changes",
    [
        {"Dear %(name)s,": "Здравствуйте!"},  # dropped
        {"Dear %(name)s,": "Здравствуйте, %(name)s и %(other)s!"},  # added
        {"Dear %(name)s,": "Здравствуйте, %(nmae)s!"},  # misspelt
        {"days": ("%(num)s день", "%(num)s дня", "дней")},  # dropped in one plural form
        {"page_of": "Страница {page}"},  # a brace placeholder dropped
    ],
)
def test_a_translation_with_other_placeholders_is_caught(changes: dict[str, object]) -> None:
    found = check.gaps(_template(), _russian(**changes), "ru")
    assert len(found.placeholders) == 1 and not found.missing


def test_plural_forms_other_than_babels_are_caught() -> None:
    catalog = _russian()
    catalog.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n != 1);")]
    assert catalog.num_plurals == 2
    found = check.gaps(_template(), catalog, "ru")
    assert found.plural_forms is not None and "nplurals=3" in found.plural_forms


# --- reading: fallbacks along the registry's chain ---------------------------------------


def test_a_language_in_progress_reads_the_next_language_of_its_chain(
    language_in_progress: Callable[[Translated], str],
) -> None:
    tag = language_in_progress({"mail": {"Kind regards,": "Урматтоо менен,"}, "documents": {}})
    mail = translations("mail", tag)
    assert mail.gettext("Kind regards,") == "Урматтоо менен,"  # its own, where it has one
    assert mail.gettext("Please answer by") == translations("mail", "ru").gettext(
        "Please answer by"
    )
    assert by_context("documents", tag)["kind_mou"] == "Меморандум о взаимопонимании"
    assert translations("mail", "kk").gettext("Kind regards,") == "Құрметпен,"
    assert by_context("documents", "en")["kind_mou"] == "Memorandum of Understanding"


def test_plural_forms_follow_each_catalog() -> None:
    ru = translations("mail", "ru")
    assert [ru.ngettext("%(num)s day", "%(num)s days", n) for n in (1, 3, 5, 21)] == [
        "%(num)s день",
        "%(num)s дня",
        "%(num)s дней",
        "%(num)s день",
    ]
    assert translations("mail", "en").ngettext("%(num)s day", "%(num)s days", 1) == "%(num)s day"
