"""The converter's profile names every document language's forbidden line-break characters,
so LibreOffice does not rebuild them from locale data at each change of language."""

from pathlib import Path

from accord.adapters import office_profile
from accord.i18n.languages import LANGUAGES

LIBREOFFICE_OWN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry">\n'
    '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
    'oor:op="fuse"><value>7.4</value></prop></item>\n'
    "</oor:items>\n"
)


def test_every_language_a_document_carries_gets_an_entry() -> None:
    languages = office_profile.document_languages()

    assert {language.proofing for language in LANGUAGES} < set(languages)
    assert "en-US" in languages  # python-docx's defaults: headers and footers


def test_a_new_profile_holds_an_empty_list_per_language(tmp_path: Path) -> None:
    office_profile.prepare(tmp_path)

    text = (tmp_path / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0"')
    assert text.rstrip().endswith("</oor:items>")
    for language in office_profile.document_languages():
        assert office_profile.forbidden_characters_item(language) in text
    assert "<value></value>" in text


def test_libreoffice_settings_are_kept_and_entries_written_once() -> None:
    once = office_profile.with_settings(LIBREOFFICE_OWN, ["ru-RU", "kk-KZ"])
    twice = office_profile.with_settings(once, ["ru-RU", "kk-KZ"])

    assert "ooSetupLastVersion" in once
    assert once.count('oor:name="kk-KZ"') == 1
    assert twice == once


def test_an_entry_as_libreoffice_writes_it_back_counts() -> None:
    rewritten = LIBREOFFICE_OWN.replace(
        "</oor:items>",
        '<item oor:path="/org.openoffice.Office.Common/AsianLayout/StartEndCharacters">'
        '<node oor:name="kk-KZ" oor:op="replace"><prop oor:name="EndCharacters" oor:op="fuse">'
        '<value></value></prop><prop oor:name="StartCharacters" oor:op="fuse"><value></value>'
        "</prop></node></item>\n</oor:items>",
    )

    assert office_profile.has_entry(rewritten, "kk-KZ")
    assert office_profile.with_settings(rewritten, ["kk-KZ"]) == rewritten


def test_a_language_added_later_joins_the_kept_profile() -> None:
    earlier = office_profile.with_settings(None, ["ru-RU"])

    later = office_profile.with_settings(earlier, ["ru-RU", "tg-Cyrl-TJ"])

    assert later.count('oor:name="ru-RU"') == 1
    assert office_profile.forbidden_characters_item("tg-Cyrl-TJ") in later
