"""The link-lifetime revision goes down and up again on both databases, keeping the rows."""

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from accord.db import MIGRATIONS_DIR, _head_revision

LINK_COLUMNS = {
    "review_access": {"expires_at", "revoked_at"},
    "signature": {"expires_at", "revoked_at"},
    "focal_access": {"expires_at", "revoked_at"},
}


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def _columns(engine: Engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_link_lifetime_columns_go_down_and_come_back(engine: Engine) -> None:
    config = _config(engine)
    for table, columns in LINK_COLUMNS.items():
        assert columns <= _columns(engine, table), table
    command.downgrade(config, "0009")
    assert not {"expires_at", "revoked_at"} & _columns(engine, "review_access")
    assert not {"expires_at", "revoked_at"} & _columns(engine, "signature")
    assert "revoked_at" in _columns(engine, "focal_access")
    assert "expires_at" not in _columns(engine, "focal_access")
    command.upgrade(config, _head_revision() or "head")
    for table, columns in LINK_COLUMNS.items():
        assert columns <= _columns(engine, table), table
