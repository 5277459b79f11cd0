"""organizations.yaml edited one organisation or contact at a time: every other byte of the
file stays as it was, the loader's problems land on the form field at their line, and the
conflict rule looks at the edited organisation's entry alone."""

import difflib
import shutil
from pathlib import Path

import pytest

from accord.errors import Refusal
from accord.services.drafting import organizations_source as orgs
from accord.services.drafting import sources
from accord.services.drafting.rules import SourceChanged, text_sha256
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
    found = orgs.field_problems(after, problems, "kz-mia", orgs.locate_contact("kz-mia", MIA))
    assert [(p.field, p.problem.path, p.inside) for p in found] == [
        ("language", "organizations.yaml", True)
    ]
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
    locate = orgs.locate_new_organisation("kz-mlsp")
    found = orgs.field_problems(after, problems, "kz-mlsp", locate)
    assert [p.field for p in found] == ["kind", "email"]


def test_the_name_languages_come_in_the_files_order() -> None:
    assert orgs.name_languages(TEXT, "kz-iac") == ["ru", "kk", "en"]


def test_an_entry_is_its_own_lines_without_the_heading_of_the_next_group() -> None:
    entry = orgs.entry_text(TEXT, "iom-kz")
    assert entry.startswith("  - id: iom-kz\n") and entry.endswith("\n")
    assert entry in TEXT and "Kyrgyzstan" not in entry and "example.kg" not in entry
    first = orgs.entry_text(TEXT, "kz-iac")
    assert "# The commission signs the referral MOU" in first  # its own comments kept
    assert "--- Kazakhstan" not in first and "kz-mia" not in first
    last = orgs.entry_text(TEXT, "tm-mlsp")
    assert TEXT.rstrip("\n").endswith(last.rstrip("\n"))


def test_another_organisations_change_is_no_conflict_but_its_own_is_with_its_diff() -> None:
    started = orgs.entry_text(TEXT, "kz-mia")
    elsewhere = TEXT.replace("secretariat@example.kg", "office@example.kg")
    orgs.require_entry_unchanged(elsewhere, "kz-mia", started_from=started)
    orgs.require_entry_unchanged(TEXT, "kz-mia", started_from=started.replace("\n", "\r\n"))
    both = elsewhere.replace("short_name: {ru: МВД,", "short_name: {ru: МВД РК,")
    with pytest.raises(SourceChanged) as changed:
        orgs.require_entry_unchanged(both, "kz-mia", started_from=started)
    assert changed.value.refusal.code == "drafting.organisation_changed"
    assert changed_lines(started, orgs.entry_text(both, "kz-mia")) == [
        line for line in changed.value.diff.splitlines() if line[:1] in "+-" and line[1:2] == " "
    ]
    assert "example.kg" not in changed.value.diff


def test_a_problem_outside_the_entry_is_not_inside() -> None:
    broken = TEXT.replace("email: secretariat@example.kg", "email: secretariat.example.kg")
    problems = orgs.check_organisations(broken, agreements_dir=EXAMPLES, library=library())
    found = orgs.field_problems(broken, problems, "kz-mia", orgs.locate_organisation("kz-mia"))
    assert found and not any(p.inside for p in found)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copied = tmp_path / "agreements"
    shutil.copytree(EXAMPLES, copied)
    return copied


def test_a_save_applies_the_edit_to_the_file_as_it_is_now(folder: Path) -> None:
    path = folder / "organizations.yaml"
    started = orgs.entry_text(TEXT, "kz-mia")
    path.write_text(TEXT.replace("secretariat@example.kg", "office@example.kg"), "utf-8")
    before = path.read_text(encoding="utf-8")
    change = orgs.OrganisationChange("ministry", "KZ", {"en": "Ministry of Internal Affairs"})
    saved = sources.save_organisations(
        path,
        lambda text: orgs.edit_organisation(text, "kz-mia", change),
        org="kz-mia",
        started_from=started,
        library=library(),
    )
    after = path.read_text(encoding="utf-8")
    assert "office@example.kg" in after and "en: Ministry of Internal Affairs\n" in after
    assert len(changed_lines(before, after)) == 2
    assert (saved.before, saved.after) == (text_sha256(before), text_sha256(after))


def test_a_refused_save_leaves_the_file_byte_for_byte(folder: Path) -> None:
    path = folder / "organizations.yaml"
    started = orgs.entry_text(TEXT, "kz-mia")
    path.write_text(TEXT.replace("short_name: {ru: МВД,", "short_name: {ru: МВД РК,"), "utf-8")
    before = path.read_bytes()
    with pytest.raises(SourceChanged):
        sources.save_organisations(
            path,
            lambda text: orgs.drop_contact(text, "kz-mia", MIA),
            org="kz-mia",
            started_from=started,
            library=library(),
        )
    bad = orgs.ContactChange("Мадина Исаева", MIA, "xx", ("reviewer",))
    with pytest.raises(orgs.OrganisationsInvalid) as invalid:
        sources.save_organisations(
            path,
            lambda text: orgs.put_contact(text, "kz-mia", MIA, bad),
            org="kz-mia",
            started_from=orgs.entry_text(before.decode("utf-8"), "kz-mia"),
            library=library(),
        )
    assert invalid.value.problems and "xx" in invalid.value.text
    assert path.read_bytes() == before
