"""The state language first: every title, column and block of a document follows the order
of the agreement's `languages`, whichever language that puts first."""

from io import BytesIO

import pytest
from docx import Document
from docx2python import docx2python

from accord.documents.agreement_docx import render_agreement
from accord.documents.labels import labels_for
from accord.source.spec import VersionContent
from tests.factories import lang_text, make_org, make_plan
from tests.unit.test_agreement_docx import CREATED, SHA

ORDERS = [("ky", "ru"), ("ru", "ky"), ("uz-Latn", "ru", "en"), ("tk", "ru")]


def plan(order: tuple[str, ...]) -> VersionContent:
    content = make_plan(languages=order, clauses=2, commitments=2, objectives=1)
    named = {
        org_id: make_org(org_id, name=lang_text(order, f"Organisation {org_id}"))
        for org_id in content.organizations
    }
    return VersionContent(agreement=content.agreement, organizations=named)


def in_order(text: str, pieces: list[str]) -> bool:
    """Each piece found after the one before it."""
    position = -1
    for piece in pieces:
        position = text.find(piece, position + 1)
        if position < 0:
            return False
    return True


@pytest.mark.parametrize("order", ORDERS, ids="+".join)
def test_titles_columns_and_blocks_follow_the_order_of_languages(order: tuple[str, ...]) -> None:
    data = render_agreement(plan(order), number=1, sha256=SHA, created_at=CREATED)
    document = Document(BytesIO(data))
    with docx2python(BytesIO(data)) as read:
        text = str(read.text)

    kinds = [labels_for(lang)["kind_joint_action_plan"] for lang in order]
    assert [p.text for p in document.paragraphs[: 2 * len(order) : 2]] == kinds
    titles = [f"[{lang}] Referral of victims of trafficking" for lang in order]
    assert [p.text for p in document.paragraphs[1 : 2 * len(order) : 2]] == titles
    headings = " / ".join(labels_for(lang)["parties"] for lang in order)
    assert headings in text  # a heading in every language, in their order

    parties, clauses = (t for t in document.tables if len(t.columns) == len(order))
    assert [c.text for c in clauses.rows[0].cells] == [
        labels_for(lang)["language_name"] for lang in order
    ]
    for row in (*parties.rows, *clauses.rows[1:]):
        for lang, cell in zip(order, row.cells, strict=True):
            assert f"[{lang}]" in cell.text or cell.text == labels_for(lang)["language_name"]

    table = next(t for t in document.tables if len(t.columns) > len(order))
    header = table.rows[0].cells[1].text
    assert in_order(header, [labels_for(lang)["col_activity"] for lang in order]), header
    activity = table.rows[2].cells[1].text
    assert in_order(activity, [f"[{lang}] Activity" for lang in order]), activity
    signatures = text.split(" / ".join(labels_for(lang)["signatures"] for lang in order), 1)
    assert len(signatures) == 2, "the signature heading joins the languages in order"
    organisation = [f"[{lang}] Organisation kz-mia" for lang in order]
    assert in_order(signatures[1], organisation)
