"""Short names of organisations (`short_name`, «МВД»): read and checked with the organisations
file, and used by the plan importer to recognise what a plan's cells name."""

from pathlib import Path

import pytest

from accord.source.loader import load_organizations
from accord.source.plan_import.organisations import known_names
from accord.source.problems import SourceInvalid
from accord.source.spec import OrganizationSpec, OrgKind
from tests.unit.source_examples import at, write

ORGS = "organizations.yaml"
WITH_SHORT_NAMES = """\
format: accord/v1
organizations:
  - id: kz-mia
    kind: ministry
    country: KZ
    name: {ru: Министерство внутренних дел, kk: Ішкі істер министрлігі}
    short_name: {ru: МВД, kk: ІІМ}
  - id: kg-mia
    kind: ministry
    country: KG
    name: {ru: Министерство внутренних дел КР}
    short_name: {ru: МВД}
  - id: kz-gp
    kind: agency
    country: KZ
    name: {ru: Генеральная прокуратура}
"""


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def org_problems(text: str) -> list[str]:
    write(Path("."), {ORGS: text})
    with pytest.raises(SourceInvalid) as refused:
        load_organizations([Path(ORGS)])
    return [str(problem) for problem in refused.value.problems]


def test_short_names_load_per_language() -> None:
    write(Path("."), {ORGS: WITH_SHORT_NAMES})
    orgs = load_organizations([Path(ORGS)])

    assert orgs["kz-mia"].short_name == {"ru": "МВД", "kk": "ІІМ"}
    assert orgs["kz-gp"].short_name is None  # optional


def test_a_short_name_in_an_unknown_language_is_reported_where_it_is() -> None:
    text = WITH_SHORT_NAMES.replace("{ru: МВД, kk: ІІМ}", "{ru: МВД, kz: ІІМ}")

    found = org_problems(text)

    assert len(found) == 1
    assert found[0].startswith(f"{ORGS}:{at(text, 'kz: ІІМ')}: invalid language 'kz' in ")


def test_a_short_name_must_be_text() -> None:
    text = WITH_SHORT_NAMES.replace("{ru: МВД, kk: ІІМ}", "МВД")

    assert org_problems(text) == [
        f"{ORGS}:{at(text, 'short_name: МВД', 12)}: invalid organisation 'kz-mia' short name: "
        "'МВД' (expected a mapping of keys and values)"
    ]


def test_two_bodies_of_one_country_cannot_share_a_short_name() -> None:
    text = WITH_SHORT_NAMES + "    short_name: {ru: мвд}\n"

    assert org_problems(text) == [
        f"{ORGS}:{at(text, 'мвд')}: short name 'мвд' (ru) of 'kz-gp' is already the short "
        "name of 'kz-mia' in KZ (expected a short name no other organisation of the country has)"
    ]


def orgs_of(text: str) -> dict[str, OrganizationSpec]:
    write(Path("."), {ORGS: text})
    return load_organizations([Path(ORGS)])


def test_the_importer_knows_short_names_the_plans_country_first() -> None:
    known = known_names(orgs_of(WITH_SHORT_NAMES), country="KZ", names={})

    assert {"МВД", "ІІМ", "Министерство внутренних дел"} <= known["kz-mia"]
    assert "МВД" not in known["kg-mia"]  # the Kazakh ministry's in a Kazakh plan
    assert "МВД" in known_names(orgs_of(WITH_SHORT_NAMES), country="KG", names={})["kg-mia"]


def test_a_names_file_wins_over_short_names() -> None:
    known = known_names(orgs_of(WITH_SHORT_NAMES), country="KZ", names={"МВД": "kz-gp"})

    assert "МВД" in known["kz-gp"]
    assert "МВД" not in known["kz-mia"] and "ІІМ" in known["kz-mia"]


def test_organisations_without_short_names_are_known_by_their_names() -> None:
    org = OrganizationSpec(id="x", kind=OrgKind.ngo, country="KZ", name={"ru": "Фонд"})

    assert known_names({"x": org}, country="KZ", names={}) == {"x": {"Фонд"}}
