"""The one place Accord reads its configuration from (environment, prefix ``ACCORD_``)."""

import ipaddress
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "development-only-not-secret"
DOCUMENTED_PLACEHOLDERS = frozenset({DEV_SECRET, "paste-the-random-value-here"})
"""Secrets printed in the documentation: public, so refused in production."""
SECRET_CHARACTERS = 43
"""`secrets.token_urlsafe(32)`: 32 random bytes are 43 base64 characters."""
SECRET_VARIETY = 10
"""Different characters a secret of random bytes shows at that length, whatever its alphabet:
64 hex digits of `openssl rand -hex 32` show fewer than 16 about once in four, fewer than 10
about once in 10^12; a repeated character or pattern shows fewer."""
LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


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
    calendars_dir: Path = Field(
        default=PROJECT_ROOT / "calendars",
        description="Calendar override files (KZ.yaml …): days moved by decree.",
    )

    environment: Literal["development", "production"] = "development"
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET), description="Signs CSRF tokens; set it in production."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where reviewers' links point."
    )
    link_misses_per_minute: int = Field(
        default=30,
        ge=1,
        description="Bad links a client address may request in a minute before it gets 429.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=5,
        le=24 * 60,
        description="A workspace session ends after this long without a request.",
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 30,
        description="A workspace session ends this long after sign-in.",
    )
    require_2fa: bool = Field(
        default=False,
        description="Admins must confirm a second factor (TOTP) before using the workspace.",
    )
    review_link_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Days a review link works after it is sent (it also ends with its stage).",
    )
    signing_link_days: int = Field(
        default=60,
        ge=1,
        le=3650,
        description="Days a signing link works after it is sent (it also ends with its sign-off).",
    )
    focal_link_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="Days a focal point's standing link works before the secretariat re-issues it.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:port/db shared by the portal's API processes (the link-guess "
        "count); unset, each process counts on its own.",
    )
    portal_host: str = "127.0.0.1"
    portal_port: int = Field(default=8000, ge=1, le=65535)
    prefect_port: int = Field(
        default=4200,
        ge=1,
        le=65535,
        description="Where `accord serve` starts Prefect's server when PREFECT_API_URL is unset.",
    )
    trust_proxy_headers: bool = Field(
        default=False,
        description="Take a signer's IP address from X-Forwarded-For (its last hop); only "
        "behind one reverse proxy that sets it, as anyone can send the header.",
    )

    mail_backend: Literal["outbox", "sendgrid"] = "outbox"
    mail_from_email: str = "noreply@accord.example.org"
    mail_from_name: str = "Accord"
    sendgrid_api_key: SecretStr | None = None
    sendgrid_host: str = "https://api.sendgrid.com"
    sendgrid_webhook_public_key: str | None = None
    mail_concurrency: int = Field(default=8, ge=1, le=64, description="Deliveries in flight.")

    pdf_documents: bool = Field(
        default=True, description="Write a PDF/A beside every agreement DOCX (needs LibreOffice)."
    )
    office_program: str = Field(
        default="soffice", description="LibreOffice's program: a name on PATH or a path."
    )
    office_python: Path | None = Field(
        default=None,
        description="A Python that can import LibreOffice's `uno` module (Debian: python3-uno "
        "for /usr/bin/python3); found by itself when empty.",
    )
    converter_port: int = Field(
        default=2003, ge=1, le=65535, description="The document converter's port on 127.0.0.1."
    )
    converter_uno_port: int = Field(
        default=2002, ge=1, le=65535, description="LibreOffice's own port behind the converter."
    )
    converter_idle_minutes: float = Field(
        default=30, gt=0, description="A converter stops itself after this long unused."
    )
    seal_key_file: Path | None = Field(
        default=None, description="PEM private key of the installation's PDF seal."
    )
    seal_cert_file: Path | None = Field(
        default=None, description="PEM certificate of that key (the seal's signer)."
    )
    seal_key_password: SecretStr | None = None

    @model_validator(mode="after")
    def _default_database(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"
        return self

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> "Settings":
        if self.environment == "production":
            _refuse_weak_secret(self.secret_key.get_secret_value())
        elif not _is_loopback(self.portal_host):
            raise ValueError(
                f"ACCORD_PORTAL_HOST={self.portal_host} is reachable from other machines, but "
                "ACCORD_ENVIRONMENT=development signs forms with a public secret: bind to "
                "127.0.0.1, or set ACCORD_ENVIRONMENT=production and a random ACCORD_SECRET_KEY"
            )
        if (self.seal_key_file is None) != (self.seal_cert_file is None):
            raise ValueError("ACCORD_SEAL_KEY_FILE and ACCORD_SEAL_CERT_FILE go together")
        if self.converter_port == self.converter_uno_port:
            raise ValueError("ACCORD_CONVERTER_PORT and ACCORD_CONVERTER_UNO_PORT must differ")
        if self.mail_backend == "sendgrid" and not self.sendgrid_api_key:
            raise ValueError(
                "ACCORD_SENDGRID_API_KEY is required when ACCORD_MAIL_BACKEND=sendgrid"
            )
        return self

    @property
    def public_secret_warning(self) -> str | None:
        """What to say loudly when forms are signed with a secret anyone can read."""
        if self.environment != "development":
            return None
        return (
            "WARNING: development mode: the portal's forms are signed with a public secret. "
            "Never expose this portal to other machines; in production set "
            "ACCORD_ENVIRONMENT=production and a random ACCORD_SECRET_KEY."
        )

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def clauses_dir(self) -> Path:
        return self.templates_dir / "clauses"

    @property
    def seal_files(self) -> tuple[Path, Path]:
        """The seal's key and certificate: as set, or the self-signed pair in the data folder."""
        if self.seal_key_file is not None and self.seal_cert_file is not None:
            return self.seal_key_file, self.seal_cert_file
        return self.data_dir / "seal" / "seal-key.pem", self.data_dir / "seal" / "seal-cert.pem"


def _refuse_weak_secret(secret: str) -> None:
    """Production signs forms with the secret: a documented or guessable one is refused."""
    how = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'
    if secret in DOCUMENTED_PLACEHOLDERS:
        raise ValueError(
            f"ACCORD_SECRET_KEY is the documentation's placeholder; in production set a random "
            f"value: {how}"
        )
    if len(secret) < SECRET_CHARACTERS or len(set(secret)) < SECRET_VARIETY:
        raise ValueError(
            f"ACCORD_SECRET_KEY must hold at least 32 random bytes ({SECRET_CHARACTERS} "
            f"characters such as {how} prints); the one set has {len(secret)} characters, "
            f"{len(set(secret))} of them different"
        )


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: may resolve to anything


@cache
def get_settings() -> Settings:
    """Read once per process, on first use, never at import."""
    return Settings()
