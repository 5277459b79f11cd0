"""Alembic environment: Accord's own tables only (Prefect keeps its own database)."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on the metadata)
from accord.db import get_engine
from accord.settings import get_settings

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or get_engine(get_settings().database_url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_migrations_online()
