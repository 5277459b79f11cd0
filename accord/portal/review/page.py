"""The reviewer's page, whole: reused from the page cache while the party's state holds."""

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from accord.documents.blocks import numbered_paragraphs, pick
from accord.errors import Refusal
from accord.portal import csrf
from accord.portal.deps import Portal, _
from accord.portal.document import plan_view
from accord.portal.frame import (
    document_language,
    ended_link,
    message_page,
    page_query,
)
from accord.portal.i18n import known_language, ui_language
from accord.portal.review.page_cache import (
    RenderedPage,
    Stamp,
    fresh_values,
    page_cache,
    read_stamp,
    slot,
)
from accord.portal.review.view import build_view
from accord.services.links import LinkNotValid, token_hash
from accord.services.review.access import resolve
from accord.services.review.answers import ClosedRoundAnswers, closed_round_answers
from accord.services.review.page import ReviewerPage, reviewer_page
from accord.services.review.rules import COMMENT_LIMIT
from accord.services.signed_copy import signed_copy

FORMS = ("comment", "decision", "delegate")
FLASHES = {
    "comment": _("Your comment has been saved."),
    "decision": _("Your decision has been recorded."),
    "delegate": _("Your colleague will receive their own link by e-mail."),
    "delegate_held": _(
        "Your colleague’s address is not in your organisation’s known e-mail domains, so the "
        "secretariat confirms it first; your colleague receives their own link by e-mail once "
        "it has."
    ),
}


def round_closed_thanks(portal: Portal, lang: str) -> HTMLResponse:
    return message_page(
        portal,
        lang,
        status=200,
        heading=_("Thank you"),
        lines=[
            _("Your decision has been recorded, and every party asked has now answered."),
            _(
                "This review is now closed, so your link no longer opens the draft. "
                "The secretariat will write to you about the next steps."
            ),
        ],
    )


def cached_review_page(
    portal: Portal,
    request: Request,
    token: str,
    *,
    ui: str | None,
    lang: str | None,
    flash: str | None,
    both: bool,
) -> HTMLResponse | None:
    """The page from the cache when nothing it shows has changed, else None.

    Cheap enough (one indexed query, bytes joined) to run on the event loop: the portal's
    most frequent request then never waits for a worker thread (bench/bench_portal.py).
    """
    link_hash = token_hash(token)
    key = _cache_key(link_hash, ui, lang, flash, both)
    stamp = _stamp(portal, link_hash)
    cached = page_cache(request).get(key, stamp) if stamp and stamp.usable else None
    if cached is not None and cached.shows_forms_until is not None:
        cached = cached if portal.clock() < cached.shows_forms_until else None
    if cached is None:
        return None
    return _page_response(portal, cached, request, link_hash, 200)


def review_page(
    portal: Portal,
    request: Request,
    token: str,
    *,
    ui: str | None,
    lang: str | None,
    status: int = 200,
    flash: str | None = None,
    refusal: Refusal | None = None,
    form: Mapping[str, str] | None = None,
    both: bool = False,
) -> HTMLResponse:
    """The reviewer's page, rendered now, and kept in the cache while the party's state is
    unchanged. `both`: the text in every document language side by side (wide screens)."""
    link_hash = token_hash(token)
    flash = flash if flash in FLASHES else None
    reusable = refusal is None and not form
    stamp = _stamp(portal, link_hash) if reusable else None  # read before what it vouches for
    with Session(portal.engine) as session:
        try:
            scope = resolve(token, session=session, now=portal.clock())
        except LinkNotValid:
            answered = closed_round_answers(token, session=session)
            if answered is not None and signed_copy(token, session=session) is None:
                return _answers_page(portal, answered, ui=ui)
            return ended_link(portal, request, token, ui, base=f"/r/{token}")
        page = reviewer_page(scope, session=session, now=portal.clock())
    rendered = RenderedPage.of(
        _render_review(
            portal,
            page,
            token,
            ui=ui,
            lang=lang,
            flash=flash,
            refusal=refusal,
            form=form,
            both=both,
        ),
        shows_forms_until=None if page.late else page.closes_at,
    )
    if stamp is not None and stamp.usable:
        page_cache(request).put(_cache_key(link_hash, ui, lang, flash, both), stamp, rendered)
    return _page_response(portal, rendered, request, link_hash, status)


def _cache_key(
    link_hash: str, ui: str | None, lang: str | None, flash: str | None, both: bool
) -> tuple[object, ...]:
    return (link_hash, known_language(ui), lang, flash if flash in FLASHES else None, both)


def _stamp(portal: Portal, link_hash: str) -> Stamp | None:
    with portal.engine.connect() as connection:
        return read_stamp(connection, link_hash, now=portal.clock())


def _render_review(
    portal: Portal,
    page: ReviewerPage,
    token: str,
    *,
    ui: str | None,
    lang: str | None,
    flash: str | None,
    refusal: Refusal | None,
    form: Mapping[str, str] | None,
    both: bool = False,
) -> str:
    contact = page.scope.contact
    override = known_language(ui)
    ui_lang = ui_language(contact.language, ui)
    doc_lang = document_language(page.content, contact.language, lang)
    query = page_query(doc_lang, override)
    languages = page.content.agreement.languages
    columns = (doc_lang, *(code for code in languages if code != doc_lang)) if both else (doc_lang,)
    view = build_view(
        page,
        token=token,
        ui_lang=ui_lang,
        ui_override=override,
        doc_lang=doc_lang,
        both=len(columns) > 1,
        cache=portal.cache,
        render_clauses=lambda: _render_text(portal, page, ui_lang, doc_lang, columns, query),
        say_count=lambda number: (
            portal.translations[ui_lang].ngettext("%(num)s comment", "%(num)s comments", number)
            % {"num": number}
        ),
    )
    view.csrf_token = slot("csrf")
    view.keys = {name: slot(name) for name in FORMS}
    view.flash = portal.say(ui_lang)(FLASHES[flash]) if flash else None
    view.error = portal.refusal_text(refusal, ui_lang) if refusal else None
    view.error_field = refusal.field if refusal else None
    view.form = dict(form or {})
    view.late = portal.refusal_text(page.late, ui_lang) if page.late else None
    return portal.render(ui_lang, "portal/review.html", v=view, limit=COMMENT_LIMIT)


def _render_text(
    portal: Portal,
    page: ReviewerPage,
    ui_lang: str,
    doc_lang: str,
    columns: tuple[str, ...],
    query: str,
) -> str:
    """The clauses and the plan, one aligned column per language of `columns` (the reader's
    first); the same for every reader of the version, so the view caches it."""
    plans = [plan_view(page.content, code) for code in columns]
    return portal.render(
        ui_lang,
        "portal/_clauses.html",
        clauses=page.clauses,
        lang=doc_lang,
        columns=columns,
        query=query,
        pick=pick,
        numbered_paragraphs=numbered_paragraphs,
        plan=plans[0],
        plans=plans,
    )


ANSWER_VERDICTS = {
    "accepted": _("accepted"),
    "partly_accepted": _("partly accepted"),
    "not_accepted": _("not accepted"),
}


def _answers_page(portal: Portal, answered: ClosedRoundAnswers, *, ui: str | None) -> HTMLResponse:
    """The round is closed: the link shows the secretariat's answers to its party's comments,
    read-only (issue 11), and nothing else."""
    lang = ui_language(answered.contact_language, ui)
    say = portal.say(lang)
    html = portal.render(
        lang,
        "portal/review_answers.html",
        a=answered,
        verdicts={key: say(text) for key, text in ANSWER_VERDICTS.items()},
        pick=pick,
    )
    return HTMLResponse(html)


def _page_response(
    portal: Portal, page: RenderedPage, request: Request, link_hash: str, status: int
) -> HTMLResponse:
    """The page with this response's secrets, and the CSRF cookie they belong to."""
    cookie = csrf.usable_cookie(request.cookies.get(csrf.COOKIE)) or csrf.new_cookie_value()
    field = csrf.form_token(portal.secret, cookie, link_hash)
    response = HTMLResponse(page.fill(fresh_values(field, FORMS)), status_code=status)
    response.set_cookie(
        csrf.COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=portal.secure_cookies,
        path="/",
    )
    return response
