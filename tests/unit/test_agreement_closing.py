"""How the agreement document opens and closes: approval, place and date, final provisions,
signature blocks, the plan annex, the draft mark."""

import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from docx2python import docx2python

from accord.documents.agreement_docx import render_agreement
from accord.source.spec import (
    AgreementKind,
    ApprovalSpec,
    BudgetSpec,
    FinalProvisionsSpec,
    OrgSnapshot,
    Recurrence,
    RepeatSpec,
    SignerSnapshot,
    VersionContent,
    YearAmount,
)
from tests.factories import make_agreement, make_content, make_org, make_plan

SHA = "0123456789abcdef" * 4
CREATED = datetime(2025, 11, 24, 9, 30, tzinfo=UTC)
MINISTER = SignerSnapshot(
    name="Ерлан Примеров",
    title={"ru": "Заместитель министра", "kk": "Министрдің орынбасары"},
)
DECISION = ApprovalSpec(
    by={"ru": "решением Межведомственной комиссии", "kk": "Ведомствоаралық комиссияның шешімімен"},
    date=date(2027, 2, 15),
    number="3",
)


def render(content: VersionContent) -> bytes:
    return render_agreement(content, number=2, sha256=SHA, created_at=CREATED)


def paragraphs(data: bytes) -> list[str]:
    """Body paragraphs outside tables, in order."""
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def with_signer(content: VersionContent, org_id: str, signer: SignerSnapshot) -> VersionContent:
    organizations: dict[str, OrgSnapshot] = dict(content.organizations)
    organizations[org_id] = organizations[org_id].model_copy(update={"signer": signer})
    return content.model_copy(update={"organizations": organizations})


def header_text(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.header)


def test_place_and_date_line_under_the_title_in_each_language() -> None:
    final = FinalProvisionsSpec(place={"ru": "г. Астана", "kk": "Астана қ."})
    data = render(make_content(make_agreement(final=final)))

    assert "г. Астана\t«__» ____________ 20__ г." in paragraphs(data)
    assert "Астана қ.\t20__ жылғы «__» ____________" in paragraphs(data)


def test_final_provisions_count_signatories_and_the_secretariat_by_default() -> None:
    final = FinalProvisionsSpec(place={"ru": "г. Астана", "kk": "Астана қ."}, date=date(2027, 3, 1))
    text = paragraphs(render(make_content(make_agreement(final=final))))

    # two signatories (kz-mia, ngo-safe-home) and the secretariat kz-iac, which does not sign
    assert "Совершено в г. Астана 01.03.2027 в трёх подлинных экземплярах." in text
    assert "Астана қ., 01.03.2027, үш түпнұсқа данада жасалды." in text
    assert (
        "Каждый экземпляр составлен на русском и казахском языках, причём все тексты имеют "
        "одинаковую силу." in text
    )
    assert not [line for line in text if "преимущественную" in line]


def test_english_among_the_authentic_texts_prevails_unless_another_is_named() -> None:
    languages = ("kk", "ru", "en")
    english = paragraphs(render(make_content(make_agreement(languages=languages))))
    russian = paragraphs(
        render(
            make_content(
                make_agreement(
                    languages=languages, final=FinalProvisionsSpec(originals=7, prevails="ru")
                )
            )
        )
    )

    assert (
        "В случае расхождений между текстами преимущественную силу имеет текст на английском "
        "языке." in english
    )
    assert "In case of divergence between the texts, the text in English prevails." in english
    assert "In case of divergence between the texts, the text in Russian prevails." in russian
    assert "Done at ________________ on “__” ____________ 20__ in seven original copies." in russian


def test_signature_blocks_follow_the_final_provisions_with_the_signing_person() -> None:
    content = with_signer(make_content(), "kz-mia", MINISTER)
    text = paragraphs(render(content))

    closing = text.index(
        "Совершено в ________________ «__» ____________ 20__ г. в трёх подлинных экземплярах."
    )
    heading = text.index("Подписи сторон / Тараптардың қолдары")
    assert closing < heading
    block = text[heading : heading + 9]
    assert block[1:5] == [
        "Министерство внутренних дел Республики Казахстан",
        "Қазақстан Республикасы Ішкі істер министрлігі",
        "ФИО / Аты-жөні: Ерлан Примеров",
        "Должность / Лауазымы: Заместитель министра / Министрдің орынбасары",
    ]
    assert block[5].startswith("Подпись / Қолы:")
    assert block[6].startswith("Дата / Күні:")
    assert block[7] == "М.П. / М.О."


def test_no_seal_where_the_country_does_not_use_one() -> None:
    content = make_content()
    organizations = dict(content.organizations)
    organizations["ngo-safe-home"] = make_org("ngo-safe-home", country="DE")
    text = paragraphs(render(content.model_copy(update={"organizations": organizations})))

    assert text.count("М.П. / М.О.") == 1


def test_the_plan_is_an_annex_after_the_signature_blocks() -> None:
    text = body(render(make_plan()))

    signatures = text.index("Подписи сторон / Тараптардың қолдары")
    annex = text.index("Приложение 1 к Совместному плану действий")
    assert signatures < annex < text.index("План мероприятий / Іс-шаралар жоспары")
    assert "Бірлескен іс-қимыл жоспарына 1-қосымша" in text


def test_plan_rows_never_split_across_pages() -> None:
    document = part(render(make_plan(commitments=4, objectives=1)), "word/document.xml")
    table = document[document.index("План мероприятий") :]

    # header row, one objective row, four commitment rows
    assert table.count("<w:cantSplit/>") == 6


def test_an_approved_plan_has_an_approval_block_instead_of_signatures() -> None:
    plan = make_plan()
    agreement = plan.agreement.model_copy(update={"approval": DECISION})
    data = render(plan.model_copy(update={"agreement": agreement}))
    text = paragraphs(data)

    assert text[:4] == [
        "УТВЕРЖДЁН",
        "решением Межведомственной комиссии от 15.02.2027 № 3",
        "БЕКІТІЛГЕН",
        "15.02.2027 № 3 Ведомствоаралық комиссияның шешімімен",
    ]
    assert "Настоящий План вступает в силу со дня его утверждения (15.02.2027)." in text
    assert "Подписи сторон / Тараптардың қолдары" not in text
    assert not [line for line in text if line.startswith("Совершено")]
    assert "Приложение 1" not in body(data)


def test_drafts_say_so_in_the_header_and_a_watermark() -> None:
    data = render(make_content(make_agreement(languages=("kk", "ru", "en"))))

    assert "ЖОБА / ПРОЕКТ / DRAFT" in header_text(data)
    assert 'string="ЖОБА / ПРОЕКТ / DRAFT"' in part(data, "word/header1.xml")


def test_footer_page_numbers_in_every_document_language() -> None:
    footer = part(render(make_content()), "word/footer1.xml")

    assert "Страница " in footer
    assert "беттің " in footer


def test_a_title_that_does_not_name_the_kind_gets_it_above() -> None:
    content = make_content(make_agreement(kind=AgreementKind.joint_action_plan))

    assert paragraphs(render(content))[0] == "Совместный план действий"


def body(data: bytes) -> str:
    with docx2python(BytesIO(data)) as read:
        return str(read.body)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return package.read(name).decode()


def test_a_plan_row_shows_co_responsible_bodies_completion_and_a_recurring_deadline() -> None:
    plan = make_plan(commitments=1, objectives=0)
    commitment = plan.agreement.commitments[0].model_copy(
        update={
            "co_responsible": ("ngo-safe-home",),
            "partners": (),
            "completion": {"ru": "информация в Правительство", "kk": "Үкіметке ақпарат"},
            "repeat": RepeatSpec(every=Recurrence.year, by=(12, 25)),
            "due": date(2028, 12, 31),
        }
    )
    agreement = plan.agreement.model_copy(update={"commitments": (commitment,)})
    table = Document(BytesIO(render(plan.model_copy(update={"agreement": agreement})))).tables[-1]
    cells = [cell.text for cell in table.rows[1].cells]

    assert "Форма завершения: информация в Правительство" in cells[1]
    assert "Аяқтау нысаны: Үкіметке ақпарат" in cells[1]
    assert cells[2].split("\n") == [
        "• Министерство внутренних дел Республики Казахстан",
        "• Қазақстан Республикасы Ішкі істер министрлігі",
        "• ОО «Безопасный дом»",
        "• «Қауіпсіз үй» ҚБ",
    ]
    assert cells[4].split("\n") == [
        "ежегодно, до 25 декабря; до 31.12.2028",
        "жыл сайын, мерзімі — 25 желтоқсан; соңғы мерзімі — 31.12.2028",
    ]


def test_a_budget_by_year_and_source_lists_each_year_the_total_and_the_unit() -> None:
    plan = make_plan(commitments=1, objectives=0)
    budget = BudgetSpec(
        amount=Decimal("3400500"),
        currency="KZT",
        scale=1000,
        years=(
            YearAmount(year=2028, source="РБ", amount=Decimal("1600.5")),
            YearAmount(year=2027, source="РБ", amount=Decimal("1500")),
            YearAmount(year=2027, source="МБ", amount=Decimal("300")),
        ),
    )
    commitment = plan.agreement.commitments[0].model_copy(
        update={"budget": budget, "funding": None}
    )
    agreement = plan.agreement.model_copy(update={"commitments": (commitment,)})
    table = Document(BytesIO(render(plan.model_copy(update={"agreement": agreement})))).tables[-1]

    assert table.rows[1].cells[6].text.split("\n") == [
        "2027: РБ 1\u00a0500; МБ 300",
        "2028: РБ 1\u00a0600,50",
        "Всего: 3\u00a0400,50",
        "тыс. KZT",
    ]


def closing_line(content: VersionContent, start: str) -> str:
    """The first paragraph of the rendered document that starts with `start`."""
    return next(line for line in paragraphs(render(content)) if line.startswith(start))


@pytest.mark.parametrize(
    ("originals", "russian", "english"),
    [
        (1, "в одном подлинном экземпляре.", "in one original copy."),
        (2, "в двух подлинных экземплярах.", "in two original copies."),
        (3, "в трёх подлинных экземплярах.", "in three original copies."),
        (4, "в четырёх подлинных экземплярах.", "in four original copies."),
        (5, "в пяти подлинных экземплярах.", "in five original copies."),
        (11, "в 11 подлинных экземплярах.", "in 11 original copies."),
        (21, "в 21 подлинном экземпляре.", "in 21 original copies."),
    ],
)
def test_the_number_of_originals_agrees_with_its_noun(
    originals: int, russian: str, english: str
) -> None:
    final = FinalProvisionsSpec(originals=originals)
    content = make_content(make_agreement(languages=("ru", "en"), final=final))

    assert closing_line(content, "Совершено в").endswith(russian)
    assert closing_line(content, "Done at").endswith(english)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("kk", "бір түпнұсқа данада жасалды."),
        ("ky", "бир түп нускада түзүлдү."),
        ("tg", "дар як нусхаи аслӣ тартиб дода шуд."),
        ("uz-Latn", "bir asl nusxada tuzildi."),
        ("uz-Cyrl", "бир асл нусхада тузилди."),
        ("tk", "bir asyl nusgada düzüldi."),
    ],
)
def test_a_single_original_is_written_as_a_word_in_every_language(
    language: str, sentence: str
) -> None:
    final = FinalProvisionsSpec(originals=1)
    content = make_content(make_agreement(languages=(language, "ru"), final=final))
    text = paragraphs(render(content))

    assert [line for line in text if line.endswith(sentence)], text
