"""Officers edit an agreement's source in the browser, and start a new agreement from the
clause library. The files in the agreements folder stay the only source of truth: a save
replaces the file only if it still has the content the officer started from (otherwise the
page shows what changed), then drafts it exactly as `accord draft` does, as a flow run."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.i18n.languages import tags
from accord.portal.i18n import language_name
from accord.portal.posts import FormText
from accord.services.agreements import latest_version
from accord.services.drafting import rules, sources
from accord.services.staff.accounts import actor_of
from accord.source.clause_library import ClauseLibrary
from accord.source.problems import Problem
from accord.source.spec import AgreementKind, PartyRole
from accord.workspace.deps import (
    PREFIX,
    OfficerDep,
    Staff,
    Workspace,
    WorkspaceDep,
    our_agreement,
)
from accord.workspace.frame import NOT_FOUND, OfficerPost, message, page, see_other
from models import Agreement, Organization

router = APIRouter(prefix=PREFIX)


@lru_cache(maxsize=4)
def _library(directory: str) -> ClauseLibrary:
    """Indexed once per folder; each file is parsed once, when first looked up."""
    return ClauseLibrary.from_directory(Path(directory))


def library_of(workspace: Workspace) -> ClauseLibrary:
    return _library(str(workspace.portal.settings.clauses_dir))


@dataclass(frozen=True)
class Editing:
    """What the source form carries: the text, and the file's content it started from."""

    text: str
    base: str
    original: str
    problems: tuple[Problem, ...] = ()
    checked: bool = False
    diff: str = ""

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def problem_lines(self) -> frozenset[int]:
        return frozenset(p.line for p in self.problems)


class NoSourceFile(Exception):
    """The agreement is ours but its file is not in the agreements folder: the page says so."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def _file(workspace: Workspace, staff: Staff, slug: str) -> tuple[Agreement, Path]:
    with Session(workspace.portal.engine) as session:
        agreement = our_agreement(session, staff, slug)
        version = latest_version(agreement, session=session)
        session.expunge(agreement)
    try:
        path = sources.agreement_file(
            workspace.portal.settings.agreements_dir,
            agreement.slug,
            version.source_path if version else None,
        )
    except Refusal as refusal:
        raise NoSourceFile(refusal) from None
    return agreement, path


def _no_file(
    workspace: Workspace, request: Request, staff: Staff, missing: NoSourceFile
) -> HTMLResponse:
    heading, _lines = NOT_FOUND
    return message(
        workspace,
        request,
        lang=staff.lang,
        staff=staff,
        status=404,
        heading=heading,
        lines=[workspace.refusal_text(missing.refusal, staff.lang)],
    )


def _source_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    agreement: Agreement,
    path: Path,
    editing: Editing,
    *,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    return page(
        workspace,
        request,
        "source.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        status=status,
        agreement=agreement,
        file=path.name,
        e=editing,
        error=error,
        error_field="text" if error else None,
    )


@router.get("/agreements/{agreement}/source", response_class=HTMLResponse)
def source_page(
    agreement: str, request: Request, workspace: WorkspaceDep, staff: OfficerDep
) -> HTMLResponse:
    try:
        found, path = _file(workspace, staff, agreement)
    except NoSourceFile as missing:
        return _no_file(workspace, request, staff, missing)
    current = sources.read_source(path)
    editing = Editing(current.text, current.sha256, current.text)
    return _source_page(workspace, request, staff, found, path, editing)


@router.post("/agreements/{agreement}/source", response_class=HTMLResponse)
def source_post(
    agreement: str,
    request: Request,
    workspace: WorkspaceDep,
    staff: OfficerPost,
    text: FormText = "",
    base: FormText = "",
    original: FormText = "",
    action: FormText = "check",
) -> Response:
    try:
        found, path = _file(workspace, staff, agreement)
    except NoSourceFile as missing:
        return _no_file(workspace, request, staff, missing)
    text = text.replace("\r\n", "\n")
    original = original.replace("\r\n", "\n")
    editing = Editing(text, base, original)
    try:
        rules.require_text_size(text)
        checked = sources.check_source_text(
            text,
            name=path.name,
            agreements_dir=workspace.portal.settings.agreements_dir,
            library=library_of(workspace),
        )
        editing = Editing(text, base, original, checked.problems, checked=True)
        if not checked.ok or action != "save":
            status = 200 if checked.ok else 422
            return _source_page(workspace, request, staff, found, path, editing, status=status)
        assert checked.agreement is not None
        rules.require_same_agreement(
            slug=found.slug,
            found_id=checked.agreement.id,
            secretariat=staff.secretariat.slug,
            found_secretariat=checked.agreement.secretariat,
        )
        after = sources.save_source(path, text, base=base, started_from=original)
    except rules.SourceChanged as changed:
        current = sources.read_source(path)
        editing = Editing(text, current.sha256, current.text, diff=changed.diff)
        message = workspace.refusal_text(changed.refusal, staff.lang)
        return _source_page(
            workspace, request, staff, found, path, editing, error=message, status=409
        )
    except Refusal as refusal:
        message = workspace.refusal_text(refusal, staff.lang)
        return _source_page(
            workspace, request, staff, found, path, editing, error=message, status=422
        )
    return _draft(workspace, staff, found.slug, path, before=base, after=after, agreement=found)


def _draft(
    workspace: Workspace,
    staff: Staff,
    slug: str,
    path: Path,
    *,
    before: str | None,
    after: str,
    agreement: Agreement | None,
) -> Response:
    """The audit entry of the saved file, then the `draft` flow on it: a new version only
    when the content changed, its DOCX, exactly as `accord draft FILE`."""

    def record(session: Session) -> None:
        env = workspace.portal.service_env(session, actor=actor_of(staff.account))
        sources.record_source_saved(slug, path.name, before=before, after=after, env=env)

    workspace.portal.write(record)
    run = workspace.launcher.launch(
        "draft",
        {"paths": [str(path)], "actor": actor_of(staff.account)},
        account_id=staff.id,
        secretariat_id=staff.secretariat.id or 0,
        agreement_id=agreement.id if agreement else None,
    )
    return see_other(f"{PREFIX}/runs/{run}")


@dataclass(frozen=True)
class Starting:
    """The new-agreement form as sent (or its defaults)."""

    slug: str = ""
    kind: str = AgreementKind.mou.value
    country: str = ""
    languages: tuple[str, ...] = ()
    titles: dict[str, str] | None = None
    roles: dict[str, str] | None = None
    """Organisation id → role picked ("" or absent: not a party)."""
    clauses: tuple[str, ...] = ()


def _organisations(workspace: Workspace, country: str = "") -> list[Organization]:
    """Every organisation, those of `country` first (a national agreement's usual parties)."""
    with Session(workspace.portal.engine) as session:
        found = list(session.exec(select(Organization).order_by(col(Organization.slug))))
        session.expunge_all()
    return sorted(found, key=lambda org: org.country != country)


def _new_page(
    workspace: Workspace,
    request: Request,
    staff: Staff,
    form: Starting,
    *,
    error: str = "",
    error_field: str | None = None,
    problems: tuple[Problem, ...] = (),
    status: int = 200,
) -> HTMLResponse:
    library = library_of(workspace)
    return page(
        workspace,
        request,
        "new_agreement.html",
        lang=staff.lang,
        staff=staff,
        section="agreements",
        status=status,
        form=form,
        kinds=[k.value for k in AgreementKind],
        document_languages=[(code, language_name(code)) for code in tags()],
        organisations=_organisations(workspace, staff.secretariat.country),
        party_roles=[r.value for r in PartyRole],
        clause_names=rules.clause_order(library.names()),
        form_fields=["slug", "kind", "languages", "parties", "clauses"]
        + [f"title_{code}" for code in tags()],
        error=error,
        error_field=error_field,
        problems=problems,
    )


@router.get("/agreements/new", response_class=HTMLResponse)
def new_agreement_page(
    request: Request, workspace: WorkspaceDep, staff: OfficerDep
) -> HTMLResponse:
    library = library_of(workspace)
    form = Starting(
        country=staff.secretariat.country,
        clauses=library.names(),
        roles={staff.secretariat.slug: PartyRole.signatory.value},
    )
    return _new_page(workspace, request, staff, form)


@router.post("/agreements/new", response_class=HTMLResponse)
async def new_agreement_post(
    request: Request, workspace: WorkspaceDep, staff: OfficerPost
) -> Response:
    data = await request.form()

    def field(name: str) -> str:
        value = data.get(name)
        return value.strip()[:2000] if isinstance(value, str) else ""

    def fields(name: str) -> tuple[str, ...]:
        return tuple(v.strip()[:200] for v in data.getlist(name) if isinstance(v, str))

    organisations = _organisations(workspace)
    roles = {org.slug: field(f"role_{org.slug}") for org in organisations}
    form = Starting(
        slug=field("slug").lower(),
        kind=field("kind"),
        country=field("country").upper(),
        languages=fields("languages"),
        titles={lang: field(f"title_{lang}") for lang in tags()},
        roles=roles,
        clauses=fields("clauses"),
    )
    return _start(workspace, request, staff, form)


def _start(workspace: Workspace, request: Request, staff: Staff, form: Starting) -> Response:
    library = library_of(workspace)
    known_roles = {r.value for r in PartyRole}
    choice = rules.NewAgreement(
        slug=form.slug,
        kind=form.kind,
        country=form.country,
        languages=rules.document_order(form.languages, form.country, tags()),
        secretariat=staff.secretariat.slug,
        titles=dict(form.titles or {}),
        parties=tuple(
            (org, role) for org, role in (form.roles or {}).items() if role in known_roles
        ),
        clauses=tuple(name for name in rules.clause_order(library.names()) if name in form.clauses),
    )
    folder = workspace.portal.settings.agreements_dir
    path = folder / f"{choice.slug}.yaml"
    try:
        rules.require_new_agreement(choice, known_languages=tags())
        with Session(workspace.portal.engine) as session:
            sources.require_free_slug(choice.slug, path, session=session)
        text = rules.new_source_text(choice, parameters=_parameters(library, choice))
        checked = sources.check_source_text(
            text, name=path.name, agreements_dir=folder, library=library
        )
        if not checked.ok:
            return _new_page(workspace, request, staff, form, problems=checked.problems, status=422)
        sources.create_source(path, text)
    except Refusal as refusal:
        return _new_page(
            workspace,
            request,
            staff,
            form,
            error=workspace.refusal_text(refusal, staff.lang),
            error_field=refusal.field,
            status=422,
        )
    return _draft(
        workspace,
        staff,
        choice.slug,
        path,
        before=None,
        after=rules.text_sha256(text),
        agreement=None,
    )


def _parameters(library: ClauseLibrary, choice: rules.NewAgreement) -> dict[str, frozenset[str]]:
    """Each chosen clause's parameters, from the file the agreement's country will take."""
    found: dict[str, frozenset[str]] = {}
    for name in choice.clauses:
        lookup = library.lookup_variant(name, choice.country) or library.lookup(name)
        if lookup is not None and lookup.clause is not None:
            found[name] = frozenset(lookup.clause.parameters)
    return found
