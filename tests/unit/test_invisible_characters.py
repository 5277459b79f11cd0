"""Bidi overrides and other invisible characters never reach a page, an e-mail or a DOCX."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from accord.documents.wordml import clean, esc
from accord.i18n.invisible import neutralise
from accord.mail.rendering import render_mail
from accord.portal.i18n import load_translations, make_environments
from accord.settings import PROJECT_ROOT
from tests.mail_examples import context_for

SPOOF = "Ерлан \u202eexe.doc\u202c Қасымов"
"""Shows as `Ерлан cod.exe Қасымов` where the override is honoured."""
HIDDEN = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c",
    "\u200b", "\u2060", "\ufeff", "\U000e0041", "\x07", "\x1b", "\x85",
]  # fmt: skip


def test_every_hiding_character_is_removed_and_joiners_and_lines_stay() -> None:
    for char in HIDDEN:
        assert neutralise(f"a{char}b") == "ab", repr(char)
    kept = "Ерлан\u200dҚасымов\u200c\tline\nnext"
    assert neutralise(kept) == kept


def test_docx_text_is_neutralised() -> None:
    assert "\u202e" not in esc(SPOOF) and "exe.doc" in esc(SPOOF)
    assert clean(f"{SPOOF}\nsecond") == "Ерлан exe.doc Қасымов\nsecond"


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_mail_bodies_and_subject_show_no_override(language: str) -> None:
    context = context_for("delegated_access", delegator_name=SPOOF, recipient_name=SPOOF)
    mail = render_mail("delegated_access", language, context)
    for part in mail:
        assert not any(char in part for char in HIDDEN), part[:200]
    assert "exe.doc" in mail.text


def test_pages_show_no_override_even_in_markup_marked_safe() -> None:
    environments = make_environments(PROJECT_ROOT / "templates", load_translations())
    page = environments["ru"].from_string("<p>{{ name }}</p><p>{{ safe }}</p>")
    from markupsafe import Markup

    shown = page.render(name=SPOOF, safe=Markup("<b>\u202eok</b>"))
    assert shown == "<p>Ерлан exe.doc Қасымов</p><p><b>ok</b></p>"


def test_a_comments_matrix_shows_no_override() -> None:
    """A real document: the reviewer's name and comment as the secretariat reads them."""
    from tests.unit.test_comments_matrix import comment, document_xml, render

    row = comment("referral", "kz-mia", f"Agreed: {SPOOF}", datetime(2026, 11, 20, tzinfo=UTC))
    xml = document_xml(render([replace(row, author_name=SPOOF)]))
    assert not any(char in xml for char in HIDDEN)
    assert "Ерлан exe.doc Қасымов" in xml
