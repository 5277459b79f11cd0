"""The focal point's standing link: their organisation's items, progress updates, a calendar.

The organisation comes only from the token in the path; an item named by the form is used
only if it is that organisation's own.
"""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from accord.documents.calendar_ics import organisation_calendar
from accord.errors import Refusal
from accord.portal import frame
from accord.portal.deps import Portal, PortalDep, get_portal
from accord.portal.focal.forms import read_update
from accord.portal.focal.page import anchor, focal_page
from accord.portal.frame import org_name
from accord.portal.i18n import known_language
from accord.portal.posts import Posted, carry_out
from accord.portal.uploads import (
    Malformed,
    TooLarge,
    chosen_file,
    file_bytes,
    read_form,
    text_field,
)
from accord.services.commitments.focal import Evidence, record_progress, resolve_focal
from accord.services.commitments.rules import EVIDENCE_LIMIT, evidence_too_large
from accord.services.commitments.tracked import tracked_items
from accord.services.links import LinkNotValid

router = APIRouter()
FIELDS = (
    "csrf_token",
    "request_key",
    "agreement",
    "commitment",
    "status",
    "value",
    "percent",
    "note",
)
ICS = "text/calendar; charset=utf-8"


@router.get("/f/{token}", response_class=HTMLResponse)
def focal(
    token: str, request: Request, portal: PortalDep, ui: str | None = None, done: str | None = None
) -> HTMLResponse:
    """The page; `?ui=` page language."""
    return focal_page(portal, request, token, ui=ui, flash=done)


@router.api_route("/f/{token}/calendar.ics", methods=["GET", "HEAD"])
def calendar(token: str, request: Request, portal: PortalDep, lang: str | None = None) -> Response:
    """The organisation's deadlines for calendar apps to subscribe to (they send no cookies)."""
    with Session(portal.engine) as session:
        try:
            scope = resolve_focal(token, session=session, now=portal.clock())
        except LinkNotValid:
            return frame.link_not_valid(portal, frame.reader_language(request, None))
        items = tracked_items(session=session, organization_id=scope.organization.id)
    language = known_language(lang) or scope.contact.language
    feed = organisation_calendar(
        scope.organization.slug,
        org_name(scope.organization.name, language),
        items,
        language=language,
        generated_at=portal.clock(),
    )
    return Response(
        feed,
        media_type=ICS,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="{scope.organization.slug}.ics"',
        },
    )


@router.post("/f/{token}/update")
async def update(token: str, request: Request) -> Response:
    """Read the post under its size limit here; check and save it in a worker thread."""
    portal = get_portal(request)
    ui = known_language(request.query_params.get("ui"))
    try:
        form = await read_form(request, file_limit=EVIDENCE_LIMIT)
    except TooLarge:
        return await _too_large(portal, request, token, ui)
    except Malformed:
        return frame.form_expired(portal, frame.reader_language(request, ui))
    try:
        fields = {name: text_field(form, name) for name in FIELDS}
        evidence = await _evidence(form)
    except TooLarge:
        return await _too_large(portal, request, token, ui)
    finally:
        await form.close()
    return await run_in_threadpool(_save, portal, request, token, ui, fields, evidence)


async def _evidence(form: FormData) -> Evidence | None:
    upload = chosen_file(form, "evidence")
    if upload is None:
        return None
    return Evidence(upload.filename or "", await file_bytes(upload, limit=EVIDENCE_LIMIT))


async def _too_large(portal: Portal, request: Request, token: str, ui: str | None) -> Response:
    """Said before the post is even read, with commitments' own refusal."""
    return await run_in_threadpool(
        lambda: focal_page(portal, request, token, ui=ui, status=422, refusal=evidence_too_large())
    )


def _save(
    portal: Portal,
    request: Request,
    token: str,
    ui: str | None,
    fields: dict[str, str],
    evidence: Evidence | None,
) -> Response:
    posted = Posted(token, fields["csrf_token"], ui, fields["request_key"])
    agreement, commitment = fields["agreement"], fields["commitment"]

    def work(session: Session) -> None:
        scope = resolve_focal(token, session=session, now=portal.clock())
        progress = read_update(
            fields["status"], fields["value"], fields["percent"], fields["note"], evidence
        )
        record_progress(
            scope,
            commitment,
            agreement,
            progress,
            request_key=fields["request_key"],
            env=portal.service_env(session, actor=f"focal:{scope.contact.email}"),
        )

    def then(_: None) -> str:
        query = urlencode({"done": "update", **({"ui": ui} if ui else {})})
        return f"/f/{token}?{query}#{anchor(agreement, commitment)}"

    def again(refusal: Refusal) -> Response:
        shown = {k: v for k, v in fields.items() if k not in ("csrf_token", "request_key")}
        return focal_page(portal, request, token, ui=ui, status=422, refusal=refusal, form=shown)

    return carry_out(portal, request, posted, work=work, then=then, again=again)
