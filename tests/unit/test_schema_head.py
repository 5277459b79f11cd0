"""The newest schema revision, read without Alembic, is the one Alembic itself finds."""

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from accord.db import MIGRATIONS_DIR, _head_revision, _recorded_revision, upgrade_schema


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert _head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_new_database_is_migrated_and_then_recognised_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert _recorded_revision(url) is None
    upgrade_schema(url)
    assert _recorded_revision(url) == _head_revision()
    upgrade_schema(url)  # at head: nothing to do
    assert _recorded_revision(url) == _head_revision()
