"""The clause library: files are read lazily and once, checked with their own positions, and
turned into agreement clauses with prefixed sub-clause ids."""

from pathlib import Path

import pytest

from accord.source.clause_library import ClauseLibrary, LibraryParameter
from accord.source.spec import numbered
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

LIB = "clauses/confidentiality.yaml"
MOU = "agreements/mou.yaml"
ORGS = "agreements/organizations.yaml"


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def library_problems(tmp_path: Path, library: str) -> list[str]:
    """Problems of one library file, as found by looking it up directly."""
    write(tmp_path, {LIB: library})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup("confidentiality")
    assert lookup is not None
    assert lookup.clause is None
    return [str(problem) for problem in lookup.problems]


def in_lib(text: str, needle: str, message: str, offset: int = 0) -> str:
    return f"{LIB}:{at(text, needle, offset)}: {message}"


def test_a_valid_file_reads_into_a_library_clause(tmp_path: Path) -> None:
    write(tmp_path, {LIB: CONFIDENTIALITY})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup("confidentiality")
    assert lookup is not None and lookup.problems == ()
    clause = lookup.clause
    assert clause is not None
    assert (clause.name, clause.path, clause.languages) == (
        "confidentiality",
        LIB,
        ("ru", "en", "kk"),
    )
    assert clause.parameters == {
        "retention_years": LibraryParameter(name="retention_years", required=False, default=5)
    }
    assert clause.text["en"] == "Data are kept for {{ retention_years }} years."  # still a template
    assert [sub.id for sub in clause.clauses] == ["lawful-basis"]


def test_files_are_indexed_without_reading_and_read_once(tmp_path: Path) -> None:
    write(
        tmp_path, {LIB: CONFIDENTIALITY, "clauses/broken.yaml": "format: [", "clauses/x.txt": "-"}
    )
    library = ClauseLibrary.from_directory(tmp_path / "clauses")  # the broken file is not read yet
    assert library.names() == ("broken", "confidentiality")
    first = library.lookup("confidentiality")
    (tmp_path / LIB).write_text("format: [", encoding="utf-8")  # a change after the first read
    assert library.lookup("confidentiality") is first
    assert library.lookup("missing") is None
    broken = library.lookup("broken")
    assert broken is not None and [str(p) for p in broken.problems] == [
        "clauses/broken.yaml:1:10: YAML syntax error: expected the node content, but found "
        "'<stream end>' (while parsing a flow node at line 1)"
    ]


def test_a_missing_directory_is_an_empty_library(tmp_path: Path) -> None:
    library = ClauseLibrary.from_directory(tmp_path / "nowhere")
    assert library.names() == ()
    assert library.lookup("confidentiality") is None


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("clause: confidentiality", "clause: confidential", "confidential\n",
         "invalid clause name: 'confidential' (expected 'confidentiality', the file name without "
         ".yaml)"),
        ("format: accord/v1", "format: 1", "1\n",
         "invalid format: '1' (expected accord/v1)"),
        ("  retention_years: {default: 5}", "  retention-years: {default: 5}", "retention-years",
         "invalid parameter name 'retention-years' (expected letters, digits and underscores, "
         "like retention_years)"),
        ("{default: 5}", "{defualt: 5}", "defualt",
         "unknown key 'defualt' (did you mean 'default'?)"),
        ("parameters:", "parametres:", "parametres",
         "unknown key 'parametres' (did you mean 'parameters'?)"),
        ("title: {ru: Конфиденциальность, en: Confidentiality, kk: Құпиялылық}",
         "title: {ru: Конфиденциальность, en: Confidentiality}", "{ru: Конф",
         "missing translation 'kk' in title (every language in text: ru, en, kk)"),
        ("      en: Lawful.\n", "", "ru: Законно",
         "missing translation 'en' in sub-clause 'lawful-basis' text "
         "(every language in text: ru, en, kk)"),
        ("      en: Lawful.\n", "      en: Lawful.\n      de: Rechtmäßig.\n", "de: Recht",
         "extra translation 'de' in sub-clause 'lawful-basis' text "
         "(only languages in text: ru, en, kk)"),
        ("  - id: lawful-basis", "  - id: Lawful", "Lawful\n",
         "invalid sub-clause id: 'Lawful' (expected lowercase letters, digits and single hyphens, "
         "like kz-iac)"),
        ("clauses:\n", "clauses: 3\nother:\n", "3\n",
         "invalid clauses: '3' (expected a list)"),
    ],
)  # fmt: skip
def test_library_file_rules(tmp_path: Path, old: str, new: str, needle: str, message: str) -> None:
    text = changed(CONFIDENTIALITY, old, new)
    found = library_problems(tmp_path, text)
    assert in_lib(text, needle, message) in found
    assert len(found) == (2 if new.endswith("other:\n") else 1)


def test_text_is_required_and_gives_the_languages(tmp_path: Path) -> None:
    text = CONFIDENTIALITY[: CONFIDENTIALITY.index("text:")]
    assert library_problems(tmp_path, text) == [
        f"{LIB}:1:1: missing key 'text' in library clause (required: format, clause, text)"
    ]
    empty = CONFIDENTIALITY.replace(CONFIDENTIALITY[CONFIDENTIALITY.index("text:") :], "text: {}\n")
    assert library_problems(tmp_path, empty) == [
        in_lib(
            empty,
            "{}",
            "invalid text: an empty mapping (expected at least one language, like ru: …)",
        )
    ]


def test_sub_clause_ids_are_unique_in_the_file(tmp_path: Path) -> None:
    text = CONFIDENTIALITY + "  - id: lawful-basis\n    text: {ru: a, en: b, kk: c}\n"
    assert library_problems(tmp_path, text) == [
        f"{LIB}:16:9: duplicate sub-clause id 'lawful-basis' (first at line 11)"
    ]


def test_parameters_without_default_are_required(tmp_path: Path) -> None:
    text = changed(CONFIDENTIALITY, "  retention_years: {default: 5}\n",
                   "  retention_years: {default: 5}\n  controller: {}\n  officer:\n"
                   "  unit: {description: Who keeps the data}\n")  # fmt: skip
    write(tmp_path, {LIB: text})
    lookup = ClauseLibrary.from_directory(tmp_path / "clauses").lookup("confidentiality")
    assert lookup is not None and lookup.clause is not None
    required = {name: p.required for name, p in lookup.clause.parameters.items()}
    assert required == {"retention_years": False, "controller": True, "officer": True, "unit": True}


def test_nested_library_sub_clauses_get_prefixed_ids(tmp_path: Path) -> None:
    nested = CONFIDENTIALITY + (
        "  - id: retention\n"
        "    title: {ru: Хранение, en: Retention, kk: Сақтау}\n"
        "    text: {ru: Срок, en: Period, kk: Мерзім}\n"
        "    clauses:\n"
        "      - id: deletion\n"
        "        text: {ru: Удаление, en: Deletion, kk: Жою}\n"
    )
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    mou = load(tmp_path, MOU, clauses={"confidentiality": nested}).agreements[0][1]
    conf = [(n.number, n.clause.id, n.clause.title) for n in numbered(mou.clauses[1:], "2.")]
    assert conf[0][:2] == ("2.1", "conf")
    # The titled clauses' own paragraphs come first (2.1.1, 2.1.3.1), their sub-clauses after.
    assert conf[1:] == [
        ("2.1.2", "conf-lawful-basis", None),
        ("2.1.3", "conf-retention", {"ru": "Хранение", "kk": "Сақтау"}),
        ("2.1.3.2", "conf-deletion", None),
    ]


def test_library_problems_are_reported_once_with_the_library_path(tmp_path: Path) -> None:
    broken = changed(CONFIDENTIALITY, "  en: Data are kept for {{ retention_years }} years.\n", "")
    second = changed(AGREEMENT, "id: kz-referral-mou", "id: second-mou")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT, "agreements/second.yaml": second})
    use = at(AGREEMENT, "confidentiality")
    invalid = f"library clause 'confidentiality' is invalid (see the problems in {LIB})"
    assert problems(tmp_path, "agreements", clauses={"confidentiality": broken}) == [
        f"{MOU}:{use}: {invalid}",
        f"agreements/second.yaml:{use}: {invalid}",
        in_lib(broken, "en: Conf",
               "extra translation 'en' in title (only languages in text: ru, kk)"),
        in_lib(broken, "en: Lawful", "extra translation 'en' in sub-clause 'lawful-basis' text "
               "(only languages in text: ru, kk)"),
    ]  # fmt: skip


def test_library_yaml_errors_carry_the_library_position(tmp_path: Path) -> None:
    broken = changed(CONFIDENTIALITY, "ru: Законно в городе {{ city }}.", "ru: {Законно: [}")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    found = problems(tmp_path, MOU, clauses={"confidentiality": broken})
    assert found[1].startswith(f"{LIB}:{at(broken, '[}', 1)}: YAML syntax error: ")
    assert len(found) == 2
