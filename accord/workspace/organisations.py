"""Organisations and their contacts, as the secretariat's agreements name them.

Scope: the organisations a staff member sees are their own secretariat and every party of
an agreement their secretariat runs; any other organisation is the same 404 as an unknown
one (`NotOurs`), so another commission's partners are never listed or revealed. Everyone
signed in reads; officers and administrators edit organisations and contacts and add an
organisation (a future party): the secretariat that added it sees it from then on.

organizations.yaml stays the only source: a form changes one organisation or contact in
the file, or adds one (comments and layout kept), after the loader accepted the whole new
file and only if the organisation's entry is still as the form showed it
(`sources.save_organisations`); then the `draft` flow brings the tables in step, as `accord
draft` does. The file holds every organisation of the install, so a page and its forms
carry that one entry, never the file. Deactivating a contact first hands their open links
to a colleague (`accord.services.handover`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select

from accord.errors import Refusal
from accord.i18n.languages import tags
from accord.portal.deps import _
from accord.portal.posts import FormText
from accord.services import handover
from accord.services.drafting import organizations_source as orgs_file
from accord.services.drafting import rules, sources
from accord.services.staff.accounts import actor_of
from accord.source.loader import ORGANIZATIONS_FILE
from accord.source.spec import ContactRole, OrgKind
from accord.workspace.deps import PREFIX, NotOurs, Staff, StaffDep, Workspace, WorkspaceDep
from accord.workspace.frame import OfficerPost, page, see_other
from accord.workspace.sources import library_of
from models import Agreement, AgreementParty, Organization

router = APIRouter(prefix=PREFIX)
ELSEWHERE = _(
    "The files would not load after this change, for reasons outside this organisation; "
    "whoever maintains the agreements folder can say why."
)


def _ours(session: Session, staff: Staff) -> ColumnElement[bool]:
    """The condition on Organization: our secretariat, a party of one of our agreements, or
    one we added."""
    parties = (
        select(AgreementParty.organization_id)
        .join(Agreement, col(Agreement.id) == AgreementParty.agreement_id)
        .where(Agreement.secretariat_id == staff.secretariat.id)
    )
    added = sources.organisations_added_by(staff.secretariat.slug, session=session)
    return or_(
        col(Organization.id) == staff.secretariat.id,
        col(Organization.id).in_(parties),
        col(Organization.slug).in_(added),
    )


def our_organisation(session: Session, staff: Staff, slug: str) -> Organization:
    found = session.exec(
        select(Organization).where(Organization.slug == slug, _ours(session, staff))
    ).first()
    if found is None:
        raise NotOurs()
    return found


def require_ours(workspace: Workspace, staff: Staff, slug: str) -> None:
    """Another secretariat's organisation is the same 404 as an unknown one."""
    with Session(workspace.portal.engine) as session:
        our_organisation(session, staff, slug)


@dataclass(frozen=True)
class Editing:
    """Which form was sent and what it said, with the refusal to show beside it."""

    form: str = ""
    """`org`, `new` (a contact), `c<id>` (a contact), `d<id>` (a deactivation) or `add` (a
    new organisation)."""
    values: dict[str, str] | None = None
    error: str = ""
    error_field: str | None = None
    problems: tuple[orgs_file.FieldProblem, ...] = ()
    diff: str = ""


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, workspace: WorkspaceDep, staff: StaffDep) -> HTMLResponse:
    return _organisations_page(workspace, request, staff, Editing())


def _organisations_page(
    workspace: Workspace, request: Request, staff: Staff, editing: Editing, *, status: int = 200
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = session.exec(
            select(Organization).where(_ours(session, staff)).order_by(col(Organization.slug))
        ).all()
        session.expunge_all()
    current = _current_file(workspace)
    return page(
        workspace,
        request,
        "organisations.html",
        lang=staff.lang,
        staff=staff,
        section="organisations",
        status=status,
        organisations=found,
        has_file=current is not None,
        kinds=[k.value for k in OrgKind],
        roles=[r.value for r in ContactRole],
        languages=_secretariat_first(staff, current),
        country=staff.secretariat.country,
        e=editing,
        error=editing.error,
        error_field=editing.error_field,
    )


def _current_file(workspace: Workspace) -> sources.SourceText | None:
    path = workspace.portal.settings.agreements_dir / ORGANIZATIONS_FILE
    return sources.read_source(path) if path.is_file() else None


def _secretariat_first(staff: Staff, current: sources.SourceText | None) -> list[str]:
    """Every language, those the file writes the secretariat's own name in first and in its
    order: the names a new organisation of its country is usually given."""
    try:
        own = orgs_file.name_languages(current.text, staff.secretariat.slug) if current else []
    except Refusal:
        own = []
    own = [tag for tag in own if tag in tags()]
    return own + [tag for tag in tags() if tag not in own]


@router.post("/organisations", response_class=HTMLResponse)
async def new_organisation_post(
    request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    """Add an organisation with its first contact (officers: a party-to-be of an agreement
    they prepare)."""
    data = await request.form()
    values = _form_values({k: v for k, v in data.items() if isinstance(v, str)})
    roles = tuple(v for v in data.getlist("roles") if isinstance(v, str))[:10]
    languages = _secretariat_first(staff, _current_file(workspace))
    new = orgs_file.NewOrganisation(
        id=values.get("id", "").lower(),
        kind=values.get("kind", ""),
        country=values.get("country", "").upper(),
        names={lang: values.get(f"name_{lang}", "") for lang in languages},
        contact=orgs_file.ContactChange(
            name=values.get("name", ""),
            email=values.get("email", ""),
            language=values.get("language", ""),
            roles=roles,
            titles={lang: values.get(f"title_{lang}", "") for lang in languages},
        ),
    )
    values["roles"] = " ".join(roles)

    def edit(text: str) -> str:
        rules.require_new_organisation(new.id, new.names)
        with Session(workspace.portal.engine) as session:
            orgs_file.require_unused_id(new.id, session=session)
        return orgs_file.add_organisation(text, new)

    return _save(
        workspace,
        request,
        staff,
        None,
        Editing("add", values),
        _Change(new.id, None, edit, orgs_file.locate_new_organisation(new.id)),
        added=new.id,
    )


@router.get("/organisations/{org}", response_class=HTMLResponse)
def organisation_page(
    org: str, request: Request, workspace: WorkspaceDep, staff: StaffDep, done: str = ""
) -> HTMLResponse:
    return _organisation_page(workspace, request, staff, org, Editing(), done=done[:16])


def _organisation_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str,
    editing: Editing,
    *,
    done: str = "",
    status: int = 200,
) -> HTMLResponse:
    with Session(workspace.portal.engine) as session:
        found = our_organisation(session, staff, slug)
        contacts = [c for c in found.contacts if not c.delegate]
        session.expunge_all()
    current = _current_file(workspace)
    try:
        titles = orgs_file.contact_titles(current.text, slug) if current else {}
        entry = orgs_file.entry_text(current.text, slug) if current else ""
    except Refusal:
        titles, entry = {}, ""
    return page(
        workspace,
        request,
        "organisation.html",
        lang=staff.lang,
        staff=staff,
        section="organisations",
        status=status,
        org=found,
        contacts=contacts,
        titles=titles,
        entry=entry,
        kinds=[k.value for k in OrgKind],
        roles=[r.value for r in ContactRole],
        languages=tags(),
        e=editing,
        error=editing.error,
        error_field=editing.error_field,
        done=done,
    )


def _form_values(data: dict[str, str]) -> dict[str, str]:
    return {k: v.strip()[:2000] for k, v in data.items() if k not in ("csrf_token", "entry")}


LONGEST_ENTRY = 200_000
"""Characters of the entry a form may carry back (a longer one cannot be as it was shown)."""


def _started_from(data: dict[str, str]) -> str:
    """The organisation's entry as the form showed it, byte for byte (not trimmed)."""
    return data.get("entry", "")[:LONGEST_ENTRY].replace("\r\n", "\n")


@router.post("/organisations/{org}", response_class=HTMLResponse)
async def organisation_post(
    org: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    require_ours(workspace, staff, org)
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    values = _form_values(data)
    change = orgs_file.OrganisationChange(
        kind=values.get("kind", ""),
        country=values.get("country", "").upper(),
        names={lang: values.get(f"name_{lang}", "") for lang in tags()},
    )
    return _save(
        workspace,
        request,
        staff,
        org,
        Editing("org", values),
        _Change(
            org,
            _started_from(data),
            lambda text: orgs_file.edit_organisation(text, org, change),
            orgs_file.locate_organisation(org),
        ),
    )


@router.post("/organisations/{org}/contacts", response_class=HTMLResponse)
async def contact_post(
    org: str, request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    require_ours(workspace, staff, org)
    data = await request.form()
    texts = {k: v for k, v in data.items() if isinstance(v, str)}
    values = _form_values(texts)
    roles = tuple(v for v in data.getlist("roles") if isinstance(v, str))[:10]
    original = values.get("contact", "")
    change = orgs_file.ContactChange(
        name=values.get("name", ""),
        email=values.get("email", ""),
        language=values.get("language", ""),
        roles=roles,
        titles={lang: values.get(f"title_{lang}", "") for lang in tags()},
    )
    values["roles"] = " ".join(roles)
    form = values.get("form", "new")[:12]
    return _save(
        workspace,
        request,
        staff,
        org,
        Editing(form, values),
        _Change(
            org,
            _started_from(texts),
            lambda text: orgs_file.put_contact(text, org, original, change),
            orgs_file.locate_contact(org, change.email),
        ),
    )


@dataclass(frozen=True)
class _Change:
    """What a form does to organizations.yaml: the organisation whose entry it changes, that
    entry as the form showed it (None: a new organisation), the edit, and where its fields
    are in the new text."""

    org: str
    started_from: str | None
    edit: orgs_file.Edit
    locate: orgs_file.Locate


def _save(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str | None,
    editing: Editing,
    change: _Change,
    *,
    added: str = "",
) -> Response:
    """Apply the edit to the current file, check it and a dry run of drafting it, write it
    under the per-entry rule, then draft it. `slug`: the organisation whose page has the form
    (None: the list's form adding `added`)."""
    folder = workspace.portal.settings.agreements_dir

    def dry_run(text: str) -> None:
        with Session(workspace.portal.engine) as session:
            orgs_file.dry_run(text, change.org, session=session, actor=actor_of(staff.account))
            session.rollback()

    def save() -> sources.Saved:
        return sources.save_organisations(
            orgs_file.organisations_path(folder),
            change.edit,
            org=change.org,
            started_from=change.started_from,
            library=library_of(workspace),
            also=dry_run,
        )

    saved = _saving(workspace, request, staff, slug, editing, change, save)
    if isinstance(saved, HTMLResponse):
        return saved
    path = folder / ORGANIZATIONS_FILE
    return _draft(workspace, staff, path, saved, revoke=False, added=added)


def _saving(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str | None,
    editing: Editing,
    change: _Change,
    save: Callable[[], sources.Saved],
) -> sources.Saved | HTMLResponse:
    """The save's hashes, or the page again with why nothing was written: the entry changed
    meanwhile (with its diff), the loader's problems at their fields, or a refusal."""
    try:
        return save()
    except rules.SourceChanged as changed:
        text = workspace.refusal_text(changed.refusal, staff.lang)
        return _refused(workspace, request, staff, slug, editing, error=text, diff=changed.diff)
    except orgs_file.OrganisationsInvalid as invalid:
        found = orgs_file.field_problems(invalid.text, invalid.problems, change.org, change.locate)
        return _refused(workspace, request, staff, slug, editing, problems=found)
    except Refusal as refusal:
        text = workspace.refusal_text(refusal, staff.lang)
        return _refused(workspace, request, staff, slug, editing, error=text, field=refusal.field)


def _refused(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    slug: str | None,
    editing: Editing,
    *,
    error: str = "",
    field: str | None = None,
    problems: tuple[orgs_file.FieldProblem, ...] = (),
    diff: str = "",
) -> HTMLResponse:
    """The page again with the person's values, the refusal beside its field (or atop the
    form), and on a conflict what changed in the organisation's entry; nothing was written."""
    first = next((p for p in problems if p.inside and _on_form(editing.form, p.field)), None)
    inside = next((p for p in problems if p.inside), None)
    if first is not None:
        error, field = first.problem.message, first.field
    elif inside is not None and not error:
        error = inside.problem.message
    elif problems and not error:
        error = workspace.say(staff.lang)(ELSEWHERE)
    shown = Editing(
        editing.form,
        editing.values,
        error or " ",
        f"{editing.form}-{field}" if field else None,
        problems,
        diff,
    )
    status = 409 if diff else 422
    if slug is None:
        return _organisations_page(workspace, request, staff, shown, status=status)
    return _organisation_page(workspace, request, staff, slug, shown, status=status)


def _on_form(form: str, field: str | None) -> bool:
    """Whether the form has the field (a problem elsewhere in the file is shown atop it)."""
    of_organisation = field in ("kind", "country") or (field or "").startswith("name_")
    of_contact = field in ("name", "email", "language", "roles") or (field or "").startswith(
        "title_"
    )
    if form == "org":
        return of_organisation
    if form == "add":
        return field == "id" or of_organisation or of_contact
    return of_contact


def _draft(
    workspace: Workspace,
    staff: Staff,
    path: Path,
    saved: sources.Saved,
    *,
    revoke: bool,
    added: str = "",
) -> Response:
    """The audit entry of the saved file (or of the organisation `added` to it), then
    `accord draft` on it as a flow run."""

    def record(session: Session) -> None:
        env = workspace.portal.service_env(session, actor=actor_of(staff.account))
        before, after = saved.before, saved.after
        if added:
            sources.record_organisation_added(
                added,
                path.name,
                secretariat=staff.secretariat.slug,
                before=before,
                after=after,
                env=env,
            )
        else:
            sources.record_organisations_saved(path.name, before=before, after=after, env=env)

    workspace.portal.write(record)
    params: dict[str, object] = {"paths": [str(path)], "actor": actor_of(staff.account)}
    if revoke:
        params["revoke_open_access"] = True
    run = workspace.launcher.launch(
        "draft",
        params,
        account_id=staff.id,
        secretariat_id=staff.secretariat.id or 0,
        agreement_id=None,
    )
    return see_other(f"{PREFIX}/runs/{run}")


@router.post("/organisations/{org}/deactivate", response_class=HTMLResponse)
def deactivate_post(
    org: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    contact: FormText = "",
    colleague: FormText = "",
    entry: FormText = "",
) -> Response:
    """Hand the contact's open links to the colleague, mark them inactive and drop them from
    organizations.yaml, in one transaction (an entry changed meanwhile rolls it all back)."""
    require_ours(workspace, staff, org)
    folder = workspace.portal.settings.agreements_dir
    change = _Change(
        org,
        _started_from({"entry": entry}),
        lambda text: orgs_file.drop_contact(text, org, contact),
        orgs_file.locate_organisation(org),
    )

    def work(session: Session) -> sources.Saved:
        found = our_organisation(session, staff, org)
        leaving = handover.find_contact(found, contact, session=session)
        chosen = handover.require_colleague(leaving, colleague, session=session)
        handover.deactivate_contact(
            leaving, chosen, env=workspace.service_env(session, staff.account)
        )
        return sources.save_organisations(
            orgs_file.organisations_path(folder),
            change.edit,
            org=org,
            started_from=change.started_from,
            library=library_of(workspace),
        )

    editing = Editing(f"d{contact}"[:60], {"contact": contact, "colleague": colleague})
    saved = _saving(
        workspace, request, staff, org, editing, change, lambda: workspace.portal.write(work)
    )
    if isinstance(saved, HTMLResponse):
        return saved
    return _draft(workspace, staff, folder / ORGANIZATIONS_FILE, saved, revoke=True)
