"""The rules of editing a source from the workspace, without files or a database."""

import pytest
import yaml

from accord.errors import Refusal
from accord.services.drafting.rules import (
    NewAgreement,
    SourceChanged,
    clause_order,
    document_order,
    new_source_text,
    require_new_agreement,
    require_same_agreement,
    require_unchanged,
    text_sha256,
)

REGISTRY = ("ru", "en", "kk", "ky", "tg", "uz-Latn", "uz-Cyrl", "tk")
OPENED = "id: a\ncity: Astana\n"


def choice(**changes: object) -> NewAgreement:
    values: dict[str, object] = {
        "slug": "kz-shelter-mou",
        "kind": "mou",
        "country": "KZ",
        "languages": ("kk", "ru"),
        "secretariat": "kz-iac",
        "titles": {"kk": "Меморандум", "ru": "Меморандум"},
        "parties": (("kz-iac", "signatory"), ("iom-kz", "observer")),
        "clauses": ("purpose", "final-provisions"),
    }
    values.update(changes)
    return NewAgreement(**values)  # type: ignore[arg-type]


def test_a_save_onto_the_content_it_started_from_goes_ahead() -> None:
    require_unchanged("a.yaml", base=text_sha256(OPENED), current=OPENED, started_from=OPENED)


def test_a_save_onto_a_changed_file_is_refused_with_the_diff() -> None:
    now = OPENED.replace("Astana", "Almaty")
    with pytest.raises(SourceChanged) as raised:
        require_unchanged("a.yaml", base=text_sha256(OPENED), current=now, started_from=OPENED)
    assert raised.value.refusal.code == "drafting.source_changed"
    assert raised.value.refusal.field == "text"
    assert "-city: Astana" in raised.value.diff and "+city: Almaty" in raised.value.diff


def test_an_edit_keeps_the_agreement_and_its_secretariat() -> None:
    require_same_agreement(slug="a", found_id="a", secretariat="kz-iac", found_secretariat="kz-iac")
    with pytest.raises(Refusal, match="id: a"):
        require_same_agreement(
            slug="a", found_id="b", secretariat="kz-iac", found_secretariat="kz-iac"
        )
    with pytest.raises(Refusal, match="secretariat: kz-iac"):
        require_same_agreement(
            slug="a", found_id="a", secretariat="kz-iac", found_secretariat="kg-cc"
        )


def test_the_state_language_comes_first() -> None:
    assert document_order({"ru", "kk"}, "KZ", REGISTRY) == ("kk", "ru")
    assert document_order({"ru", "uz-Cyrl", "uz-Latn"}, "UZ", REGISTRY) == (
        "uz-Latn",
        "uz-Cyrl",
        "ru",
    )
    assert document_order({"en", "ru"}, "KZ", REGISTRY) == ("ru", "en")


def test_library_clauses_take_their_usual_places() -> None:
    names = ("purpose", "final-provisions", "zz-extra", "definitions", "aa-extra")
    assert clause_order(names) == (
        "purpose",
        "definitions",
        "final-provisions",
        "aa-extra",
        "zz-extra",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "KZ MOU"}, "slug"),
        ({"kind": "treaty"}, "kind"),
        ({"languages": ()}, "languages"),
        ({"languages": ("kk", "xx")}, "languages"),
        ({"titles": {"kk": "Меморандум", "ru": " "}}, "title_ru"),
        ({"parties": ()}, "parties"),
        ({"parties": (("iom-kz", "observer"),)}, "parties"),
        ({"clauses": ()}, "clauses"),
    ],
)
def test_a_new_agreement_is_refused_at_the_field_at_fault(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(Refusal) as raised:
        require_new_agreement(choice(**changes), known_languages=REGISTRY)
    assert raised.value.field == field


def test_a_new_agreements_source_says_what_was_chosen() -> None:
    require_new_agreement(choice(), known_languages=REGISTRY)
    parameters = {
        "purpose": frozenset({"instrument"}),
        "final-provisions": frozenset({"instrument", "text_languages"}),
    }
    source = yaml.safe_load(new_source_text(choice(), parameters=parameters))
    assert source["format"] == "accord/v1" and source["id"] == "kz-shelter-mou"
    assert source["languages"] == ["kk", "ru"]
    assert source["parties"] == [
        {"org": "kz-iac", "role": "signatory"},
        {"org": "iom-kz", "role": "observer"},
    ]
    assert source["clauses"] == [
        {"id": "purpose", "use": "purpose"},
        {
            "id": "final-provisions",
            "use": "final-provisions",
            "with": {"text_languages": ["kk", "ru"]},
        },
    ]
    plan = yaml.safe_load(new_source_text(choice(kind="joint_action_plan"), parameters=parameters))
    assert plan["clauses"][0] == {"id": "purpose", "use": "purpose", "with": {"instrument": "plan"}}
