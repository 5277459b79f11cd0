"""E-mails: one render test per kind in each language family (en, ru, kk), asserting the facts
each must carry; then what holds for every kind (strict variables, escaping, fallback, layout).

Whether every sentence is translated is the catalog check's job (test_catalogs.py); these
tests check that the templates put the right facts in the right words and forms.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from jinja2 import UndefinedError
from markupsafe import escape

from accord.mail.rendering import RenderedMail, mail_language, render_mail
from tests.language_in_progress import Translated
from tests.mail_examples import KINDS, OPTIONAL, SHA256, context_for

LANGUAGES = ("en", "ru", "kk")
GREETING = {"en": "Dear {},", "ru": "Здравствуйте, {}!", "kk": "Құрметті {}!"}
DEADLINE = {"en": "March 4, 2026", "ru": "4 марта 2026\u202fг.", "kk": "2026 жылғы 4 наурыз"}
"""2026-03-04 as Babel (CLDR) writes it; a narrow no-break space comes before г. and ж."""
SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
LINK = "https://accord.example.org/review/tok3n?lang=kk&x=1"
CODES = frozenset({"outcome", "decision", "event"})
"""Variables whose value a template turns into words instead of printing."""


def render(kind: str, language: str, **changes: Any) -> RenderedMail:
    """The e-mail, after checking what every e-mail is, whatever its kind and language."""
    context = context_for(kind, **changes)
    mail = render_mail(kind, language, context)
    subject, text, html = mail
    assert subject == subject.strip() and "\n" not in subject and "  " not in subject
    assert not subject.startswith("Subject") and "{" not in subject and "}" not in subject
    assert text.startswith(GREETING[language].format(context["recipient_name"]) + "\n\n")
    assert text.endswith("\n") and "Subject:" not in text and "\n\n\n" not in text
    assert ".." not in text  # "4 марта 2026 г." ends a sentence without a second full stop
    assert "{{" not in text + html and "{%" not in text + html and "%(" not in text + html
    assert f'<html lang="{language}">' in html and f"<title>{escape(subject)}</title>" in html
    assert not re.search(r"&#(?!39;)", html)  # letters are written as themselves
    for value in _strings(context):  # every fact given reaches both versions
        assert value in text, value
        assert str(escape(value)) in html, value
    return mail


def _strings(value: Any) -> list[str]:
    """The text values of a context, including those inside list items; not the codes."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [text for k, item in value.items() if k not in CODES for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def both(mail: RenderedMail, *fragments: str) -> None:
    """Each fragment in the text and in the HTML (words are not split by markup there)."""
    visible = re.sub(r"<[^>]+>", "", mail.html)
    for fragment in fragments:
        assert fragment in mail.text, fragment
        assert str(escape(fragment)) in visible, fragment


# --- one test per kind, in each language family --------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "attached", "personal"),
    [
        ("en", "Please review: Меморандум о национальном механизме перенаправления "
         "(version 3, round 2)", "attached to this e-mail as a Word document",
         "on behalf of ҚР ІІМ Көші-қон қызметі in this round only"),
        ("ru", "Просим рассмотреть проект: Меморандум о национальном механизме перенаправления "
         "(версия 3, раунд 2)", "приложен к письму в формате Word",
         "от имени вашей организации (ҚР ІІМ Көші-қон қызметі) только в этом раунде"),
        ("kk", "Жобаны қарауыңызды сұраймыз: Меморандум о национальном механизме "
         "перенаправления (3-нұсқа, 2-раунд)", "Word форматында да тіркелген",
         "тек осы раундта ұйымыңыздың (ҚР ІІМ Көші-қон қызметі) атынан"),
    ],
)  # fmt: skip
def test_review_request(language: str, subject: str, attached: str, personal: str) -> None:
    mail = render("review_request", language)
    assert mail.subject == subject
    both(mail, DEADLINE[language], "9f2c41ab", attached, personal)
    assert 'href="https://accord.example.org/review/tok3n?lang=kk&amp;x=1"' in mail.html


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "1 working day left"),
        ("en", 3, "3 working days left"),
        ("ru", 1, "остаётся 1 рабочий день"),
        ("ru", 3, "остаётся 3 рабочих дня"),
        ("ru", 5, "остаётся 5 рабочих дней"),
        ("ru", 21, "остаётся 21 рабочий день"),
        ("kk", 5, "мерзімнің аяқталуына 5 жұмыс күні қалды"),
    ],
)
def test_review_reminder_counts_working_days(language: str, days: int, expected: str) -> None:
    mail = render("review_reminder", language, working_days_left=days)
    both(mail, expected, DEADLINE[language])
    assert " ".join(DEADLINE[language].split()) in mail.subject  # one kind of space in a subject


@pytest.mark.parametrize(
    ("language", "today", "working_day"),
    [
        ("en", "The deadline is today, March 4, 2026.", "working day"),
        ("ru", "Сегодня, 4 марта 2026\u202fг., — последний день для ответа.", "рабоч"),
        ("kk", "Жауап беру мерзімі бүгін, 2026 жылғы 4 наурыз, аяқталады.", "жұмыс күні"),
    ],
)
def test_review_reminder_on_the_last_day_says_today(
    language: str, today: str, working_day: str
) -> None:
    mail = render("review_reminder", language, working_days_left=0)
    both(mail, today)
    assert working_day not in mail.text


@pytest.mark.parametrize(
    ("language", "reason", "whole_text", "no_reason"),
    [
        ("en", "Reason given:", "Clauses concerned: the text as a whole", "No reason was given."),
        ("ru", "Обоснование:", "Пункты: текст в целом", "Обоснование не указано."),
        ("kk", "Негіздемесі:", "Тармақтар: мәтін тұтастай", "Негіздеме көрсетілмеген."),
    ],
)
def test_changes_requested(language: str, reason: str, whole_text: str, no_reason: str) -> None:
    mail = render("changes_requested", language)
    both(mail, "4.2, 7.3", reason, "Ұлан Үсенов (ҚР ІІМ Көші-қон қызметі)")
    both(mail, "2.4")  # the activity's number in the plan
    assert LINK in mail.text
    bare = render("changes_requested", language, clause_numbers=[], activity_numbers=[], reason="")
    assert whole_text in bare.text and no_reason in bare.text and reason not in bare.text


@pytest.mark.parametrize(
    ("language", "outcomes", "decisions", "attached"),
    [
        ("en", {"approved": "Outcome: approved — every required party approved",
                "changes_requested": "Outcome: changes requested — at least one party",
                "incomplete": "Outcome: incomplete — the deadline passed"},
         ["МВД: approved; comments: 0", "ОФ «Сана Сезім»: changes requested; comments: 7",
          "МОМ: approved with comments; comments: 2", "ЮНОДК: no answer; comments: 0"],
         "Comments in total: 9. The comments matrix"),
        ("ru", {"approved": "Итог: одобрено — все обязательные стороны",
                "changes_requested": "Итог: запрошены изменения — как минимум одна сторона",
                "incomplete": "Итог: не завершено — срок истёк"},
         ["МВД: одобрено; замечаний: 0", "ОФ «Сана Сезім»: запрошены изменения; замечаний: 7",
          "МОМ: одобрено с замечаниями; замечаний: 2", "ЮНОДК: нет ответа; замечаний: 0"],
         "Всего замечаний: 9. Таблица замечаний"),
        ("kk", {"approved": "Қорытынды: мақұлданды — барлық міндетті тараптар",
                "changes_requested": "Қорытынды: өзгерістер сұралды — кемінде бір тарап",
                "incomplete": "Қорытынды: аяқталмады — барлық міндетті тараптар"},
         ["МВД: мақұлдады; ескертпелер: 0", "ОФ «Сана Сезім»: өзгерістер сұрады; ескертпелер: 7",
          "МОМ: ескертпелермен мақұлдады; ескертпелер: 2", "ЮНОДК: жауап жоқ; ескертпелер: 0"],
         "Барлық ескертпелер саны: 9. Ескертпелер кестесі"),
    ],
)  # fmt: skip
def test_round_closed(
    language: str, outcomes: dict[str, str], decisions: list[str], attached: str
) -> None:
    for outcome, said in outcomes.items():
        both(render("round_closed", language, outcome=outcome), said)
    mail = render("round_closed", language)
    for line in decisions:
        assert f"- {line}\n" in mail.text
    both(mail, attached, "Меморандум о национальном механизме перенаправления")
    assert '<td align="right"' in mail.html and ">7</td>" in mail.html  # the table of parties


@pytest.mark.parametrize(
    ("language", "subject", "by_mistake"),
    [
        ("en", "Ерлан Қасымов has given you access to review “Меморандум о национальном "
         "механизме перенаправления”", "please contact Секретариат Межведомственной комиссии."),
        ("ru", "Ерлан Қасымов передаёт вам доступ к рассмотрению проекта «Меморандум о "
         "национальном механизме перенаправления»",
         "свяжитесь с отправителем — Секретариат Межведомственной комиссии."),
        ("kk", "Ерлан Қасымов сізге «Меморандум о национальном механизме перенаправления» "
         "жобасын қарауға қол жеткізу құқығын берді",
         "жіберушіге хабарласыңыз: Секретариат Межведомственной комиссии."),
    ],
)  # fmt: skip
def test_delegated_access_names_who_gave_it_in_every_language(
    language: str, subject: str, by_mistake: str
) -> None:
    mail = render("delegated_access", language)
    assert mail.subject == subject
    both(mail, by_mistake, DEADLINE[language])


@pytest.mark.parametrize(
    ("language", "subject", "unsent"),
    [
        ("en", "Delegation to confirm: Әйгерім Сейітова for ҚР ІІМ Көші-қон қызметі",
         "so no link has been sent yet."),
        ("ru", "Поручение на подтверждение: Әйгерім Сейітова от организации ҚР ІІМ Көші-қон "
         "қызметі", "поэтому ссылка ещё не отправлена."),
        ("kk", "Растауды күтетін тапсырма: Әйгерім Сейітова, ұйым: ҚР ІІМ Көші-қон қызметі",
         "сондықтан сілтеме әлі жіберілген жоқ."),
    ],
)  # fmt: skip
def test_delegation_held_tells_the_secretariat_how_to_confirm(
    language: str, subject: str, unsent: str
) -> None:
    mail = render("delegation_held", language)
    assert mail.subject == subject
    both(mail, unsent, "accord review confirm-delegate kz-nrm-mou 1", "a.seitova@example.org")


@pytest.mark.parametrize(
    ("language", "events", "no_reason", "not_received"),
    [
        ("en", {"bounce": "rejected the message (bounce)", "dropped": "did not send it (dropped)",
                "blocked": "blocked the message"}, "The mail server gave no reason.",
         "Ерлан Қасымов has not received this message or its link."),
        ("ru", {"bounce": "отклонил письмо (bounce)", "dropped": "не стал отправлять письмо "
                "(dropped)", "blocked": "заблокировал письмо"},
         "Почтовый сервер не указал причину.", "не дошли до получателя (Ерлан Қасымов)."),
        ("kk", {"bounce": "хатты қабылдамады (bounce)", "dropped": "хатты жібермеді (dropped)",
                "blocked": "хатты бұғаттады"}, "Пошта сервері себебін көрсетпеді.",
         "алушыға (Ерлан Қасымов) жеткен жоқ."),
    ],
)  # fmt: skip
def test_delivery_failed(
    language: str, events: dict[str, str], no_reason: str, not_received: str
) -> None:
    for event, said in events.items():
        both(render("delivery_failed", language, event=event), said)
    mail = render("delivery_failed", language)
    both(mail, "Ерлан Қасымов <erlan@example.kz>", not_received)
    assert "Ерлан Қасымов" in mail.subject and "Просим рассмотреть проект" in mail.text
    assert no_reason in render("delivery_failed", language, reason="").text
    with pytest.raises(UndefinedError):
        render_mail("delivery_failed", language, context_for("delivery_failed", event="late"))


@pytest.mark.parametrize(
    ("language", "confirms"),
    [
        ("en", "you confirm this text and no other"),
        ("ru", "вы подтверждаете именно этот текст"),
        ("kk", "дәл осы мәтінді растайсыз"),
    ],
)
def test_sign_request_shows_the_full_hash_and_what_signing_confirms(
    language: str, confirms: str
) -> None:
    mail = render("sign_request", language)
    both(mail, SHA256, SHA256[:12], confirms, "Word")
    assert 'href="https://accord.example.org/s/tok3n?lang=kk&amp;x=1"' in mail.html


@pytest.mark.parametrize(
    ("language", "back_in_drafting", "reason", "no_reason"),
    [
        ("en", "the agreement is back in drafting", "Reason given:", "No reason was given."),
        ("ru", "документ возвращён на доработку", "Причина отказа:", "Причина отказа не указана."),
        ("kk", "құжат қайта пысықтауға қайтарылды", "Бас тарту себебі:",
         "Бас тарту себебі көрсетілмеген."),
    ],
)  # fmt: skip
def test_signoff_declined(
    language: str, back_in_drafting: str, reason: str, no_reason: str
) -> None:
    mail = render("signoff_declined", language)
    both(mail, back_in_drafting, reason, "Гүлнұр Өмірзақова (ОФ «Сана Сезім»)")
    assert no_reason in render("signoff_declined", language, reason="").text


@pytest.mark.parametrize(
    ("language", "in_text"),
    [
        ("en", ["December 1, 2025", "signed November 24, 2025, 09:41 UTC", "14:05 UTC"]),
        ("ru", ["1 декабря 2025\u202fг.", "подписано 24 ноября 2025\u202fг., 09:41 UTC"]),
        ("kk", ["2025 жылғы 1 желтоқсан",
                "қол қойылған уақыты: 2025 жылғы 24 қараша, 09:41 UTC"]),
    ],
)  # fmt: skip
def test_signed_agreement_lists_signatures_with_their_utc_time(
    language: str, in_text: list[str]
) -> None:
    mail = render("signed_agreement", language)
    for fragment in in_text:
        assert fragment in mail.text
    assert "09:41" in mail.html and "(UTC)" in mail.html and "Директор" in mail.html


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "responsible for 1 activity under"),
        ("en", 5, "responsible for 5 activities under"),
        ("ru", 1, "закреплено 1 мероприятие."),
        ("ru", 3, "закреплено 3 мероприятия."),
        ("ru", 5, "закреплено 5 мероприятий."),
        ("ru", 11, "закреплено 11 мероприятий."),
        ("ru", 21, "закреплено 21 мероприятие."),
        ("kk", 5, "ұйымыңызға 5 іс-шара жүктелген"),
    ],
)
def test_focal_access_counts_the_activities(language: str, count: int, expected: str) -> None:
    mail = render("focal_access", language, item_count=count)
    both(mail, expected, "https://accord.example.org/f/tok3n/calendar.ics", "Outlook")
    assert 'href="https://accord.example.org/f/tok3n?lang=kk&amp;x=1"' in mail.html


@pytest.mark.parametrize(
    ("language", "counts", "expected", "overdue_heading", "due_soon_heading"),
    [
        ("en", "1 overdue, 2 due soon",
         ["due February 27, 2026, 5 days overdue", "in 2 working days", "due today"],
         "Overdue", "Due soon"),
        ("ru", "просрочено — 1, скоро срок — 2",
         ["просрочено на 5 дней", "через 2 рабочих дня", "срок — сегодня"],
         "Просрочены", "Скоро срок"),
        ("kk", "мерзімі өткен — 1, мерзімі таяу — 2",
         ["мерзімінен 5 күн өтті", "2 жұмыс күні қалды", "мерзімі — бүгін"],
         "Мерзімі өткен", "Мерзімі таяу"),
    ],
)  # fmt: skip
def test_focal_digest(
    language: str, counts: str, expected: list[str], overdue_heading: str, due_soon_heading: str
) -> None:
    mail = render("focal_digest", language)
    for fragment in expected:
        assert fragment in mail.text
    assert f": {counts} (" in mail.subject
    only_due_soon = render("focal_digest", language, overdue=[])
    only_overdue = render("focal_digest", language, due_soon=[])
    assert f"{overdue_heading} (" not in only_due_soon.text + only_due_soon.html
    assert f"{due_soon_heading} (" in only_due_soon.text
    assert f"{due_soon_heading} (" not in only_overdue.text + only_overdue.html
    assert f"{overdue_heading} (" in only_overdue.text
    assert ", " not in only_due_soon.subject.split("(")[0]  # one count, no dangling comma
    without_link = context_for("focal_digest")
    del without_link["link_url"]
    bare = render_mail("focal_digest", language, without_link)
    assert "https://" not in bare.text and "href=" not in bare.html and "\n\n\n" not in bare.text


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
def test_escalation_digest_counts_days_overdue(language: str, days: int, expected: str) -> None:
    items = context_for("escalation_digest")["items"][:1]
    items[0]["days_overdue"] = days
    mail = render("escalation_digest", language, items=items)
    assert expected in mail.text


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 activity under “Меморандум о национальном механизме перенаправления” "
         "is overdue", "2 activities under “Меморандум"),
        ("ru", "просрочено 1 мероприятие.", "просрочено 2 мероприятия."),
        ("kk", "1 іс-шараның мерзімі өтіп кетті", "2 іс-шараның мерзімі өтіп кетті"),
    ],
)  # fmt: skip
def test_escalation_digest_counts_the_activities(language: str, one: str, two: str) -> None:
    items = context_for("escalation_digest")["items"]
    both(render("escalation_digest", language), two)
    both(render("escalation_digest", language, items=items[:1]), one)


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
    first = render("report_request", language)
    again = render("report_request", language, reminder=True)
    assert not first.subject.startswith(reminder_word) and reminder_line not in first.text
    assert again.subject.startswith(reminder_word)
    both(again, reminder_line)


@pytest.mark.parametrize(
    ("language", "renewal", "said"),
    [
        ("en", "amendment", {30: "expires on June 30, 2026, in 30 days.", 1: "in 1 day.",
                             0: "expires today, June 30, 2026.", -2: "2 days ago."}),
        ("ru", "продление", {30: "истекает 30 июня 2026\u202fг. — через 30 дней.",
                             1: "через 1 день.", 3: "через 3 дня.", 21: "через 21 день.",
                             0: "истекает сегодня (30 июня 2026\u202fг.).",
                             -2: "истёк 30 июня 2026\u202fг. — 2 дня назад."}),
        ("kk", "ұзарту", {30: "30 күн қалды.", 0: "бүгін, 2026 жылғы 30 маусым, аяқталады.",
                          -2: "(2 күн бұрын)."}),
    ],
)  # fmt: skip
def test_expiry_alert_says_when_and_points_to_renewal(
    language: str, renewal: str, said: dict[int, str]
) -> None:
    for days_left, fragment in said.items():
        mail = render("expiry_alert", language, days_left=days_left)
        both(mail, fragment, renewal)
    expired = render("expiry_alert", "en", days_left=-2)
    assert expired.subject.startswith("Expired")


# --- what holds for every kind ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "variable"),
    [
        (kind, variable)
        for kind in KINDS
        for variable in context_for(kind)
        if variable not in OPTIONAL.get(kind, ())
    ],
)
def test_every_documented_variable_is_needed(kind: str, variable: str) -> None:
    """StrictUndefined: a variable the caller forgets is an error naming it, never a blank."""
    context = context_for(kind)
    del context[variable]
    with pytest.raises(UndefinedError, match=variable):
        render_mail(kind, "ru", context)


@pytest.mark.parametrize(
    ("kind", "items", "key"),
    [
        (kind, name, key)
        for kind in KINDS
        for name, value in context_for(kind).items()
        if isinstance(value, list) and value and isinstance(value[0], dict)
        for key in value[0]
    ],
)
def test_every_field_of_a_list_item_is_needed(kind: str, items: str, key: str) -> None:
    context = context_for(kind)
    for item in context[items]:
        del item[key]
    with pytest.raises(UndefinedError, match=key):
        render_mail(kind, "kk", context)


@pytest.mark.parametrize("kind", ["changes_requested", "round_closed"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_secretariat_mails_read_well_without_a_link(kind: str, language: str) -> None:
    context = context_for(kind)
    del context["link_url"]
    _, text, html = render_mail(kind, language, context)
    assert "https://" not in text and "href=" not in html and "\n\n\n" not in text
    with_link = render(kind, language)
    assert LINK in with_link.text and "href=" in with_link.html


def _set(context: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    """`reason` sets a variable; `items.activity` sets that field in every item of a list."""
    name, _, key = path.partition(".")
    if key:
        for item in context[name]:
            item[key] = value
    else:
        context[name] = value
    return context


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("review_request", "agreement_title"),
        ("changes_requested", "reason"),
        ("round_closed", "agreement_title"),
        ("round_closed", "parties.organisation_name"),
        ("delivery_failed", "reason"),
        ("delivery_failed", "mail_subject"),
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
def test_user_text_is_escaped_in_html_and_literal_in_text(kind: str, path: str) -> None:
    for language in LANGUAGES:
        _, text, html = render_mail(kind, language, _set(context_for(kind), path, SCRIPT))
        assert SCRIPT in text
        assert "<script" not in html and ESCAPED_SCRIPT in html


@pytest.mark.parametrize("spelling", ["ky", "ky-KG", "KY", "xx"])
def test_readers_of_incomplete_languages_get_russian(
    spelling: str, language_in_progress: Callable[[Translated], str]
) -> None:
    language_in_progress({"mail": {"Kind regards,": "Урматтоо менен,"}})
    assert mail_language(spelling) == "ru"
    for kind in KINDS:
        rendered = render_mail(kind, spelling, context_for(kind))
        assert rendered == render_mail(kind, "ru", context_for(kind))
    mail = render("review_request", "ru")
    assert mail.subject.startswith("Просим рассмотреть проект")
    assert DEADLINE["ru"] in mail.text  # the date in the language of the text around it


def test_names_given_in_several_languages_are_written_in_the_mails_language(
    language_in_progress: Callable[[Translated], str],
) -> None:
    """Sources name organisations per language; the e-mail takes the name in its own."""
    tag = language_in_progress({})
    names = {tag: "ИИМ", "ru": "МВД", "en": "Ministry of Internal Affairs"}
    for language, name in (("en", names["en"]), (tag, names["ru"]), ("kk", names["ru"])):
        mail = render_mail(
            "review_request", language, context_for("review_request", organisation_name=names)
        )
        assert name in mail.text and name in mail.html and "{" not in mail.text


def test_an_unknown_kind_says_so() -> None:
    with pytest.raises(LookupError, match="no_such_kind"):
        render_mail("no_such_kind", "ru", {})
    with pytest.raises(ValueError, match="kind"):
        render_mail("../secrets", "ru", {})


def test_the_html_layout_is_self_contained_and_phone_friendly() -> None:
    for kind in KINDS:
        html = render_mail(kind, "en", context_for(kind)).html
        assert 'name="viewport"' in html and "max-width:600px" in html
        assert "<link" not in html and "<img" not in html and "<script" not in html


def test_kazakh_letters_come_through_intact() -> None:
    subject, text, _ = render("review_request", "kk")
    assert subject.startswith("Жобаны қарауыңызды сұраймыз") and "ұйымыңыз" in text.lower()
    own_letters = set(text) & set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
    assert {"қ", "ұ", "ң", "ү", "і", "ә", "ғ", "ө"} <= own_letters


def test_a_date_that_is_not_one_is_an_error() -> None:
    with pytest.raises(TypeError, match="date"):
        render_mail("review_request", "en", context_for("review_request", deadline="soon"))


def test_the_example_dates_are_real_days() -> None:
    """The digest examples put `due` before, on and after `as_of` as their counts claim."""
    context = context_for("focal_digest")
    as_of: date = context["as_of"]
    assert all(item["due"] < as_of for item in context["overdue"])
    assert all(item["due"] >= as_of for item in context["due_soon"])
