"""Example facts for every kind of e-mail: one context per kind, shared by the rendering,
delivery and SendGrid tests.

Each context holds exactly the variables its kind documents in `templates/email/README.md`,
so a test can delete any one of them and expect the template to notice. Names carry Kazakh
letters, titles Russian ones, as the region's mail does.
"""

from copy import deepcopy
from datetime import UTC, date, datetime
from typing import Any

KINDS = (
    "review_request",
    "review_reminder",
    "deadline_extended",
    "changes_requested",
    "round_closed",
    "delegated_access",
    "delegation_held",
    "delegation_declined",
    "delivery_failed",
    "sign_request",
    "signoff_declined",
    "signed_agreement",
    "focal_access",
    "focal_digest",
    "escalation_digest",
    "report_request",
    "expiry_alert",
    "link_reissued",
    "audit_checkpoint",
    "staff_invitation",
    "password_reset",
)

OPTIONAL: dict[str, frozenset[str]] = {
    "changes_requested": frozenset({"link_url"}),
    "round_closed": frozenset({"link_url"}),
    "focal_digest": frozenset({"link_url"}),
    "link_reissued": frozenset({"agreement_title", "calendar_url"}),
}
"""Variables a kind may be sent without."""

SHA256 = "9f2c41ab07d3e5c6b8a1f0e2d4c6b8a09f2c41ab07d3e5c6b8a1f0e2d4c6b8a0"

_AGREEMENT: dict[str, Any] = {
    "recipient_name": "Әсел Ғалымқызы Құрманова",
    "agreement_title": "Меморандум о национальном механизме перенаправления",
}
_ROUND: dict[str, Any] = {
    "organisation_name": "ҚР ІІМ Көші-қон қызметі",
    "version_number": 3,
    "short_hash": "9f2c41ab",
    "round_number": 2,
    "deadline": date(2026, 3, 4),
    "link_url": "https://accord.example.org/review/tok3n?lang=kk&x=1",
    "secretariat_name": "Секретариат Межведомственной комиссии",
}

_EXAMPLES: dict[str, dict[str, Any]] = {
    "review_request": _ROUND,
    "review_reminder": {**_ROUND, "working_days_left": 3},
    "deadline_extended": {**_ROUND, "previous_deadline": date(2026, 2, 25)},
    "changes_requested": {
        **{k: _ROUND[k] for k in ("organisation_name", "version_number", "round_number")},
        "reviewer_name": "Ұлан Үсенов",
        "reason": "Пункт 4.2 слишком широк.",
        "clause_numbers": ["4.2", "7.3"],
        "activity_numbers": ["2.4"],
        "link_url": _ROUND["link_url"],
    },
    "round_closed": {
        "version_number": 3,
        "round_number": 2,
        "outcome": "changes_requested",
        "parties": [
            {"organisation_name": "МВД", "decision": "approve", "comment_count": 0},
            {
                "organisation_name": "ОФ «Сана Сезім»",
                "decision": "request_changes",
                "comment_count": 7,
            },
            {"organisation_name": "МОМ", "decision": "approve_with_comments", "comment_count": 2},
            {"organisation_name": "ЮНОДК", "decision": "no_answer", "comment_count": 0},
        ],
        "comment_count": 9,
        "link_url": _ROUND["link_url"],
    },
    "delegated_access": {
        **{k: v for k, v in _ROUND.items() if k != "short_hash"},
        "delegator_name": "Ерлан Қасымов",
    },
    "delegation_held": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "round_number": _ROUND["round_number"],
        "delegator_name": "Ерлан Қасымов",
        "delegate_name": "Әйгерім Сейітова",
        "delegate_email": "a.seitova@example.org",
        "confirm_command": "accord review confirm-delegate kz-nrm-mou 1",
        "decline_command": "accord review decline-delegate kz-nrm-mou 1",
    },
    "delegation_declined": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "round_number": _ROUND["round_number"],
        "delegate_name": "Әйгерім Сейітова",
        "delegate_email": "a.seitova@example.org",
    },
    "delivery_failed": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "failed_name": "Ерлан Қасымов",
        "failed_email": "erlan@example.kz",
        "mail_subject": "Просим рассмотреть проект",
        "event": "bounce",
        "reason": "550 5.1.1 user unknown",
    },
    "sign_request": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "version_number": 4,
        "sha256": SHA256,
        "short_hash": SHA256[:12],
        "link_url": "https://accord.example.org/s/tok3n?lang=kk&x=1",
        "secretariat_name": "Секретариат Межведомственной комиссии",
    },
    "signoff_declined": {
        "organisation_name": "ОФ «Сана Сезім»",
        "signer_name": "Гүлнұр Өмірзақова",
        "reason": "Пункт 4.2 не согласован с правлением фонда.",
        "version_number": 4,
    },
    "signed_agreement": {
        "version_number": 4,
        "short_hash": SHA256[:12],
        "effective_date": date(2025, 12, 1),
        "signatories": [
            {
                "organisation_name": "ҚР ІІМ Көші-қон қызметі",
                "signer_name": "Ерлан Қасымов",
                "signer_title": "Басқарма бастығы",
                "signed_at": datetime(2025, 11, 24, 9, 41, tzinfo=UTC),
            },
            {
                "organisation_name": "ОФ «Сана Сезім»",
                "signer_name": "Гүлнұр Өмірзақова",
                "signer_title": "Директор",
                "signed_at": datetime(2025, 11, 25, 14, 5, tzinfo=UTC),
            },
        ],
    },
    "focal_access": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "item_count": 5,
        "link_url": "https://accord.example.org/f/tok3n?lang=kk&x=1",
        "calendar_url": "https://accord.example.org/f/tok3n/calendar.ics",
    },
    "focal_digest": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "as_of": date(2026, 3, 4),
        "due_soon": [
            {
                "agreement_title": "Меморандум о национальном механизме перенаправления",
                "number": "2.1",
                "activity": "Әзірлеу: единая форма перенаправления",
                "due": date(2026, 3, 6),
                "working_days_left": 2,
            },
            {
                "agreement_title": "Совместный план действий на 2026 год",
                "number": "1.4",
                "activity": "Обучение сотрудников миграционной службы",
                "due": date(2026, 3, 4),
                "working_days_left": 0,
            },
        ],
        "overdue": [
            {
                "agreement_title": "Меморандум о национальном механизме перенаправления",
                "number": "3.2",
                "activity": "Горячая линия: ежеквартальный отчёт",
                "due": date(2026, 2, 27),
                "days_overdue": 5,
            },
        ],
        "link_url": "https://accord.example.org/f/tok3n?lang=kk&x=1",
    },
    "escalation_digest": {
        "as_of": date(2026, 3, 4),
        "items": [
            {
                "number": "3.2",
                "activity": "Горячая линия: ежеквартальный отчёт",
                "organisation_name": "ҚР ІІМ Көші-қон қызметі",
                "due": date(2026, 2, 27),
                "days_overdue": 5,
            },
            {
                "number": "4.1",
                "activity": "Шелтер: бірлескен мониторинг",
                "organisation_name": "ОФ «Сана Сезім»",
                "due": date(2026, 3, 3),
                "days_overdue": 1,
            },
        ],
    },
    "report_request": {
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "period_end": date(2026, 3, 31),
        "report_by": date(2026, 4, 15),
        "link_url": "https://accord.example.org/f/tok3n?lang=kk&x=1",
        "reminder": False,
    },
    "expiry_alert": {
        "expires_on": date(2026, 6, 30),
        "days_left": 21,
    },
    "link_reissued": {
        "link_kind": "focal",
        "organisation_name": "ҚР ІІМ Көші-қон қызметі",
        "link_url": "https://accord.example.org/f/tok3n?lang=kk&x=1",
        "expires_on": date(2027, 11, 26),
        "calendar_url": "https://accord.example.org/f/tok3n/calendar.ics",
    },
    "audit_checkpoint": {
        "seq": 1207,
        "hash": SHA256,
        "at": datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
        "previous": "0" * 64,
        "signature": "MEUCIQDx3v1Yc5mJ9uQ2b0c7kJ4F0yqk2zq3s8VvQ8kZ1pD7yQIgR3m0b9Z2xw",
    },
    "staff_invitation": {
        "inviter_name": "Айгерим Сапарбекова",
        "secretariat_name": "Секретариат Межведомственной комиссии",
        "link_url": "https://accord.example.org/workspace/password/tok3n",
        "expires_on": date(2026, 3, 4),
    },
    "password_reset": {
        "link_url": "https://accord.example.org/workspace/password/tok3n",
    },
}


NOT_ABOUT_ONE_AGREEMENT = frozenset(
    {
        "focal_digest",
        "delivery_failed",
        "link_reissued",
        "audit_checkpoint",
        "staff_invitation",
        "password_reset",
    }
)


def context_for(kind: str, **changes: Any) -> dict[str, Any]:
    """Everything a template of `kind` needs, with Kazakh letters in the names; a fresh copy."""
    base = dict(_AGREEMENT)
    if kind in NOT_ABOUT_ONE_AGREEMENT:
        del base["agreement_title"]
    return deepcopy({**base, **_EXAMPLES[kind], **changes})
