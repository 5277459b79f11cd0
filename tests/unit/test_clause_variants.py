"""Country variants of library clauses: chosen by the agreement's country, overridden by
`variant:`, and a warning whenever the generic text stands in for a country's own."""

from pathlib import Path

import pytest

from accord.source.clause_library import ClauseLibrary
from accord.source.spec import AgreementSpec, ClauseSpec
from tests.unit.source_examples import (
    AGREEMENT,
    CONFIDENTIALITY,
    ORGANIZATIONS,
    at,
    changed,
    load,
    problems,
    write,
)

MOU = "agreements/mou.yaml"
ORGS = "agreements/organizations.yaml"
VARIANT_PATH = "clauses/confidentiality.KZ.yaml"

KZ_VARIANT = """\
format: accord/v1
clause: confidentiality
country: KZ
parameters:
  retention_years: {default: 5}
title: {ru: Конфиденциальность (РК), kk: Құпиялылық (ҚР)}
text:
  ru: По Закону РК данные хранятся {{ retention_years }} лет.
  kk: ҚР Заңы бойынша деректер {{ retention_years }} жыл сақталады.
clauses:
  - id: national-law
    text:
      ru: Применяется законодательство Республики Казахстан.
      kk: Қазақстан Республикасының заңнамасы қолданылады.
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def library(
    variant: str | None = KZ_VARIANT, generic: str | None = CONFIDENTIALITY
) -> dict[str, str]:
    """Library files by name (as `load` takes them): the generic file and the KZ variant."""
    files = {}
    if generic is not None:
        files["confidentiality"] = generic
    if variant is not None:
        files["confidentiality.KZ"] = variant
    return files


def conf_clause(agreement: AgreementSpec) -> ClauseSpec:
    return next(clause for clause in agreement.clauses if clause.id == "conf")


def loaded(tmp_path: Path, agreement: str, clauses: dict[str, str]) -> tuple[ClauseSpec, list[str]]:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: agreement})
    sources = load(tmp_path, MOU, clauses=clauses)
    return conf_clause(sources.agreements[0][1]), [str(w) for w in sources.warnings]


def with_variant(value: str, agreement: str = AGREEMENT) -> str:
    return changed(
        agreement, "    use: confidentiality\n", f"    use: confidentiality\n    variant: {value}\n"
    )


def test_the_library_indexes_variants_by_name_and_country(tmp_path: Path) -> None:
    write(tmp_path, {f"clauses/{name}.yaml": text for name, text in library().items()})
    write(tmp_path, {"clauses/confidentiality.kz.yaml": "-", "clauses/notes.v2.yaml": "-"})
    lib = ClauseLibrary.from_directory(tmp_path / "clauses")
    assert lib.names() == ("confidentiality", "confidentiality.kz", "notes.v2")
    assert lib.countries("confidentiality") == ("KZ",)
    lookup = lib.lookup_variant("confidentiality", "KZ")
    assert lookup is not None and lookup.clause is not None and lookup.problems == ()
    assert (lookup.clause.country, lookup.clause.source) == ("KZ", "confidentiality.KZ")
    assert lib.lookup_variant("confidentiality", "KG") is None


def test_the_variant_of_the_agreements_country_is_chosen(tmp_path: Path) -> None:
    clause, warnings = loaded(tmp_path, AGREEMENT, library())
    assert clause.library == "confidentiality.KZ"
    assert clause.title == {"ru": "Конфиденциальность (РК)", "kk": "Құпиялылық (ҚР)"}
    assert clause.text["ru"] == "По Закону РК данные хранятся 7 лет."  # with: still applies
    assert [sub.id for sub in clause.clauses] == ["conf-national-law"]
    assert warnings == []


def test_another_country_takes_the_generic_text_without_a_warning(tmp_path: Path) -> None:
    clause, warnings = loaded(tmp_path, changed(AGREEMENT, "country: KZ", "country: KG"), library())
    assert clause.library == "confidentiality"
    assert clause.text["ru"] == "Данные хранятся 7 лет."
    assert warnings == []


def test_variant_names_another_countrys_text(tmp_path: Path) -> None:
    agreement = with_variant("KZ", changed(AGREEMENT, "country: KZ", "country: KG"))
    clause, warnings = loaded(tmp_path, agreement, library())
    assert clause.library == "confidentiality.KZ"
    assert warnings == []


def test_variant_generic_takes_the_generic_text_with_a_warning(tmp_path: Path) -> None:
    agreement = with_variant("generic")
    clause, warnings = loaded(tmp_path, agreement, library())
    assert clause.library == "confidentiality"
    assert warnings == [
        f"{MOU}:{at(agreement, 'confidentiality')}: warning: clause 'conf' uses the generic "
        f"library clause 'confidentiality' although {VARIANT_PATH} is written for KZ "
        "(generic was asked for)"
    ]


def test_a_variant_lacking_a_language_gives_way_to_the_generic_text(tmp_path: Path) -> None:
    kk_only = KZ_VARIANT.replace("title: {ru: Конфиденциальность (РК), kk:", "title: {kk:")
    kk_only = "\n".join(line for line in kk_only.splitlines() if "ru:" not in line) + "\n"
    clause, warnings = loaded(tmp_path, AGREEMENT, library(variant=kk_only))
    assert clause.library == "confidentiality"
    assert warnings == [
        f"{MOU}:{at(AGREEMENT, 'confidentiality')}: warning: clause 'conf' uses the generic "
        f"library clause 'confidentiality' although {VARIANT_PATH} is written for KZ "
        "(it lacks ru; add them there, or write variant: generic)"
    ]


def test_a_variant_named_explicitly_must_have_every_language(tmp_path: Path) -> None:
    agreement = with_variant("KZ", AGREEMENT.replace("kk:", "en:"))
    agreement = agreement.replace("languages: [ru, kk]", "languages: [ru, en]")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: agreement})
    assert problems(tmp_path, MOU, clauses=library()) == [
        f"{MOU}:{at(agreement, 'confidentiality')}: missing translation 'en' in library clause "
        f"'confidentiality' (variant KZ) used by clause 'conf' ({VARIANT_PATH} offers: ru, kk)"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("KG", "unknown variant 'KG' of library clause 'confidentiality' "
               "(expected one of: KZ, generic)"),
        ("kz", "invalid variant: 'kz' (expected generic or the country of a variant: KZ, "
               "generic; did you mean 'KZ'?)"),
        ("XX", "invalid variant: 'XX' (expected generic or the country of a variant: KZ, "
               "generic)"),
        ("[KZ]", "invalid variant: a list (expected generic or the country of a variant: KZ, "
                 "generic)"),
    ],
)  # fmt: skip
def test_a_variant_that_does_not_exist_is_refused_where_it_is_written(
    tmp_path: Path, value: str, message: str
) -> None:
    agreement = with_variant(value)
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: agreement})
    assert problems(tmp_path, MOU, clauses=library()) == [
        f"{MOU}:{at(agreement, 'variant: ' + value, 9)}: {message}"
    ]


def test_variant_belongs_to_library_clauses(tmp_path: Path) -> None:
    agreement = changed(AGREEMENT, "    title: {ru: Цель, kk: Мақсаты}\n",
                        "    title: {ru: Цель, kk: Мақсаты}\n    variant: KZ\n")  # fmt: skip
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: agreement})
    assert problems(tmp_path, MOU, clauses=library()) == [
        f"{MOU}:{at(agreement, 'variant: KZ')}: key 'variant' in clause 'purpose' needs use "
        "(variants are for library clauses)"
    ]


def test_a_clause_with_only_variants_needs_one_for_the_agreement(tmp_path: Path) -> None:
    clause, _ = loaded(tmp_path, AGREEMENT, library(generic=None))
    assert clause.library == "confidentiality.KZ"
    agreement = changed(AGREEMENT, "country: KZ", "country: KG")
    write(tmp_path, {MOU: agreement})
    assert problems(tmp_path, MOU, clauses=library(generic=None)) == [
        f"{MOU}:{at(agreement, 'confidentiality')}: library clause 'confidentiality' has no "
        "generic text (it has variants for KZ; expected variant: one of them)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("country: KZ\n", "", "format",
         "missing key 'country' in library clause (required: format, clause, country, text)"),
        ("country: KZ", "country: KG", "KG",
         "invalid country: 'KG' (expected 'KZ', the country in the file name)"),
        ("country: KZ", "country: Kazakhstan", "Kazakhstan",
         "invalid country: 'Kazakhstan' (expected an ISO 3166-1 alpha-2 code, like KZ)"),
        ("clause: confidentiality", "clause: confidential", "confidential\n",
         "invalid clause name: 'confidential' (expected 'confidentiality', the file name "
         "without the country and .yaml)"),
    ],
)  # fmt: skip
def test_variant_file_rules(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    text = changed(KZ_VARIANT, old, new)
    write(tmp_path, {VARIANT_PATH: text})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup_variant(
        "confidentiality", "KZ"
    )
    assert lookup is not None and lookup.clause is None
    assert [str(p) for p in lookup.problems] == [f"{VARIANT_PATH}:{at(text, needle)}: {message}"]


def test_a_generic_file_has_no_country(tmp_path: Path) -> None:
    text = changed(
        CONFIDENTIALITY, "clause: confidentiality\n", "clause: confidentiality\ncountry: KZ\n"
    )
    write(tmp_path, {"clauses/confidentiality.yaml": text})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup("confidentiality")
    assert lookup is not None and [str(p) for p in lookup.problems] == [
        "clauses/confidentiality.yaml:3:1: unknown key 'country' "
        "(expected one of: format, clause, parameters, title, text, clauses)"
    ]


def test_an_invalid_variant_file_is_reported_with_its_own_path(tmp_path: Path) -> None:
    broken = changed(KZ_VARIANT, "country: KZ", "country: KG")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    assert problems(tmp_path, MOU, clauses=library(variant=broken)) == [
        f"{MOU}:{at(AGREEMENT, 'confidentiality')}: library clause 'confidentiality' is invalid "
        f"(see the problems in {VARIANT_PATH})",
        f"{VARIANT_PATH}:3:10: invalid country: 'KG' (expected 'KZ', the country in the file name)",
    ]


UZ_LIBRARY = """\
format: accord/v1
clause: confidentiality
title: {ru: Конфиденциальность, uz-Latn: Maxfiylik, uz-Cyrl: Махфийлик}
text:
  ru: Данные защищены.
  uz-Latn: Maʼlumotlar himoya qilinadi.
  uz-Cyrl: Маълумотлар ҳимоя қилинади.
"""


def test_library_texts_may_carry_a_script_and_uz_means_latin(tmp_path: Path) -> None:
    agreement = (
        AGREEMENT.replace("languages: [ru, kk]", "languages: [uz, ru]")
        .replace("kk:", "uz:")
        .replace("    with: {retention_years: 7}\n", "")
    )
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: agreement})
    sources = load(tmp_path, MOU, clauses={"confidentiality": UZ_LIBRARY})
    clause = conf_clause(sources.agreements[0][1])
    assert clause.title == {"uz-Latn": "Maxfiylik", "ru": "Конфиденциальность"}
    assert clause.text["uz-Latn"] == "Maʼlumotlar himoya qilinadi."


def test_a_library_language_key_must_be_a_tag_accord_knows(tmp_path: Path) -> None:
    text = UZ_LIBRARY.replace("  uz-Cyrl: Маълумотлар", "  uz-Cyrillic: Маълумотлар")
    write(tmp_path, {"clauses/confidentiality.yaml": text})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup("confidentiality")
    assert lookup is not None and [str(p) for p in lookup.problems] == [
        f"clauses/confidentiality.yaml:{at(text, 'uz-Cyrillic')}: invalid language "
        "'uz-Cyrillic' in text (expected a language Accord knows: en, ru, kk, ky, tg, uz-Latn, "
        "uz-Cyrl, tk; did you mean 'uz-Latn'?)"
    ]
