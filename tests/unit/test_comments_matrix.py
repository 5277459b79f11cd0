"""The comments matrix, read back with docx2python and python-docx."""

import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx2python import docx2python

from accord.documents.comments_matrix_docx import MatrixRow, render_comments_matrix
from accord.source.spec import VersionContent
from tests.factories import lang_text, make_agreement, make_clause, make_content, make_plan

SHA = "0123456789abcdef" * 4
CREATED = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
HOSTILE = "<script>alert('x')</script> & ]]> \x00\x01\x0b\x1f end"
HOSTILE_CLEAN = "<script>alert('x')</script> & ]]>  end"
LANGS = ("ru", "kk", "en")
MIA = "Ministry of Internal Affairs of the Republic of Kazakhstan"
CONFIDENTIALITY = "3. [en] Personal data of victims is kept confidential at all …"
"""An untitled clause is named by its first words."""


def version() -> VersionContent:
    """Clauses 1 purpose (1.1 purpose-scope untitled), 2 referral, 3 confidentiality untitled."""
    purpose = make_clause(
        "purpose",
        languages=LANGS,
        title={"ru": "Цель", "kk": "Мақсаты", "en": "Purpose"},
        clauses=(make_clause("purpose-scope", languages=LANGS),),
    )
    referral = make_clause(
        "referral", languages=LANGS, title={"ru": "Перенаправление", "en": "Referral"}
    )
    confidentiality = make_clause(
        "confidentiality",
        languages=LANGS,
        text=lang_text(LANGS, "Personal data of victims is kept confidential at all times by all."),
    )
    agreement = make_agreement(languages=LANGS, clauses=(purpose, referral, confidentiality))
    return make_content(agreement)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def comment(
    clause_id: str | None,
    party: str,
    text: str,
    when: datetime,
    *,
    author: str = "Aigerim",
    decision: str | None = "approve_with_comments",
) -> MatrixRow:
    return MatrixRow(
        clause_id=clause_id,
        party_org_id=party,
        author_name=author,
        comment=text,
        decision=decision,
        created_at=when,
    )


def render(
    rows: list[MatrixRow], language: str = "en", content: VersionContent | None = None
) -> bytes:
    return render_comments_matrix(
        content or version(),
        rows,
        round_number=2,
        version_number=3,
        sha256=SHA,
        created_at=CREATED,
        language=language,
    )


def matrix_rows(data: bytes) -> list[list[list[str]]]:
    """The matrix table's rows: a list of cells, each a list of paragraph texts."""
    with docx2python(BytesIO(data)) as read:
        tables = [t for t in read.body if t and t[0] and t[0][0] in (["№"], ["No."])]
    assert len(tables) == 1
    return tables[0]


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as package:
        return package.read("word/document.xml").decode()


# Inserted out of order on purpose: the matrix must sort them.
SCRAMBLED = [
    comment("confidentiality", "kz-mia", "On confidentiality", at(20)),
    comment("referral", "ngo-safe-home", "Referral, later", at(23)),
    comment("purpose-scope", "ngo-safe-home", "On the scope", at(21)),
    comment("referral", "ngo-safe-home", "Referral, earlier", at(22)),
    comment(None, "ngo-safe-home", "General from NGO", at(19)),
    comment("referral", "kz-mia", "Referral from the ministry", at(24)),
    comment("purpose", "kz-mia", "On purpose", at(25)),
    comment(None, "kz-mia", "General from the ministry", at(26)),
]


def test_rows_follow_clause_order_then_party_order_then_time() -> None:
    rows = matrix_rows(render(SCRAMBLED))

    assert [r[0][0] for r in rows[1:]] == [str(n) for n in range(1, 9)]
    assert [(r[1][0], r[3][0]) for r in rows[1:]] == [
        ("General", "General from the ministry"),
        ("General", "General from NGO"),
        ("1. Purpose", "On purpose"),
        ("1.2. [en] Text of clause purpose-scope.", "On the scope"),
        ("2. Referral", "Referral from the ministry"),
        ("2. Referral", "Referral, earlier"),
        ("2. Referral", "Referral, later"),
        (CONFIDENTIALITY, "On confidentiality"),
    ]


def test_party_decision_author_and_date_are_shown() -> None:
    rows = matrix_rows(render([comment("purpose", "ngo-safe-home", "Fine", at(25), author="Dana")]))

    assert rows[1][2] == ["NGO Safe Home", "approved with comments"]
    assert rows[1][3] == ["Fine", "(Dana, 25.11.2026)"]


def test_the_response_columns_are_empty_until_the_secretariat_answers() -> None:
    rows = matrix_rows(render(SCRAMBLED))

    assert rows[0][4:] == [["Response of the secretariat"], ["Verdict"]]
    assert all(r[4:] == [[""], [""]] for r in rows[1:])
    assert all(len(r) == 6 for r in rows)


@pytest.mark.parametrize(
    ("language", "verdict"),
    [("en", "partly accepted"), ("ru", "принято частично"), ("kk", "ішінара қабылданды")],
)
def test_the_secretariat_s_answer_and_verdict_are_printed(language: str, verdict: str) -> None:
    answered = replace(
        comment("purpose", "kz-mia", "Too broad", at(20)),
        response="Narrowed in version 4.\nSee 1.2.",
        verdict="partly_accepted",
    )
    rows = matrix_rows(render([answered], language))

    assert rows[1][4] == ["Narrowed in version 4.", "See 1.2."]
    assert rows[1][5] == [verdict]


def test_landscape_with_a_header_row_repeated_on_every_page() -> None:
    data = render(SCRAMBLED * 20)
    document = Document(BytesIO(data))

    assert len(document.sections) == 1
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    width, height = document.sections[0].page_width, document.sections[0].page_height
    assert width is not None and height is not None and width > height
    header = document.tables[0].rows[0]._tr.xml
    assert "w:tblHeader" in header and "w:cantSplit" in header
    assert document_xml(data).count("w:tblHeader") == 1
    assert len(document.tables[0].rows) == 161


def test_title_block_names_round_version_and_hash() -> None:
    with docx2python(BytesIO(render(SCRAMBLED))) as read:
        text = read.text

    assert "[en] Referral of victims of trafficking" in text
    assert f"Comments matrix — review round 2 on version 3 ({SHA[:12]})" in text
    assert f"sha256: {SHA}" in text
    props = Document(BytesIO(render(SCRAMBLED))).core_properties
    assert (props.identifier, props.revision, props.keywords) == (SHA, 3, "kz-referral-mou")


HEADERS = {
    "ru": ["№", "Пункт", "Сторона", "Замечание (автор, дата)", "Ответ секретариата",
           "Решение по замечанию"],
    "kk": ["№", "Тармақ", "Тарап", "Ескерту (авторы, күні)", "Хатшылықтың жауабы",
           "Ескерту бойынша шешім"],
}  # fmt: skip
GENERAL = {"ru": ("Общие замечания", "согласовано с замечаниями"),
           "kk": ("Жалпы ескертулер", "ескертулермен келісілді")}  # fmt: skip


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_labels_follow_the_language(language: str) -> None:
    rows = matrix_rows(render([comment(None, "kz-mia", "x", at(20))], language))

    assert [cell[0] for cell in rows[0]] == HEADERS[language]
    assert rows[1][1] == [GENERAL[language][0]]
    assert rows[1][2][1] == GENERAL[language][1]


def test_clause_titles_in_the_matrix_language_fall_back_when_untranslated() -> None:
    rows = matrix_rows(render([comment("referral", "kz-mia", "x", at(20))], "kk"))

    assert rows[1][1] == ["2. Перенаправление"]
    assert rows[1][2][0] == "Қазақстан Республикасы Ішкі істер министрлігі"


def test_hostile_text_is_literal_and_control_characters_are_stripped() -> None:
    row = comment("purpose", "kz-mia", f"{HOSTILE}\nsecond line", at(20), author="<b>Eve</b>")
    data = render([row])
    rows = matrix_rows(data)

    assert rows[1][3] == [HOSTILE_CLEAN, "second line", "(<b>Eve</b>, 20.11.2026)"]
    xml = document_xml(data)
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; ]]&gt;" in xml
    assert "<script>" not in xml and "<b>" not in xml


def test_unknown_clause_ids_and_parties_come_after_known_ones() -> None:
    rows = matrix_rows(
        render(
            [
                comment("gone-clause", "kz-mia", "stale", at(20)),
                comment("confidentiality", "someone-else", "outsider", at(20), decision=None),
                comment("confidentiality", "kz-mia", "insider", at(21), decision="odd_value"),
            ]
        )
    )

    assert [(r[1][0], r[2][0], r[3][0]) for r in rows[1:]] == [
        (CONFIDENTIALITY, MIA, "insider"),
        (CONFIDENTIALITY, "someone-else", "outsider"),
        ("gone-clause", MIA, "stale"),
    ]
    assert rows[1][2][1] == "odd_value"
    assert rows[2][2] == ["someone-else"]


def test_naive_and_aware_times_sort_together() -> None:
    naive = comment("purpose", "kz-mia", "naive, later", datetime(2026, 11, 20, 12, 0))
    aware = comment("purpose", "kz-mia", "aware, earlier", at(20, 9))

    assert [r[3][0] for r in matrix_rows(render([naive, aware]))[1:]] == [
        "aware, earlier",
        "naive, later",
    ]


def test_a_round_without_comments_says_so() -> None:
    rows = matrix_rows(render([]))

    assert len(rows) == 2
    assert rows[1][0] == ["No comments were made in this round."]  # one cell spanning the row


def test_rendering_is_deterministic() -> None:
    assert render(SCRAMBLED) == render(list(reversed(SCRAMBLED)))


def test_comments_on_activities_follow_the_clauses_named_by_their_plan_number() -> None:
    content = make_plan(languages=LANGS, clauses=2, commitments=3, objectives=2)
    rows = [
        MatrixRow(
            clause_id=None,
            party_org_id="kz-mia",
            author_name="Dana",
            comment=text,
            decision="approve_with_comments",
            created_at=at(day),
            activity_id=activity,
        )
        for activity, text, day in (
            ("c-002", "On the activity under objective 1", 20),
            ("c-gone", "On an activity of no plan", 21),
            (None, "General", 22),
        )
    ] + [comment("clause-2", "kz-mia", "On clause 2", at(23))]
    printed = [(r[1][0], r[3][0]) for r in matrix_rows(render(rows, content=content))[1:]]
    # c-002 is the first activity of objective 1 (objectives take commitments n % 2)
    assert printed == [
        ("General", "General"),
        ("2. [en] Clause 2", "On clause 2"),
        ("Activity 1.1. [en] Activity c-002", "On the activity under objective 1"),
        ("c-gone", "On an activity of no plan"),
    ]


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Proposed wording:"), ("ru", "Предлагаемая редакция:"), ("kk", "Ұсынылатын редакция:")],
)
def test_proposed_wording_stands_under_the_comment_in_the_matrix_language(
    language: str, said: str
) -> None:
    proposed = MatrixRow(
        clause_id="confidentiality",
        party_org_id="kz-mia",
        author_name="Aigerim",
        comment="Too long a term.",
        decision="request_changes",
        created_at=at(20),
        proposed_text="Data is kept for three years.\nThen it is destroyed.",
    )
    plain = comment("referral", "kz-mia", "Fine as is", at(21))
    [_, without, with_wording] = matrix_rows(render([proposed, plain], language))  # clause 2, 3
    assert with_wording[3][:4] == [
        "Too long a term.",
        said,
        "Data is kept for three years.",
        "Then it is destroyed.",
    ]
    assert with_wording[3][-1].startswith("(Aigerim, ")
    assert said not in without[3]
