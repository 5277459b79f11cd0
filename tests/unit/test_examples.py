"""The examples under agreements/: one per country of the region in its state language and
Russian, each citing its country's law through the library's variants, all `accord check`
clean. They are what `./run demo` drafts."""

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document

from accord.documents.agreement_docx import render_agreement
from accord.i18n.languages import STATE_LANGUAGE, language, parse_tag
from accord.settings import PROJECT_ROOT
from accord.source.clause_library import ClauseLibrary
from accord.source.loader import load_sources
from accord.source.spec import AgreementKind, AgreementSpec, LoadedSources, version_content
from tests.cli_runner import run_cli

AGREEMENTS = PROJECT_ROOT / "agreements"
LAWS = {
    "KZ": ("№ 110-VIII", "№ 110-VIII"),
    "KG": ("№ 55", "№ 55"),
    "TJ": ("№ 1096", "№ 1096"),
    "UZ": ("OʻRQ-633", "ЗРУ-633"),
    "TM": ("454-V", "№ 454-V"),
}
"""The number of each country's law on trafficking in persons as its variants cite it, in
the state language and in Russian."""
EXAMPLE_DOMAINS = re.compile(r"@example\.(org|kz|kg)$")


@pytest.fixture(scope="module")
def sources() -> LoadedSources:
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    return load_sources([AGREEMENTS], clause_library=library)


def examples(sources: LoadedSources) -> dict[str, AgreementSpec]:
    """Country → its example in the state language (the first language is the state's)."""
    found = {}
    for _, spec in sources.agreements:
        state = parse_tag(STATE_LANGUAGE[spec.country])
        if state is not None and spec.languages == (state.tag, "ru"):
            found[spec.country] = spec
    return found


def test_the_examples_check_clean_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "check", str(AGREEMENTS))
    assert result.code == 0, result.err
    assert "warning" not in result.out + result.err
    assert re.search(r"ok: \d+ organisations, [6-9] agreements checked\n", result.out)


def test_every_country_has_an_example_in_its_state_language_then_russian(
    sources: LoadedSources,
) -> None:
    by_country = examples(sources)
    assert set(by_country) == set(STATE_LANGUAGE)
    kinds = {spec.kind for spec in by_country.values()}
    assert kinds == {AgreementKind.mou, AgreementKind.joint_action_plan}


@pytest.mark.parametrize("country", sorted(STATE_LANGUAGE))
def test_each_example_cites_its_countrys_law_in_both_languages(
    sources: LoadedSources, country: str
) -> None:
    spec = examples(sources)[country]
    content = version_content(spec, sources.organizations)
    data = render_agreement(content, number=1, sha256="0" * 64, created_at=datetime.now(UTC))
    names = [language(tag).column_name for tag in spec.languages]
    clauses = next(  # the clauses side by side, under the languages' names
        t for t in Document(BytesIO(data)).tables if [c.text for c in t.rows[0].cells] == names
    )
    for column, law in zip(clauses.columns, LAWS[country], strict=True):
        assert law in " ".join(cell.text for cell in column.cells), (country, law)


def test_the_examples_people_are_fictitious(sources: LoadedSources) -> None:
    emails = [c.email for org in sources.organizations.values() for c in org.contacts]
    assert emails and all(EXAMPLE_DOMAINS.search(email) for email in emails), emails
