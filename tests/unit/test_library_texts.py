"""The real clause library in `templates/clauses/`: every clause in every language Accord knows,
every country variant in its state language and Russian, citing its law, rendering for each
value of its parameters, in the right script."""

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from accord.i18n.languages import language, tags
from accord.source.clause_library import ClauseLibrary, LibraryClause, LibrarySubClause
from accord.source.clause_text import render_template
from accord.source.source_files import display_path
from tests.conftest import CLAUSES
from tests.unit.source_examples import ORGANIZATIONS, write

STATE_LANGUAGES = {
    "KZ": ("kk",),
    "KG": ("ky",),
    "TJ": ("tg",),
    "UZ": ("uz-Latn", "uz-Cyrl"),
    "TM": ("tk",),
}
"""The state language(s) of each country of the region, as registry tags."""
VARIANT_CLAUSES = ("definitions", "referral-procedure")
CITATIONS = {
    "KZ": ("110-VIII", "2024", "35289"),
    "KG": ("2005", "55"),
    "TJ": ("2014", "1096"),
    "UZ": ("2020", "633", "2021", "60"),
    "TM": ("2016", "454-V"),
}
"""What a country's variants must cite in every language: the law's year and number and, where
one was found, the referral act's (KZ joint order registration, UZ resolution No. 60)."""
OTHER_SCRIPT_SHARE = 0.03
"""Roman numerals in law numbers (110-VIII) are the only letters of another script expected."""


@cache
def library() -> ClauseLibrary:
    """Read once for the whole module: the files do not change while the tests run."""
    return ClauseLibrary.from_directory(CLAUSES)


def generic(name: str) -> LibraryClause:
    lookup = library().lookup(name)
    assert lookup is not None and lookup.clause is not None, lookup and lookup.problems
    return lookup.clause


def variant(name: str, country: str) -> LibraryClause:
    lookup = library().lookup_variant(name, country)
    assert lookup is not None, f"no {name}.{country}.yaml"
    assert lookup.clause is not None, [str(p) for p in lookup.problems]
    return lookup.clause


def every_clause() -> Iterator[LibraryClause]:
    lib = library()
    for name in lib.names():
        yield generic(name)
        for country in lib.countries(name):
            yield variant(name, country)


def contexts(clause: LibraryClause) -> Iterator[dict[str, Any]]:
    """Every value a text must render with: defaults, both instruments, several text languages."""
    base = {p.name: p.default for p in clause.parameters.values() if not p.required}
    instruments = ("mou", "plan") if "instrument" in clause.parameters else (None,)
    text_languages: tuple[list[str] | None, ...] = (None,)
    if "text_languages" in clause.parameters:
        text_languages = (["kk", "ru"], ["uz-Latn", "ru", "en"], ["tk"], ["ky", "tg", "uz-Cyrl"])
    for instrument in instruments:
        for named in text_languages:
            context = dict(base)
            if instrument is not None:
                context["instrument"] = instrument
            if named is not None:
                context["text_languages"] = named
            yield context


def texts(part: LibraryClause | LibrarySubClause) -> Iterator[tuple[str, str, str]]:
    """(where, language, template) for the title, text and sub-clauses of a library clause."""
    for what, templates in (("title", part.title), ("text", part.text)):
        for lang, template in (templates or {}).items():
            yield what, lang, template
    for sub in part.clauses:
        for what, lang, template in texts(sub):
            yield f"{sub.id} {what}", lang, template


def rendered(clause: LibraryClause) -> Iterator[tuple[str, str, str]]:
    for context in contexts(clause):
        for where, lang, template in texts(clause):
            result = render_template(template, context)
            assert isinstance(result, str), f"{clause.path} {where} {lang}: {result}"
            yield where, lang, result


CLAUSE_IDS = [clause.source for clause in every_clause()]


@pytest.mark.parametrize("source", CLAUSE_IDS)
def test_every_text_renders_in_every_language_it_offers(source: str) -> None:
    clause = next(c for c in every_clause() if c.source == source)
    seen = set()
    for where, lang, text in rendered(clause):
        assert text.strip(), f"{clause.path} {where} {lang} renders empty"
        assert "{{" not in text and "{%" not in text, f"{clause.path} {where} {lang}"
        seen.add(lang)
    assert seen == set(clause.languages)


@pytest.mark.parametrize("source", CLAUSE_IDS)
def test_every_text_is_written_in_its_languages_script(source: str) -> None:
    clause = next(c for c in every_clause() if c.source == source)
    for where, lang, text in rendered(clause):
        script = {"Cyrl": "CYRILLIC", "Latn": "LATIN"}[language(lang).script]
        letters = [
            unicodedata.name(ch, "") for ch in text if unicodedata.category(ch) in ("Lu", "Ll")
        ]
        other = [name for name in letters if not name.startswith(script)]
        assert len(other) <= OTHER_SCRIPT_SHARE * len(letters), (
            f"{clause.path} {where} {lang}: {len(other)} of {len(letters)} letters not {script}"
        )


def test_every_generic_clause_offers_every_language_accord_knows() -> None:
    for name in library().names():
        assert set(generic(name).languages) == set(tags()), name


@pytest.mark.parametrize("country", sorted(STATE_LANGUAGES))
@pytest.mark.parametrize("name", VARIANT_CLAUSES)
def test_each_country_has_its_variants_in_its_state_language_and_russian(
    name: str, country: str
) -> None:
    clause = variant(name, country)
    assert clause.country == country
    assert clause.languages[: len(STATE_LANGUAGES[country])] == STATE_LANGUAGES[country]
    assert "ru" in clause.languages
    # an agreement that switches to the variant keeps its `with:` values
    assert set(clause.parameters) == set(generic(name).parameters)


@pytest.mark.parametrize("country", sorted(STATE_LANGUAGES))
@pytest.mark.parametrize("name", VARIANT_CLAUSES)
def test_variants_cite_the_law_in_force_in_every_language(name: str, country: str) -> None:
    clause = variant(name, country)
    for lang in clause.languages:
        cited = " ".join(text for _, text_lang, text in texts(clause) if text_lang == lang)
        for token in CITATIONS[country]:
            assert re.search(rf"(?<!\d){re.escape(token)}(?!\d)", cited), (
                f"{clause.path} {lang} does not cite {token}"
            )


def test_uzbek_latin_writes_o_and_g_with_the_turned_comma() -> None:
    wrong = re.compile(r"[oOgG]['‘’`ʼ]|['‘’`]")
    for clause in every_clause():
        for where, lang, text in rendered(clause):
            if lang == "uz-Latn":
                assert not wrong.search(text), f"{clause.path} {where}: {wrong.search(text)}"


def agreement(country: str, languages: list[str], body: str) -> str:
    texts_of = "{" + ", ".join(f"{lang}: X" for lang in languages) + "}"
    return (
        f"format: accord/v1\nid: variant-check\nkind: mou\nlanguages: [{', '.join(languages)}]\n"
        f"country: {country}\nsecretariat: kz-iac\ntitle: {texts_of}\n"
        f"parties:\n  - org: kz-mia\n    role: signatory\nclauses:\n{body}"
    )


USES = (
    "  - id: definitions\n    use: definitions\n    with: {instrument: plan}\n"
    "  - id: referral\n    use: referral-procedure\n"
    "    with: {initial_response_hours: 12, reflection_days: 31}\n"
)
LOADER_LANGUAGES = {"KZ": ["kk", "ru"], "KG": ["ky", "ru"], "TJ": ["tg", "ru"], "UZ": ["uz", "ru"],
                    "TM": ["tk", "ru"]}  # fmt: skip
"""Each country's state language and Russian, as an agreement writes them (`uz` is Latin)."""


def load_real(tmp_path: Path, text: str) -> Any:
    write(tmp_path, {"agreements/organizations.yaml": ORGANIZATIONS, "agreements/a.yaml": text})
    from accord.source.loader import load_sources

    return load_sources([tmp_path / "agreements" / "a.yaml"], clause_library=library())


@pytest.mark.parametrize("country", sorted(STATE_LANGUAGES))
def test_an_agreement_of_each_country_takes_its_variants(tmp_path: Path, country: str) -> None:
    sources = load_real(tmp_path, agreement(country, LOADER_LANGUAGES[country], USES))
    spec = sources.agreements[0][1]
    assert [c.library for c in spec.clauses] == [
        f"definitions.{country}",
        f"referral-procedure.{country}",
    ]
    assert sources.warnings == ()
    referral = spec.clauses[1]
    assert any("12" in sub.text["ru"] and "час" in sub.text["ru"] for sub in referral.clauses)
    assert any("31 дня" in sub.text["ru"] for sub in referral.clauses)  # declined by the number


def test_the_generic_definitions_in_a_region_country_are_warned_about(tmp_path: Path) -> None:
    body = "  - id: definitions\n    use: definitions\n    variant: generic\n"
    sources = load_real(tmp_path, agreement("TJ", ["tg", "ru"], body))
    assert sources.agreements[0][1].clauses[0].library == "definitions"
    assert [w.message for w in sources.warnings] == [
        "clause 'definitions' uses the generic library clause 'definitions' although "
        f"{display_path(CLAUSES / 'definitions.TJ.yaml')} is written for TJ (generic was asked for)"
    ]


@pytest.mark.parametrize("tag", ["uz-Latn", "uz-Cyrl"])
def test_uzbek_agreements_in_either_script(tmp_path: Path, tag: str) -> None:
    sources = load_real(tmp_path, agreement("UZ", [tag, "ru"], USES))
    spec = sources.agreements[0][1]
    assert [c.library for c in spec.clauses] == ["definitions.UZ", "referral-procedure.UZ"]
    first = spec.clauses[0].text[tag]
    assert ("Ушбу" in first) if language(tag).script == "Cyrl" else ("Ushbu" in first)
