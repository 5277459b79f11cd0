"""The reviewer's link: read the draft, comment, decide, delegate, download the DOCX.

Identity comes only from the token in the path: party, round and person are what the link
resolves to, never what a form says.
"""

from collections.abc import Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from accord.errors import Refusal
from accord.portal import frame
from accord.portal.deps import Portal, PortalDep, get_portal
from accord.portal.frame import page_query
from accord.portal.posts import FormText, KeyedPost, Posted, carry_out, with_ui
from accord.portal.review import forms
from accord.portal.review.page import cached_review_page, review_page, round_closed_thanks
from accord.portal.review.receipts import decision_recorded_for
from accord.portal.review.view import anchor
from accord.services.agreements import load_version
from accord.services.env import ServiceEnv
from accord.services.links import LinkNotValid
from accord.services.review.access import AccessScope, resolve
from accord.services.review.actions import add_comment, decide, delegate
from models import Agreement

router = APIRouter()


@router.get("/r/{token}", response_class=HTMLResponse)
async def review(token: str, request: Request) -> HTMLResponse:
    """The page; `?lang=` document language, `?ui=` page language, `?clause=` or `?activity=`
    to comment on, `?both=1` the document languages side by side.

    The hottest route: a page the cache still holds is answered on the event loop; only
    rendering goes to a worker thread. Its query is read directly rather than declared
    parameter by parameter, which halves FastAPI's per-request work here (see
    bench/bench_portal.py).
    """
    portal, query = get_portal(request), request.query_params
    ui, lang, flash, both = (
        query.get("ui"),
        query.get("lang"),
        query.get("done"),
        query.get("both") == "1",
    )
    clause = query.get("clause")
    if activity := query.get("activity"):
        clause = f"{forms.ACTIVITY}{activity}"
    if clause is None:
        cached = cached_review_page(
            portal, request, token, ui=ui, lang=lang, flash=flash, both=both
        )
        if cached is not None:
            return cached
    return await run_in_threadpool(
        review_page,
        portal,
        request,
        token,
        ui=ui,
        lang=lang,
        flash=flash,
        form={"clause_id": clause} if clause else None,
        both=both,
    )


@router.get("/r/{token}/document.docx")
def document(token: str, request: Request, portal: PortalDep, ui: str | None = None) -> Response:
    """The version under review as DOCX (rendered now if this machine does not have it)."""
    with Session(portal.engine) as session:
        try:
            scope = resolve(token, session=session, now=portal.clock())
        except LinkNotValid:
            return frame.link_not_valid(portal, frame.reader_language(request, ui))
        agreement = session.get(Agreement, scope.round.agreement_id)
        version = load_version(scope.round.version_id, session=session)
    assert agreement is not None
    return frame.version_docx(portal, agreement, version)


@router.get("/r/{token}/signed.docx")
def signed_document(
    token: str, request: Request, portal: PortalDep, ui: str | None = None
) -> Response:
    """The signed agreement with its certificate page, once every party has signed."""
    return frame.signed_docx(portal, request, token, ui)


@router.get("/done", response_class=HTMLResponse)
def done(request: Request, portal: PortalDep, ui: str | None = None) -> HTMLResponse:
    """Where the reviewer whose answer closed the round lands: their link has just expired."""
    return round_closed_thanks(portal, frame.reader_language(request, ui))


Act = Callable[[AccessScope, ServiceEnv], str]
"""Does the work in the post's transaction; returns what happened (a flash key)."""


@router.post("/r/{token}/comment")
def comment(
    request: Request,
    portal: PortalDep,
    posted: KeyedPost,
    clause_id: FormText = "",
    body: FormText = "",
    proposed: FormText = "",
) -> Response:
    def act(scope: AccessScope, env: ServiceEnv) -> str:
        form = forms.read_comment(clause_id, body, proposed)
        add_comment(
            scope,
            form.clause_id,
            form.body,
            request_key=posted.key,
            env=env,
            activity_id=form.activity_id,
            proposed=form.proposed,
        )
        return "comment"

    shown = {"clause_id": clause_id, "body": body, "proposed": proposed}
    return _post(portal, request, posted, shown, act)


@router.post("/r/{token}/decision")
def decision(
    request: Request,
    portal: PortalDep,
    posted: KeyedPost,
    decision: FormText = "",
    reason: FormText = "",
) -> Response:
    def act(scope: AccessScope, env: ServiceEnv) -> str:
        form = forms.read_decision(decision, reason)
        recorded = decide(scope, form.decision, form.reason, request_key=posted.key, env=env)
        return "closed" if recorded.round_closed else "decision"

    shown = {"decision": decision, "reason": reason}
    return _post(portal, request, posted, shown, act)


@router.post("/r/{token}/delegate")
def delegation(
    request: Request,
    portal: PortalDep,
    posted: KeyedPost,
    colleague: FormText = "",
    name: FormText = "",
    email: FormText = "",
) -> Response:
    def act(scope: AccessScope, env: ServiceEnv) -> str:
        form = forms.read_delegate(colleague, name, email)
        delegated = delegate(
            scope,
            colleague_email=form.email,
            colleague_name=form.name,
            request_key=posted.key,
            env=env,
        )
        return "delegate_held" if delegated.awaiting_confirmation else "delegate"

    shown = {"colleague": colleague, "name": name, "email": email}
    return _post(portal, request, posted, shown, act)


def _post(
    portal: Portal,
    request: Request,
    posted: Posted,
    shown: Mapping[str, str],
    act: Act,
) -> Response:
    def work(session: Session) -> str:
        scope = resolve(posted.token, session=session, now=portal.clock(), for_update=True)
        return act(scope, portal.service_env(session, actor=f"reviewer:{scope.contact.email}"))

    def then(happened: str) -> str:
        if happened == "closed":
            return with_ui("/done", posted.ui)
        target = anchor(happened, shown.get("clause_id", ""))
        return f"/r/{posted.token}{page_query(posted.lang, posted.ui, done=happened)}#{target}"

    def again(refusal: Refusal) -> Response:
        return review_page(
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
        recorded = decision_recorded_for(posted.token, posted.key, engine=portal.engine)
        return with_ui("/done", posted.ui) if recorded else None

    return carry_out(portal, request, posted, work=work, then=then, again=again, receipt=receipt)
