"""The agreement DOCX, read back with independent readers (docx2python, python-docx, zip)."""

import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx2python import docx2python

from accord.documents.agreement_docx import render_agreement
from accord.documents.formatting import format_amount, format_due
from accord.documents.labels import labels_for
from accord.source.spec import (
    AgreementKind,
    BudgetSpec,
    ObjectiveSpec,
    PartyRole,
    PartySpec,
    VersionContent,
    numbered,
)
from tests.factories import (
    lang_text,
    make_agreement,
    make_clause,
    make_commitment,
    make_content,
    make_org,
    make_plan,
)
from tests.language_in_progress import Translated

SHA = "0123456789abcdef" * 4
CREATED = datetime(2025, 11, 24, 9, 30, tzinfo=UTC)
HOSTILE = "<script>alert(\"x\")</script> & 'q' ]]> \x00\x01\x08\x0b\x0c\x1f\x7f end"
HOSTILE_CLEAN = "<script>alert(\"x\")</script> & 'q' ]]>  end"
LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі Ҷҷ Ҳҳ Ӣӣ Ӯӯ Ňň Žž Ýý Şş Ää Öö Üü Çç oʻ gʻ"
LONG_WORD = "Қ" * 3000


def render(content: VersionContent, number: int = 3) -> bytes:
    return render_agreement(content, number=number, sha256=SHA, created_at=CREATED)


def text_of(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.text)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return package.read(name).decode()


def cell_texts(table: Any, row: int) -> list[str]:
    return [cell.text for cell in table.rows[row].cells]


# --- the package ---------------------------------------------------------------------


@pytest.mark.parametrize("languages", [("ru",), ("ru", "kk"), ("kk", "ru", "en")])
def test_the_document_opens_with_python_docx(languages: tuple[str, ...]) -> None:
    document = Document(BytesIO(render(make_plan(languages=languages))))

    assert len(document.sections) == 2
    assert document.paragraphs[0].text == labels_for(languages[0])["kind_joint_action_plan"]


def test_rendering_is_deterministic() -> None:
    content = make_plan()

    assert render(content) == render(content)


def test_importing_builds_nothing() -> None:
    code = (
        "import accord.documents.agreement_docx\n"
        "from accord.documents.docx_package import skeleton\n"
        "from accord.i18n.catalogs import read_catalog\n"
        "print(skeleton.cache_info().currsize, read_catalog.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.split() == ["0", "0"]


def test_core_properties() -> None:
    content = make_plan()
    props = Document(BytesIO(render(content, number=7))).core_properties

    assert props.title == "[ru] Referral of victims of trafficking"
    assert props.subject == "Совместный план действий"
    assert props.keywords == "kz-jap-2027"
    assert props.revision == 7
    assert props.author == "Accord"
    assert props.identifier == SHA
    assert SHA in props.comments
    assert props.language == "ru-RU"
    assert props.created == CREATED


def test_created_in_another_time_zone_is_stored_as_utc() -> None:
    almaty = datetime(2025, 11, 24, 14, 30, tzinfo=timezone(timedelta(hours=5)))
    data = render_agreement(make_content(), number=1, sha256=SHA, created_at=almaty)

    created = Document(BytesIO(data)).core_properties.created
    assert created == datetime(2025, 11, 24, 9, 30, tzinfo=UTC)


# --- title, parties, clauses ------------------------------------------------------------


def body_text(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.body)


def test_title_block_in_every_language_and_the_version_only_in_the_footer() -> None:
    data = render(make_content(), number=4)
    body = body_text(data)

    for expected in (
        "Меморандум о взаимопонимании",
        "Өзара түсіністік туралы меморандум",
        "[ru] Referral of victims of trafficking",
        "[kk] Referral of victims of trafficking",
    ):
        assert expected in body
    assert SHA[:12] not in body
    with docx2python(BytesIO(data)) as read:
        assert f"v4 · {SHA[:12]}" in str(read.footer)


def test_a_title_that_names_the_kind_is_printed_without_it() -> None:
    title = {
        "ru": "Меморандум о взаимопонимании по перенаправлению",
        "kk": "Жолдау туралы өзара түсіністік меморандумы",
    }
    content = make_content(make_agreement(title=title))
    paragraphs = [p.text for p in Document(BytesIO(render(content))).paragraphs]

    assert paragraphs[:2] == list(title.values())
    assert "Меморандум о взаимопонимании" not in paragraphs


def test_parties_are_listed_as_the_text_names_them() -> None:
    text = text_of(render(make_content()))

    assert "1. Министерство внутренних дел Республики Казахстан\n" in text
    assert "1. Қазақстан Республикасы Ішкі істер министрлігі\n" in text
    assert "3. Представительство МОМ в Казахстане (по согласованию)" in text
    assert "3. ХКҰ-ның Қазақстандағы өкілдігі (келісім бойынша)" in text
    assert "подписант" not in text


@pytest.mark.parametrize("languages", [("ru",), ("ru", "kk"), ("en", "ru", "kk")])
def test_every_clause_in_every_language_with_its_number(languages: tuple[str, ...]) -> None:
    content = make_content(make_agreement(languages=languages))
    text = text_of(render(content))

    assert f"1. [{languages[0]}] Purpose" in text
    for item in numbered(content.agreement.clauses):
        for lang in languages:
            assert item.clause.text[lang] in text
    for lang in languages:
        assert f"1.1. [{lang}] Text of clause purpose." in text  # the lead paragraph is 1.1
        assert f"1.2. [{lang}] Text of clause purpose-scope." in text
        assert f"2. [{lang}] Text of clause confidentiality." in text


def test_two_languages_sit_side_by_side_in_language_order() -> None:
    document = Document(BytesIO(render(make_content(make_agreement(languages=("kk", "ru"))))))
    clauses = document.tables[-1]

    assert cell_texts(clauses, 0) == ["Қазақ тілі", "Русский"]
    assert cell_texts(clauses, 1)[0].startswith("1. [kk] Purpose")
    assert cell_texts(clauses, 1)[1].startswith("1. [ru] Purpose")
    assert "w:tblHeader" in clauses.rows[0]._tr.xml


def test_one_language_needs_no_table() -> None:
    document = Document(BytesIO(render(make_content(make_agreement(languages=("ru",))))))

    assert document.tables == []
    assert "1. [ru] Purpose" in [p.text for p in document.paragraphs]


def test_clause_text_lines_become_paragraphs() -> None:
    clause = make_clause("c", languages=("ru",), text={"ru": "first\n\nsecond\r\nthird"})
    content = make_content(make_agreement(languages=("ru",), clauses=(clause,)))
    paragraphs = [p.text for p in Document(BytesIO(render(content))).paragraphs]

    assert paragraphs[paragraphs.index("1. first") :][:3] == [
        "1. first",
        "1.1. second",
        "1.2. third",
    ]


def test_every_paragraph_of_a_titled_clause_is_numbered_before_its_sub_clauses() -> None:
    sub_clause = make_clause("sub", languages=("ru",), text={"ru": "sub"})
    clause = make_clause(
        "c",
        languages=("ru",),
        title={"ru": "Статья"},
        text={"ru": "lead\nsecond"},
        clauses=(sub_clause,),
    )
    content = make_content(make_agreement(languages=("ru",), clauses=(clause,)))
    paragraphs = [p.text for p in Document(BytesIO(render(content))).paragraphs]

    start = paragraphs.index("1. Статья")
    assert paragraphs[start : start + 4] == ["1. Статья", "1.1. lead", "1.2. second", "1.3. sub"]


def test_text_in_a_language_is_tagged_with_it_for_spelling() -> None:
    data = render(make_content())

    assert 'w:styleId="AccClauseText-kk"' in part(data, "word/styles.xml")
    assert '<w:lang w:val="kk-KZ"/>' in part(data, "word/styles.xml")
    assert 'w:val="AccClauseText-kk"' in part(data, "word/document.xml")


# --- commitments ------------------------------------------------------------------------


def test_plan_is_a_landscape_annex_after_the_signatures() -> None:
    data = render(make_plan())
    sections = Document(BytesIO(data)).sections

    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert 'w:orient="landscape"' in part(data, "word/document.xml")


def test_memorandum_without_commitments_stays_one_portrait_section() -> None:
    data = render(make_content())

    assert len(Document(BytesIO(data)).sections) == 1
    assert "landscape" not in part(data, "word/document.xml")


def test_commitments_table_repeats_its_header_row() -> None:
    document = Document(BytesIO(render(make_plan())))
    table = document.tables[-1]

    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert cell_texts(table, 0)[:2] == ["№", "Мероприятие\nІс-шара"]


def test_every_commitment_row_under_its_objective() -> None:
    content = make_plan(commitments=12, objectives=3)
    text = text_of(render(content))

    for objective in (1, 2, 3):
        assert f"{objective}. [ru] Objective {objective}" in text
        assert f"{objective}. [kk] Objective {objective}" in text
    for commitment in content.agreement.commitments:
        assert commitment.activity["ru"] in text
        assert commitment.activity["kk"] in text
    table = Document(BytesIO(render(content))).tables[-1]
    numbers = [row.cells[0].text for row in table.rows[1:] if len(set(row.cells)) > 1]
    assert numbers == [f"{o}.{n}" for o in (1, 2, 3) for n in (1, 2, 3, 4)]


def test_commitments_without_objective_come_last_in_their_own_group() -> None:
    objective = ObjectiveSpec(id="o-1", title=lang_text(("ru", "kk"), "Identify"))
    commitments = (make_commitment("c-1", objective="o-1"), make_commitment("c-2"))
    content = make_content(
        make_agreement(
            kind=AgreementKind.joint_action_plan, objectives=(objective,), commitments=commitments
        )
    )
    table = Document(BytesIO(render(content))).tables[-1]
    first_cells = [row.cells[0].text for row in table.rows]

    assert first_cells[1:] == [
        "1. [ru] Identify\n1. [kk] Identify",
        "1.1",
        "2. Прочие мероприятия\n2. Басқа іс-шаралар",
        "2.1",
    ]


def test_non_signatory_partners_take_part_by_agreement_each_in_both_languages() -> None:
    content = make_plan(commitments=1, objectives=0)
    table = Document(BytesIO(render(content))).tables[-1]
    partners = table.rows[1].cells[3].text.split("\n")
    responsible = table.rows[1].cells[2].text.split("\n")

    assert partners == [
        "• ОО «Безопасный дом»",
        "• «Қауіпсіз үй» ҚБ",
        "• Представительство МОМ в Казахстане (по согласованию)",
        "• ХКҰ-ның Қазақстандағы өкілдігі (келісім бойынша)",
    ]
    assert not [name for name in responsible if name.startswith("•")]


def test_commitment_cells_show_deadline_indicator_and_budget() -> None:
    commitment = make_commitment(
        "c-1",
        due=date(2027, 6, 30),
        due_label="2027-Q2",
        baseline="12",
        target="40",
        budget=BudgetSpec(amount=Decimal("2500000.5"), currency="KZT"),
    )
    content = make_content(make_agreement(commitments=(commitment,)))
    cells = cell_texts(Document(BytesIO(render(content))).tables[-1], 1)

    assert cells[4] == "II кв. 2027\n2027 ж. II тоқсан"
    assert cells[5] == "[ru] Indicator c-1\n[kk] Indicator c-1\n12 → 40"
    assert cells[6] == (
        "2\u00a0500\u00a0000,50 KZT\n[ru] Republican budget\n[kk] Republican budget"
    )


def test_a_date_deadline_shown_once_when_it_reads_the_same() -> None:
    content = make_content(make_agreement(commitments=(make_commitment("c-1"),)))
    cells = cell_texts(Document(BytesIO(render(content))).tables[-1], 1)

    assert cells[4] == "30.06.2027"


def test_formatting_follows_the_language() -> None:
    en, ru = labels_for("en"), labels_for("ru")

    assert format_amount(Decimal("1500000"), "USD", en) == "1,500,000 USD"
    assert format_amount(Decimal("1234.5"), "KZT", ru) == "1\u00a0234,50 KZT"
    assert format_due("2027-Q4", date(2027, 12, 31), en) == "Q4 2027"
    assert format_due("2027-01-31", date(2027, 1, 31), en) == "31.01.2027"


# --- signatures and footer --------------------------------------------------------------


def test_a_signature_block_per_signatory_only() -> None:
    text = text_of(render(make_content()))
    signatures = text[text.index("Подписи сторон / Тараптардың қолдары") :]

    assert "Министерство внутренних дел Республики Казахстан" in signatures
    assert "«Қауіпсіз үй» ҚБ" in signatures
    assert "Представительство МОМ" not in signatures
    assert signatures.count("ФИО / Аты-жөні:") == 2
    assert signatures.count("Дата / Күні:") == 2


def test_every_section_has_a_footer_with_page_fields_version_and_hash() -> None:
    data = render(make_plan(), number=5)
    document = part(data, "word/document.xml")
    footer_ids = re.findall(r'<w:footerReference w:type="default" r:id="(\w+)"/>', document)

    assert len(footer_ids) == 2 == len(set(footer_ids))
    for section in Document(BytesIO(data)).sections:
        footer = section.footer
        assert not footer.is_linked_to_previous
        assert f"v5 · {SHA[:12]}" in footer.paragraphs[0].text
        assert "Страница" in footer.paragraphs[0].text
        assert " PAGE " in footer._element.xml
        assert " NUMPAGES " in footer._element.xml
    with docx2python(BytesIO(data)) as read:
        assert f"v5 · {SHA[:12]}" in str(read.footer)


def test_page_words_follow_the_primary_language() -> None:
    data = render(make_content(make_agreement(languages=("kk", "ru"))))

    assert "беттің" in part(data, "word/footer1.xml")


# --- hostile and unusual text -----------------------------------------------------------


def hostile_content() -> VersionContent:
    languages = ("ru", "kk")
    hostile = {"ru": f"{HOSTILE} {LETTERS}", "kk": f"{LETTERS} {LONG_WORD}"}
    clause = make_clause("evil", languages=languages, title=hostile, text=hostile)
    commitment = make_commitment(
        "c-1",
        activity=hostile,
        funding=hostile,
        indicator=hostile,
        baseline=HOSTILE,
        target=LETTERS,
    )
    objective = ObjectiveSpec(id="o-1", title=hostile)
    agreement = make_agreement(
        title=hostile,
        clauses=(clause,),
        objectives=(objective,),
        commitments=(commitment.model_copy(update={"objective": "o-1"}),),
        id="evil-<&>",
    )
    orgs = {org_id: make_org(org_id) for org_id in ("kz-iac", "kz-mia", "iom-kz")}
    orgs["ngo-safe-home"] = make_org("ngo-safe-home", name=hostile)
    return make_content(agreement, orgs)


def test_hostile_text_round_trips_without_control_characters() -> None:
    data = render(hostile_content())
    text = text_of(data)

    assert f"{HOSTILE_CLEAN} {LETTERS}" in text
    assert f"{LETTERS} {LONG_WORD}" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    assert Document(BytesIO(data)).core_properties.keywords == "evil-<&>"


def test_lone_surrogates_are_dropped_not_fatal() -> None:
    content = make_content(make_agreement(languages=("ru",), title={"ru": "a\ud800b"}))

    assert "ab" in text_of(render(content))


def test_letters_of_every_regional_language_survive() -> None:
    text = text_of(render(hostile_content()))

    for letter in LETTERS.split():
        assert letter in text


# --- labels -----------------------------------------------------------------------------


def test_a_language_in_progress_falls_back_per_key_to_ru(
    language_in_progress: Callable[[Translated], str],
) -> None:
    title = "Өз ара түшүнүшүү жөнүндө меморандум"
    tag = language_in_progress({"documents": {("kind_mou", "Memorandum of Understanding"): title}})
    document = Document(BytesIO(render(make_content(make_agreement(languages=(tag, "tg"))))))

    assert document.paragraphs[0].text == title  # the word it has
    assert labels_for(tag)["parties"] == labels_for("ru")["parties"]  # the words it lacks
    assert labels_for(tag)["parties"] != labels_for("tg")["parties"]


def test_an_unknown_language_still_renders_under_its_code() -> None:
    content = make_content(make_agreement(languages=("ru", "de")))

    assert cell_texts(Document(BytesIO(render(content))).tables[-1], 0) == ["Русский", "DE"]


def test_observer_parties_are_marked_in_the_parties_list() -> None:
    parties = (
        PartySpec(org="kz-mia", role=PartyRole.signatory),
        PartySpec(org="kz-mlsp", role=PartyRole.reviewer),
    )
    content = make_content(make_agreement(languages=("en",), parties=parties))
    text = text_of(render(content))

    assert "1. Ministry of Internal Affairs of the Republic of Kazakhstan\n" in text
    assert "2. Ministry of Labour and Social Protection of the Population (by agreement)" in text
