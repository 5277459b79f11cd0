"""The whole web application: the portal's token pages and the secretariat's workspace,
served by one process (`accord portal`, `accord serve`)."""

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import Response

from accord.portal.app import create_app as create_portal_app
from accord.portal.deps import Portal
from accord.settings import Settings
from accord.workspace import (
    account,
    agreements,
    auth,
    commitments,
    home,
    organisations,
    rounds,
    runs_page,
    signoff,
    sources,
    staff,
)
from accord.workspace.deps import (
    PREFIX,
    NotAllowed,
    NotOurs,
    SecondFactorNeeded,
    SignInNeeded,
    Workspace,
    sign_in_path,
)
from accord.workspace.frame import (
    FORM_EXPIRED,
    NOT_ALLOWED,
    NOT_FOUND,
    FormExpired,
    message,
    see_other,
)
from accord.workspace.runs import Launcher
from models.columns import utcnow

ROUTERS = (
    auth.router,
    account.router,
    home.router,
    runs_page.router,
    staff.router,
    sources.router,  # before `agreements`: /agreements/new is not an agreement's page
    rounds.router,  # before `agreements`: /agreements/{agreement}/rounds/… are the rounds'
    agreements.router,
    signoff.router,
    commitments.router,
    organisations.router,
)
"""Every workspace page's router; a new page adds its router here."""


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    launcher: Launcher | None = None,
) -> FastAPI:
    """The portal, plus the workspace with its launcher (flows in this process by default,
    reporting to the configured Prefect server)."""
    app = create_portal_app(settings, clock=clock)
    portal: Portal = app.state.portal
    app.state.workspace = Workspace.build(
        portal, settings, launcher or Launcher(portal.engine, api_url=lambda: None)
    )
    for router in ROUTERS:
        app.include_router(router)
    _add_refusal_pages(app)
    stylesheet = (settings.templates_dir / "workspace" / "workspace.css").read_bytes()

    @app.get("/static/workspace.css")
    def workspace_stylesheet() -> Response:
        return Response(
            stylesheet,
            media_type="text/css; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    return app


def _add_refusal_pages(app: FastAPI) -> None:
    def workspace(request: Request) -> Workspace:
        return app.state.workspace  # type: ignore[no-any-return]

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, error: SignInNeeded) -> Response:
        return see_other(sign_in_path(error.back_to))

    @app.exception_handler(SecondFactorNeeded)
    async def factor_needed(request: Request, error: SecondFactorNeeded) -> Response:
        return see_other(f"{PREFIX}/account")

    @app.exception_handler(NotOurs)
    async def not_ours(request: Request, error: NotOurs) -> Response:
        lang = _lang(request)
        heading, lines = NOT_FOUND
        return message(
            workspace(request),
            request,
            lang=lang,
            staff=None,
            status=404,
            heading=heading,
            lines=lines,
            languages_at=f"{PREFIX}/",
        )

    @app.exception_handler(FormExpired)
    async def expired(request: Request, error: FormExpired) -> Response:
        heading, lines = FORM_EXPIRED
        return message(
            workspace(request),
            request,
            lang=error.lang,
            staff=None,
            status=403,
            heading=heading,
            lines=lines,
        )

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, error: NotAllowed) -> Response:
        ws = workspace(request)
        return message(
            ws,
            request,
            lang=error.lang,
            staff=None,
            status=403,
            heading=NOT_ALLOWED,
            lines=[ws.refusal_text(error.refusal, error.lang)],
        )


def _lang(request: Request) -> str:
    return auth.page_language(request, request.query_params.get("ui"))
