"""Production refuses a public or guessable secret; development says so and stays local."""

import secrets

import pytest
from pydantic import SecretStr, ValidationError

from accord.settings import DEV_SECRET, Settings

RANDOM = secrets.token_urlsafe(32)


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("secret", "said"),
    [
        (DEV_SECRET, "placeholder"),
        ("paste-the-random-value-here", "placeholder"),
        ("correct horse battery staple", "at least 32 random bytes"),
        ("a" * 64, "1 of them different"),
        (secrets.token_urlsafe(16), "at least 32 random bytes"),
    ],
)
def test_production_refuses_a_public_or_short_secret(secret: str, said: str) -> None:
    with pytest.raises(ValidationError, match=said):
        _settings(environment="production", secret_key=SecretStr(secret))


def test_production_takes_32_random_bytes_and_any_address() -> None:
    settings = _settings(
        environment="production", secret_key=SecretStr(RANDOM), portal_host="0.0.0.0"
    )
    assert settings.public_secret_warning is None
    assert _settings(environment="production", secret_key=SecretStr(secrets.token_hex(32)))
    fifteen_hex_digits = secrets.token_hex(32).replace("f", "0")  # as random hex often shows
    assert _settings(environment="production", secret_key=SecretStr(fifteen_hex_digits))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "accord.example.org"])
def test_development_refuses_an_address_other_machines_reach(host: str) -> None:
    with pytest.raises(ValidationError, match="public secret"):
        _settings(portal_host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_development_binds_to_loopback_and_says_loudly_the_secret_is_public(host: str) -> None:
    settings = _settings(portal_host=host)
    assert settings.public_secret_warning is not None
    assert "public secret" in settings.public_secret_warning
