"""What every command needs: the database opened, flows run in-process against a lasting
Prefect server, who is acting."""

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from accord.settings import Settings, get_settings

if TYPE_CHECKING:
    from accord.services.env import ServiceEnv


def open_database(settings: Settings | None = None) -> Engine:
    """The engine of a database at the current schema (migrated on first use)."""
    settings = settings or get_settings()
    from accord.db import get_engine, upgrade_schema

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_schema(settings.database_url)
    return get_engine(settings.database_url)


@contextmanager
def service_session(actor: str | None = None, *, dry_run: bool = False) -> Iterator["ServiceEnv"]:
    """A transaction and the collaborators the services need, for one command.

    With `dry_run` everything is rolled back: the same code checks a request before a flow
    runs it, so refusals reach the user as one line instead of a failed flow run.
    """
    from accord.db import transaction

    settings = get_settings()
    if dry_run:
        from sqlmodel import Session

        with Session(open_database(settings)) as session:
            yield _env(session, settings, actor)
            session.rollback()
        return
    with transaction(open_database(settings)) as session:
        yield _env(session, settings, actor)


def _env(session: Any, settings: Settings, actor: str | None) -> "ServiceEnv":
    from accord.adapters.file_store import FileDocumentStore
    from accord.adapters.pdf_maker import pdf_maker
    from accord.services.bootstrap import service_env

    return service_env(
        session=session,
        store=FileDocumentStore(settings.output_dir, pdfs=pdf_maker(settings)),
        base_url=settings.public_base_url,
        actor=actor or whoami(),
        now=datetime.now(UTC),
    )


def run_flow(flow: Any, **parameters: Any) -> Any:
    """In-process flow run against a Prefect server that outlives the command; heartbeats off."""
    prefect_api()
    return flow(**parameters)


def prefect_api() -> str:
    """The Prefect server this process's flows report to, settled once per process.

    The configured one (PREFECT_API_URL, or the test harness), else Accord's background
    server, started by the first command that needs it. Heartbeats go off: they cost a second
    per run and a person at a terminal waits for it. Prefect's settings are replaced once and
    kept (each replacement costs a fifth of a second).
    """
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    url = PREFECT_API_URL.value()
    if url and get_current_settings().flows.heartbeat_frequency is None:
        if _settled_by.get("pid", os.getpid()) == os.getpid():
            return str(url)  # settled earlier in this process, or by the test harness
        return _still_answering(str(url))
    updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if not url:
        from accord.cli.prefect_server import ensure_server

        url = updates[PREFECT_API_URL] = ensure_server(get_settings())
        _settled_by["pid"] = os.getpid()
    _process_settings.enter_context(temporary_settings(updates=updates))
    return str(url)


def _still_answering(url: str) -> str:
    """In a command forked from a command server: the background server its parent settled
    on may have stopped since; checked once (replaced if need be, as any command would)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from accord.cli.prefect_server import ensure_server

    current = ensure_server(get_settings())
    _settled_by["pid"] = os.getpid()
    if current != url:
        _process_settings.enter_context(temporary_settings(updates={PREFECT_API_URL: current}))
    return current


_process_settings = ExitStack()
"""Entered once and left open: the settings hold for the rest of the process."""
_settled_by: dict[str, int] = {}
"""The process that chose Accord's background server (none: configured, or the harness)."""


def whoami() -> str:
    return f"cli:{os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
