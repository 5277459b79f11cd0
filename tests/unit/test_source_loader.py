"""The source loader: a valid set loads into the expected spec; each broken rule is reported
with its exact message, line and column, all problems of all files at once."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from accord.source.loader import load_organizations, load_sources
from accord.source.problems import SourceInvalid
from accord.source.spec import (
    ContactRole,
    PartyRole,
    ReportingSpec,
    numbered,
    version_content,
)
from tests.unit.source_examples import (
    AGREEMENT,
    CONFIDENTIALITY,
    ORGANIZATIONS,
    at,
    changed,
    library,
    load,
    problems,
    write,
)

MOU = "agreements/mou.yaml"
KNOWN = "expected a language Accord knows: en, ru, kk, ky, tg, uz-Latn, uz-Cyrl, tk"
ORGS = "agreements/organizations.yaml"
AGREEMENT_KEYS = (
    "format, id, kind, languages, country, secretariat, title, parties, variables, clauses, "
    "objectives, commitments, term, reporting, review, final, approval"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problem paths are shown relative to the working directory: work in tmp_path."""
    monkeypatch.chdir(tmp_path)


def agreement_problems(
    tmp_path: Path, text: str, *, orgs: str = ORGANIZATIONS, clauses: dict[str, str] | None = None
) -> list[str]:
    write(tmp_path, {ORGS: orgs, MOU: text})
    return problems(tmp_path, MOU, clauses=clauses)


def in_mou(text: str, needle: str, message: str, offset: int = 0) -> str:
    return f"{MOU}:{at(text, needle, offset)}: {message}"


def in_orgs(text: str, needle: str, message: str, offset: int = 0) -> str:
    return f"{ORGS}:{at(text, needle, offset)}: {message}"


# --- a valid set ---------------------------------------------------------------------------


def test_the_example_loads_into_the_expected_spec(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    loaded = load(tmp_path, MOU)

    assert list(loaded.organizations) == ["kz-iac", "kz-mia", "ngo-safe-home", "iom-kz"]
    iac = loaded.organizations["kz-iac"]
    assert iac.name == {"ru": "Межведомственная комиссия", "en": "Interagency Commission"}
    assert iac.contacts[0].email == "secretariat@example.kz"
    assert iac.contacts[0].roles == (ContactRole.secretariat, ContactRole.reviewer)
    assert loaded.organizations["iom-kz"].country == "NO"  # unquoted NO is Norway, not false
    [(path, mou)] = loaded.agreements
    assert path == MOU
    assert (mou.id, mou.kind.value, mou.languages, mou.country) == (
        "kz-referral-mou",
        "mou",
        ("ru", "kk"),
        "KZ",
    )
    assert mou.title == {"ru": "Меморандум", "kk": "Меморандумы"}
    assert [(p.org, p.role) for p in mou.parties] == [
        ("kz-mia", PartyRole.signatory),
        ("ngo-safe-home", PartyRole.signatory),
        ("iom-kz", PartyRole.observer),
    ]
    assert mou.variables == {"city": "Astana"}


def test_clauses_are_rendered_normalised_and_numbered(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    [(_, mou)] = load(tmp_path, MOU).agreements

    numbers = [(n.number, n.depth, n.clause.id, n.clause.library) for n in numbered(mou.clauses)]
    assert numbers == [
        ("1", 0, "purpose", None),
        ("1.3", 1, "purpose-scope", None),  # after 1.1 and 1.2, the two paragraphs of "Цель"
        ("2", 0, "conf", "confidentiality"),
        ("2.2", 1, "conf-lawful-basis", "confidentiality"),
    ]
    purpose, conf = mou.clauses
    assert purpose.title == {"ru": "Цель", "kk": "Мақсаты"}
    # `|` keeps lines: blank lines collapse to one newline; `>` folds lines into one
    assert purpose.text == {
        "ru": "Стороны сотрудничают в городе Astana.\nВторой абзац.",
        "kk": "Тараптар ынтымақтасады.",
    }
    # only the agreement's languages are taken from the library (it also offers en)
    assert conf.title == {"ru": "Конфиденциальность", "kk": "Құпиялылық"}
    assert conf.text == {"ru": "Данные хранятся 7 лет.", "kk": "Деректер 7 жыл сақталады."}
    assert conf.clauses[0].text == {"ru": "Законно в городе Astana.", "kk": "Заңды."}


def test_commitments_term_reporting_and_review(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    [(_, mou)] = load(tmp_path, MOU).agreements

    c01, c02, c03 = mou.commitments
    assert (c01.objective, c01.responsible, c01.partners) == (
        "o-identification",
        "kz-mia",
        ("ngo-safe-home", "iom-kz"),
    )
    assert (c01.due, c01.due_label) == (date(2027, 6, 30), "2027-06-30")
    assert (c01.baseline, c01.target) == ("0", "3")
    assert c01.budget is not None
    assert c01.budget.amount == Decimal("1500000.50")
    assert str(c01.budget.amount) == "1500000.50"
    assert c01.budget.currency == "KZT"
    assert c01.indicator == {"ru": "Число", "kk": "Саны"}
    assert c01.funding == {"ru": "Бюджет", "kk": "Бюджет"}
    assert (c02.due, c02.due_label, c02.objective, c02.partners) == (
        date(2027, 6, 30),
        "2027-Q2",
        None,
        (),
    )
    assert (c03.due, c03.due_label) == (date(2028, 1, 15), "2028-01-15")  # quoted date
    assert [o.id for o in mou.objectives] == ["o-identification"]
    assert mou.term is not None and (mou.term.years, mou.term.until) == (3, None)
    assert mou.reporting is not None
    assert (mou.reporting.every_months, mou.reporting.day) == (6, 20)
    assert (mou.review.working_days, mou.review.remind_before) == (10, (3, 1))


def test_loaded_agreement_makes_version_content(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    loaded = load(tmp_path, MOU)
    content = version_content(loaded.agreements[0][1], loaded.organizations)
    assert sorted(content.organizations) == ["iom-kz", "kz-iac", "kz-mia", "ngo-safe-home"]
    assert '"amount":"1500000.50"' in content.canonical_json()


@pytest.mark.parametrize(
    ("quarter", "last_day"),
    [("2027-Q1", date(2027, 3, 31)), ("2027-Q2", date(2027, 6, 30)),
     ("2027-Q3", date(2027, 9, 30)), ("2028-Q4", date(2028, 12, 31))],
)  # fmt: skip
def test_a_quarter_means_its_last_day(tmp_path: Path, quarter: str, last_day: date) -> None:
    write(
        tmp_path, {ORGS: ORGANIZATIONS, MOU: changed(AGREEMENT, "due: 2027-Q2", f"due: {quarter}")}
    )
    c02 = load(tmp_path, MOU).agreements[0][1].commitments[1]
    assert (c02.due, c02.due_label) == (last_day, quarter)


def test_optional_sections_take_their_defaults(tmp_path: Path) -> None:
    text = AGREEMENT[: AGREEMENT.index("objectives:")]
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})
    mou = load(tmp_path, MOU).agreements[0][1]
    assert (mou.objectives, mou.commitments, mou.term, mou.reporting) == ((), (), None, None)
    assert (mou.review.working_days, mou.review.remind_before) == (10, (3, 1))


def test_term_until_and_review_reminders_within_a_short_round(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "  years: 3\n", "  until: 2029-12-31\n")
    text = changed(text, "  working_days: 10\n  remind_before: [1, 3]\n", "  working_days: 2\n")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})
    mou = load(tmp_path, MOU).agreements[0][1]
    assert mou.term is not None and (mou.term.years, mou.term.until) == (None, date(2029, 12, 31))
    assert mou.review.remind_before == (1,)  # the default (3, 1), less what does not fit


def test_library_context_precedence(tmp_path: Path) -> None:
    """Agreement variables < library parameter defaults < `with:` values."""
    text = changed(AGREEMENT, "  city: Astana\n", "  city: Astana\n  retention_years: 1\n")
    without_with = changed(text, "    with: {retention_years: 7}\n", "")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: without_with})
    assert load(tmp_path, MOU).agreements[0][1].clauses[1].text["ru"] == "Данные хранятся 5 лет."
    write(tmp_path, {MOU: text})
    assert load(tmp_path, MOU).agreements[0][1].clauses[1].text["ru"] == "Данные хранятся 7 лет."


def test_yaml_merge_keys_and_aliases_work(tmp_path: Path) -> None:
    orgs = changed(
        ORGANIZATIONS,
        "  - id: kz-mia\n    kind: ministry\n    country: KZ\n",
        "  - id: kz-mia\n    <<: &state {kind: ministry, country: KZ}\n",
    )
    orgs = changed(orgs, "    kind: ngo\n    country: KZ\n", "    <<: *state\n    kind: ngo\n")
    write(tmp_path, {ORGS: orgs, MOU: AGREEMENT})
    organizations = load(tmp_path, MOU).organizations
    assert organizations["kz-mia"].kind.value == "ministry"
    assert (organizations["ngo-safe-home"].kind.value, organizations["ngo-safe-home"].country) == (
        "ngo",
        "KZ",
    )


# --- files and directories -------------------------------------------------------------------


def test_a_directory_means_its_yaml_files_sorted(tmp_path: Path) -> None:
    second = changed(AGREEMENT, "id: kz-referral-mou", "id: another-mou")
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT, "agreements/b.yml": second})
    write(tmp_path, {"agreements/notes.txt": "not a source", "agreements/sub/x.yaml": "- junk"})
    loaded = load(tmp_path, "agreements")
    assert [(path, a.id) for path, a in loaded.agreements] == [
        ("agreements/b.yml", "another-mou"),
        (MOU, "kz-referral-mou"),
    ]


def test_organisations_file_beside_the_agreement_is_used(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    assert "kz-iac" in load(tmp_path, MOU).organizations


def test_a_given_organisations_file_replaces_the_one_beside(tmp_path: Path) -> None:
    broken = "format: accord/v1\norganizations: 5\n"
    write(tmp_path, {ORGS: broken, MOU: AGREEMENT, "orgs/all.yaml": ORGANIZATIONS})
    assert len(load(tmp_path, "orgs/all.yaml", MOU).agreements) == 1


def test_missing_organisations_file_says_where_it_looked(tmp_path: Path) -> None:
    write(tmp_path, {MOU: AGREEMENT})
    assert problems(tmp_path, MOU) == [
        f"{MOU}:1:1: no organisations file found (expected {ORGS}, "
        "or an organisations file among the paths given)"
    ]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert problems(tmp_path, "nothing.yaml", "empty") == [
        "empty:1:1: no source files in directory (expected *.yaml or *.yml)",
        "nothing.yaml:1:1: no such file or directory (expected a source file or folder)",
    ]


def test_paths_outside_the_working_directory_are_shown_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: changed(AGREEMENT, "kind: mou", "kind: memo")})
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with pytest.raises(SourceInvalid) as raised:
        load_sources([tmp_path / MOU], clause_library=library(tmp_path))
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.column) == (str(tmp_path / MOU), 3, 7)


def test_load_organizations_alone(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS})
    assert list(load_organizations([tmp_path / ORGS])) == [
        "kz-iac",
        "kz-mia",
        "ngo-safe-home",
        "iom-kz",
    ]
    write(tmp_path, {MOU: AGREEMENT})
    with pytest.raises(SourceInvalid) as raised:
        load_organizations([tmp_path / "agreements"])
    assert [str(p) for p in raised.value.problems] == [
        f"{MOU}:1:1: an agreement where organisations were asked for "
        "(expected an organisations file with organizations:)"
    ]


def test_unrecognised_source_files(tmp_path: Path) -> None:
    write(
        tmp_path, {"a.yaml": "format: accord/v1\nname: x\n", "b.yaml": "id: x\norganizations: []\n"}
    )
    assert problems(tmp_path, "a.yaml", "b.yaml") == [
        "a.yaml:1:1: not an accord/v1 source "
        "(expected organizations: for organisations, or id: for an agreement)",
        "b.yaml:1:1: file has both organizations and id "
        "(expected either an organisations file or one agreement)",
    ]


# --- YAML itself -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "1:1: file is empty (expected a mapping with format: accord/v1)"),
        ("# only a comment\n", "1:1: file is empty (expected a mapping with format: accord/v1)"),
        ("- a\n- b\n", "1:1: invalid file content: a list (expected a mapping of keys and values)"),
        ("just text",
         "1:1: invalid file content: 'just text' (expected a mapping of keys and values)"),
        (b"format: accord/v1\nid: caf\xe9\n", "2:8: invalid UTF-8 byte 0xe9 (expected UTF-8 text)"),
        (b"\x00\x01\x02", "1:1: invalid character #x0000 (expected printable text)"),
        (
            "format: accord/v1\nid: [a, b\n",
            "3:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence at line 2)",
        ),
        (
            "format: accord/v1\nid: a: b\n",
            "2:6: YAML syntax error: mapping values are not allowed here "
            "(expected valid YAML: check indentation, colons and quotes)",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "2:1: YAML syntax error: but found another document "
            "(expected a single document in the stream at line 1)",
        ),
        ("x: *nowhere\n", "1:4: YAML syntax error: found undefined alias 'nowhere' (expected valid "
         "YAML: check indentation, colons and quotes)"),
    ],
)  # fmt: skip
def test_unreadable_files(tmp_path: Path, content: str | bytes, expected: str) -> None:
    write(tmp_path, {"x.yaml": content})
    assert problems(tmp_path, "x.yaml") == [f"x.yaml:{expected}"]


def test_duplicate_keys_are_reported_at_the_second(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "kind: mou\n", "kind: mou\nkind: joint_action_plan\n")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "kind: joint", "duplicate key 'kind' (first at line 3)")
    ]


def test_unsupported_tags(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "  city: Astana", "  city: !!binary QXN0YW5h\n  town: !local x")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "!!binary", "unsupported tag '!!binary' "
               "(expected plain text, numbers, dates, lists and mappings)"),
        in_mou(text, "!local", "unsupported tag '!local' "
               "(expected plain text, numbers, dates, lists and mappings)"),
    ]  # fmt: skip


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    write(tmp_path, {"bomb.yaml": "\n".join(lines) + "\n"})
    [problem] = problems(tmp_path, "bomb.yaml")
    assert problem.startswith("bomb.yaml:")
    assert problem.endswith(": too many values after expanding aliases (expected at most 200000)")


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "  city: Astana", "  city: &me [Astana, *me]")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "&me", "alias refers to a value that contains it (expected no cycles)"),
    ]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"deep.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n"})
    assert problems(tmp_path, "deep.yaml") == [
        "deep.yaml:1:67: nesting is too deep (expected at most 64 levels)"
    ]


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    write(tmp_path, {"big.yaml": "a: " + "x" * (5 * 1024 * 1024)})
    assert problems(tmp_path, "big.yaml") == [
        "big.yaml:1:1: file is too large (expected at most 5 MB)"
    ]


# --- top level and keys -------------------------------------------------------------------


def test_format_is_required_and_checked(tmp_path: Path) -> None:
    missing = AGREEMENT.removeprefix("format: accord/v1\n")
    assert agreement_problems(tmp_path, missing) == [
        f"{MOU}:1:1: missing key 'format' in agreement "
        "(required: format, id, kind, languages, country, secretariat, title, parties, clauses)"
    ]
    wrong = changed(AGREEMENT, "format: accord/v1", "format: accord/v2")
    assert agreement_problems(tmp_path, wrong) == [
        f"{MOU}:1:9: invalid format: 'accord/v2' (expected accord/v1)"
    ]


def test_misspelt_key_suggests_the_right_one(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "clauses:\n  - id: purpose", "clauess:\n  - id: purpose")
    assert agreement_problems(tmp_path, text) == [
        f"{MOU}:1:1: missing key 'clauses' in agreement "
        "(required: format, id, kind, languages, country, secretariat, title, parties, clauses)",
        in_mou(text, "clauess", "unknown key 'clauess' (did you mean 'clauses'?)"),
    ]


def test_unknown_key_lists_the_expected_ones(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "kind: mou\n", "kind: mou\nzebra: red\n")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "zebra", f"unknown key 'zebra' (expected one of: {AGREEMENT_KEYS})")
    ]


def test_wrong_types_say_what_was_expected(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "parties:\n  - org: kz-mia", "parties: kz-mia\nx:\n  - org: kz-mia")
    text = changed(text, "  city: Astana", "  - Astana")
    found = agreement_problems(tmp_path, text)
    assert in_mou(text, "parties: kz-mia", "invalid parties: 'kz-mia' (expected a non-empty list)",
                  offset=9) in found  # fmt: skip
    assert (
        in_mou(
            text, "- Astana", "invalid variables: a list (expected a mapping of keys and values)"
        )
        in found
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("id: kz-referral-mou", "id: KZ_mou",
         "invalid agreement id: 'KZ_mou' (expected lowercase letters, digits and single hyphens, "
         "like kz-iac)"),
        ("- id: purpose-scope", "- id: purpose--scope",
         "invalid clause id: 'purpose--scope' (expected lowercase letters, digits and single "
         "hyphens, like kz-iac)"),
        ("- id: c-03", "- id: c-03-",
         "invalid commitment id: 'c-03-' (expected lowercase letters, digits and single hyphens, "
         "like kz-iac)"),
        ("- id: o-identification", "- id: O1",
         "invalid objective id: 'O1' (expected lowercase letters, digits and single hyphens, "
         "like kz-iac)"),
    ],
)  # fmt: skip
def test_ids_must_be_slugs(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = changed(AGREEMENT, old, new)
    value = new.split(": ", 1)[1]
    found = agreement_problems(tmp_path, text)
    assert in_mou(text, new, message, offset=new.index(value)) in found
    if "objective" in message:  # the commitment that names it now points at nothing
        assert len(found) == 2
    else:
        assert len(found) == 1


# --- organisations ------------------------------------------------------------------------


def test_duplicate_organisation_ids_in_one_file_and_across_files(tmp_path: Path) -> None:
    extra = "  - id: kz-mia\n    kind: agency\n    country: KZ\n    name: {ru: Другое}\n"
    orgs = ORGANIZATIONS + extra
    write(tmp_path, {"agreements/partners.yaml": "format: accord/v1\norganizations:\n" + extra})
    found = agreement_problems(tmp_path, AGREEMENT, orgs=orgs)
    second = orgs.count("\n", 0, orgs.rindex("kz-mia")) + 1
    assert found == [
        f"{ORGS}:{second}:9: duplicate organisation id 'kz-mia' (first at line 14)",
    ]
    write(tmp_path, {ORGS: ORGANIZATIONS})
    assert problems(tmp_path, "agreements") == [
        "agreements/partners.yaml:3:9: duplicate organisation id 'kz-mia' "
        f"(first in {ORGS} at line 14)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("email: secretariat@example.kz", "email: secretariat@example",
         "invalid contact email: 'secretariat@example' (expected one address like "
         "name@example.org; the part after the @-sign is not valid. It should have a period)"),
        ("language: ru", "language: RU",
         "invalid contact language: 'RU' (expected a language Accord knows: en, ru, kk, ky, tg, "
         "uz-Latn, uz-Cyrl, tk; did you mean 'ru'?)"),
        ("roles: [secretariat, reviewer]", "roles: [secretariat, reviwer]",
         "invalid contact role: 'reviwer' (expected one of: secretariat, reviewer, signatory, "
         "focal_point; did you mean 'reviewer'?)"),
        ("roles: [secretariat, reviewer]", "roles: []",
         "invalid contact roles: an empty list (expected a non-empty list)"),
        ("roles: [secretariat, reviewer]", "roles: [reviewer, reviewer]",
         "duplicate role 'reviewer' (each role once)"),
        ("kind: ministry", "kind: ministy",
         "invalid organisation 'kz-mia' kind: 'ministy' (expected one of: commission, ministry, "
         "agency, ngo, international, donor; did you mean 'ministry'?)"),
        ("country: NO", "country: XX",
         "invalid organisation 'iom-kz' country: 'XX' (expected an ISO 3166-1 alpha-2 code, "
         "like KZ)"),
        ("country: NO", "country: no",
         "invalid organisation 'iom-kz' country: 'no' (expected an ISO 3166-1 alpha-2 code, "
         "like KZ; did you mean 'NO'?)"),
        ("name: {en: IOM}", "name: {}",
         "invalid organisation 'iom-kz' name: an empty mapping (expected at least one language, "
         "like ru: …)"),
        ("name: {en: IOM}", "name: {EN: IOM}",
         "invalid language 'EN' in organisation 'iom-kz' name (expected a language Accord "
         "knows: en, ru, kk, ky, tg, uz-Latn, uz-Cyrl, tk; did you mean 'en'?)"),
    ],
)  # fmt: skip
def test_organisation_rules(tmp_path: Path, old: str, new: str, message: str) -> None:
    orgs = changed(ORGANIZATIONS, old, new)
    where = new.rindex("reviewer") if "reviewer, reviewer" in new else new.index(": ") + 2
    if "EN" in new:
        where = new.index("EN")
    if "[secretariat, reviwer]" in new:
        where = new.index("reviwer")
    assert agreement_problems(tmp_path, AGREEMENT, orgs=orgs) == [
        in_orgs(orgs, new, message, offset=where)
    ]


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ('email: \'a"<x>@example.kz\'', "an email address must have an @-sign"),
        ("email: a@b.c,d@e.f", "the part after the @-sign contains invalid characters"),
        ('name: "Aigerim\\nExample"', "one line without control characters (found U+000A)"),
        ('name: "Aigerim\\u0007"', "found U+0007"),
        ('name: "Aigerim\\u202eelpmaxE"', "invisible direction mark U+202E"),
    ],
)  # fmt: skip
def test_a_name_or_address_that_would_break_a_message_is_refused(
    tmp_path: Path, new: str, reason: str
) -> None:
    old = "email: secretariat@example.kz" if new.startswith("email") else "name: Aigerim Example"
    orgs = changed(ORGANIZATIONS, old, new)
    found = agreement_problems(tmp_path, AGREEMENT, orgs=orgs)
    where = at(orgs, new, new.index(": ") + 2)
    assert len(found) == 1 and found[0].startswith(f"{ORGS}:{where}: invalid contact")
    assert reason in found[0]


def test_contact_needs_every_field(tmp_path: Path) -> None:
    orgs = changed(ORGANIZATIONS, "        email: secretariat@example.kz\n", "")
    assert agreement_problems(tmp_path, AGREEMENT, orgs=orgs) == [
        in_orgs(orgs, "name: Aigerim", "missing key 'email' in organisation 'kz-iac' contact "
                "(required: name, email, language, roles)"),
    ]  # fmt: skip


# --- agreement header: languages, organisations, parties ---------------------------------------


def test_languages_must_be_non_empty_valid_and_unique(tmp_path: Path) -> None:
    empty = changed(AGREEMENT, "languages: [ru, kk]", "languages: []")
    assert agreement_problems(tmp_path, empty) == [
        f"{MOU}:4:12: invalid languages: an empty list (expected a non-empty list)"
    ]
    bad = changed(AGREEMENT, "languages: [ru, kk]", "languages: [ru, kaz]")
    assert agreement_problems(tmp_path, bad) == [
        f"{MOU}:4:17: invalid language: 'kaz' ({KNOWN}; did you mean 'kk'?)"
    ]
    twice = changed(AGREEMENT, "languages: [ru, kk]", "languages: [ru, kk, ru]")
    assert agreement_problems(tmp_path, twice) == [
        f"{MOU}:4:21: duplicate language 'ru' (first at line 4)"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("de", f"invalid language: 'de' ({KNOWN})"),
        ("uz-latn", f"invalid language: 'uz-latn' ({KNOWN}; did you mean 'uz-Latn'?)"),
        ("uz_Cyrl", f"invalid language: 'uz_Cyrl' ({KNOWN}; did you mean 'uz-Cyrl'?)"),
        ("KG", f"invalid language: 'KG' ({KNOWN}; did you mean 'ky'?)"),
        ("ru-KZ", f"invalid language: 'ru-KZ' ({KNOWN}; did you mean 'ru'?)"),
    ],
)
def test_a_language_is_one_the_registry_knows(tmp_path: Path, written: str, message: str) -> None:
    text = changed(AGREEMENT, "languages: [ru, kk]", f"languages: [ru, kk, {written}]")
    assert agreement_problems(tmp_path, text) == [in_mou(text, f"{written}]", message)]


def test_tags_with_a_script_and_uz_alone_for_latin_uzbek(tmp_path: Path) -> None:
    """`uz` means Uzbek in its official Latin script; texts may be keyed either way."""
    orgs = changed(ORGANIZATIONS, "language: ru", "language: uz-Cyrl")
    write(tmp_path, {ORGS: orgs, MOU: UZBEK})
    [(_, mou)] = load(tmp_path, MOU).agreements
    assert mou.languages == ("uz-Latn", "uz-Cyrl", "ru")
    assert mou.title == {"uz-Latn": "Memorandum", "uz-Cyrl": "Меморандум", "ru": "Меморандум"}
    assert list(mou.clauses[0].text) == ["uz-Latn", "uz-Cyrl", "ru"]
    contact = load(tmp_path, MOU).organizations["kz-iac"].contacts[0]
    assert contact.language == "uz-Cyrl"
    twice = changed(UZBEK, "languages: [uz, uz-Cyrl, ru]", "languages: [uz, uz-Latn, ru]")
    assert in_mou(twice, "uz-Latn, ru]", "duplicate language 'uz-Latn' (first at line 4)") in (
        agreement_problems(tmp_path, twice)
    )


UZBEK = """\
format: accord/v1
id: uz-referral-mou
kind: mou
languages: [uz, uz-Cyrl, ru]
country: UZ
secretariat: kz-iac
title: {uz: Memorandum, uz-Cyrl: Меморандум, ru: Меморандум}
parties:
  - org: kz-mia
    role: signatory
clauses:
  - id: purpose
    title: {uz-Latn: Maqsad, uz-Cyrl: Мақсад, ru: Цель}
    text: {uz: Tomonlar hamkorlik qiladi., uz-Cyrl: Томонлар ҳамкорлик қилади., ru: Сотрудничество.}
"""


def test_agreement_country_must_be_iso(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "country: KZ", "country: KAZ")
    assert agreement_problems(tmp_path, text) == [
        f"{MOU}:5:10: invalid country: 'KAZ' (expected an ISO 3166-1 alpha-2 code, like KZ)"
    ]


def test_secretariat_and_parties_must_be_known_organisations(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "secretariat: kz-iac", "secretariat: kz-iak")
    text = changed(
        text,
        "    role: observer\n",
        "    role: observer\n  - org: ngo-nobody\n    role: reviewer\n",
    )
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "kz-iak", "unknown organisation 'kz-iak' as secretariat "
               "(expected an id from the organisations file; did you mean 'kz-iac'?)"),
        in_mou(text, "ngo-nobody", "unknown organisation 'ngo-nobody' as party "
               "(expected an id from the organisations file)"),
    ]  # fmt: skip


def test_parties_are_unique_with_valid_roles(tmp_path: Path) -> None:
    text = changed(
        AGREEMENT,
        "    role: observer\n",
        "    role: observr\n  - org: kz-mia\n    role: reviewer\n",
    )
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "observr", "invalid party role: 'observr' "
               "(expected one of: signatory, reviewer, observer; did you mean 'observer'?)"),
        in_mou(text, "org: kz-mia\n    role: reviewer",
               "duplicate party 'kz-mia' (first at line 11)"),
    ]  # fmt: skip


def test_kind_enum(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "kind: mou", "kind: plan")
    assert agreement_problems(tmp_path, text) == [
        f"{MOU}:3:7: invalid kind: 'plan' (expected one of: mou, joint_action_plan)"
    ]


def test_variable_names_must_be_usable_in_templates(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "  city: Astana", "  city: Astana\n  main-city: Almaty")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "main-city", "invalid variable name 'main-city' "
               "(expected letters, digits and underscores, like city_name)"),
    ]  # fmt: skip


# --- translations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("  ru: Меморандум\n  kk: Меморандумы\n", "  ru: Меморандум\n", "title"),
        ("title: {ru: Цель, kk: Мақсаты}", "title: {ru: Цель}", "clause 'purpose' title"),
        ("text: {ru: Охват, kk: Қамту}", "text: {ru: Охват}", "clause 'purpose-scope' text"),
        ("title: {ru: Выявление, kk: Анықтау}", "title: {ru: Выявление}",
         "objective 'o-identification' title"),
        ("activity: {ru: Обучение, kk: Оқыту}", "activity: {ru: Обучение}",
         "commitment 'c-01' activity"),
        ("indicator: {ru: Число, kk: Саны}", "indicator: {ru: Число}",
         "commitment 'c-01' indicator"),
        ("funding: {ru: Бюджет, kk: Бюджет}", "funding: {ru: Бюджет}", "commitment 'c-01' funding"),
    ],
)  # fmt: skip
def test_missing_translation_names_the_place_and_language(
    tmp_path: Path, old: str, new: str, what: str
) -> None:
    text = changed(AGREEMENT, old, new)
    offset = 2 if new.startswith(" ") else new.index("{")
    expected = f"missing translation 'kk' in {what} (every language in languages: ru, kk)"
    assert agreement_problems(tmp_path, text) == [in_mou(text, new, expected, offset=offset)]


def test_extra_and_empty_translations(tmp_path: Path) -> None:
    text = changed(
        AGREEMENT, "title: {ru: Цель, kk: Мақсаты}", "title: {rus: Цель, kk: Мақсаты, en: Aim}"
    )
    text = changed(text, "text: {ru: Охват, kk: Қамту}", 'text: {ru: Охват, kk: "  "}')
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "{rus:", "missing translation 'ru' in clause 'purpose' title "
               "(every language in languages: ru, kk)"),
        in_mou(text, "rus:", "extra translation 'rus' in clause 'purpose' title "
               "(only languages in languages: ru, kk; did you mean 'ru'?)"),
        in_mou(text, "en: Aim", "extra translation 'en' in clause 'purpose' title "
               "(only languages in languages: ru, kk)"),
        in_mou(text, '"  "',
               "empty translation 'kk' in clause 'purpose-scope' text (expected text)"),
    ]  # fmt: skip


# --- clauses -------------------------------------------------------------------------------


def test_clause_ids_are_unique_across_all_levels(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "- id: purpose-scope", "- id: purpose")
    assert agreement_problems(tmp_path, text) == [
        f"{MOU}:{at(text, '      - id: purpose', 12)}: "
        "duplicate clause id 'purpose' (first at line 20)"
    ]


def test_library_sub_clause_id_colliding_with_another_clause(tmp_path: Path) -> None:
    text = changed(
        AGREEMENT,
        "  - id: conf\n",
        "  - id: conf-lawful-basis\n    text: {ru: a, kk: b}\n  - id: conf\n",
    )
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "confidentiality", "duplicate clause id 'conf-lawful-basis' from library "
               "clause 'confidentiality' (first at line 34)"),
    ]  # fmt: skip


def test_a_clause_has_text_or_use_never_both_nor_neither(tmp_path: Path) -> None:
    both = "  - id: both\n    text: {ru: a, kk: b}\n    use: confidentiality\n"
    neither = "  - id: neither\n    title: {ru: a, kk: b}\n"
    text = changed(AGREEMENT, "objectives:", both + neither + "objectives:")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "use: confidentiality\n  - id: neither", "clause 'both' has both text and use "
               "(expected one of them)"),
        in_mou(text, "id: neither", "clause 'neither' has neither text nor use "
               "(expected one of them)"),
    ]  # fmt: skip


def test_use_and_with_are_checked_against_the_library(tmp_path: Path) -> None:
    unknown = changed(AGREEMENT, "use: confidentiality", "use: confidentialty")
    assert agreement_problems(tmp_path, unknown) == [
        in_mou(unknown, "confidentialty", "unknown library clause 'confidentialty' "
               "(expected a clause file in clauses/; did you mean 'confidentiality'?)"),
    ]  # fmt: skip
    misspelt = changed(AGREEMENT, "with: {retention_years: 7}", "with: {retention_yeras: 7}")
    assert agreement_problems(tmp_path, misspelt) == [
        in_mou(misspelt, "retention_yeras", "unknown parameter 'retention_yeras' for library "
               "clause 'confidentiality' (did you mean 'retention_years'?)"),
    ]  # fmt: skip


def test_required_parameters_must_be_given(tmp_path: Path) -> None:
    params = "  retention_years: {default: 5}\n"
    library = changed(CONFIDENTIALITY, params, params + "  controller: {}\n  officer:\n")
    assert agreement_problems(tmp_path, AGREEMENT, clauses={"confidentiality": library}) == [
        in_mou(AGREEMENT, "confidentiality", "missing parameter 'controller' for library clause "
               "'confidentiality' in clause 'conf' (required in with: controller, officer)"),
        in_mou(AGREEMENT, "confidentiality", "missing parameter 'officer' for library clause "
               "'confidentiality' in clause 'conf' (required in with: controller, officer)"),
    ]  # fmt: skip


def test_a_library_clause_must_offer_every_agreement_language(tmp_path: Path) -> None:
    library = changed(CONFIDENTIALITY, ", kk: Құпиялылық}", "}")
    library = library.replace("  kk: Деректер {{ retention_years }} жыл сақталады.\n", "")
    library = library.replace("      kk: Заңды.\n", "")
    found = agreement_problems(tmp_path, AGREEMENT, clauses={"confidentiality": library})
    assert found == [
        in_mou(AGREEMENT, "confidentiality", "missing translation 'kk' in library clause "
               "'confidentiality' used by clause 'conf' "
               "(clauses/confidentiality.yaml offers: ru, en)"),
    ]  # fmt: skip


def test_title_clauses_and_with_where_they_do_not_belong(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "    with: {retention_years: 7}\n",
                   "    with: {retention_years: 7}\n    title: {ru: a, kk: b}\n")  # fmt: skip
    text = changed(text, "        text: {ru: Охват, kk: Қамту}\n",
                   "        text: {ru: Охват, kk: Қамту}\n        with: {a: 1}\n")  # fmt: skip
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "with: {a: 1}", "key 'with' in clause 'purpose-scope' needs use "
               "(parameters are for library clauses)"),
        in_mou(text, "title: {ru: a, kk: b}", "key 'title' cannot be combined with use "
               "(the library clause brings its own title)"),
    ]  # fmt: skip


# --- rendering -----------------------------------------------------------------------------


def test_undefined_variable_names_clause_language_and_variable(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "в городе {{ city }}", "в городе {{ cty }}")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "ru: |", "undefined variable 'cty' in clause 'purpose' text 'ru' "
               "(defined: city; did you mean 'city'?)", offset=4),
    ]  # fmt: skip


def test_template_syntax_and_sandbox_errors(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "title: {ru: Цель, kk: Мақсаты}",
                   'title: {ru: "{{ city", kk: "{{ city.__class__ }}"}')  # fmt: skip
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, '"{{ city"', "invalid template in clause 'purpose' title 'ru' (unexpected "
               "end of template, expected 'end of print statement'. at line 1 of the text)"),
        in_mou(text, '"{{ city.__', "unsafe template in clause 'purpose' title 'kk' (access to "
               "attribute '__class__' of 'str' object is unsafe.)"),
    ]  # fmt: skip


def test_templates_cannot_build_huge_values(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "title: {ru: Цель, kk: Мақсаты}",
                   "title: {ru: \"{{ 'x' * 10**9 }}\", kk: \"{{ 10 ** 100000 }}\"}")  # fmt: skip
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "\"{{ 'x'", "unsafe template in clause 'purpose' title 'ru' "
               "(repeating a value builds more than 100000 items)"),
        in_mou(text, '"{{ 10 **', "unsafe template in clause 'purpose' title 'kk' "
               "(exponent 100000 is too large (at most 1000))"),
    ]  # fmt: skip


def test_library_template_errors_point_at_the_use_line(tmp_path: Path) -> None:
    library = changed(CONFIDENTIALITY, "  en: Data are kept", "  en: Data in {{ region }} are kept")
    library = changed(library, "      kk: Заңды.", "      kk: Заңды {{ regoin }}.")
    found = agreement_problems(tmp_path, AGREEMENT, clauses={"confidentiality": library})
    assert found == [
        in_mou(
            AGREEMENT,
            "confidentiality",
            "undefined variable 'regoin' in clause "
            "'conf-lawful-basis' (library 'confidentiality') text 'kk' "
            "(defined: city, retention_years)",
        ),
    ]  # fmt: skip  (the English text is not used by a ru/kk agreement)


# --- objectives and commitments --------------------------------------------------------------


def test_objective_ids_are_unique_and_referenced_ones_exist(tmp_path: Path) -> None:
    text = changed(
        AGREEMENT,
        "commitments:",
        "  - id: o-identification\n    title: {ru: a, kk: b}\ncommitments:",
    )
    text = changed(text, "objective: o-identification", "objective: o-identificaton")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "o-identification\n    title: {ru: a", "duplicate objective id "
               "'o-identification' (first at line 38)"),
        in_mou(text, "o-identificaton", "unknown objective 'o-identificaton' in commitment 'c-01' "
               "(expected one of: o-identification; did you mean 'o-identification'?)"),
    ]  # fmt: skip


def test_commitment_objective_without_objectives(tmp_path: Path) -> None:
    text = changed(
        AGREEMENT,
        "objectives:\n  - id: o-identification\n    title: {ru: Выявление, kk: Анықтау}\n",
        "",
    )
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "o-identification", "unknown objective 'o-identification' in commitment "
               "'c-01' (the agreement has no objectives)"),
    ]  # fmt: skip


def test_commitment_ids_responsible_and_partners(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "- id: c-03", "- id: c-01")
    text = changed(text, "responsible: ngo-safe-home", "responsible: kz-iac")
    text = changed(
        text,
        "partners: [ngo-safe-home, iom-kz]",
        "partners: [kz-mia, ngo-safe-hom, iom-kz, iom-kz]",
    )
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "[kz-mia",
               "partner 'kz-mia' is the responsible party (expected other parties)", 1),
        in_mou(text, "ngo-safe-hom,", "partner 'ngo-safe-hom' is not a party (expected one of the "
               "parties: kz-mia, ngo-safe-home, iom-kz; did you mean 'ngo-safe-home'?)"),
        in_mou(text, "iom-kz]", "duplicate partner 'iom-kz' (each partner once)"),
        in_mou(text, "responsible: kz-iac", "responsible 'kz-iac' is not a party (expected one of "
               "the parties: kz-mia, ngo-safe-home, iom-kz; did you mean 'kz-mia'?)", 13),
        in_mou(text, "c-01\n    activity: {ru: Обзор", "duplicate commitment id 'c-01' "
               "(first at line 41)"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "due",
    ["2027-Q5", "2027-Q0", "2027-02-30", "2027-13-45", "2027-06-30 10:00:00", "soon", "'2027-q2'"],
)
def test_due_must_be_a_date_or_quarter(tmp_path: Path, due: str) -> None:
    text = changed(AGREEMENT, "due: 2027-Q2", f"due: {due}")
    shown = due.strip("'")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, f"due: {due}", f"invalid commitment 'c-02' due: '{shown}' "
               "(expected a date YYYY-MM-DD or a quarter YYYY-Q1 … YYYY-Q4)", offset=5),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("budget", "needle", "message"),
    [
        ("{amount: 0, currency: KZT}", "0,", "invalid commitment 'c-01' budget amount: '0' "
         "(expected a positive number)"),
        ("{amount: -5, currency: KZT}", "-5", "invalid commitment 'c-01' budget amount: '-5' "
         "(expected a positive number)"),
        ("{amount: '100', currency: KZT}", "'100'", "invalid commitment 'c-01' budget amount: "
         "'100' (expected a positive number)"),
        ("{amount: .inf, currency: KZT}", ".inf", "invalid commitment 'c-01' budget amount: "
         "'.inf' (expected a positive number)"),
        ("{amount: 5, currency: kzt}", "kzt", "invalid commitment 'c-01' budget currency: 'kzt' "
         "(expected an ISO 4217 code, like KZT; did you mean 'KZT'?)"),
        ("{amount: 5, currency: TNG}", "TNG", "invalid commitment 'c-01' budget currency: 'TNG' "
         "(expected an ISO 4217 code, like KZT)"),
        ("{amount: 5}", "{amount: 5}", "missing key 'currency' in commitment 'c-01' budget "
         "(required: currency)"),
        ("{currency: KZT}", "{currency: KZT}", "commitment 'c-01' budget has neither amount nor "
         "years (expected exactly one of them)"),
    ],
)  # fmt: skip
def test_budget_rules(tmp_path: Path, budget: str, needle: str, message: str) -> None:
    text = changed(AGREEMENT, "budget: {amount: 1500000.50, currency: KZT}", f"budget: {budget}")
    assert agreement_problems(tmp_path, text) == [in_mou(text, needle, message)]


# --- term, reporting, review ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "needle", "message"),
    [
        ("term:\n  years: 3\n  until: 2029-12-31\n", "years: 3\n  until",
         "term has both years and until (expected exactly one of them)"),
        ("term: {}\n", "{}", "term has neither years nor until (expected exactly one of them)"),
        ("term:\n  years: 0\n", "years: 0",
         "invalid term years: '0' (expected a positive whole number)"),
        ("term:\n  years: '3'\n", "'3'",
         "invalid term years: '3' (expected a positive whole number)"),
        ("term:\n  until: 2029-02-30\n", "2029-02-30",
         "invalid term until: '2029-02-30' (expected a date YYYY-MM-DD)"),
    ],
)  # fmt: skip
def test_term_rules(tmp_path: Path, term: str, needle: str, message: str) -> None:
    text = changed(AGREEMENT, "term:\n  years: 3\n", term)
    offset = needle.index("0") if needle == "years: 0" else 0
    assert agreement_problems(tmp_path, text) == [in_mou(text, needle, message, offset)]


def test_term_with_a_misspelt_key(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "term:\n  years: 3\n", "term:\n  yaers: 3\n")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "yaers", "term has neither years nor until (expected exactly one of them)"),
        in_mou(text, "yaers", "unknown key 'yaers' (did you mean 'years'?)"),
    ]


@pytest.mark.parametrize(
    ("reporting", "needle", "message"),
    [
        ("every_months: 13\n  day: 20", "13", "invalid reporting every_months: '13' "
         "(expected a whole number from 1 to 12)"),
        ("every_months: 0\n  day: 20", "every_months: 0", "invalid reporting every_months: '0' "
         "(expected a whole number from 1 to 12)"),
        ("every_months: 6\n  day: 29", "29", "invalid reporting day: '29' "
         "(expected a whole number from 1 to 28)"),
        ("every_months: 6\n  day: true", "true", "invalid reporting day: 'true' "
         "(expected a whole number from 1 to 28)"),
    ],
)  # fmt: skip
def test_reporting_rules(tmp_path: Path, reporting: str, needle: str, message: str) -> None:
    text = changed(AGREEMENT, "every_months: 6\n  day: 20", reporting)
    offset = len("every_months: ") if needle == "every_months: 0" else 0
    assert agreement_problems(tmp_path, text) == [in_mou(text, needle, message, offset)]


@pytest.mark.parametrize(
    ("reporting", "needle", "message"),
    [
        ("every: semester\n  day: 20", "semester", "invalid reporting every: 'semester' "
         "(expected one of: month, quarter, half-year, year)"),
        ("every: halfyear", "halfyear", "invalid reporting every: 'halfyear' "
         "(expected one of: month, quarter, half-year, year; did you mean 'half-year'?)"),
        ("every: quarter\n  every_months: 3", "every: quarter", "reporting has both every "
         "and every_months (expected exactly one of them)"),
        ("day: 20", "day: 20", "reporting has neither every nor every_months "
         "(expected exactly one of them)"),
    ],
)  # fmt: skip
def test_calendar_reporting_rules(
    tmp_path: Path, reporting: str, needle: str, message: str
) -> None:
    text = changed(AGREEMENT, "every_months: 6\n  day: 20", reporting)
    assert agreement_problems(tmp_path, text) == [in_mou(text, needle, message)]


def test_reports_can_follow_calendar_half_years_by_the_20th(tmp_path: Path) -> None:
    """`day` may be left out: by the 20th, as the region's governments ask."""
    for reporting, day in (("every: half-year\n  day: 25", 25), ("every: half-year", 20)):
        write(
            tmp_path,
            {ORGS: ORGANIZATIONS, MOU: changed(AGREEMENT, "every_months: 6\n  day: 20", reporting)},
        )
        [(_, mou)] = load(tmp_path, MOU).agreements
        assert mou.reporting == ReportingSpec(every="half-year", day=day)


def test_a_source_written_before_calendar_periods_keeps_its_content_hash() -> None:
    old = ReportingSpec(every_months=6, day=20)
    assert old.model_dump(mode="json") == {"every_months": 6, "day": 20}
    assert ReportingSpec(every="quarter").model_dump(mode="json") == {"every": "quarter", "day": 20}


def test_review_rules(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "remind_before: [1, 3]", "remind_before: [10, 3, 3, -1]")
    assert agreement_problems(tmp_path, text) == [
        in_mou(text, "10, 3", "reminder 10 is not inside the review period "
               "(expected fewer than working_days: 10)"),
        in_mou(text, "3, -1", "duplicate reminder 3 (each number once)"),
        in_mou(text, "-1]", "invalid reminder: '-1' (expected a positive whole number)"),
    ]  # fmt: skip
    zero = changed(AGREEMENT, "working_days: 10", "working_days: 0")
    assert agreement_problems(tmp_path, zero) == [
        in_mou(
            zero,
            "working_days: 0",
            "invalid review working_days: '0' (expected a positive whole number)",
            offset=len("working_days: "),
        ),
    ]


# --- several files at once --------------------------------------------------------------------


def test_every_problem_of_every_file_is_reported_together_sorted(tmp_path: Path) -> None:
    orgs = changed(ORGANIZATIONS, "kind: ngo", "kind: charity")
    mou = changed(AGREEMENT, "day: 20", "day: 31")
    mou = changed(mou, "kind: mou", "kind: memo")
    second = changed(AGREEMENT, "due: 2027-Q2", "due: later")
    library = changed(CONFIDENTIALITY, "clause: confidentiality", "clause: secrecy")
    write(tmp_path, {ORGS: orgs, MOU: mou, "agreements/a-second.yaml": second})
    invalid_library = (
        "library clause 'confidentiality' is invalid "
        "(see the problems in clauses/confidentiality.yaml)"
    )
    assert problems(tmp_path, "agreements", clauses={"confidentiality": library}) == [
        f"agreements/a-second.yaml:{at(second, 'confidentiality')}: {invalid_library}",
        f"agreements/a-second.yaml:{at(second, 'later')}: invalid commitment 'c-02' due: 'later' "
        "(expected a date YYYY-MM-DD or a quarter YYYY-Q1 … YYYY-Q4)",
        f"{MOU}:2:5: duplicate agreement id 'kz-referral-mou' "
        "(first in agreements/a-second.yaml at line 2)",
        f"{MOU}:3:7: invalid kind: 'memo' (expected one of: mou, joint_action_plan)",
        f"{MOU}:{at(mou, 'confidentiality')}: {invalid_library}",
        f"{MOU}:{at(mou, '31')}: invalid reporting day: '31' "
        "(expected a whole number from 1 to 28)",
        f"{ORGS}:{at(orgs, 'charity')}: invalid organisation 'ngo-safe-home' kind: 'charity' "
        "(expected one of: commission, ministry, agency, ngo, international, donor)",
        "clauses/confidentiality.yaml:2:9: invalid clause name: 'secrecy' "
        "(expected 'confidentiality', the file name without .yaml)",
    ]


@pytest.mark.parametrize(
    ("orgs", "expected"),
    [
        ("format: accord/v1\norganizations: [\n",
         "3:1: YAML syntax error: expected the node content, but found '<stream end>' "
         "(while parsing a flow node at line 3)"),
        ("format: accord/v1\norganizations: {kz-iac: x}\n",
         "2:16: invalid organizations: a mapping (expected a list)"),
    ],
)  # fmt: skip
def test_an_unreadable_organisations_file_does_not_make_every_reference_unknown(
    tmp_path: Path, orgs: str, expected: str
) -> None:
    assert agreement_problems(tmp_path, AGREEMENT, orgs=orgs) == [f"{ORGS}:{expected}"]


# --- final provisions, approval, signing contacts ----------------------------------------------

FINAL = """\
final:
  place: {ru: г. Астана, kk: Астана қ.}
  date: 2027-03-01
  originals: 4
  authentic: [ru, kk, en]
  prevails: en
"""


def test_final_provisions_load_with_their_values(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT + FINAL})
    [(_, mou)] = load(tmp_path, MOU).agreements

    assert mou.final is not None
    assert mou.final.place == {"ru": "г. Астана", "kk": "Астана қ."}
    assert mou.final.date == date(2027, 3, 1)
    assert (mou.original_copies(), mou.authentic_languages()) == (4, ("ru", "kk", "en"))
    assert mou.prevailing_language() == "en"


def test_an_old_source_keeps_its_defaults_and_its_hash(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    sources = load(tmp_path, MOU)
    [(_, mou)] = sources.agreements
    content = version_content(mou, sources.organizations)

    assert mou.final is None and mou.approval is None
    # kz-mia and ngo-safe-home sign; the secretariat kz-iac keeps one more original
    assert (mou.original_copies(), mou.authentic_languages()) == (3, ("ru", "kk"))
    assert mou.prevailing_language() is None
    assert '"final"' not in content.canonical_json()
    assert '"approval"' not in content.canonical_json()
    assert '"signer"' not in content.canonical_json()


def test_broken_final_provisions_are_reported_where_they_are(tmp_path: Path) -> None:
    final = FINAL.replace("originals: 4", "originals: many").replace("prevails: en", "prevails: tk")
    text = AGREEMENT + final.replace("  place: {ru: г. Астана, kk: Астана қ.}\n", "  venue: x\n")
    found = agreement_problems(tmp_path, text)

    expected_keys = "expected one of: place, date, originals, authentic, prevails"
    assert found == [
        in_mou(text, "venue", f"unknown key 'venue' ({expected_keys})"),
        in_mou(
            text, "many", "invalid final originals: 'many' (expected a whole number from 1 to 99)"
        ),
        in_mou(
            text,
            "prevails: tk",
            "final prevails 'tk' is not an authentic language (expected one of the authentic "
            "languages: ru, kk, en)",
            offset=10,
        ),
    ]


def test_an_approval_needs_its_act_date_and_number(tmp_path: Path) -> None:
    plan = changed(AGREEMENT, "kind: mou", "kind: joint_action_plan")
    text = (
        plan
        + "approval:\n  by: {ru: решением комиссии, kk: комиссия шешімімен}\n  date: 2027-02-15\n"
    )
    found = agreement_problems(tmp_path, text)

    assert found == [
        in_mou(text, "by: {ru", "missing key 'number' in approval (required: by, date, number)")
    ]


def test_a_memorandum_cannot_be_approved_instead_of_signed(tmp_path: Path) -> None:
    approval = "approval:\n  by: {ru: решением, kk: шешімімен}\n  date: 2027-02-15\n  number: 3\n"
    text = AGREEMENT + approval
    found = agreement_problems(tmp_path, text)

    assert found == [
        in_mou(
            text,
            "by: {ru: решением",
            "a memorandum cannot be approved by a decision (expected kind: joint_action_plan, "
            "or signatures instead of an approval)",
        )
    ]


def test_a_signing_contact_has_a_title_per_language(tmp_path: Path) -> None:
    orgs = ORGANIZATIONS.replace(
        "    name: {ru: МВД}\n",
        "    name: {ru: МВД}\n    contacts:\n      - name: Erlan Example\n"
        "        email: e@example.kz\n        language: ru\n        roles: [signatory]\n"
        "        title: {ru: Заместитель министра, kk: Министрдің орынбасары}\n",
    )
    write(tmp_path, {ORGS: orgs, MOU: AGREEMENT})
    sources = load(tmp_path, MOU)
    content = version_content(sources.agreements[0][1], sources.organizations)

    signer = content.organizations["kz-mia"].signer
    assert signer is not None
    assert signer.name == "Erlan Example"
    assert signer.title == {"ru": "Заместитель министра", "kk": "Министрдің орынбасары"}


# --- plans shaped like the region's plans ------------------------------------------------------

REAL_PLAN_ITEM = """\
  - id: c-02
    activity: {ru: Отчёт, kk: Есеп}
    responsible: ngo-safe-home
    co_responsible: [kz-mia]
    completion: {ru: информация в Правительство, kk: Үкіметке ақпарат}
    mechanism: {ru: совместный приказ, kk: бірлескен бұйрық}
    repeat: {every: year, by: 12-25}
    due: 2029-12-31
"""
PLAIN_ITEM = """\
  - id: c-02
    activity: {ru: Отчёт, kk: Есеп}
    responsible: ngo-safe-home
    due: 2027-Q2
"""


def test_an_activity_has_co_responsible_bodies_a_form_of_completion_and_a_recurring_deadline(
    tmp_path: Path,
) -> None:
    text = changed(AGREEMENT, PLAIN_ITEM, REAL_PLAN_ITEM)
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})
    [(_, mou)] = load(tmp_path, MOU).agreements
    item = mou.commitments[1]

    assert item.co_responsible == ("kz-mia",)
    assert item.completion == {"ru": "информация в Правительство", "kk": "Үкіметке ақпарат"}
    assert item.mechanism == {"ru": "совместный приказ", "kk": "бірлескен бұйрық"}
    assert item.repeat is not None
    assert (item.repeat.every.value, item.repeat.by, item.repeat.day) == ("year", (12, 25), None)
    assert item.due == date(2029, 12, 31)


@pytest.mark.parametrize(
    ("repeat", "needle", "message"),
    [
        (
            "{every: quarter, by: 12-25}",
            "12-25",
            "commitment 'c-02' repeat by is for every: year (expected day: N for other periods)",
        ),
        (
            "{every: year, by: 02-30}",
            "02-30",
            "invalid commitment 'c-02' repeat by: '02-30' (expected a month and day MM-DD, like "
            "12-25 (not 02-29))",
        ),
        (
            "{every: weekly}",
            "weekly",
            "invalid commitment 'c-02' repeat every: 'weekly' (expected one of: year, half_year, "
            "quarter, month)",
        ),
        (
            "{every: month, day: 31}",
            "31}",
            "invalid commitment 'c-02' repeat day: '31' (expected a whole number from 1 to 28)",
        ),
    ],
)
def test_a_broken_recurring_deadline_is_reported_where_it_is(
    tmp_path: Path, repeat: str, needle: str, message: str
) -> None:
    item = REAL_PLAN_ITEM.replace("{every: year, by: 12-25}", repeat)
    text = changed(AGREEMENT, PLAIN_ITEM, item)

    assert agreement_problems(tmp_path, text) == [in_mou(text, needle, message)]


def test_a_recurring_commitment_id_leaves_room_for_its_occurrence_dates(tmp_path: Path) -> None:
    long_id = "c-" + "x" * 52
    text = changed(AGREEMENT, PLAIN_ITEM, REAL_PLAN_ITEM.replace("id: c-02", f"id: {long_id}"))

    assert agreement_problems(tmp_path, text) == [
        in_mou(
            text,
            long_id,
            f"commitment id '{long_id}' is too long (expected at most 53 characters for a "
            "commitment with repeat)",
        )
    ]


def test_old_commitments_keep_their_hash_without_the_new_fields(tmp_path: Path) -> None:
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: AGREEMENT})
    sources = load(tmp_path, MOU)
    json = version_content(sources.agreements[0][1], sources.organizations).canonical_json()

    for key in ("co_responsible", "completion", "mechanism", "repeat"):
        assert f'"{key}"' not in json


BUDGET_BY_YEAR = """\
    budget:
      currency: KZT
      scale: 1000
      years:
        2027: {РБ: 1500, МБ: 300}
        2028: {РБ: 1600.5}
"""


def test_a_budget_by_year_and_source_totals_in_currency_units(tmp_path: Path) -> None:
    text = changed(AGREEMENT, "    budget: {amount: 1500000.50, currency: KZT}\n", BUDGET_BY_YEAR)
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: text})
    [(_, mou)] = load(tmp_path, MOU).agreements
    budget = mou.commitments[0].budget

    assert budget is not None
    assert (budget.amount, budget.currency, budget.scale) == (Decimal("3400500"), "KZT", 1000)
    assert [(y.year, y.source, y.amount) for y in budget.years] == [
        (2027, "РБ", Decimal("1500")),
        (2027, "МБ", Decimal("300")),
        (2028, "РБ", Decimal("1600.5")),
    ]


def test_a_budget_has_a_total_or_years_not_both(tmp_path: Path) -> None:
    both_given = BUDGET_BY_YEAR.replace("      scale: 1000\n", "      amount: 5\n")
    text = changed(AGREEMENT, "    budget: {amount: 1500000.50, currency: KZT}\n", both_given)

    assert agreement_problems(tmp_path, text) == [
        in_mou(
            text,
            "currency: KZT\n      amount",
            "commitment 'c-01' budget has both amount and years (expected exactly one of them)",
        )
    ]


def test_a_budget_year_must_be_a_year_and_its_amounts_positive(tmp_path: Path) -> None:
    broken = BUDGET_BY_YEAR.replace("2028: {РБ: 1600.5}", "twenty: {РБ: 1}\n        2029: {МБ: -4}")
    text = changed(AGREEMENT, "    budget: {amount: 1500000.50, currency: KZT}\n", broken)

    assert agreement_problems(tmp_path, text) == [
        in_mou(
            text,
            "twenty",
            "invalid year 'twenty' in commitment 'c-01' budget years (expected a year like 2027)",
        ),
        in_mou(
            text,
            "-4",
            "invalid commitment 'c-01' budget years 2029 МБ: '-4' (expected a positive number)",
        ),
    ]


def test_co_responsible_bodies_are_other_parties_each_once(tmp_path: Path) -> None:
    item = REAL_PLAN_ITEM.replace(
        "co_responsible: [kz-mia]", "co_responsible: [ngo-safe-home, kz-mia, kz-mia]"
    )
    text = changed(AGREEMENT, PLAIN_ITEM, item)

    assert agreement_problems(tmp_path, text) == [
        in_mou(
            text,
            "ngo-safe-home, kz-mia",
            "co-responsible 'ngo-safe-home' is the responsible party (expected other parties)",
        ),
        in_mou(
            text,
            "kz-mia]",
            "duplicate co-responsible 'kz-mia' (each co-responsible once)",
        ),
    ]


def test_review_comments_visible_is_parties_or_secretariat(tmp_path: Path) -> None:
    shared = changed(
        AGREEMENT, "remind_before: [1, 3]\n", "remind_before: [1, 3]\n  comments_visible: parties\n"
    )
    write(tmp_path, {ORGS: ORGANIZATIONS, MOU: shared})
    assert load(tmp_path, MOU).agreements[0][1].review.comments_visible == "parties"
    default = load_content_hash(tmp_path, AGREEMENT)
    kept = changed(
        AGREEMENT,
        "remind_before: [1, 3]\n",
        "remind_before: [1, 3]\n  comments_visible: secretariat\n",
    )
    assert load_content_hash(tmp_path, kept) == default  # the default keeps a version's hash
    wrong = changed(
        AGREEMENT, "remind_before: [1, 3]\n", "remind_before: [1, 3]\n  comments_visible: all\n"
    )
    assert agreement_problems(tmp_path, wrong) == [
        in_mou(
            wrong,
            "comments_visible: all",
            "invalid review comments_visible: 'all' (expected one of: parties, secretariat)",
            offset=len("comments_visible: "),
        )
    ]


def load_content_hash(folder: Path, text: str) -> str:
    write(folder, {ORGS: ORGANIZATIONS, MOU: text})
    loaded = load(folder, MOU)
    organizations = loaded.organizations
    return version_content(loaded.agreements[0][1], dict(organizations)).sha256()
