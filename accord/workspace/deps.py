"""What every workspace route needs: the portal's collaborators, the workspace's own
languages and templates, and the signed-in staff member — or a redirect to sign in.

Every route that shows or changes anything takes `StaffDep` (or `OfficerDep`/`AdminDep`);
the route test enumerates the app's routes and fails for one that does not refuse a
request without a session.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, cast
from urllib.parse import quote

from babel.support import Translations
from fastapi import Depends, Request
from jinja2 import Environment
from sqlmodel import Session, select

from accord.errors import Refusal
from accord.i18n import catalogs
from accord.i18n.languages import parse_tag, pick, workspace_language, workspace_tags
from accord.portal.deps import Portal, Say, sayer
from accord.portal.i18n import language_name, make_environments
from accord.services.env import ServiceEnv
from accord.services.staff.accounts import actor_of
from accord.services.staff.rules import Action, require_allowed
from accord.services.staff.sign_in import SessionRules, Signed, current
from accord.settings import Settings
from accord.workspace import words
from accord.workspace.runs import Launcher
from models import Agreement, Organization, StaffAccount

SESSION_COOKIE = "accord_staff"
PREFIX = "/workspace"
NAMES = {
    "status_names": words.AGREEMENT_STATUS,
    "role_names": words.ROLE,
    "org_kind_names": words.ORG_KIND,
    "contact_role_names": words.CONTACT_ROLE,
    "run_state_names": words.RUN_STATE,
    "run_kind_names": words.RUN_KIND,
    "action_names": words.AUDIT_ACTION,
    "signature_status_names": words.SIGNATURE_STATUS,
    "signoff_status_names": words.SIGNOFF_STATUS,
    "decision_names": words.DECISION,
    "item_status_names": words.ITEM_STATUS,
    "verdict_names": words.VERDICT,
    "stage_names": words.STAGE_KIND,
    "round_state_names": words.ROUND_STATE,
    "message_status_names": words.MESSAGE_STATUS,
}
"""Tables of translated names every workspace template can use."""


@dataclass(frozen=True)
class Workspace:
    """Built once by the app factory; the portal's engine, store and clock are shared."""

    portal: Portal
    environments: dict[str, Environment]
    translations: dict[str, Translations]
    session_rules: SessionRules
    launcher: Launcher
    """Starts long work as a Prefect flow run (`accord.workspace.runs.Launcher`)."""

    @classmethod
    def build(cls, portal: Portal, settings: Settings, launcher: Launcher) -> "Workspace":
        translations = {tag: catalogs.translations("workspace", tag) for tag in workspace_tags()}
        environments = make_environments(settings.templates_dir, translations)
        for lang, env in environments.items():
            say = sayer(translations[lang])
            env.filters["pick"] = pick
            env.filters["language_name"] = language_name
            env.globals.update(
                {
                    name: {key: say(text) for key, text in table.items()}
                    for name, table in NAMES.items()
                }
            )
        return cls(
            portal=portal,
            environments=environments,
            translations=translations,
            session_rules=SessionRules(
                idle=timedelta(minutes=settings.session_idle_minutes),
                longest=timedelta(hours=settings.session_max_hours),
                admins_need_second_factor=settings.require_2fa,
            ),
            launcher=launcher,
        )

    def say(self, lang: str) -> Say:
        return sayer(self.translations[lang])

    def render(self, lang: str, template: str, /, **context: object) -> str:
        return self.environments[lang].get_template(template).render(**context)

    def refusal_text(self, refusal: Refusal, lang: str) -> str:
        """Refusals are worded by the services in the `pages` catalog, in every language."""
        return self.portal.refusal_text(refusal, lang)

    def service_env(self, session: Session, account: StaffAccount) -> ServiceEnv:
        return self.portal.service_env(session, actor=actor_of(account))


async def get_workspace(request: Request) -> Workspace:
    """A coroutine: FastAPI runs a plain function dependency in a worker thread, a hop that
    costs more than this lookup (the same for every dependency below that does no I/O)."""
    return cast(Workspace, request.app.state.workspace)


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]


class SignInNeeded(Exception):
    """No live session: the app answers with a redirect to the sign-in page."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


class NotAllowed(Exception):
    """The role does not allow the action: a page saying so, nothing changed."""

    def __init__(self, refusal: Refusal, lang: str) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal
        self.lang = lang


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member of this request and the page language."""

    account: StaffAccount
    secretariat: Organization
    token: str
    """The session cookie: forms' CSRF fields are bound to it."""
    lang: str

    @property
    def id(self) -> int:
        assert self.account.id is not None
        return self.account.id

    def can(self, action: str) -> bool:
        try:
            require_allowed(self.account.role, action)
        except Refusal:
            return False
        return True


def staff_language(account: StaffAccount, wanted: str | None) -> str:
    """`?ui=` when the workspace is written in it, else the account's language."""
    found = parse_tag(wanted) if wanted else None
    if found is not None and found.tag in workspace_tags():
        return found.tag
    return workspace_language(account.language)


class SecondFactorNeeded(Exception):
    """An admin must set up a second factor before anything else (`ACCORD_REQUIRE_2FA`)."""


def _signed(
    request: Request, workspace: Workspace, ui: str | None, *, allow_missing_factor: bool
) -> Staff:
    token = request.cookies.get(SESSION_COOKIE)
    back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def look_up(session: Session) -> tuple[StaffAccount, Organization, bool] | None:
        env = workspace.portal.service_env(session, actor="workspace")
        signed = current(token, rules_=workspace.session_rules, env=env)
        if signed is None or not signed.complete:
            return None
        missing = _second_factor_missing(signed, workspace.session_rules)
        secretariat = session.get(Organization, signed.account.secretariat_id)
        assert secretariat is not None
        session.expunge_all()
        return signed.account, secretariat, missing

    found = workspace.portal.write(look_up) if token else None
    if found is None or token is None:
        raise SignInNeeded(back_to)
    account, secretariat, missing = found
    if missing and not allow_missing_factor:
        raise SecondFactorNeeded()
    return Staff(account, secretariat, token, staff_language(account, ui))


def signed_in_staff(request: Request, workspace: WorkspaceDep, ui: str | None = None) -> Staff:
    return _signed(request, workspace, ui, allow_missing_factor=False)


def account_holder(request: Request, workspace: WorkspaceDep, ui: str | None = None) -> Staff:
    """Signed in with a password, even where a required second factor is not set up yet:
    the pages of one's own account (where it is set up) take this."""
    return _signed(request, workspace, ui, allow_missing_factor=True)


def _second_factor_missing(signed: Signed, rules: SessionRules) -> bool:
    """An admin without a second factor where one is required may only set it up."""
    return (
        rules.admins_need_second_factor
        and signed.account.role.value == "admin"
        and signed.account.totp_secret is None
    )


AccountHolderDep = Annotated[Staff, Depends(account_holder)]
StaffDep = Annotated[Staff, Depends(signed_in_staff)]


def requiring(action: str) -> Callable[[Staff], Awaitable[Staff]]:
    async def allowed(staff: StaffDep) -> Staff:
        try:
            require_allowed(staff.account.role, action)
        except Refusal as refusal:
            raise NotAllowed(refusal, staff.lang) from None
        return staff

    return allowed


OfficerDep = Annotated[Staff, Depends(requiring(Action.run))]
"""Changes agreements: officers and admins."""
AdminDep = Annotated[Staff, Depends(requiring(Action.manage))]
"""Manages staff accounts: admins."""


class NotOurs(Exception):
    """Another secretariat's agreement, or none: the same 404 either way."""


def our_agreement(session: Session, staff: Staff, slug: str) -> Agreement:
    """The agreement `slug` if the staff member's secretariat runs it; else `NotOurs`."""
    found = session.exec(
        select(Agreement).where(
            Agreement.slug == slug, Agreement.secretariat_id == staff.secretariat.id
        )
    ).first()
    if found is None:
        raise NotOurs()
    return found


def sign_in_path(back_to: str = "") -> str:
    if not back_to or not back_to.startswith(PREFIX):
        return f"{PREFIX}/sign-in"
    return f"{PREFIX}/sign-in?next={quote(back_to, safe='/')}"
