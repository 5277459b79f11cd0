"""The reviewer's link: read the draft, comment, decide, delegate, download the DOCX.

Identity comes only from the token in the path: party, round and person are what the link
resolves to, never what a form says.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from accord.errors import AccordError
from accord.portal import csrf, forms, pages
from accord.portal.deps import Portal, PortalDep, Say, get_portal
from accord.portal.i18n import known_language, ui_language
from accord.portal.receipts import decision_recorded_for
from accord.portal.review_view import page_query
from accord.portal.writes import write
from accord.services.review_access import AccessScope, LinkNotValid, resolve, token_hash
from accord.services.review_actions import add_comment, decide, delegate
from accord.services.review_documents import (
    ensure_version_document,
    load_version,
    version_content,
)
from accord.services.review_rounds import ReviewEnv
from accord.source.spec import numbered
from models import Agreement

router = APIRouter()
FormText = Annotated[str, Form()]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/r/{token}", response_class=HTMLResponse)
def review(token: str, request: Request) -> HTMLResponse:
    """The page; `?lang=` document language, `?ui=` page language, `?clause=` to comment on.

    The hottest route: its query is read directly rather than declared parameter by
    parameter, which halves FastAPI's per-request work here (see bench/bench_portal.py).
    """
    query = request.query_params
    clause = query.get("clause")
    return pages.review_page(
        get_portal(request),
        request,
        token,
        ui=query.get("ui"),
        lang=query.get("lang"),
        flash=query.get("done"),
        form={"clause_id": clause} if clause else None,
    )


@router.get("/r/{token}/document.docx")
def document(token: str, request: Request, portal: PortalDep, ui: str | None = None) -> Response:
    """The version under review as DOCX (rendered now if this machine does not have it)."""
    with Session(portal.engine) as session:
        try:
            scope = resolve(token, session=session)
        except LinkNotValid:
            return pages.link_not_valid(portal, pages.reader_language(request, ui))
        agreement = session.get(Agreement, scope.round.agreement_id)
        version = load_version(session, scope.round.version_id)
    assert agreement is not None
    name = ensure_version_document(agreement, version, store=portal.store)
    filename = name.rsplit("/", 1)[-1]
    return Response(
        portal.store.read(name),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/done", response_class=HTMLResponse)
def done(request: Request, portal: PortalDep, ui: str | None = None) -> HTMLResponse:
    """Where the reviewer whose answer closed the round lands: their link has just expired."""
    return pages.round_closed_thanks(portal, pages.reader_language(request, ui))


@dataclass(frozen=True)
class Posted:
    """The fields every form carries, and the ones the page shows again after a refusal."""

    csrf_token: str
    request_key: str
    lang: str
    ui: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Acting:
    scope: AccessScope
    env: ReviewEnv
    say: Say


Action = Callable[[Acting], str]
"""Does the work in the post's transaction; returns what happened (a flash key)."""


@router.post("/r/{token}/comment")
def comment(
    token: str,
    request: Request,
    portal: PortalDep,
    csrf_token: FormText = "",
    request_key: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
    clause_id: FormText = "",
    body: FormText = "",
) -> Response:
    posted = Posted(csrf_token, request_key, lang, ui, {"clause_id": clause_id, "body": body})

    def act(a: Acting) -> str:
        version = load_version(a.env.session, a.scope.round.version_id)
        clauses = numbered(version_content(version).agreement.clauses)
        checked = forms.read_comment(
            clause_id,
            body,
            clause_ids={item.clause.id for item in clauses},
            version=version.number,
            say=a.say,
        )
        add_comment(a.scope, checked.clause_id, checked.body, request_key=request_key, env=a.env)
        return "comment"

    return _post(portal, request, token, posted, act)


@router.post("/r/{token}/decision")
def decision(
    token: str,
    request: Request,
    portal: PortalDep,
    csrf_token: FormText = "",
    request_key: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
    decision: FormText = "",
    reason: FormText = "",
) -> Response:
    posted = Posted(csrf_token, request_key, lang, ui, {"decision": decision, "reason": reason})

    def act(a: Acting) -> str:
        checked = forms.read_decision(decision, reason, say=a.say)
        recorded = decide(
            a.scope, checked.decision, checked.reason, request_key=request_key, env=a.env
        )
        return "closed" if recorded.round_closed else "decision"

    return _post(portal, request, token, posted, act)


@router.post("/r/{token}/delegate")
def delegation(
    token: str,
    request: Request,
    portal: PortalDep,
    csrf_token: FormText = "",
    request_key: FormText = "",
    lang: FormText = "",
    ui: FormText = "",
    colleague: FormText = "",
    name: FormText = "",
    email: FormText = "",
) -> Response:
    posted = Posted(
        csrf_token, request_key, lang, ui, {"colleague": colleague, "name": name, "email": email}
    )

    def act(a: Acting) -> str:
        checked = forms.read_delegate(
            colleague, name, email, own_email=a.scope.contact.email, say=a.say
        )
        delegate(
            a.scope,
            colleague_email=checked.email,
            colleague_name=checked.name,
            request_key=request_key,
            env=a.env,
        )
        return "delegate"

    return _post(portal, request, token, posted, act)


def _post(portal: Portal, request: Request, token: str, posted: Posted, act: Action) -> Response:
    """CSRF, then one transaction; a refusal shows the page again (422) with nothing changed."""
    ui = known_language(posted.ui)
    genuine = csrf.form_is_genuine(
        portal.secret,
        cookie_value=request.cookies.get(csrf.COOKIE),
        field_value=posted.csrf_token,
        link_hash=token_hash(token),
    )
    if not genuine or not forms.request_key_ok(posted.request_key):
        return pages.form_expired(portal, pages.reader_language(request, ui))

    def work(session: Session) -> str:
        scope = resolve(token, session=session, for_update=True)
        env = portal.review_env(session, actor=f"reviewer:{scope.contact.email}")
        return act(Acting(scope, env, portal.say(ui_language(scope.contact.language, ui))))

    try:
        happened = write(portal.engine, work)
    except LinkNotValid:
        if decision_recorded_for(token, posted.request_key, engine=portal.engine):
            return _see_other(f"/done?ui={ui}" if ui else "/done")
        return pages.link_not_valid(portal, pages.reader_language(request, ui))
    except (forms.FormInvalid, AccordError) as refusal:
        message = refusal.message if isinstance(refusal, forms.FormInvalid) else str(refusal)
        return pages.review_page(
            portal,
            request,
            token,
            ui=ui,
            lang=posted.lang,
            status=422,
            error=message,
            form=posted.values,
        )
    if happened == "closed":
        return _see_other(f"/done?ui={ui}" if ui else "/done")
    return _see_other(f"/r/{token}{page_query(posted.lang, ui, done=happened)}")


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
