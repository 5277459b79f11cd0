"""Review rounds in the workspace: launch one (preview, then start as a flow run), and the
round board with the secretariat's answers to comments and its actions.

Routes only parse and hand over: the rules live in `accord.services.review`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from accord.documents.comments_matrix_docx import render_comments_matrix
from accord.errors import AccordError, Refusal
from accord.portal.posts import FormText
from accord.portal.uploads import (
    Malformed,
    TooLarge,
    chosen_file,
    file_bytes,
    read_form,
    text_field,
)
from accord.services.agreements import load_version, version_content
from accord.services.review import rules
from accord.services.review.answers import answer_comment
from accord.services.review.board import confirm_delegation, decline_delegation
from accord.services.review.launch import RoundPreview, launch_options, preview_round
from accord.services.review.matrix import matrix_rows
from accord.services.review.round_board import RoundBoard, round_board, round_of
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.review.secretariat import (
    PaperLetter,
    add_reviewer,
    close_early,
    extend_deadline,
    record_paper_decision,
    remind_now,
    send_to_another_contact,
)
from accord.services.staff.accounts import actor_of
from accord.workspace.deps import (
    PREFIX,
    NotOurs,
    OfficerDep,
    Staff,
    StaffDep,
    Workspace,
    WorkspaceDep,
    our_agreement,
)
from accord.workspace.frame import (
    FormExpired,
    OfficerPost,
    form_is_genuine,
    page,
    see_other,
)
from accord.workspace.page_cache import cached_page
from models import Agreement, AnswerVerdict

router = APIRouter(prefix=PREFIX)
T = TypeVar("T")

VERDICTS = tuple(v.value for v in AnswerVerdict)


def _round_number(text: str) -> int:
    """A round number in a path: digits, or the page that is not there."""
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise NotOurs()
    return int(text)


def _base(slug: str, number: int | str = "") -> str:
    path = f"{PREFIX}/agreements/{slug}/rounds"
    return f"{path}/{number}" if number != "" else path


# --- launching a round ------------------------------------------------------------------------


@dataclass
class LaunchForm:
    """What the officer chose, as sent (so a refused form comes back as it was)."""

    version: str = ""
    deadline: str = ""
    working_days: str = "10"
    internal: list[str] = field(default_factory=list)
    internal_working_days: str = "3"

    def request(self, slug: str) -> RoundRequest:
        """The request the service takes; a value that is not a date or number is refused."""
        return RoundRequest(
            agreement=slug,
            version=rules.number_given(self.version, field="version"),
            deadline=rules.day_given(self.deadline, field="deadline"),
            working_days=rules.number_given(self.working_days, field="working_days"),
            internal=tuple(self.internal),
            internal_working_days=rules.number_given(
                self.internal_working_days, field="internal_working_days"
            )
            or 3,
        )


def _launch_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    form: LaunchForm,
    *,
    preview: RoundPreview | None = None,
    refusal: AccordError | None = None,
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        agreement = our_agreement(session, staff, slug)
        options = launch_options(agreement, session=session)
    error, error_field = _said(workspace, staff, refusal)
    return page(
        workspace,
        request,
        "round_new.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        status=422 if refusal else 200,
        o=options,
        form=form,
        preview=preview,
        error=error,
        error_field=error_field,
    )


def _said(workspace: Workspace, staff: Staff, error: AccordError | None) -> tuple[str, str | None]:
    """A refusal in the reader's words with its field; another domain error as it is worded."""
    if error is None:
        return "", None
    if isinstance(error, Refusal):
        return workspace.refusal_text(error, staff.lang), error.field
    return str(error), None


@router.get("/agreements/{agreement}/rounds/new", response_class=HTMLResponse)
def new_round(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerDep
) -> HTMLResponse:
    return _launch_page(workspace, request, staff, agreement, LaunchForm())


@router.post("/agreements/{agreement}/rounds/new", response_model=None)
def new_round_post(
    agreement: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    version: FormText = "",
    deadline: FormText = "",
    working_days: FormText = "",
    internal: Annotated[list[str] | None, Form()] = None,
    internal_working_days: FormText = "3",
    action: FormText = "preview",
) -> Response:
    """ "Preview" shows the date and the people e-mailed; "Start" checks the round as the CLI
    does (the service in a rolled-back transaction), then starts the flow run."""
    form = LaunchForm(version, deadline, working_days, [i[:64] for i in internal or []][:50])
    form.internal_working_days = internal_working_days
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        agreement_id = found.id
        try:
            round_request = form.request(agreement)
            env = workspace.service_env(session, staff.account)
            preview = preview_round(round_request, env=env)
            if action == "start":
                start_round(round_request, env=env)
        except AccordError as error:
            session.rollback()
            return _launch_page(workspace, request, staff, agreement, form, refusal=error)
        session.rollback()
    if action != "start":
        return _launch_page(workspace, request, staff, agreement, form, preview=preview)
    run = workspace.launcher.launch(
        "review.start",
        {
            "agreement": agreement,
            "version": round_request.version,
            "deadline": round_request.deadline,
            "working_days": round_request.working_days,
            "internal": list(round_request.internal),
            "internal_working_days": round_request.internal_working_days,
            "actor": actor_of(staff.account),
        },
        account_id=staff.id,
        secretariat_id=staff.secretariat.id or 0,
        agreement_id=agreement_id,
    )
    return see_other(f"{PREFIX}/runs/{run}")


# --- the round board --------------------------------------------------------------------------


def _board_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    number: int,
    *,
    refusal: AccordError | None = None,
    at: str = "",
    sent: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        agreement = our_agreement(session, staff, slug)
        board = _or_not_ours(lambda: round_board(agreement, number, session=session))
    forms = {f"comment-{c.id}" for c in board.comments} | {f"delegation-{h.id}" for h in board.held}
    if board.is_open:
        forms |= {"paper", "remind", "close", "deadline", "reviewer"}
        forms |= {f"mail-{m.message_id}" for p in board.parties for m in p.bounced}
    at = at if at in forms else ""  # a form no longer on the board: the message atop
    error, error_field = _said(workspace, staff, refusal)
    return page(
        workspace,
        request,
        "round_board.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        status=422 if refusal else 200,
        b=board,
        base=_base(slug, number),
        verdicts=VERDICTS,
        error=error,
        error_field=error_field,
        error_at=at,
        sent=sent or {},
        done=done,
    )


def _board_context(slug: str, number: int, board: RoundBoard) -> dict[str, object]:
    """What the board shows, the same for everyone of the secretariat (no message, no form
    sent back)."""
    return {
        "b": board,
        "base": _base(slug, number),
        "verdicts": VERDICTS,
        "error": "",
        "error_field": None,
        "error_at": "",
        "sent": {},
        "done": None,
    }


def _or_not_ours(work: Callable[[], T]) -> T:
    """A round the agreement does not have is the same 404 as another secretariat's."""
    try:
        return work()
    except Refusal as refusal:
        if refusal.code == "review.no_such_round":
            raise NotOurs() from None
        raise


@router.get("/agreements/{agreement}/rounds/{round}", response_class=HTMLResponse)
def board(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: StaffDep,
    done: str | None = None,
) -> HTMLResponse:
    number = _round_number(round)

    def context() -> dict[str, object]:
        with Session(workspace.portal.engine) as session:
            found = our_agreement(session, staff, agreement)
            board = _or_not_ours(lambda: round_board(found, number, session=session))
        return _board_context(agreement, number, board)

    if done is None:
        cached = cached_page(
            workspace,
            request,
            staff,
            "round_board.html",
            what=(agreement, number),
            section="agreements",
            context=context,
        )
        if cached is not None:
            return cached
    return _board_page(workspace, request, staff, agreement, number, done=(done or "")[:20])


@router.get("/agreements/{agreement}/rounds/{round}/comments-matrix.docx")
def matrix(
    agreement: str, round: str, request: Request, workspace: WorkspaceDep, staff: StaffDep
) -> Response:
    """The comments matrix as it stands now, with the answers given so far."""
    number = _round_number(round)
    with Session(workspace.portal.engine) as session:
        found = our_agreement(session, staff, agreement)
        round_ = _or_not_ours(lambda: round_of(found, number, session=session))
        version = load_version(round_.version_id, session=session)
        content = version_content(version)
        data = render_comments_matrix(
            content,
            matrix_rows(round_, session=session),
            round_number=round_.number,
            version_number=version.number,
            sha256=version.sha256,
            created_at=workspace.portal.clock(),
            language=content.agreement.primary_language,
        )
    name = f"{found.slug}-round-{number}-comments.docx"
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _act(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    round_text: str,
    work: Callable[[Agreement, Session], object],
    *,
    done: str,
    at: str = "",
    sent: dict[str, str] | None = None,
    anchor: str = "",
) -> Response:
    """One board action in one transaction: back to the board, or the board with the refusal
    beside the form that caused it (`at` names that form)."""
    number = _round_number(round_text)

    def run(session: Session) -> None:
        agreement = our_agreement(session, staff, slug)
        _or_not_ours(lambda: round_of(agreement, number, session=session))
        work(agreement, session)

    try:
        workspace.portal.write(run)
    except AccordError as error:
        return _board_page(workspace, request, staff, slug, number, refusal=error, at=at, sent=sent)
    return see_other(f"{_base(slug, number)}?done={done}{anchor}")


@router.post("/agreements/{agreement}/rounds/{round}/answer", response_model=None)
def answer(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    comment: FormText = "",
    response: FormText = "",
    verdict: FormText = "",
) -> Response:
    """The secretariat's answer to one comment (written again, it replaces the last one)."""
    comment_id = int(comment) if comment.isascii() and comment.isdigit() else 0

    def work(found: Agreement, session: Session) -> None:
        env = workspace.service_env(session, staff.account)
        answer_comment(found.slug, _round_number(round), comment_id, response, verdict, env=env)

    return _act(
        workspace,
        request,
        staff,
        agreement,
        round,
        work,
        done="answered",
        at=f"comment-{comment_id}",
        sent={"response": response, "verdict": verdict},
        anchor=f"#comment-{comment_id}",
    )


@router.post("/agreements/{agreement}/rounds/{round}/delegation", response_model=None)
def delegation(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    delegation: FormText = "",
    action: FormText = "",
) -> Response:
    """Confirm a held delegation (the colleague gets a link) or decline it (the delegator is
    told)."""
    held = int(delegation) if delegation.isascii() and delegation.isdigit() else 0

    def work(found: Agreement, session: Session) -> None:
        env = workspace.service_env(session, staff.account)
        if action == "confirm":
            confirm_delegation(found.slug, held, env=env)
        else:
            decline_delegation(found.slug, held, env=env)

    done = "confirmed" if action == "confirm" else "declined"
    return _act(
        workspace, request, staff, agreement, round, work, done=done, at=f"delegation-{held}"
    )


# --- the board's actions on a running round ---------------------------------------------------


@router.post("/agreements/{agreement}/rounds/{round}/remind", response_model=None)
def remind(
    agreement: str, round: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    """Queue the reminders of the parties that have not answered, now."""

    def work(found: Agreement, session: Session) -> None:
        remind_now(
            found.slug, _round_number(round), env=workspace.service_env(session, staff.account)
        )

    return _act(workspace, request, staff, agreement, round, work, done="reminded", at="remind")


@router.post("/agreements/{agreement}/rounds/{round}/close", response_model=None)
def close(
    agreement: str, round: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    """End the round before its deadline, with the outcome its answers give."""

    def work(found: Agreement, session: Session) -> None:
        close_early(
            found.slug, _round_number(round), env=workspace.service_env(session, staff.account)
        )

    return _act(workspace, request, staff, agreement, round, work, done="closed", at="close")


PAPER_FIELDS = (
    "csrf_token",
    "party",
    "decision",
    "reason",
    "incoming_number",
    "incoming_date",
    "outgoing_number",
    "outgoing_date",
    "late",
)


@router.post("/agreements/{agreement}/rounds/{round}/paper", response_model=None)
async def paper(
    agreement: str, round: str, request: Request, workspace: WorkspaceDep, staff: OfficerDep
) -> Response:
    """A decision received on paper, with its letter and a scan (multipart, read under the
    scan's size limit while it streams)."""
    try:
        form = await read_form(request, file_limit=rules.SCAN_LIMIT)
    except TooLarge:
        return await _paper_refused(workspace, request, staff, agreement, round, {})
    except Malformed:
        raise FormExpired(staff.lang) from None
    try:
        fields = {name: text_field(form, name) for name in PAPER_FIELDS}
        if not form_is_genuine(workspace, request, fields["csrf_token"], staff):
            raise FormExpired(staff.lang)
        upload = chosen_file(form, "scan")
        scan = await file_bytes(upload, limit=rules.SCAN_LIMIT) if upload else None
    except TooLarge:
        return await _paper_refused(workspace, request, staff, agreement, round, fields)
    finally:
        await form.close()
    name = (upload.filename or "") if upload else ""
    return await run_in_threadpool(
        _record_paper, workspace, request, staff, agreement, round, fields, name, scan
    )


async def _paper_refused(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    round_text: str,
    fields: dict[str, str],
) -> Response:
    number = _round_number(round_text)
    return await run_in_threadpool(
        lambda: _board_page(
            workspace,
            request,
            staff,
            slug,
            number,
            refusal=rules.scan_too_large(),
            at="paper",
            sent=fields,
        )
    )


def _record_paper(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    round_text: str,
    fields: dict[str, str],
    scan_name: str,
    scan: bytes | None,
) -> Response:
    number = _round_number(round_text)

    def work(found: Agreement, session: Session) -> None:
        letter = PaperLetter(
            incoming_number=fields["incoming_number"].strip(),
            incoming_date=rules.day_given(fields["incoming_date"], field="incoming_date"),
            outgoing_number=fields["outgoing_number"].strip(),
            outgoing_date=rules.day_given(fields["outgoing_date"], field="outgoing_date"),
            scan_name=scan_name,
            scan=scan,
        )
        record_paper_decision(
            found.slug,
            number,
            fields["party"],
            rules.paper_decision(fields["decision"]),
            fields["reason"] or None,
            letter,
            env=workspace.service_env(session, staff.account),
            late_reason=fields["late"] or None,
        )

    return _act(
        workspace, request, staff, slug, round_text, work, done="recorded", at="paper", sent=fields
    )


@router.post("/agreements/{agreement}/rounds/{round}/resend", response_model=None)
def resend(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    message: FormText = "",
    contact: FormText = "",
) -> Response:
    """A review e-mail bounced: send the review to another contact of the party."""
    message_id = int(message) if message.isascii() and message.isdigit() else 0
    contact_id = int(contact) if contact.isascii() and contact.isdigit() else 0

    def work(found: Agreement, session: Session) -> None:
        send_to_another_contact(
            found.slug,
            _round_number(round),
            message_id,
            contact_id,
            env=workspace.service_env(session, staff.account),
        )

    return _act(
        workspace, request, staff, agreement, round, work, done="sent", at=f"mail-{message_id}"
    )


@router.post("/agreements/{agreement}/rounds/{round}/deadline", response_model=None)
def deadline(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    new_deadline: FormText = "",
) -> Response:
    """Extend the open stage's deadline; its reviewers are told by e-mail."""

    def work(found: Agreement, session: Session) -> None:
        day = rules.day_given(new_deadline, field="new_deadline")
        if day is None:
            raise rules.no_new_deadline()
        extend_deadline(
            found.slug, _round_number(round), day, env=workspace.service_env(session, staff.account)
        )

    return _act(
        workspace,
        request,
        staff,
        agreement,
        round,
        work,
        done="extended",
        at="deadline",
        sent={"new_deadline": new_deadline},
    )


@router.post("/agreements/{agreement}/rounds/{round}/reviewer", response_model=None)
def reviewer(
    agreement: str,
    round: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    party: FormText = "",
    name: FormText = "",
    email: FormText = "",
    replacing: FormText = "",
) -> Response:
    """Add a reviewer to a party, or replace one (whose link stops working at once)."""
    replaced = int(replacing) if replacing.isascii() and replacing.isdigit() else None

    def work(found: Agreement, session: Session) -> None:
        add_reviewer(
            found.slug,
            _round_number(round),
            party,
            name,
            email,
            env=workspace.service_env(session, staff.account),
            replacing=replaced,
        )

    sent = {"party": party, "name": name, "email": email, "replacing": replacing}
    return _act(
        workspace, request, staff, agreement, round, work, done="added", at="reviewer", sent=sent
    )
