"""The portal's app factory: everything is built here, on call, from the settings given."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.adapters.delivery import deliver_as_configured
from accord.adapters.file_store import FileDocumentStore
from accord.adapters.pdf_maker import pdf_maker
from accord.db import get_engine
from accord.portal import frame, webhook
from accord.portal.courier import Courier
from accord.portal.deps import Portal, get_portal
from accord.portal.focal import routes as focal
from accord.portal.guesses import LinkGuessLimit, miss_counter
from accord.portal.i18n import load_translations, make_environments
from accord.portal.render_cache import RenderCache
from accord.portal.review import routes as review
from accord.portal.review.page_cache import PageCache
from accord.portal.signing import routes as signing
from accord.portal.slow_bodies import BodyTimeout
from accord.settings import Settings
from models.columns import utcnow

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]
"""On every response: the reviewer's token is in the URL, so it must never leak by referrer."""
NO_STORE = (b"cache-control", b"no-store")
LOG = logging.getLogger("accord.portal")
WORKER_THREADS = 8
"""Threads for the sync routes. Page work is CPU-bound Python: more threads only fight over
the GIL with the event loop (40, anyio's default, doubled the p95 latency under load)."""


class SecurityHeaders:
    """Plain ASGI middleware (no per-request task or body buffering, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"cache-control"]
                headers += SECURITY_HEADERS
                if not cacheable:
                    headers.append(NO_STORE)
                else:
                    headers += [h for h in message.get("headers", []) if h[0] == b"cache-control"]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    """A portal bound to these settings: its own engine use, catalogs and caches."""
    translations = load_translations()
    engine = get_engine(settings.database_url)
    portal = Portal(
        settings=settings,
        engine=engine,
        store=FileDocumentStore(settings.output_dir, pdfs=pdf_maker(settings)),
        environments=make_environments(settings.templates_dir, translations),
        translations=translations,
        cache=RenderCache(),
        css=(settings.templates_dir / "portal" / "portal.css").read_bytes(),
        clock=clock,
        courier=Courier(lambda: _deliver(settings, engine)),
    )
    app = FastAPI(
        title="Accord reviewer portal",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.portal = portal
    app.state.review_pages = PageCache()
    app.add_middleware(
        LinkGuessLimit,
        portal=portal,
        counter=miss_counter(settings.redis_url, settings.link_misses_per_minute),
    )
    app.add_middleware(BodyTimeout)
    app.add_middleware(SecurityHeaders)  # the outer one: its headers go on 429s and 408s too
    app.include_router(review.router)
    app.include_router(signing.router)
    app.include_router(focal.router)
    app.include_router(webhook.router)
    _add_basics(app)
    _add_error_pages(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    courier: Courier = app.state.portal.courier
    courier.start()
    try:
        yield
    finally:
        await to_thread.run_sync(courier.stop)


def _deliver(settings: Settings, engine: Engine) -> None:
    """The courier's delivery: what the provider would not take is logged, and stays queued
    for the scheduled delivery (or is marked failed, as any delivery does)."""
    report = deliver_as_configured(settings, engine=engine)
    for error in report.errors:
        LOG.warning("not delivered: %s", error)


def _add_basics(app: FastAPI) -> None:
    @app.get("/healthz")
    def healthz(request: Request) -> dict[str, str]:
        with get_portal(request).engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/static/portal.css")
    def stylesheet(request: Request) -> Response:
        return Response(
            get_portal(request).css,
            media_type="text/css; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )


def _add_error_pages(app: FastAPI) -> None:
    """Unknown addresses and malformed requests get a plain page, never a stack or JSON dump."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            portal = get_portal(request)
            lang = frame.reader_language(request, request.query_params.get("ui"))
            return frame.link_not_valid(portal, lang)
        return HTMLResponse(str(error.detail), status_code=error.status_code)

    @app.exception_handler(Exception)
    async def fault(request: Request, error: Exception) -> Response:
        """Logged by the server with its traceback; the reader gets a plain page."""
        lang = frame.reader_language(request, request.query_params.get("ui"))
        response = frame.fault(get_portal(request), lang)
        for name, value in (*SECURITY_HEADERS, NO_STORE):  # this runs outside the middleware
            response.headers[name.decode()] = value.decode()
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith("/sendgrid/"):
            return JSONResponse({"error": "malformed request"}, status_code=400)
        portal = get_portal(request)
        return frame.form_expired(portal, frame.reader_language(request, None))
