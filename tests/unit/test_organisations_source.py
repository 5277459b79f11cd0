"""organizations.yaml edited one organisation or contact at a time: every other byte of the
file stays as it was, and the loader's problems land on the form field at their line."""

import difflib
from pathlib import Path

import pytest

from accord.errors import Refusal
from accord.services.drafting import organizations_source as orgs
from accord.settings import PROJECT_ROOT
from accord.source.clause_library import ClauseLibrary

EXAMPLES = PROJECT_ROOT / "agreements"
TEXT = (EXAMPLES / "organizations.yaml").read_text(encoding="utf-8")
MIA = "m.issayeva@example.kz"


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def library() -> ClauseLibrary:
    return ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")


def test_an_organisation_edit_changes_its_lines_only() -> None:
    names = {"ru": "МВД РК", "kk": "", "en": "Ministry of Internal Affairs"}
    after = orgs.edit_organisation(TEXT, "kz-mia", orgs.OrganisationChange("ministry", "KZ", names))
    assert changed_lines(TEXT, after) == [
        "-      ru: Министерство внутренних дел Республики Казахстан",
        "-      kk: Қазақстан Республикасының Ішкі істер министрлігі",
        "-      en: Ministry of Internal Affairs of the Republic of Kazakhstan",
        "+      ru: МВД РК",
        "+      en: Ministry of Internal Affairs",
    ]


def test_a_contact_edit_keeps_comments_and_flow_lists() -> None:
    change = orgs.ContactChange("Мадина Исаева", MIA, "ru", ("reviewer",), {"en": "Adviser"})
    after = orgs.put_contact(TEXT, "kz-mia", MIA, change)
    assert changed_lines(TEXT, after) == [
        "-        language: kk",
        "-        roles: [reviewer, focal_point]",
        "+        language: ru",
        "+        roles: [reviewer]",
        "+        title:",
        "+          en: Adviser",
    ]
    assert "# --- Kazakhstan" in after


def test_a_new_contact_with_a_taken_address_is_refused_at_the_email() -> None:
    change = orgs.ContactChange("Someone", MIA.upper(), "ru", ("reviewer",))
    with pytest.raises(Refusal) as refused:
        orgs.put_contact(TEXT, "kz-mia", "", change)
    assert refused.value.field == "email"


def test_a_problem_is_put_on_the_field_at_its_line(tmp_path: Path) -> None:
    change = orgs.ContactChange("Мадина Исаева", MIA, "xx", ("reviewer",))
    after = orgs.put_contact(TEXT, "kz-mia", MIA, change)
    problems = orgs.check_organisations(after, agreements_dir=EXAMPLES, library=library())
    found = orgs.field_problems(after, problems, orgs.locate_contact("kz-mia", MIA))
    assert [(p.field, p.problem.path) for p in found] == [("language", "organizations.yaml")]
    assert orgs.check_organisations(TEXT, agreements_dir=EXAMPLES, library=library()) == ()


def test_a_dropped_contact_leaves_the_file_otherwise_as_it_was() -> None:
    after = orgs.drop_contact(TEXT, "kz-mia", MIA)
    assert MIA not in after
    assert len(changed_lines(TEXT, after)) == 4


def new_organisation(org: str, country: str, **names: str) -> orgs.NewOrganisation:
    contact = orgs.ContactChange("Алия Сериккызы", "a.serikkyzy@example.org", "kk", ("reviewer",))
    return orgs.NewOrganisation(org, "ministry", country, names or {"ru": "Министерство"}, contact)


def test_a_new_organisation_follows_the_last_of_its_country_before_the_next_heading() -> None:
    after = orgs.add_organisation(TEXT, new_organisation("kz-mlsp", "KZ", ru="Минтруда", en=""))
    assert changed_lines(TEXT, after) == [
        "+",
        "+  - id: kz-mlsp",
        "+    kind: ministry",
        "+    country: KZ",
        "+    name:",
        "+      ru: Минтруда",
        "+    contacts:",
        "+      - name: Алия Сериккызы",
        "+        email: a.serikkyzy@example.org",
        "+        language: kk",
        "+        roles: [reviewer]",
    ]
    assert after.index("id: kz-mlsp") < after.index("# --- Kyrgyzstan")
    assert after.index("id: iom-kz") < after.index("id: kz-mlsp")


def test_a_new_organisation_of_another_country_goes_at_the_end() -> None:
    after = orgs.add_organisation(TEXT, new_organisation("af-moi", "AF"))
    assert after.startswith(TEXT) and after[len(TEXT) :].startswith("\n  - id: af-moi\n")
    assert orgs.check_organisations(after, agreements_dir=EXAMPLES, library=library()) == ()


def test_a_taken_id_is_refused_at_the_id() -> None:
    with pytest.raises(Refusal) as refused:
        orgs.add_organisation(TEXT, new_organisation("kz-mia", "KZ"))
    assert refused.value.field == "id"


def test_problems_of_a_new_organisation_land_on_its_fields_and_its_contacts() -> None:
    bad = orgs.NewOrganisation(
        "kz-mlsp",
        "bureau",
        "KZ",
        {"ru": "Минтруда"},
        orgs.ContactChange("Алия Сериккызы", "not-an-address", "kk", ("reviewer",)),
    )
    after = orgs.add_organisation(TEXT, bad)
    problems = orgs.check_organisations(after, agreements_dir=EXAMPLES, library=library())
    found = orgs.field_problems(after, problems, orgs.locate_new_organisation("kz-mlsp"))
    assert [p.field for p in found] == ["kind", "email"]


def test_the_name_languages_come_in_the_files_order() -> None:
    assert orgs.name_languages(TEXT, "kz-iac") == ["ru", "kk", "en"]
