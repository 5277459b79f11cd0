"""The redline between two drafted versions, as the secretariat writes it out."""

import re
import zipfile
from pathlib import Path

import pytest
from docx2python import docx2python
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.errors import AccordError
from accord.services.drafting.redlines import write_redline
from tests.review_world import MOU, make_world


def test_redline_marks_the_changed_words(tmp_path: Path, engine: Engine) -> None:
    world = make_world(tmp_path, engine)
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.draft()
    with Session(engine) as session:
        location = write_redline(MOU, 1, 2, language="ru", session=session, store=world.store)
        with pytest.raises(AccordError, match="'en' is not a language"):
            write_redline(MOU, 1, 2, language="en", session=session, store=world.store)
    assert Path(location).name == f"{MOU}-v1-to-v2-redline-ru.docx"
    xml = zipfile.ZipFile(location).read("word/document.xml").decode("utf-8")
    inserted = re.findall(r"<w:ins [^>]*>.*?</w:ins>", xml, flags=re.S)
    deleted = re.findall(r"<w:del [^>]*>.*?</w:del>", xml, flags=re.S)
    assert any(">3" in chunk or "3 " in chunk for chunk in inserted), inserted[:3]
    assert any("5" in chunk for chunk in deleted), deleted[:3]
    assert "retention" not in docx2python(location).text  # text, not the parameter name
