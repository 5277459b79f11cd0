"""Example facts for every kind of e-mail, shared by the rendering and delivery tests."""

from datetime import date
from typing import Any

KINDS = (
    "review_request",
    "review_reminder",
    "changes_requested",
    "round_closed",
    "delegated_access",
    "delivery_failed",
)


def context_for(kind: str, **changes: Any) -> dict[str, Any]:
    """Everything a template of `kind` needs, with Kazakh letters in the names."""
    base: dict[str, Any] = {
        "recipient_name": "Әсел Ғалымқызы Құрманова",
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "agreement_title": "Меморандум о национальном механизме перенаправления",
        "agreement_id": "kz-nrm-mou",
        "version_number": 3,
        "short_hash": "9f2c41ab",
        "round_number": 2,
        "deadline": date(2026, 3, 4),
        "link_url": "https://accord.example.org/review/tok3n?lang=kk&x=1",
        "secretariat_name": "Секретариат Межведомственной комиссии",
    }
    extra: dict[str, dict[str, Any]] = {
        "review_reminder": {"working_days_left": 3},
        "changes_requested": {
            "reviewer_name": "Ұлан Үсенов",
            "reason": "Пункт 4.2 слишком широк.",
            "clause_ids": ["4.2", "referral.3"],
        },
        "round_closed": {
            "outcome": "changes_requested",
            "parties": [
                {"organisation_name": "МВД", "decision": "approve", "comment_count": 0},
                {
                    "organisation_name": "ОФ «Сана Сезім»",
                    "decision": "request_changes",
                    "comment_count": 7,
                },
                {
                    "organisation_name": "МОМ",
                    "decision": "approve_with_comments",
                    "comment_count": 2,
                },
                {"organisation_name": "ЮНОДК", "decision": "no_answer", "comment_count": 0},
            ],
            "comment_count": 9,
        },
        "delegated_access": {"delegator_name": "Ерлан Қасымов"},
        "delivery_failed": {
            "failed_name": "Ерлан Қасымов",
            "failed_email": "erlan@example.kz",
            "mail_subject": "Просим рассмотреть проект",
            "event": "bounce",
            "reason": "550 5.1.1 user unknown",
        },
    }
    return {**base, **extra.get(kind, {}), **changes}
