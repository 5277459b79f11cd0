"""A client guessing links gets 429 after too many misses a minute; others are not affected."""

import secrets

from starlette.testclient import TestClient

from accord.portal.app import create_app
from accord.portal.guesses import WINDOW_S, GuessCounter
from accord.settings import Settings
from tests.portal.conftest import NOW, SAFE_HOME


def _guess(client: TestClient, prefix: str, **headers: str) -> int:
    token = secrets.token_urlsafe(24)
    return client.get(f"/{prefix}/{token}", headers=headers).status_code


def test_misses_past_the_limit_get_429_even_for_a_good_link(
    settings_on: Settings, links: dict[str, str]
) -> None:
    settings = settings_on.model_copy(update={"link_misses_per_minute": 5})
    client = TestClient(create_app(settings, clock=lambda: NOW), follow_redirects=False)
    assert [_guess(client, p) for p in ("r", "s", "f", "r", "s")] == [404] * 5
    blocked = client.get(f"/r/{links[SAFE_HOME]}")
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= WINDOW_S + 1
    assert "default-src 'self'" in blocked.headers["content-security-policy"]
    assert client.get("/healthz").status_code == 200  # only link addresses are limited


def test_the_limit_is_per_client_address(settings_on: Settings, links: dict[str, str]) -> None:
    settings = settings_on.model_copy(
        update={"link_misses_per_minute": 3, "trust_proxy_headers": True}
    )
    client = TestClient(create_app(settings, clock=lambda: NOW), follow_redirects=False)
    guesser = {"X-Forwarded-For": "203.0.113.7"}
    assert [_guess(client, "r", **guesser) for _ in range(4)] == [404, 404, 404, 429]
    reviewer = client.get(f"/r/{links[SAFE_HOME]}", headers={"X-Forwarded-For": "198.51.100.2"})
    assert reviewer.status_code == 200


def test_misses_leave_the_count_after_a_minute() -> None:
    now = [1000.0]
    counter = GuessCounter(2, clock=lambda: now[0])
    counter.miss("a")
    now[0] += 30
    counter.miss("a")
    assert counter.blocked("a") and not counter.blocked("b")
    assert counter.retry_after("a") == 31
    now[0] += 30.5  # the first miss is over a minute old
    assert not counter.blocked("a")
