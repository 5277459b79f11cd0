"""No e-mail shows a person what only the database knows: an agreement's slug, a clause's id or
an activity's key. People read the agreement's title and the numbers the document prints.

Every kind is rendered in every language with the internal ids the services know sitting
beside the facts (as a careless template could print them); none of them may come out.
"""

from typing import Any

import pytest

from accord.i18n.languages import tags
from accord.mail.rendering import render_mail
from tests.mail_examples import KINDS, context_for

SLUG = "kz-nrm-mou"
ACTIVITY_KEY = "c-04@2026-03-06"
CLAUSE_ID = "confidentiality"
COMMANDS = ("confirm_command", "decline_command")
"""Commands the secretariat runs (`accord review confirm-delegate <slug> <n>`): the CLI's
words, the one place a slug is meant to be typed."""


def _with_ids(kind: str) -> dict[str, Any]:
    """The example facts plus the ids a service holds, at the top and in every list item."""
    context = context_for(kind, agreement_id=SLUG, clause_id=CLAUSE_ID)
    for value in context.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    item.update(agreement_id=SLUG, commitment_id=ACTIVITY_KEY, key=ACTIVITY_KEY)
    return context


@pytest.mark.parametrize("language", tags())
@pytest.mark.parametrize("kind", KINDS)
def test_no_mail_shows_a_slug_or_an_internal_id(kind: str, language: str) -> None:
    context = _with_ids(kind)
    mail = render_mail(kind, language, context)
    shown = "\n".join((mail.subject, mail.text, mail.html))
    for command in COMMANDS:
        if command in context:
            shown = shown.replace(context[command], "")
    for internal in (SLUG, ACTIVITY_KEY, "c-04", CLAUSE_ID):
        assert internal not in shown, f"{kind} ({language}) shows {internal!r}"


@pytest.mark.parametrize("kind", ["focal_digest", "escalation_digest"])
def test_digests_name_activities_by_their_plan_numbers(kind: str) -> None:
    mail = render_mail(kind, "ru", _with_ids(kind))
    assert "- 3.2" in mail.text and ">3.2" in mail.html


def test_the_focal_digest_names_each_activitys_agreement_by_its_title() -> None:
    text = render_mail("focal_digest", "en", _with_ids("focal_digest")).text
    assert "- 1.4 (Совместный план действий на 2026 год): " in text
