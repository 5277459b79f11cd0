"""Soft hyphens in long words of the plan's narrow cells, by pyphen's dictionaries, so that
Word and LibreOffice break «Межведомственная» rather than leave a gap; languages without a
dictionary are left as written."""

import re
import zipfile
from io import BytesIO

from docx import Document

from accord.documents.agreement_docx import render_agreement
from accord.documents.hyphenation import SOFT_HYPHEN, hyphenated
from accord.documents.wordml import run, text_paragraph
from accord.source.spec import OrgSnapshot
from tests.factories import make_plan
from tests.unit.test_agreement_closing import CREATED

LONG = "Межведомственная"


def test_long_russian_words_get_soft_hyphens_where_the_dictionary_allows() -> None:
    text = hyphenated(f"{LONG} комиссия", "ru")

    assert text.replace(SOFT_HYPHEN, "") == f"{LONG} комиссия"
    assert text.split()[0].split(SOFT_HYPHEN) == ["Меж", "ве", "дом", "ствен", "ная"]
    assert SOFT_HYPHEN not in text.split()[1]  # short words are left whole


def test_english_is_hyphenated_too() -> None:
    assert SOFT_HYPHEN in hyphenated("interdepartmental", "en")


def test_a_language_without_a_dictionary_is_left_as_written() -> None:
    kazakh = "Ведомствоаралық комиссияның"

    assert hyphenated(kazakh, "kk") == kazakh
    assert hyphenated(kazakh, "xx") == kazakh


def test_numbers_dates_and_addresses_are_never_broken() -> None:
    text = "01.01.2027 1500000000 secretariat@example.org https://example.org/a/long/path"

    assert hyphenated(text, "en") == text


def test_a_soft_hyphen_is_written_as_words_optional_hyphen() -> None:
    xml = run(f"Меж{SOFT_HYPHEN}ве") + text_paragraph(f"дом{SOFT_HYPHEN}ствен", "S")

    assert SOFT_HYPHEN not in xml
    assert xml.count("</w:t><w:softHyphen/><w:t") == 2


def test_the_plans_cells_carry_soft_hyphens_and_read_unchanged() -> None:
    content = make_plan()
    name = {"ru": "Межведомственная комиссия", "kk": "Ведомствоаралық комиссия"}
    organizations = dict(content.organizations)
    organizations["kz-mia"] = OrgSnapshot(id="kz-mia", kind="ministry", country="KZ", name=name)
    data = render_agreement(
        content.model_copy(update={"organizations": organizations}),
        number=1,
        sha256="0" * 64,
        created_at=CREATED,
    )
    with zipfile.ZipFile(BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml)
    cells = {c.text for t in Document(BytesIO(data)).tables for r in t.rows for c in r.cells}

    hyphenated_tables = [table for table in tables if "<w:softHyphen/>" in table]
    assert len(hyphenated_tables) == 1  # the plan's, not the parties' or the clauses'
    assert "AccCellHead" in hyphenated_tables[0]  # the one with column headings
    assert "Меж</w:t><w:softHyphen/><w:t" in hyphenated_tables[0]
    assert "Межведомственная комиссия\nВедомствоаралық комиссия" in cells
