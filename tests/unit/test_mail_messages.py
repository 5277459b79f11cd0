"""Typed e-mail values: their fields are the documented template variables, and a reader's
context picks each text in their language."""

import re
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from typing import get_args, get_type_hints

import pytest

from accord.mail.messages import (
    KINDS,
    ChangesRequested,
    MailMessage,
    PartyAnswer,
    RoundClosed,
    Signatory,
    SignedAgreement,
)
from accord.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "templates" / "email" / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `(?P<kind>[a-z_]+)` \| (?P<variables>.+) \|$", re.M)
DOCUMENTED = {
    m["kind"]: set(re.findall(r"`([a-z_0-9]+)`", m["variables"])) for m in ROW.finditer(README)
}
TITLE = {"ru": "Меморандум", "kk": "Меморандум (kk)", "en": "Memorandum"}


def test_every_kind_of_the_readme_has_its_type_and_no_other() -> None:
    assert sorted(DOCUMENTED) == sorted(kind.kind for kind in KINDS)


def _names(kind: type) -> set[str]:
    """The variables a kind gives its templates, rows of lists included."""
    names = set()
    for field in fields(kind):
        names.add(field.name)
        hint = get_type_hints(kind)[field.name]
        for inner in get_args(hint):
            if is_dataclass(inner):
                names |= _names(inner)
    return names


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_each_field_is_a_documented_variable(kind: type[MailMessage]) -> None:
    documented = DOCUMENTED[kind.kind]
    if kind.kind in ("review_reminder", "deadline_extended"):  # "as `review_request`, and …"
        documented |= DOCUMENTED["review_request"]
    assert _names(kind) <= documented


def test_the_context_is_in_the_readers_language_and_leaves_out_what_is_absent() -> None:
    message = ChangesRequested(
        reviewer_name="Гульнара Токтарова",
        organisation_name={"ru": "Безопасный дом", "en": "Safe Home"},
        agreement_title=TITLE,
        version_number=1,
        round_number=1,
        reason="",
        clause_numbers=("7",),
    )
    kazakh = message.context("kk")
    assert kazakh["agreement_title"] == "Меморандум (kk)"
    assert kazakh["organisation_name"] == "Безопасный дом"  # no Kazakh name: Russian next
    assert kazakh["clause_numbers"] == ["7"]
    assert "link_url" not in kazakh  # optional, and not given
    assert message.context("en")["organisation_name"] == "Safe Home"
    assert message.context("uz-Latn")["agreement_title"] == "Меморандум"  # Russian, then English


def test_rows_of_lists_are_picked_too() -> None:
    closed = RoundClosed(
        agreement_title=TITLE,
        version_number=2,
        round_number=2,
        outcome="approved",
        parties=(PartyAnswer({"ru": "МВД", "en": "MIA"}, "no_answer", 0),),
        comment_count=0,
        link_url="https://accord.example.org/r/x",
    )
    assert closed.context("en")["parties"] == [
        {"organisation_name": "MIA", "decision": "no_answer", "comment_count": 0}
    ]
    signed_at = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    signed = SignedAgreement(
        agreement_title=TITLE,
        version_number=2,
        short_hash="0123456789ab",
        effective_date=date(2027, 1, 12),
        signatories=(Signatory({"kk": "ІІМ"}, "Ерлан Касымов", "Министр", signed_at),),
    )
    assert signed.context("ru")["signatories"][0]["signed_at"] == signed_at
    assert signed.context("ru")["signatories"][0]["organisation_name"] == "ІІМ"
