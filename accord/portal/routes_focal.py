"""The focal point's standing link: their organisation's items, progress updates, a calendar.

The organisation comes only from the token in the path; an item named by the form is used
only if it is that organisation's own.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from accord.documents.calendar_ics import organisation_calendar
from accord.documents.labels import known_languages
from accord.errors import AccordError
from accord.portal import forms, pages
from accord.portal.deps import Portal, PortalDep, Say, get_portal
from accord.portal.focal_forms import LIMIT_MB, TOO_LARGE, checked_evidence, read_update
from accord.portal.focal_pages import Refusal, anchor, focal_page
from accord.portal.focal_records import is_own_item
from accord.portal.i18n import known_language, ui_language
from accord.portal.review_view import org_name
from accord.portal.token_forms import post_is_genuine
from accord.portal.uploads import (
    Malformed,
    TooLarge,
    chosen_file,
    file_bytes,
    read_form,
    text_field,
)
from accord.portal.writes import write
from accord.services.progress import (
    EVIDENCE_LIMIT,
    Evidence,
    FocalScope,
    record_progress,
    resolve_focal,
    tracked_items,
)
from accord.services.review_access import LinkNotValid

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
            scope = resolve_focal(token, session=session)
        except LinkNotValid:
            return pages.link_not_valid(portal, pages.reader_language(request, None))
        items = tracked_items(session=session, organization_id=scope.organization.id)
    language = lang if lang in known_languages() else scope.contact.language
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


@dataclass(frozen=True)
class Posted:
    fields: dict[str, str]
    evidence: Evidence | None

    def __getitem__(self, name: str) -> str:
        return self.fields.get(name, "")


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
        return pages.form_expired(portal, pages.reader_language(request, ui))
    try:
        fields = {name: text_field(form, name) for name in FIELDS}
        if not post_is_genuine(portal, request, token, fields["csrf_token"]):
            return pages.form_expired(portal, pages.reader_language(request, ui))
        upload = chosen_file(form, "evidence")
        data = await file_bytes(upload, limit=EVIDENCE_LIMIT) if upload else None
    except TooLarge:
        return await _too_large(portal, request, token, ui)
    finally:
        await form.close()
    evidence = Evidence(upload.filename or "", data) if upload and data is not None else None
    return await run_in_threadpool(_save, portal, request, token, ui, Posted(fields, evidence))


async def _too_large(portal: Portal, request: Request, token: str, ui: str | None) -> Response:
    refusal = Refusal(TOO_LARGE, {"limit": LIMIT_MB})
    return await run_in_threadpool(
        lambda: focal_page(portal, request, token, ui=ui, status=422, error=refusal)
    )


def _save(portal: Portal, request: Request, token: str, ui: str | None, posted: Posted) -> Response:
    """One transaction; a refusal shows the page again (422) with nothing changed."""
    if not forms.request_key_ok(posted["request_key"]):
        return pages.form_expired(portal, pages.reader_language(request, ui))

    def work(session: Session) -> None:
        scope = resolve_focal(token, session=session)
        say = portal.say(ui_language(scope.contact.language, ui))
        checked = read_update(
            posted["status"], posted["value"], posted["percent"], posted["note"], say=say
        )
        evidence = posted.evidence
        if evidence is not None:
            evidence = checked_evidence(evidence.filename, evidence.data, say=say)
        _refuse_foreign_item(scope, posted, say=say, session=session)
        record_progress(
            scope,
            posted["commitment"],
            posted["agreement"],
            status=checked.status,
            value=checked.value,
            percent=checked.percent,
            note=checked.note,
            evidence=evidence,
            request_key=posted["request_key"],
            store=portal.store,
            env=portal.review_env(session, actor=f"focal:{scope.contact.email}"),
        )

    try:
        write(portal.engine, work)
    except LinkNotValid:
        return pages.link_not_valid(portal, pages.reader_language(request, ui))
    except (forms.FormInvalid, AccordError) as refusal:
        message = refusal.message if isinstance(refusal, forms.FormInvalid) else str(refusal)
        shown = {k: v for k, v in posted.fields.items() if k not in ("csrf_token", "request_key")}
        return focal_page(portal, request, token, ui=ui, status=422, error=message, form=shown)
    query = urlencode({"done": "update", **({"ui": ui} if ui else {})})
    target = anchor(posted["agreement"], posted["commitment"])
    return RedirectResponse(f"/f/{token}?{query}#{target}", status_code=303)


def _refuse_foreign_item(scope: FocalScope, posted: Posted, *, say: Say, session: Session) -> None:
    if not is_own_item(scope, posted["agreement"], posted["commitment"], session=session):
        raise forms.FormInvalid(
            say(
                "Your organisation has no commitment “%(commitment)s” in “%(agreement)s”; "
                "nothing was saved.",
                commitment=posted["commitment"][:80],
                agreement=posted["agreement"][:80],
            )
        )
