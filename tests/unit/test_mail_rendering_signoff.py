"""Sign-off and commitments-tracking e-mails: every kind and branch, strictness, escaping."""

from datetime import date
from typing import Any

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

from accord.mail.rendering import render_mail, template_language
from tests.mail_examples_signoff import KINDS, OPTIONAL, SHA256, context_for

COMPLETE = ("en", "ru", "kk")
GREETING = {"en": "Dear ", "ru": "Здравствуйте, ", "kk": "Құрметті "}
SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def _missing_error(value: Any) -> tuple[type[Exception], ...]:
    """What rendering without `value` raises: never a blank in the mail.

    `long_date` hands an undefined date straight to Babel, which rejects it with an
    AssertionError before Jinja can raise UndefinedError (accord/mail/rendering.py).
    """
    return (UndefinedError, AssertionError) if isinstance(value, date) else (UndefinedError,)


VARIANTS: list[tuple[str, dict[str, Any]]] = [
    *((kind, {}) for kind in KINDS),
    ("signoff_declined", {"reason": ""}),
    ("focal_access", {"item_count": 1}),
    ("focal_digest", {"overdue": []}),
    ("focal_digest", {"due_soon": []}),
    ("report_request", {"reminder": True}),
    ("expiry_alert", {"days_left": 1}),
    ("expiry_alert", {"days_left": 0}),
    ("expiry_alert", {"days_left": -3}),
    ("escalation_digest", {"items": context_for("escalation_digest")["items"][:1]}),
]
"""Every kind, plus the branches its templates take on other facts."""


def _without_link(kind: str) -> dict[str, Any]:
    context = context_for(kind)
    del context["link_url"]
    return context


def _strings(value: Any) -> list[str]:
    """The text values of a context, including those inside list items."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize("kind", KINDS)
def test_every_new_kind_renders_in_every_complete_language(kind: str, language: str) -> None:
    assert template_language(kind, language) == language  # its own templates, no fallback
    subject, text, html = render_mail(kind, language, context_for(kind))
    assert subject and "\n" not in subject and not subject.startswith("Subject")
    assert text.endswith("\n") and "Subject:" not in text
    assert f'<html lang="{language}">' in html
    assert f"<title>{escape(subject)}</title>" in html
    assert "kz-nrm-mou" in subject + text and "kz-nrm-mou" in html


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize("kind", KINDS)
def test_text_and_html_carry_every_given_text(kind: str, language: str) -> None:
    context = context_for(kind)
    _, text, html = render_mail(kind, language, context)
    for value in _strings(context):
        assert value in text, value
        assert str(escape(value)) in html, value


@pytest.mark.parametrize(("kind", "changes"), VARIANTS)
@pytest.mark.parametrize("language", COMPLETE)
def test_subject_is_one_line_and_the_body_starts_with_the_greeting(
    kind: str, changes: dict[str, Any], language: str
) -> None:
    subject, text, html = render_mail(kind, language, context_for(kind, **changes))
    assert subject == subject.strip() and "\n" not in subject and "  " not in subject
    assert "{" not in subject and "}" not in subject
    assert text.startswith(GREETING[language])
    assert "\n\n\n" not in text
    assert ".." not in text  # "4 марта 2026 г." ends a sentence without a second full stop
    assert "{{" not in text and "{%" not in html


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize(
    ("kind", "variable"),
    [
        (kind, variable)
        for kind in KINDS
        for variable in context_for(kind)
        if variable not in OPTIONAL.get(kind, ())
    ],
)
def test_every_documented_variable_is_needed(kind: str, variable: str, language: str) -> None:
    """StrictUndefined: a variable the caller forgets is an error, never a blank."""
    context = context_for(kind)
    value = context.pop(variable)
    with pytest.raises(_missing_error(value)) as raised:
        render_mail(kind, language, context)
    if raised.type is UndefinedError:
        assert variable in str(raised.value)


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize(
    ("kind", "items", "key"),
    [
        (kind, name, key)
        for kind in KINDS
        for name, value in context_for(kind).items()
        if isinstance(value, list) and value
        for key in value[0]
    ],
)
def test_every_field_of_a_list_item_is_needed(
    kind: str, items: str, key: str, language: str
) -> None:
    context = context_for(kind)
    values = [item.pop(key) for item in context[items]]
    with pytest.raises(_missing_error(values[0])) as raised:
        render_mail(kind, language, context)
    if raised.type is UndefinedError:
        assert key in str(raised.value)


@pytest.mark.parametrize("language", COMPLETE)
def test_the_optional_link_of_the_digest_can_be_left_out(language: str) -> None:
    _, text, html = render_mail("focal_digest", language, _without_link("focal_digest"))
    with_link = render_mail("focal_digest", language, context_for("focal_digest"))
    assert "https://" not in text and "href=" not in html
    assert "https://accord.example.org" in with_link.text and "href=" in with_link.html
    assert "\n\n\n" not in text


def _set(context: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    """`reason` sets a variable; `items.activity` sets that field in every item of a list."""
    name, _, key = path.partition(".")
    if key:
        for item in context[name]:
            item[key] = value
    else:
        context[name] = value
    return context


@pytest.mark.parametrize("language", COMPLETE)
@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("signoff_declined", "reason"),
        ("signoff_declined", "signer_name"),
        ("focal_digest", "overdue.activity"),
        ("focal_digest", "due_soon.activity"),
        ("escalation_digest", "items.activity"),
        ("escalation_digest", "items.organisation_name"),
        ("signed_agreement", "signatories.signer_title"),
        ("sign_request", "agreement_title"),
        ("focal_access", "organisation_name"),
        ("report_request", "agreement_title"),
        ("expiry_alert", "agreement_title"),
    ],
)
def test_user_text_is_escaped_in_html_and_literal_in_text(
    kind: str, path: str, language: str
) -> None:
    _, text, html = render_mail(kind, language, _set(context_for(kind), path, SCRIPT))
    assert SCRIPT in text
    assert "<script" not in html
    assert ESCAPED_SCRIPT in html


def test_links_are_escaped_inside_attributes() -> None:
    html = render_mail("focal_access", "en", context_for("focal_access")).html
    assert 'href="https://accord.example.org/f/tok3n?lang=kk&amp;x=1"' in html
    assert "<link" not in html and "<img" not in html and "<script" not in html


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["ky", "ky-KG", "tg", "uz"])
def test_languages_without_templates_fall_back_to_russian(kind: str, language: str) -> None:
    assert template_language(kind, language) == "ru"
    rendered = render_mail(kind, language, context_for(kind))
    assert rendered == render_mail(kind, "ru", context_for(kind))
    assert '<html lang="ru">' in rendered.html
    assert rendered.text.startswith("Здравствуйте, ")


@pytest.mark.parametrize("language", COMPLETE)
def test_the_signer_sees_the_full_hash_and_what_signing_confirms(language: str) -> None:
    _, text, html = render_mail("sign_request", language, context_for("sign_request"))
    assert SHA256 in text and SHA256 in html
    assert SHA256[:12] in text and SHA256[:12] in html
    confirms = {
        "en": "you confirm this text and no other",
        "ru": "вы подтверждаете именно этот текст",
        "kk": "дәл осы мәтінді растайсыз",
    }[language]
    assert confirms in text and confirms in html
    assert "Word" in text and "Word" in html


@pytest.mark.parametrize(
    ("language", "back_in_drafting"),
    [
        ("en", "the agreement is back in drafting"),
        ("ru", "документ возвращён на доработку"),
        ("kk", "құжат қайта пысықтауға қайтарылды"),
    ],
)
def test_a_declined_signature_says_the_agreement_is_back_in_drafting(
    language: str, back_in_drafting: str
) -> None:
    _, text, html = render_mail("signoff_declined", language, context_for("signoff_declined"))
    assert back_in_drafting in text and back_in_drafting in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["December 1, 2025", "November 24, 2025, 09:41 UTC", "14:05 UTC"]),
        ("ru", ["1 декабря 2025\u202fг.", "24 ноября 2025\u202fг., 09:41 UTC"]),
        ("kk", ["2025\u202fж. 1 желтоқсан", "2025\u202fж. 24 қараша, 09:41 UTC"]),
    ],
)
def test_signatures_are_listed_with_their_utc_time(language: str, expected: list[str]) -> None:
    _, text, html = render_mail("signed_agreement", language, context_for("signed_agreement"))
    for fragment in expected:
        assert fragment in text
    assert "09:41" in html and "(UTC)" in html


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 мероприятие"),
        (3, "3 мероприятия"),
        (5, "5 мероприятий"),
        (11, "11 мероприятий"),
        (21, "21 мероприятие"),
    ],
)
def test_russian_item_counts_use_the_right_plural(count: int, expected: str) -> None:
    _, text, html = render_mail("focal_access", "ru", context_for("focal_access", item_count=count))
    assert expected in text and expected in html


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "через 1 день"), (3, "через 3 дня"), (5, "через 5 дней"), (21, "через 21 день")],
)
def test_russian_days_left_use_the_right_plural(days: int, expected: str) -> None:
    text = render_mail("expiry_alert", "ru", context_for("expiry_alert", days_left=days)).text
    assert expected in text


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "1 day overdue"),
        ("en", 5, "5 days overdue"),
        ("ru", 1, "просрочено на 1 день"),
        ("ru", 2, "просрочено на 2 дня"),
        ("ru", 5, "просрочено на 5 дней"),
        ("kk", 5, "мерзімінен 5 күн өтті"),
    ],
)
def test_days_overdue_use_the_right_plural(language: str, days: int, expected: str) -> None:
    items = context_for("escalation_digest")["items"][:1]
    items[0]["days_overdue"] = days
    text = render_mail(
        "escalation_digest", language, context_for("escalation_digest", items=items)
    ).text
    assert expected in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["in 2 working days", "due today"]),
        ("ru", ["через 2 рабочих дня", "срок — сегодня"]),
        ("kk", ["2 жұмыс күні қалды", "мерзімі — бүгін"]),
    ],
)
def test_digest_counts_working_days_and_says_today(language: str, expected: list[str]) -> None:
    text = render_mail("focal_digest", language, context_for("focal_digest")).text
    for fragment in expected:
        assert fragment in text


@pytest.mark.parametrize(
    ("language", "overdue_heading", "due_soon_heading"),
    [
        ("en", "Overdue", "Due soon"),
        ("ru", "Просрочены", "Скоро срок"),
        ("kk", "Мерзімі өткен", "Мерзімі таяу"),
    ],
)
def test_an_empty_list_leaves_no_empty_section(
    language: str, overdue_heading: str, due_soon_heading: str
) -> None:
    only_due_soon = render_mail("focal_digest", language, context_for("focal_digest", overdue=[]))
    only_overdue = render_mail("focal_digest", language, context_for("focal_digest", due_soon=[]))
    assert f"{overdue_heading} (" not in only_due_soon.text + only_due_soon.html
    assert f"{due_soon_heading} (" in only_due_soon.text
    assert f"{due_soon_heading} (" not in only_overdue.text + only_overdue.html
    assert f"{overdue_heading} (" in only_overdue.text
    assert ", " not in only_due_soon.subject.split("(")[0]  # one count, no dangling comma


@pytest.mark.parametrize(
    ("language", "reminder_word", "reminder_line"),
    [
        ("en", "Reminder", "please disregard this reminder"),
        ("ru", "Напоминание", "просим не учитывать это напоминание"),
        ("kk", "Еске салу", "бұл еске салуды елемеңіз"),
    ],
)
def test_report_request_has_first_request_and_reminder_wording(
    language: str, reminder_word: str, reminder_line: str
) -> None:
    first = render_mail("report_request", language, context_for("report_request"))
    again = render_mail("report_request", language, context_for("report_request", reminder=True))
    assert not first.subject.startswith(reminder_word) and reminder_line not in first.text
    assert again.subject.startswith(reminder_word)
    assert reminder_line in again.text and reminder_line in again.html


@pytest.mark.parametrize(
    ("language", "renewal"),
    [("en", "amendment"), ("ru", "продление"), ("kk", "ұзарту")],
)
def test_expiry_alert_points_to_renewal(language: str, renewal: str) -> None:
    for days_left in (30, 0, -2):
        rendered = render_mail(
            "expiry_alert", language, context_for("expiry_alert", days_left=days_left)
        )
        assert renewal in rendered.text and renewal in rendered.html
    expired = render_mail("expiry_alert", "en", context_for("expiry_alert", days_left=-2))
    assert expired.subject.startswith("Expired") and "2 days ago" in expired.text


@pytest.mark.parametrize("kind", KINDS)
def test_kazakh_letters_come_through_intact(kind: str) -> None:
    _, text, html = render_mail(kind, "kk", context_for(kind))
    assert "Құрметті Әсел Ғалымқызы Құрманова!" in text
    assert "&#" not in html  # letters are written as themselves, not as entities


def test_the_example_dates_are_real_days() -> None:
    """The digest examples put `due` before, on and after `as_of` as their counts claim."""
    context = context_for("focal_digest")
    as_of: date = context["as_of"]
    assert all(item["due"] < as_of for item in context["overdue"])
    assert all(item["due"] >= as_of for item in context["due_soon"])
