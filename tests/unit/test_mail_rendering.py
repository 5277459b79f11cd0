"""E-mail rendering: every kind in every complete language, fallback, escaping, Kazakh letters."""

from pathlib import Path

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

from accord.mail.rendering import TEMPLATES_DIR, render_mail, template_language
from tests.mail_examples import KINDS, context_for

COMPLETE = ("en", "ru", "kk")
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
SCRIPT = "<script>alert('x')</script>"


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_every_complete_language(kind: str, language: str) -> None:
    assert template_language(kind, language) == language  # its own templates, no fallback
    subject, text, html = render_mail(kind, language, context_for(kind))
    assert subject and "\n" not in subject and not subject.startswith("Subject")
    assert text.endswith("\n") and "Subject:" not in text
    assert f'<html lang="{language}">' in html
    assert f"<title>{escape(subject)}</title>" in html
    key_fact = "Просим рассмотреть проект" if kind == "delivery_failed" else "kz-nrm-mou"
    assert key_fact in subject + text and key_fact in html


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_variable_is_an_error_not_a_blank(kind: str) -> None:
    context = context_for(kind)
    del context["recipient_name"]
    with pytest.raises(UndefinedError, match="recipient_name"):
        render_mail(kind, "ru", context)


def test_an_unknown_code_in_a_lookup_table_is_an_error() -> None:
    with pytest.raises(UndefinedError):
        render_mail("round_closed", "en", context_for("round_closed", outcome="maybe"))


def test_deadline_is_written_the_way_each_language_writes_dates() -> None:
    """Babel (CLDR) puts a narrow no-break space before г. and ж."""
    texts = {
        lang: render_mail("review_request", lang, context_for("review_request")).text
        for lang in COMPLETE
    }
    assert "March 4, 2026" in texts["en"]
    assert "4 марта 2026\u202fг." in texts["ru"]
    assert "2026\u202fж. 4 наурыз" in texts["kk"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "1 рабочий день"), (3, "3 рабочих дня"), (5, "5 рабочих дней"), (21, "21 рабочий день")],
)
def test_russian_reminder_uses_the_right_plural(days: int, expected: str) -> None:
    text = render_mail(
        "review_reminder", "ru", context_for("review_reminder", working_days_left=days)
    ).text
    assert expected in text


def test_reminder_on_the_last_day_says_today() -> None:
    text = render_mail(
        "review_reminder", "en", context_for("review_reminder", working_days_left=0)
    ).text
    assert "today" in text and "working day" not in text


@pytest.mark.parametrize("language", ["ky", "tg", "uz", "tk", "ky-KG", "xx"])
def test_languages_without_templates_fall_back_to_russian(language: str) -> None:
    assert template_language("review_request", language) == "ru"
    subject, text, html = render_mail("review_request", language, context_for("review_request"))
    assert subject.startswith("Просим рассмотреть проект")
    assert "4 марта 2026\u202fг." in text  # the date in the language of the text around it
    assert '<html lang="ru">' in html


def test_english_is_the_last_resort(tmp_path: Path) -> None:
    for suffix in ("txt.j2", "html.j2"):
        source = TEMPLATES_DIR / f"review_request.en.{suffix}"
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "base.html.j2").write_text((TEMPLATES_DIR / "base.html.j2").read_text("utf-8"))
    (tmp_path / "_parts.html.j2").write_text((TEMPLATES_DIR / "_parts.html.j2").read_text("utf-8"))
    assert template_language("review_request", "kk", templates_dir=tmp_path) == "en"
    rendered = render_mail(
        "review_request", "kk", context_for("review_request"), templates_dir=tmp_path
    )
    assert rendered.subject.startswith("Please review")


def test_an_unknown_kind_says_so() -> None:
    with pytest.raises(LookupError, match="no_such_kind"):
        render_mail("no_such_kind", "ru", {})
    with pytest.raises(ValueError, match="kind"):
        render_mail("../secrets", "ru", {})


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize(
    ("kind", "variable"),
    [
        ("changes_requested", "reason"),
        ("delivery_failed", "reason"),
        ("review_request", "agreement_title"),
        ("round_closed", "agreement_title"),
    ],
)
def test_user_text_is_escaped_in_html_and_literal_in_text(
    kind: str, variable: str, language: str
) -> None:
    _, text, html = render_mail(kind, language, context_for(kind, **{variable: SCRIPT}))
    assert SCRIPT in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_party_names_in_the_round_table_are_escaped() -> None:
    parties = [
        {"organisation_name": "<b onmouseover=x>NGO</b>", "decision": "approve", "comment_count": 1}
    ]
    html = render_mail("round_closed", "ru", context_for("round_closed", parties=parties)).html
    assert "<b onmouseover" not in html and "&lt;b onmouseover=x&gt;NGO&lt;/b&gt;" in html


def test_kazakh_letters_come_through_intact() -> None:
    subject, text, html = render_mail("review_request", "kk", context_for("review_request"))
    name = "Әсел Ғалымқызы Құрманова"
    assert name in text and name in html
    assert subject.startswith("Жобаны қарауыңызды сұраймыз")
    assert "Құрметті" in text and "ұйымыңыз" in text.lower()
    assert "&#" not in html  # letters are written as themselves, not as entities
    own_letters = set(text) & set(KAZAKH_LETTERS)
    assert {"қ", "ұ", "ң", "ү", "і", "ә", "ғ", "ө"} <= own_letters


def test_the_html_layout_is_self_contained_and_phone_friendly() -> None:
    html = render_mail("review_request", "en", context_for("review_request")).html
    assert 'name="viewport"' in html and "max-width:600px" in html
    assert "<link" not in html and "<img" not in html and "<script" not in html
    assert 'href="https://accord.example.org/review/tok3n?lang=kk&amp;x=1"' in html


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize("kind", ["changes_requested", "round_closed"])
def test_secretariat_mails_read_well_without_a_link(kind: str, language: str) -> None:
    context = context_for(kind)
    del context["link_url"]
    _, text, html = render_mail(kind, language, context)
    with_link = render_mail(kind, language, context_for(kind))
    assert "https://" not in text and "href=" not in html
    assert "https://accord.example.org" in with_link.text and "href=" in with_link.html
    assert "\n\n\n" not in text
