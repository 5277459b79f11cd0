"""The one place Accord reads its configuration from (environment, prefix ``ACCORD_``)."""

from functools import cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Defaults run on one laptop with no server: SQLite and files under ``./data``."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore", env_file=".env")

    data_dir: Path = Field(default=Path("data"), description="Database file, outbox, caches.")
    output_dir: Path = Field(default=Path("output"), description="Generated documents.")
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means SQLite at <data_dir>/accord.db."
    )
    agreements_dir: Path = Field(default=PROJECT_ROOT / "agreements")
    templates_dir: Path = Field(default=PROJECT_ROOT / "templates")

    @model_validator(mode="after")
    def _default_database(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"
        return self

    @property
    def clauses_dir(self) -> Path:
        return self.templates_dir / "clauses"


@cache
def get_settings() -> Settings:
    """Read once per process, on first use, never at import."""
    return Settings()
