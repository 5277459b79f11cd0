"""Shared fixtures: settings in a temporary folder, a fresh database per test on SQLite and
PostgreSQL, one Prefect test harness and one document converter per session for the tests
that need them."""

import os
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from accord.cli import command_servers
from accord.db import make_engine, upgrade_schema
from accord.settings import PROJECT_ROOT, Settings, get_settings

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

pytest_plugins = ["tests.language_in_progress"]
# Converting to PDF needs LibreOffice and takes seconds per document: only the PDF tests
# switch it on, with a converter of their own on free ports (the `office` fixture).
os.environ.setdefault("ACCORD_PDF_DOCUMENTS", "false")

POSTGRES_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("ACCORD_REQUIRE_POSTGRES") == "1"


def _postgres_unavailable() -> str:
    """Why PostgreSQL tests cannot run here, or '' when they can."""
    if not POSTGRES_URL:
        return (
            "PostgreSQL not configured (set ACCORD_TEST_POSTGRES_URL; "
            "./run test does when a server answers on 127.0.0.1:5432)"
        )
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL at {POSTGRES_URL} not reachable: {error}"
    return ""


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the file (much faster than migrating per test)."""
    from accord.db import get_engine

    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade_schema(f"sqlite:///{path}")
    get_engine(f"sqlite:///{path}").dispose()  # checkpoints the WAL into the file we copy
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of our own on the server, migrated once, dropped at the end."""
    reason = _postgres_unavailable()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here (ACCORD_REQUIRE_POSTGRES=1): {reason}")
        pytest.skip(reason)
    name = f"accord_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade_schema(url)
    yield url
    from accord.db import get_engine

    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    from accord.db import get_engine

    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with get_engine(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated, empty database; every test using it runs on both databases."""
    if request.param == "sqlite":
        path = tmp_path / "accord.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    _truncate_all(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Engine:
    from accord.db import get_engine

    return get_engine(database_url)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings pointing at a private data and output folder (and SQLite unless overridden).

    The document converter's ports are free ones: a converter this machine already runs
    (an `accord serve`, another checkout) must never answer a test that did not start it.
    """
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACCORD_OUTPUT_DIR", str(tmp_path / "output"))
    port, uno_port = free_ports(2)
    monkeypatch.setenv("ACCORD_CONVERTER_PORT", str(port))
    monkeypatch.setenv("ACCORD_CONVERTER_UNO_PORT", str(uno_port))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def settings_on(settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose database is the parametrised one (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session (~10 s), heartbeats off."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


EXAMPLES = PROJECT_ROOT / "agreements"
CLAUSES = PROJECT_ROOT / "templates" / "clauses"


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on now; the machine's own converter (2002/2003) stays untouched."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def processes_with_environ(entry_prefix: str) -> list[int]:
    """Pids of our user whose environment holds an entry starting with `entry_prefix`."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            entries = environ.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(e.startswith(entry_prefix.encode()) for e in entries):
            found.append(int(environ.parent.name))
    return found


@pytest.fixture(scope="session", autouse=True)
def no_prefect_server_left(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test leaves a background Prefect server or a command server running (their data
    folders are in our temp dir)."""
    yield
    base = tmp_path_factory.getbasetemp().resolve()
    left = processes_with_environ(f"PREFECT_HOME={base}")
    assert left == [], f"Prefect servers the tests started are still running: pids {left}"
    servers = [
        pid
        for pid in processes_with_environ(f"ACCORD_DATA_DIR={base}")
        if command_servers.is_command_server(pid)
    ]
    assert servers == [], f"command servers the tests started are still running: pids {servers}"


@pytest.fixture(autouse=True)
def no_courier_left() -> Iterator[None]:
    """A web application's courier stops with it (its lifespan): none outlives its test."""
    yield
    left = [thread.name for thread in threading.enumerate() if thread.name == "accord-courier"]
    assert left == [], "a web application's courier outlived its test (use `with TestClient`)"


def processes_using(marker: str) -> list[int]:
    """Pids whose command line mentions `marker` (a converter's own profile folder)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The tests' own document converter on free ports, stopped (and checked gone) at the end."""
    from accord.adapters import pdf_converter

    root = tmp_path_factory.mktemp("office")
    port, uno_port = free_ports(2)
    settings = Settings(
        data_dir=root / "data",
        output_dir=root / "output",
        pdf_documents=True,
        converter_port=port,
        converter_uno_port=uno_port,
    )
    try:
        pdf_converter.find_office(settings)
    except pdf_converter.ConverterUnavailable as why:
        pytest.skip(str(why))
    pdf_converter.ensure_running(settings)
    yield settings
    pdf_converter.stop(settings)
    profile = str(pdf_converter.Converter.of(settings).profile_dir.resolve())
    assert processes_using(profile) == [], "the tests' converter outlived them"
