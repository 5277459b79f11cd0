"""Engines, sessions and schema upgrades, built on first use from the settings."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from accord.settings import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: SQLite forgets foreign keys and busy timeouts on every new connection."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "busy_timeout=10000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


POOL_SIZE = 12
"""Connections kept open: more than the web application's worker threads (8) plus its event
loop, so none is closed after each request and opened again for the next (for SQLite that is
the pragmas again; past SQLAlchemy's default of 5 every page load paid for it)."""


def make_engine(url: str) -> Engine:
    """One engine per database URL; SQLite gets the pragmas that make it safe to share."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            **_pool(database),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE)


def _pool(database: str | None) -> dict[str, Any]:
    """An in-memory SQLite database lives in one connection (SQLAlchemy's own pool for it)."""
    return {} if not database or database == ":memory:" else {"pool_size": POOL_SIZE}


@cache
def get_engine(url: str) -> Engine:
    return make_engine(url)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed as a whole, or not at all."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upgrade_schema(url: str) -> None:
    """Bring the database to the newest schema (Alembic), creating it if it is new.

    A database already at the newest revision is recognised without Alembic, whose import
    alone costs more than the rest of a command like `accord agreements`.
    """
    head = _head_revision()
    if head is not None and _recorded_revision(url) == head:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = get_engine(url)
    command.upgrade(config, "head")


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]([^'\"]+)['\"]\s*$", re.MULTILINE)


@cache
def _head_revision() -> str | None:
    """The one revision no migration builds on, read from the scripts' own lines; None when
    that is not plain (a merge, a branch): then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in MIGRATIONS_DIR.glob("versions/*.py"):
        found = dict((kind, rev) for kind, rev in _REVISION.findall(script.read_text("utf-8")))
        if "" not in found:
            return None
        revisions.add(found[""])
        if "down_" in found:
            parents.add(found["down_"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _recorded_revision(url: str) -> str | None:
    """The database's Alembic revision, or None when it has none (new) or cannot say."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with get_engine(url).connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None
