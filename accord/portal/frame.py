"""What every page of the portal shares: the plain message pages, the reader's language,
the language bar, and the addresses a page links to itself with."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from accord.i18n import languages
from accord.portal.deps import Portal, _
from accord.portal.i18n import FALLBACK, UI_LANGUAGES, known_language, language_name, ui_language
from accord.services.documents import ensure_version_document
from accord.services.signed_copy import signed_copy
from accord.source.spec import LangText, VersionContent
from models import Agreement, AgreementVersion


def reader_language(request: Request, wanted: str | None) -> str:
    """For pages shown without a valid link: `?ui=`, else the browser's preference, else ru."""
    if wanted := known_language(wanted):
        return ui_language(wanted)
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = known_language(part.split(";")[0].strip())
        if code in UI_LANGUAGES:
            return code
    return FALLBACK


def message_page(
    portal: Portal, lang: str, *, status: int, heading: str, lines: list[str]
) -> HTMLResponse:
    say = portal.say(lang)
    html = portal.render(
        lang, "portal/message.html", heading=say(heading), lines=[say(line) for line in lines]
    )
    return HTMLResponse(html, status_code=status)


def link_not_valid(portal: Portal, lang: str) -> HTMLResponse:
    """The same page for every bad link: forged, foreign, or of a closed round."""
    return message_page(
        portal,
        lang,
        status=404,
        heading=_("This link is not valid"),
        lines=[
            _("The link may be mistyped or incomplete, or the review it belonged to has ended."),
            _("If you still need to review, ask the secretariat that wrote to you for a new link."),
        ],
    )


def form_expired(portal: Portal, lang: str) -> HTMLResponse:
    return message_page(
        portal,
        lang,
        status=403,
        heading=_("This form has expired"),
        lines=[
            _("Nothing was saved. Reload the page and send the form again."),
        ],
    )


def fault(portal: Portal, lang: str) -> HTMLResponse:
    return message_page(
        portal,
        lang,
        status=500,
        heading=_("Something went wrong"),
        lines=[
            _(
                "The page could not be shown because of a fault on our side. Nothing was "
                "saved. Try again in a few minutes; if it happens again, write to the "
                "secretariat."
            ),
        ],
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def version_docx(portal: Portal, agreement: Agreement, version: AgreementVersion) -> Response:
    """A version's DOCX as a download (rendered now if this machine does not have it): the
    same text and hash the page shows."""
    name = ensure_version_document(agreement, version, store=portal.store)
    filename = name.rsplit("/", 1)[-1]
    return Response(
        portal.store.read(name),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def ended_link(
    portal: Portal, request: Request, token: str, ui: str | None, *, base: str
) -> HTMLResponse:
    """A link (its page at `base`) that no longer opens its page: after every party signed,
    the signed agreement to download (the reader came for it, whatever the link was for);
    else "not valid"."""
    with Session(portal.engine) as session:
        copy = signed_copy(token, session=session)
    if copy is None:
        return link_not_valid(portal, reader_language(request, ui))
    lang = ui_language(copy.contact_language, ui)
    doc_lang = document_language_of(copy.languages, lang)
    html = portal.render(
        lang,
        "portal/signed_copy.html",
        title=languages.pick(copy.title, doc_lang),
        effective_date=copy.effective_date,
        download=f"{base}/signed.docx",
    )
    return HTMLResponse(html)


def signed_docx(portal: Portal, request: Request, token: str, ui: str | None) -> Response:
    """The signed agreement with its certificate page, for a link whose agreement is signed."""
    with Session(portal.engine) as session:
        copy = signed_copy(token, session=session)
    if copy is None or not portal.store.exists(copy.document):
        return link_not_valid(portal, reader_language(request, ui))
    filename = copy.document.rsplit("/", 1)[-1]
    return Response(
        portal.store.read(copy.document),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def document_language_of(codes: tuple[str, ...], reader: str) -> str:
    """The reader's language if the agreement is written in it, else its primary language."""
    return reader if reader in codes else codes[0]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str
    href: str
    current: bool


def language_bar(
    current: str, href: Callable[[str], str], codes: Iterable[str] = UI_LANGUAGES
) -> list[LanguageChoice]:
    """One choice per language, each named in itself, linking to `href(code)`."""
    return [
        LanguageChoice(code, language_name(code), href(code), code == current) for code in codes
    ]


def page_query(doc_lang: str, ui_override: str | None, **extra: str) -> str:
    """The page's own query string (both languages kept), plus `extra`."""
    params = {"lang": doc_lang, **({"ui": ui_override} if ui_override else {})}
    params.update(extra)
    return "?" + urlencode(params)


def document_language(content: VersionContent, contact_language: str, wanted: str | None) -> str:
    """`?lang=` if the agreement has it, else the contact's language if it has it, else primary."""
    languages = content.agreement.languages
    for choice in (wanted, contact_language):
        if choice in languages:
            return choice
    return content.agreement.primary_language


def org_name(name: LangText, lang: str) -> str:
    """A name in the reader's language, along the registry's one fallback chain."""
    return languages.pick(name, lang)
