"""The signatory's page (the final text, its hash, the forms) and the page after they answered."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlmodel import Session

from accord.documents.blocks import numbered_paragraphs, pick
from accord.errors import Refusal
from accord.portal import frame
from accord.portal.csrf import browser_cookie, form_field, with_cookie
from accord.portal.deps import Portal
from accord.portal.document import plan_view
from accord.portal.frame import (
    LanguageChoice,
    document_language,
    language_bar,
    org_name,
    page_query,
)
from accord.portal.i18n import known_language, ui_language
from accord.portal.signing.forms import CONFIRMED
from accord.portal.signing.receipts import SigningReceipt
from accord.services.agreements import version_content
from accord.services.links import LinkNotValid
from accord.services.signing.access import SigningScope, resolve_signature
from accord.services.signing.rules import REASON_LIMIT
from accord.source.spec import VersionContent, numbered
from models import SignatureStatus


@dataclass
class SignView:
    token: str
    ui_lang: str
    ui_override: str | None
    doc_lang: str
    title: str
    version_number: int
    sha256: str
    organization: str
    person: str
    status: str
    """The organisation's signature: "pending" (the forms are shown) or "signed"."""
    signed_at: datetime | None
    signer: str | None
    doc_languages: list[LanguageChoice]
    ui_languages: list[LanguageChoice]
    clauses_html: Markup
    csrf_token: str = ""
    error: str | None = None
    error_field: str | None = None
    """The form field the refusal names: its message is shown beside it."""
    form: Mapping[str, str] = field(default_factory=dict)
    confirmed: str = CONFIRMED

    def query(self, **extra: str) -> str:
        return page_query(self.doc_lang, self.ui_override, **extra)


def sign_page(
    portal: Portal,
    request: Request,
    token: str,
    *,
    ui: str | None,
    lang: str | None,
    status: int = 200,
    refusal: Refusal | None = None,
    form: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page of a live signing link; the plain "not valid" page for any other."""
    with Session(portal.engine) as session:
        try:
            scope = resolve_signature(token, session=session, now=portal.clock())
        except LinkNotValid:
            return frame.link_not_valid(portal, frame.reader_language(request, ui))
    cookie = browser_cookie(request)
    view = _view(portal, scope, token, ui=ui, lang=lang)
    view.csrf_token = form_field(portal, cookie, token)
    view.error = portal.refusal_text(refusal, view.ui_lang) if refusal else None
    view.error_field = refusal.field if refusal else None
    view.form = dict(form or {})
    html = portal.render(view.ui_lang, "portal/sign.html", v=view, limit=REASON_LIMIT)
    return with_cookie(portal, HTMLResponse(html, status_code=status), cookie)


def _view(
    portal: Portal, scope: SigningScope, token: str, *, ui: str | None, lang: str | None
) -> SignView:
    content = version_content(scope.version)
    override = known_language(ui)
    ui_lang = ui_language(scope.contact.language, ui)
    doc_lang = document_language(content, scope.contact.language, lang)
    signature = scope.signature
    signer = ", ".join(filter(None, (signature.signer_name, signature.signer_title))) or None
    view = SignView(
        token=token,
        ui_lang=ui_lang,
        ui_override=override,
        doc_lang=doc_lang,
        title=pick(content.agreement.title, doc_lang),
        version_number=scope.version.number,
        sha256=scope.signoff.version_sha256,
        organization=org_name(scope.organization.name, ui_lang),
        person=scope.contact.name,
        status=signature.status.value,
        signed_at=signature.signed_at,
        signer=signer,
        doc_languages=[],
        ui_languages=[],
        clauses_html=Markup(
            portal.cache.get(
                ("final-text", scope.version.sha256, doc_lang),
                lambda: _final_text(portal, content, doc_lang),
            )
        ),
    )
    view.doc_languages = language_bar(
        doc_lang, lambda code: view.query(lang=code), content.agreement.languages
    )
    view.ui_languages = language_bar(ui_lang, lambda code: view.query(ui=code))
    return view


def _final_text(portal: Portal, content: VersionContent, lang: str) -> str:
    """The numbered clauses and the plan: no page words, so one rendering serves every reader."""
    return portal.render(
        "en",
        "portal/_final_clauses.html",
        clauses=list(numbered(content.agreement.clauses)),
        lang=lang,
        pick=pick,
        numbered_paragraphs=numbered_paragraphs,
        plan=plan_view(content, lang),
    )


def answered_page(portal: Portal, receipt: SigningReceipt, *, ui: str | None) -> HTMLResponse:
    """Thanks for signing (saying when the agreement is in force), or the decline taken note of."""
    lang = ui_language(receipt.language, ui)
    html = portal.render(
        lang,
        "portal/signed.html",
        r=receipt,
        signed=receipt.status is SignatureStatus.signed,
    )
    return HTMLResponse(html)
