"""The signatory's link: read the final text and its hash, download it, sign or decline.

Who signs for which organisation comes only from the token in the path; the form brings the
person's name and title, and the request brings the evidence (address, browser).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from accord.adapters.events import announce
from accord.errors import AccordError
from accord.portal import pages
from accord.portal.client_ip import client_ip
from accord.portal.deps import Portal, PortalDep, Say, _
from accord.portal.forms import FormInvalid
from accord.portal.i18n import known_language, show_moment, ui_language
from accord.portal.signing_forms import read_decline, read_signature
from accord.portal.signing_pages import answered_page, sign_page
from accord.portal.signing_records import lock_signoff, signing_receipt
from accord.portal.token_forms import post_is_genuine
from accord.portal.writes import write
from accord.services.review_access import LinkNotValid
from accord.services.review_documents import ensure_version_document
from accord.services.review_rounds import ReviewEnv
from accord.services.signing import decline, sign
from accord.services.signoff import SigningScope, resolve_signature
from models import SignatureStatus, SignOffStatus

router = APIRouter()
FormText = Annotated[str, Form()]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/s/{token}", response_class=HTMLResponse)
def signing(
    token: str, request: Request, portal: PortalDep, lang: str | None = None, ui: str | None = None
) -> HTMLResponse:
    """The page; `?lang=` document language, `?ui=` page language."""
    return sign_page(portal, request, token, ui=ui, lang=lang)


@router.get("/s/{token}/document.docx")
def document(token: str, request: Request, portal: PortalDep, ui: str | None = None) -> Response:
    """The version being signed as DOCX, the same text and hash as the page shows."""
    with Session(portal.engine) as session:
        try:
            scope = resolve_signature(token, session=session)
        except LinkNotValid:
            return pages.link_not_valid(portal, pages.reader_language(request, ui))
    name = ensure_version_document(scope.agreement, scope.version, store=portal.store)
    filename = name.rsplit("/", 1)[-1]
    return Response(
        portal.store.read(name),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/s/{token}/done", response_class=HTMLResponse)
def answered(token: str, request: Request, portal: PortalDep, ui: str | None = None) -> Response:
    """After signing or declining; also once the sign-off has closed and the link expired."""
    receipt = signing_receipt(token, engine=portal.engine)
    if receipt is None or receipt.status is SignatureStatus.pending:
        if receipt is not None and receipt.signoff_status is SignOffStatus.open:
            return _see_other(f"/s/{token}", ui)
        return pages.link_not_valid(portal, pages.reader_language(request, ui))
    return answered_page(portal, receipt, ui=ui)


@dataclass(frozen=True)
class Posted:
    """The fields every form carries, and the ones the page shows again after a refusal."""

    csrf_token: str
    lang: str
    ui: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Signing:
    scope: SigningScope
    env: ReviewEnv
    say: Say
    lang: str


@router.post("/s/{token}/sign")
def sign_post(
    token: str,
    request: Request,
    portal: PortalDep,
    csrf_token: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
    name: FormText = "",
    title: FormText = "",
    confirm: FormText = "",
) -> Response:
    posted = Posted(csrf_token, lang, ui, {"name": name, "title": title, "confirm": confirm})
    address = client_ip(request, trust_proxy_headers=portal.settings.trust_proxy_headers)
    browser = request.headers.get("user-agent", "")

    def act(s: Signing) -> None:
        checked = read_signature(name, title, confirm, say=s.say)
        _refuse_when_signed(
            s, _("Your organisation has already signed version %(number)s (%(signer)s, %(when)s).")
        )
        sign(
            s.scope,
            name=checked.name,
            title=checked.title,
            ip_address=address,
            user_agent=browser,
            env=s.env,
        )

    return _post(portal, request, token, posted, act)


@router.post("/s/{token}/decline")
def decline_post(
    token: str,
    request: Request,
    portal: PortalDep,
    csrf_token: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
    reason: FormText = "",
) -> Response:
    posted = Posted(csrf_token, lang, ui, {"reason": reason})

    def act(s: Signing) -> None:
        text = read_decline(reason, say=s.say)
        _refuse_when_signed(
            s,
            _(
                "Your organisation has already signed version %(number)s (%(signer)s, %(when)s), "
                "so it can no longer decline."
            ),
        )
        decline(s.scope, reason=text, env=s.env)

    return _post(portal, request, token, posted, act)


def _refuse_when_signed(s: Signing, message: str) -> None:
    """Said in the reader's language; `signing` refuses the same in its own words."""
    signature = s.scope.signature
    if signature.status is SignatureStatus.signed and signature.signed_at is not None:
        raise FormInvalid(
            s.say(
                message,
                number=s.scope.version.number,
                signer=signature.signer_name or "",
                when=show_moment(signature.signed_at, s.lang),
            )
        )


def _post(
    portal: Portal, request: Request, token: str, posted: Posted, act: Callable[[Signing], None]
) -> Response:
    """CSRF, then one transaction; a refusal shows the page again (422) with nothing changed."""
    ui = known_language(posted.ui)
    if not post_is_genuine(portal, request, token, posted.csrf_token):
        return pages.form_expired(portal, pages.reader_language(request, ui))

    in_force: list[str] = []

    def work(session: Session) -> None:
        in_force.clear()  # `write` may retry the whole transaction
        lock_signoff(token, session=session)
        scope = resolve_signature(token, session=session)
        env = portal.review_env(session, actor=f"signer:{scope.contact.email}")
        lang = ui_language(scope.contact.language, ui)
        act(Signing(scope, env, portal.say(lang), lang))
        if scope.signoff.status is SignOffStatus.completed:
            in_force.append(scope.agreement.slug)

    try:
        write(portal.engine, work)
        for agreement in in_force:  # after the commit: the deliver deployment reacts to it
            announce("agreement.in_force", agreement)
    except LinkNotValid:
        receipt = signing_receipt(token, engine=portal.engine)
        if receipt is not None and receipt.status is not SignatureStatus.pending:
            return _see_other(f"/s/{token}/done", ui)  # a second click after the sign-off closed
        return pages.link_not_valid(portal, pages.reader_language(request, ui))
    except (FormInvalid, AccordError) as refusal:
        message = refusal.message if isinstance(refusal, FormInvalid) else str(refusal)
        return sign_page(
            portal,
            request,
            token,
            ui=ui,
            lang=posted.lang,
            status=422,
            error=message,
            form=posted.values,
        )
    return _see_other(f"/s/{token}/done", ui)


def _see_other(path: str, ui: str | None) -> RedirectResponse:
    return RedirectResponse(f"{path}?ui={ui}" if ui else path, status_code=303)
