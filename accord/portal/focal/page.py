"""The focal point's page: their organisation's commitments, grouped by agreement, each with
its update form."""

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from accord.documents.formatting import format_due
from accord.documents.labels import labels_for
from accord.documents.progress_types import TrackedItem, is_late
from accord.errors import Refusal
from accord.portal import frame
from accord.portal.csrf import browser_cookie, form_field, with_cookie
from accord.portal.deps import Portal, _
from accord.portal.focal.forms import ACCEPT
from accord.portal.frame import LanguageChoice, language_bar, org_name
from accord.portal.i18n import known_language, show_date, ui_language
from accord.services.commitments.focal import FocalScope, resolve_focal
from accord.services.commitments.rules import ALLOWED_TYPES, LIMIT_MB, NOTE_LIMIT, REPORTABLE
from accord.services.commitments.tracked import tracked_items
from accord.services.links import LinkNotValid
from accord.source.spec import LangText

FLASHES = {"update": _("Your update has been saved.")}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class ItemRow:
    anchor: str
    agreement_id: str
    commitment_id: str
    number: str
    """As the plan prints it ("2.4"); the id stays in form fields and anchors only."""
    activity: str
    deadline: str
    status: str
    late: bool
    indicator: str
    baseline: str | None
    target: str | None
    latest_value: str | None
    latest_percent: int | None
    last_update_at: datetime | None


@dataclass(frozen=True)
class AgreementGroup:
    agreement_id: str
    title: str
    items: list[ItemRow]


@dataclass
class FocalView:
    token: str
    ui_lang: str
    ui_override: str | None
    organization: str
    person: str
    today: date
    groups: list[AgreementGroup]
    ui_languages: list[LanguageChoice]
    calendar_url: str
    statuses: tuple[str, ...] = tuple(s.value for s in REPORTABLE)
    allowed_types: str = ALLOWED_TYPES
    accept: str = ACCEPT
    limit_mb: int = LIMIT_MB
    note_limit: int = NOTE_LIMIT
    csrf_token: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    flash: str | None = None
    error: str | None = None
    error_anchor: str | None = None
    form: Mapping[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str:
        suffix = "?" + urlencode({"ui": self.ui_override}) if self.ui_override else ""
        return f"/f/{self.token}/update{suffix}"

    def values(self, row: ItemRow) -> Mapping[str, str]:
        """What the form shows: what was posted after a refusal, else the item as it stands."""
        if row.anchor == self.error_anchor:
            return self.form
        status = "in_progress" if row.status == "overdue" else row.status
        return {"status": status}


def anchor(agreement_id: str, commitment_id: str) -> str:
    return "item-" + _NOT_IN_ID.sub("-", f"{agreement_id}--{commitment_id}")


def focal_page(
    portal: Portal,
    request: Request,
    token: str,
    *,
    ui: str | None,
    status: int = 200,
    flash: str | None = None,
    refusal: Refusal | None = None,
    form: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page of a live focal link; the plain "not valid" page for any other."""
    with Session(portal.engine) as session:
        try:
            scope = resolve_focal(token, session=session, now=portal.clock())
        except LinkNotValid:
            return frame.link_not_valid(portal, frame.reader_language(request, ui))
        items = tracked_items(session=session, organization_id=scope.organization.id)
    cookie = browser_cookie(request)
    view = _view(portal, scope, items, token, ui=ui)
    view.csrf_token = form_field(portal, cookie, token)
    view.keys = {row.anchor: secrets.token_urlsafe(18) for g in view.groups for row in g.items}
    say = portal.say(view.ui_lang)
    view.flash = say(FLASHES[flash]) if flash in FLASHES else None
    view.error = portal.refusal_text(refusal, view.ui_lang) if refusal else None
    view.form = dict(form or {})
    view.error_anchor = (
        anchor(view.form.get("agreement", ""), view.form.get("commitment", "")) if form else None
    )
    html = portal.render(view.ui_lang, "portal/focal.html", v=view)
    return with_cookie(portal, HTMLResponse(html, status_code=status), cookie)


def _view(
    portal: Portal, scope: FocalScope, items: list[TrackedItem], token: str, *, ui: str | None
) -> FocalView:
    override = known_language(ui)
    contact_lang = scope.contact.language
    ui_lang = ui_language(contact_lang, ui)
    today = portal.clock().date()
    groups: dict[str, AgreementGroup] = {}
    for item in items:
        group = groups.setdefault(
            item.agreement_id,
            AgreementGroup(
                item.agreement_id, _text(item.agreement_title, ui_lang, contact_lang), []
            ),
        )
        group.items.append(_row(item, ui_lang, contact_lang, today))
    base = portal.settings.public_base_url.rstrip("/")
    return FocalView(
        token=token,
        ui_lang=ui_lang,
        ui_override=override,
        organization=org_name(scope.organization.name, ui_lang),
        person=scope.contact.name,
        today=today,
        groups=list(groups.values()),
        ui_languages=language_bar(ui_lang, lambda code: "?" + urlencode({"ui": code})),
        calendar_url=f"{base}/f/{token}/calendar.ics",
    )


def _row(item: TrackedItem, ui_lang: str, contact_lang: str, today: date) -> ItemRow:
    return ItemRow(
        anchor=anchor(item.agreement_id, item.commitment_id),
        agreement_id=item.agreement_id,
        commitment_id=item.commitment_id,
        number=item.number,
        activity=_text(item.activity, ui_lang, contact_lang),
        deadline=deadline(item, ui_lang),
        status=item.status,
        late=is_late(item, today),
        indicator=_text(item.indicator, ui_lang, contact_lang),
        baseline=item.baseline,
        target=item.target,
        latest_value=item.latest_value,
        latest_percent=item.latest_percent,
        last_update_at=item.last_update_at,
    )


def _text(text: LangText | None, ui_lang: str, contact_lang: str) -> str:
    """In the page's language if the agreement has it, else the contact's, else its first."""
    if not text:
        return ""
    return text.get(ui_lang) or text.get(contact_lang) or next(iter(text.values()), "")


def deadline(item: TrackedItem, lang: str) -> str:
    """A quarter as the agreement says it, with the day it ends; otherwise the day."""
    day = show_date(item.due, lang)
    label = item.due_label.strip()
    if label and not _ISO_DATE.fullmatch(label):
        return f"{format_due(label, item.due, labels_for(lang))} ({day})"
    return day
