"""The signatory's link: read the final text and its hash, download it, sign or decline.

Who signs for which organisation comes only from the token in the path; the form brings the
person's name and title, and the request brings the evidence (address, browser).
"""

from collections.abc import Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.adapters.events import announce_in_background
from accord.errors import Refusal
from accord.portal import frame
from accord.portal.client_ip import client_ip
from accord.portal.deps import Portal, PortalDep
from accord.portal.posts import FormText, LockedPost, Posted, carry_out, with_ui
from accord.portal.signing.forms import read_signature
from accord.portal.signing.page import answered_page, sign_page
from accord.portal.signing.receipts import signing_receipt
from accord.services.env import ServiceEnv
from accord.services.links import LinkNotValid
from accord.services.signing.access import SigningScope, lock_signoff, resolve_signature
from accord.services.signing.acts import decline, sign
from models import SignatureStatus, SignOffStatus

router = APIRouter()


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
            scope = resolve_signature(token, session=session, now=portal.clock())
        except LinkNotValid:
            return frame.link_not_valid(portal, frame.reader_language(request, ui))
    return frame.version_docx(portal, scope.agreement, scope.version)


@router.get("/s/{token}/done", response_class=HTMLResponse)
def answered(token: str, request: Request, portal: PortalDep, ui: str | None = None) -> Response:
    """After signing or declining; also once the sign-off has closed and the link expired."""
    receipt = signing_receipt(token, engine=portal.engine)
    if receipt is None or receipt.status is SignatureStatus.pending:
        if receipt is not None and receipt.signoff_status is SignOffStatus.open:
            return frame.see_other(with_ui(f"/s/{token}", ui))
        return frame.link_not_valid(portal, frame.reader_language(request, ui))
    return answered_page(portal, receipt, ui=ui)


Act = Callable[[SigningScope, ServiceEnv], None]


@router.post("/s/{token}/sign")
def sign_post(
    request: Request,
    portal: PortalDep,
    posted: LockedPost,
    name: FormText = "",
    title: FormText = "",
    confirm: FormText = "",
) -> Response:
    address = client_ip(request, trust_proxy_headers=portal.settings.trust_proxy_headers)
    browser = request.headers.get("user-agent", "")

    def act(scope: SigningScope, env: ServiceEnv) -> None:
        form = read_signature(name, title, confirm)
        sign(
            scope,
            name=form.name,
            title=form.title,
            confirmed=form.confirmed,
            ip_address=address,
            user_agent=browser,
            env=env,
        )

    shown = {"name": name, "title": title, "confirm": confirm}
    return _post(portal, request, posted, shown, act)


@router.post("/s/{token}/decline")
def decline_post(
    request: Request,
    portal: PortalDep,
    posted: LockedPost,
    reason: FormText = "",
) -> Response:
    def act(scope: SigningScope, env: ServiceEnv) -> None:
        decline(scope, reason=reason, env=env)

    return _post(portal, request, posted, {"reason": reason}, act)


def _post(
    portal: Portal,
    request: Request,
    posted: Posted,
    shown: Mapping[str, str],
    act: Act,
) -> Response:
    def work(session: Session) -> str | None:
        """Returns the agreement now in force, if this was the last signature."""
        lock_signoff(posted.token, session=session)
        scope = resolve_signature(posted.token, session=session, now=portal.clock())
        act(scope, portal.service_env(session, actor=f"signer:{scope.contact.email}"))
        completed = scope.signoff.status is SignOffStatus.completed
        return scope.agreement.slug if completed else None

    def then(in_force: str | None) -> str:
        if in_force is not None:  # after the commit: the deliver deployment reacts to it
            announce_in_background("agreement.in_force", in_force)
        return with_ui(f"/s/{posted.token}/done", posted.ui)

    def again(refusal: Refusal) -> Response:
        return sign_page(
            portal,
            request,
            posted.token,
            ui=posted.ui,
            lang=posted.lang,
            status=422,
            refusal=refusal,
            form=shown,
        )

    def receipt() -> str | None:
        """A second click after the sign-off closed: the page after answering."""
        found = signing_receipt(posted.token, engine=portal.engine)
        answered = found is not None and found.status is not SignatureStatus.pending
        return with_ui(f"/s/{posted.token}/done", posted.ui) if answered else None

    return carry_out(portal, request, posted, work=work, then=then, again=again, receipt=receipt)
